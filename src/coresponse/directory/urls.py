from __future__ import annotations

from django.urls import path

from coresponse.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_search, name="search"),
]
