from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from exams.search import search
from insights.views import dashboard

from . import views

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("insights/", include("insights.urls")),
    path("accounts/", include("accounts.urls")),
    path("practice/", include("exams.practice_urls")),
    path("search/", search, name="search"),
    path("notes/", include("notes.urls")),
    path("exams/", include("exams.urls")),
    path("questions/", include("questions.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # Django's set_language, wrapped so that an account remembers its choice.
    path("i18n/setlang/", set_language, name="set_language"),
]
