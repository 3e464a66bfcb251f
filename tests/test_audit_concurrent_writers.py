"""Concurrent writers never fork the audit chain: each entry extends exactly one predecessor."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connections

from coresponse.audit import log as audit
from coresponse.audit.models import AuditEntry


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite lets one writer in at a time; the row lock under test is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_leave_one_unbroken_chain() -> None:
    start = len(AuditEntry.objects.all())
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for index in range(15):
                audit.record(f"writer-{number}", "write", record_type="client", record_id=index,
                             reason="concurrency test", clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.count() == start + 60
    result = audit.verify()
    assert result.ok, result.summary()
