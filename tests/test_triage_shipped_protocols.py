"""The three shipped protocols route typical calls the way their published criteria say."""

from __future__ import annotations

from datetime import datetime

import pytest

from coresponse.triage import CallFacts, decide, load_protocol

AFTERNOON = datetime(2025, 3, 1, 14, 0)
SMALL_HOURS = datetime(2025, 3, 1, 3, 30)
NO_DANGER = {"weapon": False, "violence": False, "crime_in_progress": False, "threat_to_others": False}


def crisis_call(**changes: object) -> CallFacts:
    values: dict[str, object] = {
        "category": "Behavioral Health",
        "apco_code": "EDP",
        "priority": 3,
        "source": "911",
        "local_time": AFTERNOON,
        "answers": NO_DANGER,
    }
    values.update(changes)
    return CallFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("protocol", "facts", "route", "rule"),
    [
        ("civilian-first", crisis_call(), "civilian_crisis", "crisis-call-team-on-duty"),
        ("civilian-first", crisis_call(local_time=SMALL_HOURS), "police", "crisis-call-team-off-duty"),
        ("civilian-first", crisis_call(category="Statuses", apco_code="WELFARE"), "civilian_crisis", "crisis-call-team-on-duty"),
        ("civilian-first", crisis_call(priority=1), "police", "urgent-priority"),
        ("civilian-first", crisis_call(answers={**NO_DANGER, "self_harm_imminent": True}), "co_response", "imminent-self-harm"),
        ("civilian-first", crisis_call(answers={**NO_DANGER, "medical_emergency": True}), "ems", "medical-emergency"),
        (
            "civilian-first",
            crisis_call(category="Statuses", apco_code="WELFARE", local_time=SMALL_HOURS, repeat_address_calls=4),
            "referral_only",
            "repeat-address-welfare",
        ),
        ("civilian-first", crisis_call(category="Violent Crime", apco_code="ASSAULT"), "police", "violent-call-type"),
        ("co-responder", crisis_call(), "co_response", "crisis-call-team-on-duty"),
        ("co-responder", crisis_call(local_time=SMALL_HOURS), "police", "default"),
        ("co-responder", crisis_call(answers={"weapon": True}), "police", "weapon-or-active-violence"),
        (
            "co-responder",
            crisis_call(local_time=SMALL_HOURS, repeat_address_calls=5),
            "referral_only",
            "repeat-address-follow-up",
        ),
        ("counsellor-first", crisis_call(), "crisis_line", "mental-health-to-counsellor"),
        ("counsellor-first", crisis_call(signals={"threat": True}), "police", "danger"),
        ("counsellor-first", crisis_call(apco_code="SUICIDE"), "co_response", "imminent-self-harm"),
        ("counsellor-first", crisis_call(local_time=datetime(2025, 3, 1, 0, 30)), "crisis_line", "mental-health-to-counsellor"),
        ("counsellor-first", crisis_call(local_time=datetime(2025, 3, 1, 1, 0)), "police", "default"),
    ],
)
def test_a_typical_call_takes_the_route_its_criteria_give(protocol: str, facts: CallFacts, route: str, rule: str) -> None:
    decision = decide(load_protocol(protocol), facts)
    assert (decision.route, decision.rules_fired[-1]) == (route, rule)
    assert decision.protocol == protocol and decision.protocol_version == "1.1"


def test_a_call_type_no_mapping_knows_goes_to_the_default() -> None:
    decision = decide(load_protocol("civilian-first"), CallFacts(call_type="NEW CODE", local_time=AFTERNOON))
    assert decision.rules_fired == ["default"]
    assert decision.route == "police"


@pytest.mark.parametrize("protocol", ["civilian-first", "co-responder", "counsellor-first"])
def test_officer_initiated_activity_stays_with_police_whatever_its_category(protocol: str) -> None:
    """A premise check at a repeat address is an officer's own work, not a call to divert."""
    premise_check = crisis_call(
        category="Statuses", apco_code="WELFARE", source="officer_initiated", local_time=SMALL_HOURS,
        repeat_address_calls=6, priority=7,
    )
    decision = decide(load_protocol(protocol), premise_check)
    assert (decision.route, decision.rules_fired) == ("police", ["officer-initiated"])


@pytest.mark.parametrize("protocol", ["civilian-first", "counsellor-first"])
@pytest.mark.parametrize("category", ["Violent Crime", "Domestic Violence", "Sex Offenses"])
def test_a_violent_call_type_is_not_sent_without_police_even_if_remarks_read_only_as_distress(
    protocol: str, category: str
) -> None:
    """Remarks that speak of intoxication or a mental-health crisis do not outweigh an assault call type."""
    assault = crisis_call(category=category, apco_code="ASSAULT", signals={"mental_health": True, "intoxication": True})
    decision = decide(load_protocol(protocol), assault)
    assert decision.route == "police"
    assert decision.rules_fired[-1] == "violent-call-type"
