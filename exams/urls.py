from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.exam_list, name="list"),
    path("<slug:slug>/start/", views.exam_start, name="start"),
    path("attempts/<int:pk>/", views.exam_attempt, name="attempt"),
    path("attempts/<int:pk>/<int:position>/", views.exam_question, name="question"),
    # The one answering path, shared by mock exams and practice sessions.
    path("attempts/<int:pk>/<int:position>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/<int:position>/flag/", views.flag, name="flag"),
    path("attempts/<int:pk>/review/", views.exam_review, name="review"),
    path("attempts/<int:pk>/submit/", views.exam_submit, name="submit"),
    path("attempts/<int:pk>/results/", views.exam_results, name="results"),
]
