"""A weapon, violence or a crime in progress never goes to a route without an officer,
whatever the protocol file says: the engine enforces it, in both evaluators."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from coresponse.triage import CallFacts, compile, decide, load_protocol
from tests.triage_calls import calls_table

# A protocol written to send everything to the civilian team, with no safety rule at all.
RECKLESS = """
name: reckless
version: "0"
sources: [a test of the engine's safety check]
inputs: [category]
rules:
  - id: everyone-civilian
    when: {any: [{field: category, is: null}, {not: {field: category, is: null}}]}
    route: civilian_crisis
    reason: Send the civilian team to every call.
default:
  route: referral_only
  reason: No one goes.
"""

DANGERS = [
    (CallFacts(answers={"weapon": True}), "police", "safety:weapon"),
    (CallFacts(answers={"crime_in_progress": True}), "police", "safety:crime_in_progress"),
    (CallFacts(answers={"violence": True}), "police", "safety:violence"),
    (CallFacts(signals={"weapon": True}), "co_response", "safety:weapon_in_remarks"),
    (CallFacts(signals={"violence": True}), "co_response", "safety:violence_in_remarks"),
    # the caller said no weapon, the remarks say a knife: the remarks are not ignored
    (CallFacts(answers={"weapon": False}, signals={"weapon": True}), "co_response", "safety:weapon_in_remarks"),
    # a confirmed answer outranks a remark
    (CallFacts(answers={"violence": True}, signals={"weapon": True}), "police", "safety:violence"),
]


@pytest.fixture
def reckless(tmp_path: Path) -> object:
    path = tmp_path / "reckless.yaml"
    path.write_text(RECKLESS, encoding="utf-8")
    return load_protocol(path)


@pytest.mark.parametrize(("facts", "route", "check"), DANGERS)
def test_a_dangerous_call_is_never_left_without_an_officer(facts: CallFacts, route: str, check: str, reckless: object) -> None:
    decision = decide(reckless, facts)  # type: ignore[arg-type]
    assert decision.route == route
    assert decision.rules_fired == ["everyone-civilian", check]
    assert decision.reasons[-1].startswith("Safety check")


def test_the_safety_check_also_holds_in_the_compiled_protocol(reckless: object) -> None:
    facts = [facts for facts, _, _ in DANGERS] + [CallFacts(category="Statuses")]
    table = ibis.memtable(calls_table(facts))
    decided = ibis.duckdb.connect().to_pyarrow(compile(reckless).decide(table).order_by("call_no"))  # type: ignore[arg-type]
    expected = [(route, check) for _, route, check in DANGERS] + [("civilian_crisis", "everyone-civilian")]
    assert list(zip(decided["route"].to_pylist(), decided["rule_id"].to_pylist(), strict=True)) == expected


def test_a_call_with_no_danger_keeps_the_protocols_route(reckless: object) -> None:
    decision = decide(reckless, CallFacts(answers={"weapon": False, "violence": False}))  # type: ignore[arg-type]
    assert decision.route == "civilian_crisis"
    assert decision.rules_fired == ["everyone-civilian"]


@pytest.mark.parametrize("name", ["civilian-first", "co-responder", "counsellor-first"])
@pytest.mark.parametrize(("facts", "route", "check"), DANGERS)
def test_no_shipped_protocol_sends_a_dangerous_call_without_an_officer(
    name: str, facts: CallFacts, route: str, check: str
) -> None:
    crisis = CallFacts(
        category="Behavioral Health",
        apco_code="EDP",
        priority=3,
        answers=facts.answers,
        signals=facts.signals,
    )
    assert decide(load_protocol(name), crisis).route not in {"civilian_crisis", "crisis_line", "referral_only"}
