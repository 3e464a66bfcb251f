"""Every kind of bad row goes to quarantine with its physical line, field and reason, and the
import carries on: read = loaded + quarantined + duplicates."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from coresponse.cad.ingest import ImportResult, import_files
from coresponse.cad.profile import load_profile

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


@pytest.fixture(scope="module")
def bad_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, Path]:
    store = tmp_path_factory.mktemp("quarantine") / "calls.duckdb"
    result = import_files(
        [DATA / "seattle_bad_rows.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
    )[0]
    return result, store


def _quarantine(store: Path) -> dict[int, tuple[str | None, str, str, str]]:
    with duckdb.connect(str(store)) as connection:
        rows = connection.execute(
            "SELECT source_line, field, kind, reason, raw FROM quarantine"
        ).fetchall()
    return {line: (field, kind, reason, raw) for line, field, kind, reason, raw in rows}


def test_counts_reconcile_with_bad_rows(bad_rows: tuple[ImportResult, Path]) -> None:
    result, store = bad_rows
    assert (
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
        result.rows_duplicate,
    ) == (14, 3, 10, 1)
    with duckdb.connect(str(store)) as connection:
        stored = connection.execute(
            "SELECT rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM imports"
        ).fetchone()
        calls = connection.execute("SELECT count(*) FROM calls").fetchone()
        quarantined = connection.execute("SELECT count(*) FROM quarantine").fetchone()
    assert stored == (14, 3, 10, 1)
    assert calls == (3,) and quarantined == (10,)


@pytest.mark.parametrize(
    ("line", "field", "kind", "words"),
    [
        (5, "received_at", "bad_date", "13/45/2023 99:00:00 PM"),
        (6, "event_id", "missing_event_id", "CAD Event Number"),
        (7, None, "wrong_field_count", "Found: 15"),
        (8, None, "wrong_field_count", "Found: 9"),
        (9, "remarks", "bad_encoding", "encoding"),
        (10, "priority", "bad_number", "X"),
        (11, "longitude", "bad_coordinate", "abc"),
        (12, "latitude", "bad_coordinate", "123.4"),
        (15, "received_at", "missing_received_time", "Original Time Queued"),
        (16, "arrived_at", "bad_date", "yesterday"),
    ],
)
def test_bad_row_goes_to_quarantine_with_line_field_and_reason(
    bad_rows: tuple[ImportResult, Path], line: int, field: str | None, kind: str, words: str
) -> None:
    _, store = bad_rows
    quarantined = _quarantine(store)
    assert line in quarantined, f"line {line} not quarantined: {sorted(quarantined)}"
    got_field, got_kind, reason, raw = quarantined[line]
    assert (got_field, got_kind) == (field, kind)
    assert words in reason
    assert raw, "the raw row is kept"


def test_line_numbers_count_lines_inside_quoted_fields(bad_rows: tuple[ImportResult, Path]) -> None:
    _, store = bad_rows
    with duckdb.connect(str(store)) as connection:
        lines = dict(connection.execute("SELECT event_id, source_line FROM calls").fetchall())
    # 102 spans lines 3-4; 111 follows three malformed lines and several bad rows.
    assert lines == {"2023000000101": 2, "2023000000102": 3, "2023000000111": 14}


def test_duplicate_event_in_one_file_keeps_the_first(bad_rows: tuple[ImportResult, Path]) -> None:
    _, store = bad_rows
    with duckdb.connect(str(store)) as connection:
        remarks = connection.execute(
            "SELECT remarks FROM calls WHERE event_id = '2023000000101'"
        ).fetchall()
    assert remarks == [("first good row",)]


def test_summary_counts_quarantine_reasons(bad_rows: tuple[ImportResult, Path]) -> None:
    result, _ = bad_rows
    reasons = {(kind, field): count for kind, field, count in result.quarantine_reasons}
    assert reasons[("wrong_field_count", "(row)")] == 2
    assert reasons[("bad_coordinate", "latitude")] == 1
    assert sum(reasons.values()) == result.rows_quarantined


def test_unknown_columns_are_a_warning_not_a_failure(tmp_path: Path) -> None:
    source = (DATA / "seattle_calls.csv").read_text(encoding="utf-8-sig").splitlines()
    source[0] += ",Officer Badge"
    # The fifth call's remark runs over two lines: its record ends on the second.
    source[1:] = [
        line if line.startswith("2023000000005") else line + ",1234" for line in source[1:]
    ]
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(source) + "\n", encoding="utf-8")
    result = import_files(
        [path], load_profile("seattle"), store=tmp_path / "c.duckdb", key=KEY, mapping={}
    )[0]
    assert result.rows_loaded == 6
    assert any("Officer Badge" in warning for warning in result.warnings)
    with duckdb.connect(str(tmp_path / "c.duckdb")) as connection:
        stored = connection.execute("SELECT warnings FROM imports").fetchone()
    assert stored is not None and "Officer Badge" in stored[0]


def test_bad_detroit_duration_is_quarantined(tmp_path: Path) -> None:
    lines = (DATA / "detroit_calls.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",1.5,", ",one and a half,")
    path = tmp_path / "detroit.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_files(
        [path], load_profile("detroit"), store=tmp_path / "c.duckdb", key=KEY, mapping={}
    )[0]
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert result.quarantine_reasons == (("bad_number", "dispatched_at", 1),)


def test_new_orleans_point_that_is_not_a_point_is_quarantined(tmp_path: Path) -> None:
    lines = (DATA / "new_orleans_calls.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("POINT (-90.0712 29.9511)", "somewhere on Magazine")
    path = tmp_path / "nola.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_files(
        [path], load_profile("new_orleans"), store=tmp_path / "c.duckdb", key=KEY, mapping={}
    )[0]
    assert result.quarantine_reasons == (("bad_coordinate", "longitude", 1),)
