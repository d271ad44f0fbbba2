from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("media/<str:name>", views.question_image, name="image"),
    path("<slug:uid>/report/", views.report_problem, name="report_problem"),
]
