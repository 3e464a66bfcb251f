"""The replay report is one HTML file with its charts, and it needs nothing from the network."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main
from tests.replay_calls import make_store

EXTERNAL = re.compile(
    r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", re.IGNORECASE
)


def _report(tmp_path: Path, *extra: str) -> str:
    store = make_store(tmp_path / "calls.duckdb")
    html = tmp_path / "out" / "replay.html"
    result = CliRunner().invoke(
        main,
        [
            "triage",
            "replay",
            "--calls",
            str(store),
            "--protocol",
            "civilian-first",
            "--html",
            str(html),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return html.read_text(encoding="utf-8")


def _specs(text: str) -> dict[str, dict]:
    found = re.findall(r'vegaEmbed\("#([\w-]+)", (\{.*?\}), \{"actions"', text)
    return {element: json.loads(spec) for element, spec in found}


def test_the_report_holds_its_charts_and_loads_nothing_from_the_network(tmp_path: Path) -> None:
    text = _report(tmp_path)
    assert not EXTERNAL.search(text), EXTERNAL.search(text)
    assert "vegaEmbed" in text and "vega-lite" in text.lower()  # the libraries are inline
    specs = _specs(text)
    assert set(specs) == {"chart-route-by-hour", "chart-routes-by-category", "chart-weekday-hour"}
    for element in specs:
        assert f'id="{element}"' in text
    hours = specs["chart-route-by-hour"]
    rows = next(iter(hours["datasets"].values()))
    drawn = {row["route"] for row in rows}
    assert drawn >= {"police", "civilian_crisis"}
    assert drawn <= set(hours["encoding"]["y"]["scale"]["domain"])  # nothing drawn off the axis
    assert 'id="calls-decided">12<' in text


def test_a_comparison_adds_what_moves(tmp_path: Path) -> None:
    text = _report(tmp_path, "--compare", "co-responder")
    specs = _specs(text)
    assert {"chart-moves", "chart-side-by-side"} <= set(specs)
    assert "civilian-first against co-responder" in text


def test_the_report_says_the_routes_without_an_officer_are_an_upper_bound(tmp_path: Path) -> None:
    """A council reading the replay must not take the civilian share as exact: historical calls
    have no screening answers and the remarks reader misses some weapons."""
    html = _report(tmp_path)
    assert "no screening answers" in html
    assert "upper bound" in html
