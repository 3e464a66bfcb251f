"""A synthetic city goes through the same import as real data, unchanged and whole."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile
from coresponse.cli import main
from coresponse.synth.generate import write

KEY = b"synthetic-city-round-trip-key-0123456789"
RECEIVED = {
    "seattle": ("CAD Event Number", "Original Time Queued", "%m/%d/%Y %I:%M:%S %p", "Initial Call Type"),
    "new_orleans": ("NOPD_Item", "TimeCreate", "%m/%d/%Y %I:%M:%S %p", "InitialTypeText"),
    "detroit": ("incident_id", "call_timestamp", "%Y/%m/%d %H:%M:%S+00", "calldescription"),
}


def _import(path: Path, city: str, store: Path) -> duckdb.DuckDBPyConnection:
    [result] = import_files([path], load_profile(city), store=store, key=KEY)
    assert result.rows_read == result.rows_loaded == 1200, result
    assert result.rows_quarantined == 0 and result.rows_duplicate == 0
    assert result.reconciles
    return duckdb.connect(str(store), read_only=True)


@pytest.mark.parametrize("city", list(RECEIVED))
def test_synthetic_csv_imports_with_its_own_city_profile(tmp_path: Path, city: str) -> None:
    summary = write(city, 1200, 21, tmp_path / f"{city}.csv", days=20)
    connection = _import(summary.path, city, tmp_path / "calls.duckdb")
    id_column, time_column, time_format, type_column = RECEIVED[city]
    with summary.path.open(encoding="utf-8", newline="") as handle:
        rows = {row[id_column]: row for row in csv.DictReader(handle)}
    stored = connection.execute(
        "select event_id, received_local, received_at, call_type, remarks, person_key,"
        " phone_key, dispatched_at, cleared_at from calls"
    ).fetchall()
    assert {row[0] for row in stored} == set(rows)
    for event_id, local, utc, call_type, remarks, person_key, phone_key, dispatched, cleared in stored:
        row = rows[event_id]
        written = datetime.strptime(row[time_column], time_format)
        assert (utc if city == "detroit" else local) == written
        assert call_type == row[type_column]
        assert remarks == row["remarks"]
        assert (person_key is not None) == bool(row["caller_name"])
        assert (phone_key is not None) == bool(row["caller_phone"])
        assert dispatched is not None and dispatched >= utc
        assert cleared is not None and cleared >= dispatched
    # The import hashes people: no name or phone number reaches the store.
    names = {row["caller_name"] for row in rows.values() if row["caller_name"]}
    dumped = " ".join(str(value) for row in stored for value in row)
    assert names and not any(name in dumped for name in names)


@pytest.mark.parametrize("city", list(RECEIVED))
def test_synthetic_parquet_imports_with_its_own_city_profile(tmp_path: Path, city: str) -> None:
    summary = write(city, 1200, 22, tmp_path / f"{city}.parquet", days=20)
    connection = _import(summary.path, city, tmp_path / "calls.duckdb")
    count, remarks, people = connection.execute(
        "select count(*), count(remarks), count(person_key) from calls"
    ).fetchone() or (0, 0, 0)
    assert count == remarks == 1200 and 0 < people < count


def test_repeat_callers_are_countable_after_the_import(tmp_path: Path) -> None:
    summary = write("seattle", 1200, 23, tmp_path / "seattle.csv", days=20)
    connection = _import(summary.path, "seattle", tmp_path / "calls.duckdb")
    with summary.path.open(encoding="utf-8", newline="") as handle:
        phones = [row["caller_phone"] for row in csv.DictReader(handle) if row["caller_phone"]]
    busiest_written = max(phones.count(phone) for phone in set(phones))
    busiest_stored = connection.execute(
        "select max(n) from (select count(*) n from calls where phone_key is not null group by phone_key)"
    ).fetchone()
    assert busiest_stored == (busiest_written,)


@pytest.mark.parametrize("city", list(RECEIVED))
def test_synth_then_cad_import_on_the_command_line(
    tmp_path: Path, data_dir: Path, city: str
) -> None:
    runner = CliRunner()
    out = tmp_path / f"{city}.csv"
    store = tmp_path / "calls.duckdb"
    made = runner.invoke(
        main, ["synth", "--city", city, "--calls", "600", "--seed", "5", "--days", "10",
               "--out", str(out)],
    )
    assert made.exit_code == 0, made.output
    imported = runner.invoke(main, ["cad", "import", str(out), "--profile", city, "--into", str(store)])
    assert imported.exit_code == 0, imported.output
    connection = duckdb.connect(str(store), read_only=True)
    assert connection.execute(
        "select rows_read, rows_loaded, rows_quarantined, rows_duplicate from imports"
    ).fetchall() == [(600, 600, 0, 0)]
    connection.close()
    again = runner.invoke(main, ["cad", "import", str(out), "--profile", city, "--into", str(store)])
    assert again.exit_code == 0, again.output
    connection = duckdb.connect(str(store), read_only=True)
    assert connection.execute("select count(*) from calls").fetchone() == (600,)
