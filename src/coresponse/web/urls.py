from django.contrib import admin
from django.urls import include, path

from coresponse.web import views, views_reports
from coresponse.web.api import api

urlpatterns = [
    path("", views.landing, name="landing"),
    path("admin/", admin.site.urls),
    path("reports/replay/", views_reports.replay_report, name="replay-report"),
    path("reports/replay.html", views_reports.replay_report_document, name="replay-report-document"),
    path("api/", api.urls),
    path("directory/", include("coresponse.directory.urls")),
    path("casework/", include("coresponse.casework.urls")),
    path("accounts/", include("coresponse.accounts.urls")),
]
