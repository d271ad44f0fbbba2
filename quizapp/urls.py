from django.contrib import admin
from django.urls import include, path

from insights.views import dashboard

from . import views

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("insights/", include("insights.urls")),
    path("accounts/", include("accounts.urls")),
    path("practice/", include("exams.practice_urls")),
    path("exams/", include("exams.urls")),
    path("questions/", include("questions.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
