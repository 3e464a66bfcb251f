"""A correction made in review improves the next suggestions for that city."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.cli import main


def _suggest(tmp_path: Path, name: str, content: str, city: str) -> dict[str, dict[str, str]]:
    source = tmp_path / f"{name}.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / f"{name}_suggested.csv"
    result = CliRunner().invoke(
        main, ["calltypes", "suggest", str(source), "--out", str(out), "--city", city]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        return {row["call_type"]: row for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_review_correction_improves_the_next_suggestion(tmp_path: Path, data_dir: Path) -> None:
    codebook = "call_type,count\nINTOX PERSON,1500\nSAFEWALK,300\n"
    before = _suggest(tmp_path, "first", codebook, "springfield")
    assert before["INTOX PERSON"]["category"] != "Behavioral Health"

    corrections = tmp_path / "corrections.csv"
    corrections.write_text("call_type,category\nINTOX PERSON,Behavioral Health\n", encoding="utf-8")
    reviewed = CliRunner().invoke(
        main,
        [
            "calltypes",
            "review",
            str(tmp_path / "first_suggested.csv"),
            "--city",
            "springfield",
            "--accept-file",
            str(corrections),
        ],
    )
    assert reviewed.exit_code == 0, reviewed.output

    after = _suggest(
        tmp_path, "second", "call_type,count\nINTOX PERSON,1400\nINTOX SUBJ,200\n", "springfield"
    )
    # The corrected code itself is now taken from the city's mapping, with certainty ...
    assert after["INTOX PERSON"]["category"] == "Behavioral Health"
    assert after["INTOX PERSON"]["confidence"] == "1.0000"
    assert after["INTOX PERSON"]["needs_review"] == "false"
    # ... and a code written like it has learned from the correction too.
    assert after["INTOX SUBJ"]["category"] == "Behavioral Health"

    # Another city keeps its own reading of the exact code.
    elsewhere = _suggest(tmp_path, "third", "call_type,count\nINTOX PERSON,10\n", "shelbyville")
    assert elsewhere["INTOX PERSON"]["confidence"] != "1.0000"
