"""Encounters capture the published metric sets' outcome fields, and contradictions are refused."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import InvalidRecord
from tests.personas import FrozenClock, clock, new_client, personas, social_worker  # noqa: F401


@pytest.mark.django_db
def test_time_on_scene_and_response_time_come_from_the_recorded_times(
    social_worker: Any, clock: FrozenClock, new_client: Any
) -> None:
    received = clock() - timedelta(hours=1)
    encounter = services.record_encounter(
        new_client(), by=social_worker, clock=clock, kind="on_scene", call_city="seattle", call_event_id="E9",
        received_at=received, arrived_at=received + timedelta(minutes=14),
        cleared_at=received + timedelta(minutes=59), resolved_on_scene=True,
    )
    assert encounter.response_time == timedelta(minutes=14)
    assert encounter.time_on_scene == timedelta(minutes=45)


@pytest.mark.django_db
def test_clearing_before_arriving_and_a_transport_without_who_are_both_named(
    social_worker: Any, clock: FrozenClock, new_client: Any
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        services.record_encounter(
            new_client(), by=social_worker, clock=clock, kind="on_scene", arrived_at=clock(),
            cleared_at=clock() - timedelta(minutes=5), transport="involuntary_hold",
        )
    assert "cleared_at is before arrived_at" in str(refused.value)
    assert "transport_by is required" in str(refused.value)


@pytest.mark.django_db
def test_an_unknown_choice_or_field_is_refused(social_worker: Any, clock: FrozenClock, new_client: Any) -> None:
    with pytest.raises(InvalidRecord, match="gender='unknown'"):
        services.record_encounter(new_client(), by=social_worker, clock=clock, kind="phone", gender="unknown")
    with pytest.raises(InvalidRecord, match="unknown encounter fields"):
        services.record_encounter(new_client(), by=social_worker, clock=clock, kind="phone", mood="fine")


@pytest.mark.django_db
def test_outcome_figures_count_holds_backup_declines_and_declined_demographics(
    personas: dict[str, Any], clock: FrozenClock, new_client: Any
) -> None:
    sam = personas["sam_social_worker"]
    robin, jesse = new_client(), new_client()
    services.record_encounter(robin, by=sam, clock=clock, kind="on_scene", transport="involuntary_hold",
                              transport_by="ems", police_involvement="backup_requested", race_ethnicity="declined",
                              referral_offer="declined", services_offered=["housing"])
    services.record_encounter(robin, by=sam, clock=clock, kind="phone", referral_offer="accepted")
    services.record_encounter(jesse, by=sam, clock=clock, kind="outreach", resolved_on_scene=True, race_ethnicity="black")
    figures = services.outcome_figures(by=personas["ana_analyst"], clock=clock)
    assert (figures.people_served, figures.encounters) == (2, 3)
    assert (figures.involuntary_holds, figures.police_backup_requested) == (1, 1)
    assert (figures.referral_offered, figures.referral_accepted, figures.referral_declined) == (2, 1, 1)
    assert figures.people_declining_referrals == 1
    assert figures.by_race_ethnicity == {"declined": 1, "not_asked": 1, "black": 1}
