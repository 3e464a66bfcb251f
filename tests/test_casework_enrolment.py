"""Enrolling a repeat caller opens a case linked to their calls, and the case shows calls before and after."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import InvalidRecord
from tests.personas import (  # noqa: F401
    FrozenClock,
    calls_over_days,
    clock,
    personas,
    social_worker,
    write_call_store,
)

ENROLLED = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    # 22 calls in the year before enrolment (one too old to count), 2 after.
    calls = (
        calls_over_days("robin-key-001", ENROLLED, [*range(1, 220, 10), 500])
        + calls_over_days("robin-key-001", ENROLLED, [-30, -90], prefix="after")
        + calls_over_days("someone-else", ENROLLED, [-400])  # the store runs past the year after
    )
    return write_call_store(tmp_path / "calls.duckdb", calls)


@pytest.mark.django_db
def test_enrolling_opens_a_case_linked_to_the_last_year_of_calls(
    store: Path, social_worker: Any, clock: FrozenClock
) -> None:
    clock.now = ENROLLED
    case = services.enrol_repeat_caller("robin-key-001", worker=social_worker, by=social_worker, clock=clock,
                                        store=store)
    assert case.owner == social_worker
    assert case.opened_reason == "repeat_caller"
    links = list(case.call_links.all())
    assert len(links) == 22
    assert {link.how for link in links} == {"enrolment"}
    assert services.client_for_person_key("robin-key-001") == case.client


@pytest.mark.django_db
def test_the_case_shows_calls_in_the_year_before_and_after_enrolment(
    store: Path, social_worker: Any, clock: FrozenClock
) -> None:
    clock.now = ENROLLED
    case = services.enrol_repeat_caller("robin-key-001", worker=social_worker, by=social_worker, clock=clock,
                                        store=store)
    clock.now = ENROLLED + timedelta(days=365)
    figures = services.case_before_after(case, store=store, by=social_worker, clock=clock)
    assert (figures.before, figures.after, figures.after_complete) == (22, 2, True)


@pytest.mark.django_db
def test_a_person_with_an_open_case_is_not_enrolled_twice(
    store: Path, social_worker: Any, clock: FrozenClock
) -> None:
    clock.now = ENROLLED
    services.enrol_repeat_caller("robin-key-001", worker=social_worker, by=social_worker, clock=clock, store=store)
    with pytest.raises(InvalidRecord, match="already has an open case"):
        services.enrol_repeat_caller("robin-key-001", worker=social_worker, by=social_worker, clock=clock,
                                     store=store)


@pytest.mark.django_db
def test_a_case_cannot_be_owned_by_a_police_officer(
    store: Path, personas: dict[str, Any], clock: FrozenClock
) -> None:
    sam = personas["sam_social_worker"]
    client = services.create_client(by=sam, clock=clock)
    with pytest.raises(InvalidRecord, match="cannot own a case"):
        services.open_case(client, owner=personas["pat_police"], by=sam, clock=clock)


@pytest.mark.django_db
def test_a_closed_case_records_why_and_cannot_be_closed_again(social_worker: Any, clock: FrozenClock) -> None:
    from coresponse.casework.errors import InvalidTransition

    client = services.create_client(by=social_worker, clock=clock)
    case = services.open_case(client, owner=social_worker, by=social_worker, clock=clock)
    clock.advance(days=90)
    services.close_case(case, "connected", by=social_worker, clock=clock, note="seeing a counsellor weekly")
    assert (case.status, case.closed_reason, case.closed_at) == ("closed", "connected", clock())
    with pytest.raises(InvalidTransition):
        services.close_case(case, "goals_met", by=social_worker, clock=clock)


@pytest.mark.django_db
def test_a_store_that_ends_early_shortens_the_after_window(
    tmp_path: Path, social_worker: Any, clock: FrozenClock
) -> None:
    store = write_call_store(tmp_path / "short.duckdb", calls_over_days("robin-key-001", ENROLLED, [10, 20, -60]))
    clock.now = ENROLLED
    case = services.enrol_repeat_caller("robin-key-001", worker=social_worker, by=social_worker, clock=clock,
                                        store=store)
    clock.now = ENROLLED + timedelta(days=365)
    figures = services.case_before_after(case, store=store, by=social_worker, clock=clock)
    assert (figures.before, figures.after, figures.after_days, figures.after_complete) == (2, 1, 60, False)
