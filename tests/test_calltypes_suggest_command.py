"""``coresponse calltypes suggest``: every input row out with a suggestion, and bad input named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.cli import main

# A codebook in none of the shipped cities' wording: coded prefixes, shorthand, mixed case.
UNSEEN = """call_type,count,priority
415E_Loud Music,900,3
10-96 MENTAL SUBJECT,800,2
SUICIDAL SUBJ THREATENING,300,1
EDP W/ WEAPON,150,1
OD - UNRESP,120,1
ALARM BURG COMM,5000,3
MVA W/ INJ,2200,1
DOM VIOL ASLT IP,700,1
WELFARE CHK,3000,3
SUSP VEH,2600,3
"""


def _suggest(tmp_path: Path, content: str | bytes, *extra: str) -> tuple[int, str, Path]:
    source = tmp_path / "codebook.csv"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    out = tmp_path / "suggested.csv"
    result = CliRunner().invoke(
        main, ["calltypes", "suggest", str(source), "--out", str(out), *extra]
    )
    return result.exit_code, result.output, out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_unseen_codebook_gets_every_row_and_column_back_with_a_suggestion(
    tmp_path: Path, data_dir: Path
) -> None:
    code, output, out = _suggest(tmp_path, UNSEEN)
    assert code == 0, output
    rows = _rows(out)
    assert [row["call_type"] for row in rows] == [
        line.split(",")[0] for line in UNSEEN.splitlines()[1:]
    ]
    assert list(rows[0]) == [
        "call_type",
        "count",
        "priority",
        "category",
        "apco_code",
        "confidence",
        "needs_review",
    ]
    by_type = {row["call_type"]: row for row in rows}
    for crisis in ("10-96 MENTAL SUBJECT", "SUICIDAL SUBJ THREATENING", "OD - UNRESP"):
        assert by_type[crisis]["category"] == "Behavioral Health", crisis
    assert by_type["ALARM BURG COMM"]["category"] == "Alarms"
    assert by_type["MVA W/ INJ"]["category"] == "Accidents/Traffic Safety"
    assert by_type["10-96 MENTAL SUBJECT"]["apco_code"] == "EDP"
    assert by_type["WELFARE CHK"]["apco_code"] == "WELFARE"
    assert all(0.0 <= float(row["confidence"]) <= 1.0 for row in rows)
    assert {row["needs_review"] for row in rows} <= {"true", "false"}
    # A person in crisis with a weapon is the costliest code to get wrong: if it is not
    # suggested as Behavioral Health, it must at least be flagged.
    edp = by_type["EDP W/ WEAPON"]
    assert edp["category"] == "Behavioral Health" or edp["needs_review"] == "true"
    assert "need review" in output


@pytest.mark.slow
def test_duplicate_codes_are_reported_and_every_row_is_kept(tmp_path: Path, data_dir: Path) -> None:
    code, output, out = _suggest(
        tmp_path, "call_type,count\nMENTAL PATIENT,10\nNOISE,4\nMENTAL PATIENT,7\n"
    )
    assert code == 0, output
    rows = _rows(out)
    assert [row["call_type"] for row in rows] == ["MENTAL PATIENT", "NOISE", "MENTAL PATIENT"]
    assert rows[0]["category"] == rows[2]["category"]
    assert "'MENTAL PATIENT' on lines 2, 4" in " ".join(output.split())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("code,count\nNOISE,3\n", "line 1: no call_type column"),
        ("Call Type,count\nNOISE,3\n", "did you mean 'Call Type'"),
        ("call_type,count\nNOISE,3\n,5\nFIRE,2\n", "field call_type is blank on line(s) 3"),
        ("call_type,count\nNOISE,lots\n", "field count is not a whole number of calls on line 2"),
        (
            "call_type,count\nNOISE,3,extra\n",
            "more fields than the header has columns on line(s) 2",
        ),
        ("call_type\n", "has a header but no call types"),
        (b"call_type,count\nNOISE,3\nCAF\xe9 DISTURBANCE,2\n", "line 3, byte 4: not UTF-8"),
    ],
)
def test_bad_codebook_is_refused_with_file_line_and_field(
    tmp_path: Path, data_dir: Path, content: str | bytes, message: str
) -> None:
    code, output, out = _suggest(tmp_path, content)
    assert code != 0
    flat = " ".join(output.split())
    assert message in flat, flat
    assert "codebook.csv" in flat
    assert not out.exists()


def test_byte_order_mark_is_not_a_problem(tmp_path: Path, data_dir: Path) -> None:
    from coresponse.calltypes.codebook import read_codebook

    source = tmp_path / "bom.csv"
    source.write_bytes("\ufeffcall_type,count_2014_2018\nNOISE,3\n".encode())
    book = read_codebook(source)
    assert book.count_column == "count_2014_2018"
    assert [(row.call_type, row.calls) for row in book.rows] == [("NOISE", 3)]
