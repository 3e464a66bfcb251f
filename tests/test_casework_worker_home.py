"""A social worker's home: my cases, referrals awaiting an outcome, new calls about my clients, the timeline."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coresponse.audit.models import AuditEntry
from coresponse.casework import services
from tests.personas import (  # noqa: F401
    FrozenClock,
    calls_over_days,
    clock,
    personas,
    service,
    social_worker,
    write_call_store,
)

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    calls = calls_over_days("robin-key-001", NOW, [1, 2, 40]) + calls_over_days("stranger-key", NOW, [1])
    return write_call_store(tmp_path / "calls.duckdb", calls)


@pytest.mark.django_db
def test_new_calls_are_linked_by_person_key_once_and_reach_the_open_case(
    store: Path, personas: dict[str, Any], clock: FrozenClock
) -> None:
    sam = personas["sam_social_worker"]
    client = services.create_client(by=sam, clock=clock, person_key="robin-key-001")
    case = services.open_case(client, owner=sam, by=sam, clock=clock)
    job = services.SystemJob("casework link-calls")
    assert services.link_calls_by_person_key(store=store, by=job, clock=clock) == 3
    assert services.link_calls_by_person_key(store=store, by=job, clock=clock) == 0
    assert case.call_links.count() == 3
    assert AuditEntry.objects.filter(actor="job:casework link-calls").count() == 3
    recent = services.new_calls_about_my_clients(sam, clock=clock, since=NOW - timedelta(days=7))
    assert [link.event_id for link in recent] == ["robi-0", "robi-1"]
    assert services.new_calls_about_my_clients(personas["sue_supervisor"], clock=clock, since=NOW - timedelta(days=7)) == []


@pytest.mark.django_db
def test_my_cases_and_referrals_awaiting_an_outcome_are_the_workers_own(
    personas: dict[str, Any], clock: FrozenClock, service: Any
) -> None:
    sam, sue = personas["sam_social_worker"], personas["sue_supervisor"]
    mine = services.create_client(by=sam, clock=clock)
    theirs = services.create_client(by=sue, clock=clock)
    my_case = services.open_case(mine, owner=sam, by=sam, clock=clock)
    services.open_case(theirs, owner=sue, by=sue, clock=clock)
    waiting = services.refer(mine, service, by=sam, consent=None, clock=clock, shares=())
    done = services.refer(mine, service, by=sam, consent=None, clock=clock, shares=())
    for step in ("send", "decline"):
        services.move_referral(done, step, by=sam, clock=clock)
    assert services.my_cases(sam, clock=clock) == [my_case]
    assert services.referrals_awaiting_outcome(sam, clock=clock) == [waiting]


@pytest.mark.django_db
def test_the_timeline_shows_the_work_newest_first_without_notes(
    social_worker: Any, clock: FrozenClock, service: Any
) -> None:
    client = services.create_client(by=social_worker, clock=clock)
    services.link_call(client, city="seattle", event_id="E1", by=social_worker, clock=clock,
                       received_at=clock() - timedelta(days=2), call_type="PERSON IN CRISIS")
    services.open_case(client, owner=social_worker, by=social_worker, clock=clock)
    clock.advance(hours=1)
    services.record_encounter(client, by=social_worker, clock=clock, kind="outreach", notes="private words",
                              resolved_on_scene=True)
    clock.advance(hours=1)
    referral = services.refer(client, service, by=social_worker, consent=None, clock=clock, shares=())
    clock.advance(hours=1)
    services.move_referral(referral, "send", by=social_worker, clock=clock)
    items = services.timeline(client, by=social_worker, clock=clock, reason="client page")
    assert [item.kind for item in items] == ["referral", "referral", "encounter", "case_opened", "call"]
    assert items[0].title == "Referral to Harbor emergency shelter: sent"
    assert "private words" not in repr(items)
