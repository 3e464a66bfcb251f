"""A decision lists the remarks signals that fired and what fired each, so a dispatcher or an
auditor can check "a weapon is mentioned" against the remarks, and tell a phrase the patterns
matched from words the learned model weighed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.test import Client

from coresponse.cli import main
from coresponse.triage import decide, load_protocol
from coresponse.triage.calls import call_facts
from coresponse.triage.remarks import read_patterns, read_signals
from coresponse.triage.remarks_model import MODEL_SETTING, default_model

CALL = {
    "city": "seattle",
    "call_type": "--CRISIS COMPLAINT - GENERAL",
    "remarks": "EDP yelling in the street, knife in his hand",
    "received_at": "2025-03-01T14:15:00-08:00",
    "answers": {"weapon": False, "violence": False},
}


def test_the_decision_names_the_phrase_that_fired_each_signal() -> None:
    decision = decide(load_protocol("civilian-first"), call_facts(CALL))
    assert decision.remarks_signals["weapon"] == "knife"
    assert decision.remarks_signals["mental_health"] == "edp"
    assert "self_harm" not in decision.remarks_signals
    assert decision.route != "civilian_crisis"


def test_a_signal_only_the_learned_model_found_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    remarks = "dude pulled out his tool on me"
    monkeypatch.delenv(MODEL_SETTING, raising=False)  # the shipped model, on by default
    default_model.cache_clear()
    try:
        assert not read_patterns(remarks).weapon and read_signals(remarks).weapon
        decision = decide(load_protocol("civilian-first"), call_facts({**CALL, "remarks": remarks}))
    finally:
        default_model.cache_clear()
    assert decision.remarks_signals["weapon"].startswith("learned (weapon or violence): ")


def test_a_call_without_remarks_has_no_remarks_signals() -> None:
    call = {key: value for key, value in CALL.items() if key != "remarks"}
    assert decide(load_protocol("civilian-first"), call_facts(call)).remarks_signals == {}


def test_the_api_and_the_command_line_return_them() -> None:
    response = Client(HTTP_HOST="127.0.0.1").post(
        "/api/triage", data=CALL, content_type="application/json"
    )
    assert response.status_code == 200
    fired = response.json()["remarks_signals"]
    assert fired["weapon"] == "knife" and fired["mental_health"] == "edp"
    result = CliRunner().invoke(
        main, ["triage", "decide", "--protocol", "civilian-first", "--json", json.dumps(CALL)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["remarks_signals"] == fired
