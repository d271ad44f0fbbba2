from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("<slug:uid>/report/", views.report_problem, name="report_problem"),
]
