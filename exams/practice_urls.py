from django.urls import path

import quizapp.converters  # noqa: F401 (registers <id:…>: ids too long for the database are a 404)

from .views import bookmarks, practice

app_name = "practice"

urlpatterns = [
    path("", practice.practice_picker, name="picker"),
    path("start/", practice.practice_start, name="start"),
    path("bookmarks/", bookmarks.bookmark_list, name="bookmarks"),
    path("bookmarks/<slug:uid>/", bookmarks.bookmark, name="bookmark"),
    path("<id:pk>/", practice.practice_session, name="session"),
    path("<id:pk>/<id:position>/", practice.practice_question, name="question"),
    path("<id:pk>/<id:position>/original/", practice.practice_original, name="original"),
    path("<id:pk>/<id:position>/skip/", practice.practice_skip, name="skip"),
    path("<id:pk>/finish/", practice.practice_finish, name="finish"),
    path("<id:pk>/discard/", practice.practice_discard, name="discard"),
    path("<id:pk>/summary/", practice.practice_summary, name="summary"),
    path("<id:pk>/mistakes/", practice.practice_mistakes, name="mistakes"),
]
