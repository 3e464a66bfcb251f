"""Fixtures for the casework page tests: a call store with one repeat caller, and Robin's case file.

Robin called 12 times in the year before Sam enrolled them (the frozen clock's 14 March
2025) and twice after (linked as ``casework link-calls`` does after an import). Sam has met Robin, screened them, referred them to a shelter with
their consent, and has an overdue follow-up. Import the fixtures by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client as Browser

from coresponse.casework import services
from coresponse.directory.models import ServiceNeed
from tests.personas import FrozenClock, calls_over_days, write_call_store

ROBIN_KEY = "robin-person-key-0001"
BEFORE_DAYS = [3, 10, 25, 40, 60, 90, 120, 150, 200, 250, 300, 340]
AFTER_DAYS = [-3, -10]  # negative: days after the clock
NOTE_TEXT = "Talked about losing the flat; sister is a support."
SAFETY_TEXT = "Large dog at the address; knock and wait."


@pytest.fixture
def call_store(tmp_path: Path, clock: FrozenClock, settings: Any) -> Path:
    rows = calls_over_days(ROBIN_KEY, clock(), BEFORE_DAYS + AFTER_DAYS, address="1 Pike St")
    rows += calls_over_days("someone-else-key-0002", clock(), [5, 6, 7, 8, 9, 11], prefix="else")
    store = write_call_store(tmp_path / "calls.duckdb", rows)
    settings.CORESPONSE_CALLS_STORE = store
    return store


@pytest.fixture
def casefile(personas: dict[str, Any], clock: FrozenClock, service: Any, call_store: Path) -> dict[str, Any]:
    sam = personas["sam_social_worker"]
    ServiceNeed.objects.create(service=service, need="housing", reason="test")
    case = services.enrol_repeat_caller(ROBIN_KEY, worker=sam, by=sam, clock=clock, store=call_store,
                                        preferred_name="Robin")
    client = case.client
    services.set_safety_note(client, SAFETY_TEXT, by=sam, clock=clock)
    clock.advance(hours=1)
    encounter = services.record_encounter(client, by=sam, clock=clock, kind="on_scene", case=case, notes=NOTE_TEXT,
                                          resolved_on_scene=True, transport="none")
    assessment = services.record_assessment(
        client, "cssrs-screener", {"wish_dead": "yes", "suicidal_thoughts": "no", "behaviour": "no"},
        by=sam, clock=clock, case=case, encounter=encounter,
    )
    consent = services.record_consent(client, data_classes=["contact_details"], organization=service.organization,
                                      purpose="shelter referral", by=sam, clock=clock)
    referral = services.refer(client, service, by=sam, consent=consent, clock=clock, need="housing", case=case)
    services.move_referral(referral, "send", by=sam, clock=clock)
    follow_up = services.add_follow_up(client, what="Call the shelter about Robin", due_on=clock().date(),
                                       assigned_to=sam, by=sam, clock=clock, case=case, referral=referral)
    # What `coresponse casework link-calls` does after each import: Robin's two later calls reach the case.
    services.link_calls_by_person_key(store=call_store, by=services.SystemJob("test import"), clock=clock)
    return {"client": client, "case": case, "encounter": encounter, "assessment": assessment,
            "referral": referral, "follow_up": follow_up, "service": service, "sam": sam}


def signed_in(user: Any) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser
