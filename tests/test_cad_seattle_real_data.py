"""Every real Seattle file in shared/data/seattle_calls imports with reconciled counts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

KEY = b"test-pseudonym-key-0123456789"
SEATTLE_FILES = [
    "db_call_data_2010-2023_v20240518.csv",
    "db_call_data_2018-2023.csv",
    "potential_db_calls_2010-2023.csv",
    "potential_mad_beach_calls_2010-2023.csv",
    "potential_madrona_calls_2010-2023.csv",
]


@pytest.mark.parametrize("name", SEATTLE_FILES)
def test_real_seattle_file_imports_with_reconciled_counts(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    path = shared_data / "seattle_calls" / name
    store = tmp_path / "calls.duckdb"
    result = import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})[0]
    data_rows = _records(path)
    assert result.rows_read == data_rows
    assert result.reconciles
    assert result.rows_quarantined == 0, result.quarantine_reasons
    assert not result.warnings
    with duckdb.connect(str(store)) as connection:
        calls, unknown_time, max_line = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT time_known), max(source_line) FROM calls"
        ).fetchone() or (0, 0, 0)
    assert calls == result.rows_loaded
    assert max_line <= data_rows + 1
    date_only = name.startswith("potential_")
    assert unknown_time == (calls if date_only else 0)


def test_every_real_seattle_file_is_covered(shared_data: Path) -> None:
    assert sorted(path.name for path in (shared_data / "seattle_calls").glob("*.csv")) == sorted(
        SEATTLE_FILES
    )


def test_real_files_together_load_each_event_once(shared_data: Path, tmp_path: Path) -> None:
    paths = [shared_data / "seattle_calls" / name for name in SEATTLE_FILES]
    store = tmp_path / "calls.duckdb"
    results = import_files(paths, load_profile("seattle"), store=store, key=KEY, mapping={})
    with duckdb.connect(str(store)) as connection:
        calls, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM calls"
        ).fetchone() or (0, 0)
    assert calls == distinct == sum(result.rows_loaded for result in results)
    assert sum(result.rows_read for result in results) == sum(
        result.rows_loaded + result.rows_duplicate for result in results
    )


def _records(path: Path) -> int:
    with duckdb.connect() as connection:
        row = connection.execute(
            f"SELECT count(*) FROM read_csv('{path}', all_varchar = true)"
        ).fetchone()
    return int(row[0]) if row else 0
