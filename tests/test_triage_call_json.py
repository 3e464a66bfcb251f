"""A call sent as JSON becomes the facts a protocol reads; every bad field is named."""

from __future__ import annotations

from datetime import datetime

import pytest

from coresponse.triage.calls import InvalidCall, call_facts

CALL = {
    "city": "seattle",
    "call_type": "--CRISIS COMPLAINT - GENERAL",
    "remarks": "male yelling at traffic, EDP, no weapons seen",
    "priority": 3,
    "source": "911",
    "received_at": "2025-03-01T22:15:00-08:00",
    "answers": {"weapon": False, "violence": None},
}


def test_the_city_code_is_mapped_to_category_and_apco_code() -> None:
    facts = call_facts(CALL)
    assert facts.apco_code == "EDP"
    assert facts.category is not None
    assert facts.priority == 3
    assert facts.source == "911"
    assert facts.answers == {"weapon": False, "violence": None}


def test_remarks_are_read_for_signals_with_negation() -> None:
    facts = call_facts(CALL)
    assert facts.signals["mental_health"] is True
    assert facts.signals["weapon"] is False


def test_team_hours_use_the_citys_wall_clock_even_when_the_time_comes_in_utc() -> None:
    in_utc = call_facts({**CALL, "received_at": "2025-03-02T06:15:00Z"})
    assert in_utc.local_time == datetime(2025, 3, 1, 22, 15)


def test_a_call_type_the_mapping_does_not_know_keeps_the_category_sent() -> None:
    facts = call_facts({**CALL, "call_type": "NEW CODE 77", "category": "Behavioral Health", "apco_code": "EDP"})
    assert (facts.category, facts.apco_code) == ("Behavioral Health", "EDP")
    unknown = call_facts({**CALL, "call_type": "NEW CODE 77"})
    assert (unknown.category, unknown.apco_code) == (None, None)


def test_every_bad_field_is_named_at_once() -> None:
    bad = {
        "city": "seattle",
        "priority": "urgent",
        "source": "carrier pigeon",
        "received_at": "last tuesday",
        "answers": {"weapon": "maybe", "wepon": True},
        "prority": 2,
    }
    with pytest.raises(InvalidCall) as raised:
        call_facts(bad)
    fields = [problem.field for problem in raised.value.problems]
    assert sorted(fields) == sorted(
        ["prority", "call_type", "priority", "source", "received_at", "answers.weapon", "answers.wepon"]
    )


def test_a_call_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidCall, match="JSON object"):
        call_facts(["seattle"])
