"""``coresponse calltypes review``: the queue, its coverage, and corrections that teach the suggester."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.calltypes import load_mapping
from coresponse.cli import main

SUGGESTED = """call_type,count,category,apco_code,confidence,needs_review
BUSY AND SURE,10000,Alarms,ALRBS,0.99,false
BUSY AND DOUBTFUL,8000,Statuses,,0.40,true
RARE AND DOUBTFUL,5,Statuses,,0.20,true
MIDDLING,3000,Suspicion,SUSP,0.70,true
QUIET,200,Fire,,0.90,false
BUSY AND DOUBTFUL,2000,Statuses,,0.40,true
"""


def _review(tmp_path: Path, *args: str, suggestions: str = SUGGESTED) -> tuple[int, str]:
    source = tmp_path / "suggested.csv"
    source.write_text(suggestions, encoding="utf-8")
    result = CliRunner().invoke(main, ["calltypes", "review", str(source), *args])
    return result.exit_code, " ".join(result.output.split())


def test_queue_puts_the_most_doubtful_call_volume_first_and_reports_coverage(
    tmp_path: Path, data_dir: Path
) -> None:
    code, output = _review(tmp_path, "--no-input")
    assert code == 0, output
    # BUSY AND DOUBTFUL: 10,000 calls (two rows) x 0.6 doubt is the most calls likely wrong.
    order = [
        name
        for name in ("BUSY AND DOUBTFUL", "MIDDLING", "BUSY AND SURE", "QUIET", "RARE AND DOUBTFUL")
        if name in output
    ]
    positions = [output.index(name) for name in order]
    assert positions == sorted(positions)
    assert "reviewing the top 5 codes covers" not in output  # only K smaller than the queue
    total = 10000 + 10000 + 5 + 3000 + 200
    # The single top code holds 10,000 of the 23,205 calls.
    assert "5 call types" in output and f"{total} calls" in output
    assert "3 flagged for review" in output


def test_coverage_lines_for_a_longer_queue(tmp_path: Path, data_dir: Path) -> None:
    lines = ["call_type,count,category,confidence,needs_review"]
    lines += [f"CODE {number},{1000 - number},Statuses,0.5,true" for number in range(30)]
    code, output = _review(tmp_path, "--no-input", suggestions="\n".join(lines) + "\n")
    assert code == 0, output
    assert "reviewing the top 5 codes covers" in output
    assert "reviewing the top 10 codes covers" in output
    assert "reviewing the top 25 codes covers" in output
    top5 = sum(1000 - number for number in range(5)) / sum(1000 - number for number in range(30))
    assert f"reviewing the top 5 codes covers {top5:.1%} of calls" in output


def test_accepted_corrections_are_saved_to_the_users_city_mapping(
    tmp_path: Path, data_dir: Path
) -> None:
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "call_type,category,apco_code\nBUSY AND DOUBTFUL,Behavioral Health,EDP\nMIDDLING,Suspicion,\n",
        encoding="utf-8",
    )
    code, output = _review(tmp_path, "--city", "springfield", "--accept-file", str(corrections))
    assert code == 0, output
    assert "saved 2 reviewed call types (1 changed category)" in output
    saved = data_dir / "calltypes" / "mappings" / "springfield.csv"
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = {row["call_type"]: row for row in csv.DictReader(handle)}
    assert rows["BUSY AND DOUBTFUL"]["category"] == "Behavioral Health"
    assert rows["BUSY AND DOUBTFUL"]["source"] == "reviewed"
    assert rows["BUSY AND DOUBTFUL"]["calls"] == "10000"
    assert load_mapping("springfield")["BUSY AND DOUBTFUL"].apco_code == "EDP"


def test_corrections_need_a_city(tmp_path: Path, data_dir: Path) -> None:
    corrections = tmp_path / "corrections.csv"
    corrections.write_text("call_type,category\nMIDDLING,Suspicion\n", encoding="utf-8")
    code, output = _review(tmp_path, "--accept-file", str(corrections))
    assert code != 0
    assert "--city is needed" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "call_type,category\nMIDDLING,Loud Things\n",
            "line 2, field category: 'Loud Things' is not a shared category",
        ),
        ("call_type,category\n,Fire\n", "line 2, field call_type: blank"),
        (
            "call_type,category\nQUIET,Fire\nQUIET,Alarms\n",
            "line 3, field call_type: 'QUIET' is already corrected on line 2",
        ),
        ("call_type,category,apco_code\nQUIET,Fire,NOPE\n", "field apco_code: 'NOPE'"),
        ("call_type\nQUIET\n", "no category column"),
        ("", "the file is empty"),
    ],
)
def test_bad_corrections_file_is_refused_and_nothing_is_saved(
    tmp_path: Path, data_dir: Path, content: str, message: str
) -> None:
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(content, encoding="utf-8")
    code, output = _review(tmp_path, "--city", "springfield", "--accept-file", str(corrections))
    assert code != 0
    assert message in output
    assert not (data_dir / "calltypes" / "mappings" / "springfield.csv").exists()


def test_review_input_without_suggestions_is_refused(tmp_path: Path, data_dir: Path) -> None:
    code, output = _review(tmp_path, "--no-input", suggestions="call_type,count\nNOISE,3\n")
    assert code != 0
    assert "no category or confidence column" in output


def test_review_input_with_a_confidence_out_of_range_is_refused(
    tmp_path: Path, data_dir: Path
) -> None:
    code, output = _review(
        tmp_path, "--no-input", suggestions="call_type,category,confidence\nNOISE,Fire,1.5\n"
    )
    assert code != 0
    assert "line 2, field confidence: 1.5 is not between 0 and 1" in output


def test_reviewer_answers_keep_change_skip_and_stop(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "suggested.csv"
    source.write_text(SUGGESTED, encoding="utf-8")
    # Queue: BUSY AND DOUBTFUL, MIDDLING, BUSY AND SURE, QUIET, RARE AND DOUBTFUL.
    # "x" is not a choice and is asked again; "4" is Behavioral Health; "" keeps; "s" skips.
    answers = "x\n4\n\ns\nq\n"
    result = CliRunner().invoke(
        main, ["calltypes", "review", str(source), "--city", "springfield", "--ask"], input=answers
    )
    assert result.exit_code == 0, result.output
    assert "'x' is not a choice" in result.output
    mapping = load_mapping("springfield")
    assert mapping["BUSY AND DOUBTFUL"].category == "Behavioral Health"
    assert mapping["MIDDLING"].category == "Suspicion"
    assert set(mapping) == {"BUSY AND DOUBTFUL", "MIDDLING"}
