from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.practice_picker, name="picker"),
    path("start/", views.practice_start, name="start"),
    path("bookmarks/", views.bookmark_list, name="bookmarks"),
    path("bookmarks/<slug:uid>/", views.bookmark, name="bookmark"),
    path("<int:pk>/", views.practice_session, name="session"),
    path("<int:pk>/<int:position>/", views.practice_question, name="question"),
    path("<int:pk>/finish/", views.practice_finish, name="finish"),
    path("<int:pk>/summary/", views.practice_summary, name="summary"),
    path("<int:pk>/mistakes/", views.practice_mistakes, name="mistakes"),
]
