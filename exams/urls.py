from django.urls import path

import quizapp.converters  # noqa: F401 (registers <id:…>: ids too long for the database are a 404)

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.exam_list, name="list"),
    path("<slug:slug>/start/", views.exam_start, name="start"),
    path("attempts/<id:pk>/", views.exam_attempt, name="attempt"),
    path("attempts/<id:pk>/<id:position>/", views.exam_question, name="question"),
    # The one answering path, shared by mock exams and practice sessions.
    path("attempts/<id:pk>/<id:position>/answer/", views.answer, name="answer"),
    path("attempts/<id:pk>/<id:position>/flag/", views.flag, name="flag"),
    path("attempts/<id:pk>/review/", views.exam_review, name="review"),
    path("attempts/<id:pk>/submit/", views.exam_submit, name="submit"),
    path("attempts/<id:pk>/results/", views.exam_results, name="results"),
    path("attempts/<id:pk>/retake/", views.exam_retake, name="retake"),
    path("attempts/<id:pk>/missed/", views.exam_practise_missed, name="missed"),
]
