from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.report, name="report"),
    path("practise/", views.practise, name="practise"),
    path("plan/", views.study_plan, name="plan"),
    path("plan/limits/", views.daily_limits, name="limits"),
    path("grade/<int:pk>/<int:position>/", views.self_grade, name="self_grade"),
    path("suspend/", views.suspend_card, name="suspend"),
    path("export.csv", views.export, name="export"),
    path("delete/", views.delete_history, name="delete_history"),
    path("others/<slug:uid>/", views.others, name="others"),
]
