"""Recording an encounter with its outcome fields from the page."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from coresponse.casework.models import Encounter
from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)

FORM = {
    "kind": "on_scene", "received_at": "2025-03-20T14:00", "arrived_at": "2025-03-20T14:18",
    "cleared_at": "2025-03-20T15:03", "resolved_on_scene": "true", "services_offered": ["housing", "food"],
    "referral_offer": "accepted", "transport": "voluntary", "transport_by": "team", "police_involvement": "co_response",
    "age_band": "35_44", "gender": "declined", "race_ethnicity": "not_asked", "housing": "unsheltered",
    "notes": "Drove Robin to the shelter intake.",
}


@pytest.mark.django_db
def test_an_encounter_is_saved_with_its_outcome_fields(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    url = f"/casework/clients/{casefile['client'].public_id}/encounter/"

    response = signed_in(personas["sam_social_worker"]).post(url, {**FORM, "case": casefile["case"].pk})

    assert response.status_code == 302
    encounter = Encounter.objects.filter(client=casefile["client"]).order_by("-pk").first()
    assert encounter is not None
    assert encounter.time_on_scene == timedelta(minutes=45)
    assert encounter.response_time == timedelta(minutes=18)
    assert (encounter.resolved_on_scene, encounter.transport, encounter.transport_by) == (True, "voluntary", "team")
    assert encounter.services_offered == ["housing", "food"]
    assert (encounter.gender, encounter.housing, encounter.case) == ("declined", "unsheltered", casefile["case"])
    assert encounter.worker == personas["sam_social_worker"]


@pytest.mark.django_db
def test_contradictory_times_and_a_transport_with_nobody_driving_are_refused_naming_both(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    url = f"/casework/clients/{casefile['client'].public_id}/encounter/"
    before = Encounter.objects.count()

    page = signed_in(personas["sam_social_worker"]).post(
        url, {**FORM, "cleared_at": "2025-03-20T14:10", "transport_by": ""}
    )

    text = page.content.decode()
    assert page.status_code == 422
    assert "cleared_at is before arrived_at" in text
    assert "transport_by is required when there was a transport" in text
    assert Encounter.objects.count() == before
