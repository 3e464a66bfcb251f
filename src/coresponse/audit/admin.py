from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coresponse.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only everywhere, the admin included."""

    list_display = ("seq", "at", "actor", "action", "record_type", "record_id", "client_ref", "reason")
    list_filter = ("action", "record_type")
    search_fields = ("actor", "client_ref", "record_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
