"""`coresponse triage replay` on the command line: JSON for scripts, a summary for people, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main
from tests.replay_calls import CALLS, make_store


def test_json_output_has_the_calls_and_routes_and_the_breakdowns(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    result = CliRunner().invoke(
        main, ["triage", "replay", "--calls", str(store), "--protocol", "civilian-first", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["calls"] == len(CALLS)
    assert sum(figures["routes"].values()) == len(CALLS)
    assert set(figures["routes"]) >= {
        "police",
        "co_response",
        "civilian_crisis",
        "ems",
        "crisis_line",
        "referral_only",
    }
    for key in (
        "by_category",
        "by_hour",
        "by_weekday",
        "rules",
        "officer_hours",
        "protocol",
        "signals",
    ):
        assert key in figures, key
    assert figures["protocol"]["name"] == "civilian-first"
    assert figures["compare"] is None and figures["moves"] is None
    assert "method" in figures["officer_hours"]


def test_json_with_compare_has_the_second_protocol_and_the_moves(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    args = [
        "triage",
        "replay",
        "--calls",
        str(store),
        "--protocol",
        "civilian-first",
        "--compare",
        "counsellor-first",
        "--json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["compare"]["protocol"]["name"] == "counsellor-first"
    assert sum(n for targets in figures["moves"].values() for n in targets.values()) == len(CALLS)


def test_the_summary_names_every_route_taken_and_the_hours_freed(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    result = CliRunner().invoke(
        main,
        [
            "triage",
            "replay",
            "--calls",
            str(store),
            "--protocol",
            "co-responder",
            "--city",
            "seattle",
        ],
    )
    assert result.exit_code == 0, result.output
    for words in (
        "Routes",
        "co_response",
        "By category",
        "By hour of day",
        "officer hours freed",
        "Mon",
    ):
        assert words in result.output, words


def test_a_missing_store_says_how_to_fill_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "triage",
            "replay",
            "--calls",
            str(tmp_path / "none.duckdb"),
            "--protocol",
            "civilian-first",
        ],
    )
    assert result.exit_code != 0
    assert "coresponse cad import" in result.output


def test_an_unknown_protocol_is_refused_by_name(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    result = CliRunner().invoke(
        main, ["triage", "replay", "--calls", str(store), "--protocol", "no-such-protocol"]
    )
    assert result.exit_code != 0
    assert "--protocol" in result.output and "no-such-protocol" in result.output


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    args = [
        "triage",
        "replay",
        "--calls",
        str(store),
        "--protocol",
        "civilian-first",
        "--from",
        "2024-05-01",
        "--to",
        "2024-04-01",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "before --from" in result.output
