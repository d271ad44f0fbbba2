from django.urls import path

import quizapp.converters  # noqa: F401 (registers <id:…>: ids too long for the database are a 404)

from .views import answer, mock

app_name = "exams"

urlpatterns = [
    path("", mock.exam_list, name="list"),
    path("<slug:slug>/start/", mock.exam_start, name="start"),
    path("attempts/<id:pk>/", mock.exam_attempt, name="attempt"),
    path("attempts/<id:pk>/<id:position>/", mock.exam_question, name="question"),
    # The one answering path, shared by mock exams and practice sessions.
    path("attempts/<id:pk>/<id:position>/answer/", answer.answer, name="answer"),
    path("attempts/<id:pk>/<id:position>/flag/", mock.flag, name="flag"),
    path("attempts/<id:pk>/review/", mock.exam_review, name="review"),
    path("attempts/<id:pk>/submit/", mock.exam_submit, name="submit"),
    path("attempts/<id:pk>/results/", mock.exam_results, name="results"),
    path("attempts/<id:pk>/retake/", mock.exam_retake, name="retake"),
    path("attempts/<id:pk>/missed/", mock.exam_practise_missed, name="missed"),
]
