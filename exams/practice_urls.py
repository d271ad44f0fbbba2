from django.urls import path

import quizapp.converters  # noqa: F401 (registers <id:…>: ids too long for the database are a 404)

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.practice_picker, name="picker"),
    path("start/", views.practice_start, name="start"),
    path("bookmarks/", views.bookmark_list, name="bookmarks"),
    path("bookmarks/<slug:uid>/", views.bookmark, name="bookmark"),
    path("<id:pk>/", views.practice_session, name="session"),
    path("<id:pk>/<id:position>/", views.practice_question, name="question"),
    path("<id:pk>/<id:position>/original/", views.practice_original, name="original"),
    path("<id:pk>/<id:position>/skip/", views.practice_skip, name="skip"),
    path("<id:pk>/finish/", views.practice_finish, name="finish"),
    path("<id:pk>/discard/", views.practice_discard, name="discard"),
    path("<id:pk>/summary/", views.practice_summary, name="summary"),
    path("<id:pk>/mistakes/", views.practice_mistakes, name="mistakes"),
]
