from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "coresponse.directory"
    label = "directory"
    verbose_name = "Service directory"
    default_auto_field = "django.db.models.BigAutoField"
