from django.contrib import admin
from django.urls import include, path

from coresponse.web import views
from coresponse.web.api import api

urlpatterns = [
    path("", views.landing, name="landing"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("directory/", include("coresponse.directory.urls")),
]
