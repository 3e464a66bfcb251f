"""`coresponse triage decide` says when the call type is unknown, instead of a silent default."""

from __future__ import annotations

import json

from click.testing import CliRunner

from coresponse.cli import main


def decide(call: dict[str, object]) -> tuple[dict[str, object], str]:
    result = CliRunner().invoke(
        main, ["triage", "decide", "--protocol", "civilian-first", "--json", json.dumps(call)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_an_unknown_city_or_code_is_decided_but_noted_on_standard_error(data_dir: object) -> None:
    decision, note = decide({"city": "atlantis", "call_type": "WELFARE CHEK"})
    assert decision["route"] == "police"
    assert "'WELFARE CHEK' is not in the city's call-type mapping" in note


def test_a_mapped_code_or_a_given_category_needs_no_note(data_dir: object) -> None:
    _, note = decide({"city": "seattle", "call_type": "--CRISIS COMPLAINT - GENERAL"})
    assert note == ""
    _, note = decide({"city": "atlantis", "call_type": "X", "category": "Behavioral Health"})
    assert note == ""
