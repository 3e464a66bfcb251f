"""The audit log is append-only and hash-chained: tampering of any kind is found by verify."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from coresponse.audit import log as audit
from coresponse.audit.models import AppendOnly, AuditEntry, ChainHead
from coresponse.casework import services
from tests.personas import FrozenClock, clock, new_client, personas, service, social_worker  # noqa: F401


def _write(count: int, clock: FrozenClock) -> list[AuditEntry]:
    entries = []
    for index in range(count):
        clock.advance(minutes=1)
        entries.append(
            audit.record("tester", "write", record_type="client", record_id=index, client_ref=f"CL-{index}",
                         reason="test", clock=clock, detail={"n": index})
        )
    return entries


@pytest.mark.django_db
def test_an_untouched_chain_verifies(clock: FrozenClock) -> None:
    _write(5, clock)
    result = audit.verify()
    assert result.ok
    assert result.entries_checked == 5
    assert result.summary().startswith("OK")


@pytest.mark.django_db
def test_each_entry_hash_covers_the_previous_hash(clock: FrozenClock) -> None:
    first, second = _write(2, clock)
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash


@pytest.mark.django_db
def test_a_raw_sql_edit_is_found_at_the_edited_entry(clock: FrozenClock) -> None:
    _write(5, clock)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET reason = %s WHERE seq = %s", ["nothing to see", 3])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert "edited" in (result.problem or "")


@pytest.mark.django_db
def test_a_raw_sql_edit_that_also_rewrites_the_hash_breaks_the_next_link(clock: FrozenClock) -> None:
    _write(4, clock)
    forged = AuditEntry.objects.get(seq=2)
    new_hash = audit.entry_hash(
        seq=2, at=forged.at, actor="someone else", actor_roles=forged.actor_roles, action=forged.action,
        record_type=forged.record_type, record_id=forged.record_id, client_ref=forged.client_ref,
        reason=forged.reason, detail=forged.detail, prev_hash=forged.prev_hash,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET actor = %s, hash = %s WHERE seq = %s",
            ["someone else", new_hash, 2],
        )
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 3


@pytest.mark.django_db
def test_a_deleted_entry_in_the_middle_is_reported_missing(clock: FrozenClock) -> None:
    _write(5, clock)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2")
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert "missing" in (result.problem or "")


@pytest.mark.django_db
def test_entries_removed_from_the_end_are_found_through_the_chain_head(clock: FrozenClock) -> None:
    _write(5, clock)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq >= 4")
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == 4
    assert ChainHead.objects.get(pk=1).last_seq == 5


@pytest.mark.django_db
def test_the_model_layer_refuses_updates_and_deletes(clock: FrozenClock) -> None:
    (entry,) = _write(1, clock)
    entry.reason = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert audit.verify().ok


@pytest.mark.django_db
def test_an_entry_without_a_reason_is_refused(clock: FrozenClock) -> None:
    with pytest.raises(ValueError, match="reason"):
        audit.record("tester", "read", record_type="client", reason="  ", clock=clock)


@pytest.mark.django_db
def test_every_service_read_and_write_of_a_client_leaves_who_what_when_why(
    social_worker: Any, clock: FrozenClock
) -> None:
    client = services.create_client(by=social_worker, clock=clock, preferred_name="Robin")
    clock.advance(minutes=5)
    services.contact_details(client, by=social_worker, clock=clock, reason="planning a home visit")
    entries = list(AuditEntry.objects.filter(client_ref=client.public_id))
    assert [(e.action, e.record_type) for e in entries] == [("write", "identity"), ("read", "contact_details")]
    read = entries[-1]
    assert read.actor == "sam_social_worker"
    assert read.actor_roles == "social_worker"
    assert read.at == clock()
    assert read.reason == "planning a home visit"
    assert audit.verify().ok
