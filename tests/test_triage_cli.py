"""``coresponse triage decide`` prints the same decision as the API; bad calls are refused."""

from __future__ import annotations

import json

from click.testing import CliRunner

from coresponse.cli import main

CALL = json.dumps(
    {
        "city": "seattle",
        "call_type": "SERVICE - WELFARE CHECK",
        "priority": 3,
        "source": "911",
        "received_at": "2025-03-01T03:00:00-08:00",
        "remarks": "neighbour has not seen him in days",
    }
)


def test_decide_prints_the_decision_as_json() -> None:
    result = CliRunner().invoke(main, ["triage", "decide", "--protocol", "co-responder", "--json", CALL])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["protocol"] == "co-responder"
    assert decision["route"] == "police"  # 03:00 is outside co-responder hours
    assert decision["rules_fired"] == ["default"]


def test_a_bad_call_is_refused_naming_the_field() -> None:
    result = CliRunner().invoke(main, ["triage", "decide", "--json", '{"city": "seattle", "priority": "high"}'])
    assert result.exit_code != 0
    assert "call_type" in result.output and "priority" in result.output


def test_protocols_lists_the_shipped_three() -> None:
    result = CliRunner().invoke(main, ["triage", "protocols", "--json"])
    assert [protocol["name"] for protocol in json.loads(result.output)] == [
        "civilian-first",
        "co-responder",
        "counsellor-first",
    ]


def test_questions_shorten_as_answers_come_in() -> None:
    runner = CliRunner()
    fresh = runner.invoke(main, ["triage", "questions", "--protocol", "counsellor-first"]).output
    known = json.dumps({"city": "seattle", "call_type": "X", "answers": {"weapon": True, "medical_emergency": False}})
    after = runner.invoke(main, ["triage", "questions", "--protocol", "counsellor-first", "--json", known]).output
    assert "weapon" in fresh
    assert "No question left" in after
