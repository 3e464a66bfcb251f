"""Django admin for casework: assessment form definitions only, and read-only.

Client records are deliberately not in the admin: the admin would bypass the access policy
and the audit log, and administrators run accounts and forms, not clinical records. Forms are
installed with ``services.load_form_file`` so a stored version never changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coresponse.casework.models import FormDefinition


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "loaded_at")
    readonly_fields = ("slug", "version", "title", "definition", "loaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
