"""Audit entries and the head of their hash chain.

Entries are append-only in the model layer: saving an existing entry, deleting one, and
bulk ``update()``/``delete()`` all raise ``AppendOnly``. Someone with raw database access can
still change a row, which is why each entry's hash covers the previous entry's hash:
``coresponse audit verify`` finds the first entry that no longer fits.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from django.db import models


class AppendOnly(Exception):
    """An audit entry may be added, never changed or removed."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit entries cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit entries cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly("audit entries cannot be updated")


class Action(StrEnum):
    READ = "read"
    WRITE = "write"
    DENIED = "denied"  # a read or write the policy refused
    SHARE = "share"  # personal data sent outside the programme


ACTION_CHOICES = [(action.value, action.value) for action in Action]


class AuditEntry(models.Model):
    """Who did what to which record, when, and why; ``hash`` covers every field and ``prev_hash``."""

    seq = models.BigIntegerField(unique=True, help_text="position in the chain, from 1, no gaps")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, help_text="username at the time (kept if the user is removed)")
    actor_roles = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    record_type = models.CharField(max_length=60, help_text="what kind of record: client, assessment, ...")
    record_id = models.CharField(max_length=60, blank=True)
    client_ref = models.CharField(
        max_length=40, blank=True, db_index=True, help_text="the client's pseudonymous id, if any"
    )
    reason = models.CharField(max_length=300, help_text="why: the purpose the person gave or the job that ran")
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[models.Manager[AuditEntry]] = models.Manager.from_queryset(AuditEntryQuerySet)()  # type: ignore[misc]

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.record_type} {self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(f"audit entry #{self.seq} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly(f"audit entry #{self.seq} cannot be deleted")


class ChainHead(models.Model):
    """The single row that writers lock, so two writers never extend the chain from the same entry."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_seq}"
