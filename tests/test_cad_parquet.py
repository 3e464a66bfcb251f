"""Parquet exports go through the same profile as CSV, typed timestamps included."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def test_parquet_with_text_columns_imports_like_the_csv(tmp_path: Path) -> None:
    parquet = tmp_path / "seattle.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_csv('{DATA / 'seattle_calls.csv'}', all_varchar = true)) TO '{parquet}'"
        )
    store = tmp_path / "calls.duckdb"
    result = import_files([parquet], load_profile("seattle"), store=store, key=KEY, mapping={})[0]
    assert (result.rows_read, result.rows_loaded) == (6, 6)
    with duckdb.connect(str(store)) as connection:
        row = connection.execute(
            "SELECT received_at, source_line FROM calls WHERE event_id = '2023000000006'"
        ).fetchone()
    assert row == (datetime(2023, 12, 25, 3, 0), 6)  # Parquet lines are row numbers


def test_parquet_with_typed_timestamps_and_a_bad_row(tmp_path: Path) -> None:
    parquet = tmp_path / "generic.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM (VALUES ('E1', TIMESTAMP '2024-07-01 12:00:00', 2, 47.5), "
            f"(NULL, TIMESTAMP '2024-07-01 13:00:00', 3, 47.6), ('E3', NULL, 1, 47.7)) "
            f"AS t(event_id, received_at, priority, latitude)) TO '{parquet}'"
        )
    store = tmp_path / "calls.duckdb"
    profile = load_profile("generic")
    result = import_files([parquet], profile, store=store, key=KEY, mapping={})[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
    with duckdb.connect(str(store)) as connection:
        call = connection.execute("SELECT received_at, time_known, priority FROM calls").fetchone()
        lines = connection.execute("SELECT source_line, kind FROM quarantine ORDER BY 1").fetchall()
    assert call == (datetime(2024, 7, 1, 12, 0), True, 2)
    assert lines == [(2, "missing_event_id"), (3, "missing_received_time")]


def test_parquet_columns_named_like_fields_are_still_converted(tmp_path: Path) -> None:
    from coresponse.cad.profile import with_overrides

    parquet = tmp_path / "tacoma.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT ' T1 ' AS event_id, TIMESTAMP '2024-01-10 08:00:00' AS received_at, "
            f"'2A' AS priority) TO '{parquet}'"
        )
    store = tmp_path / "calls.duckdb"
    profile = with_overrides(load_profile("generic"), city="tacoma", timezone="America/Los_Angeles")
    import_files([parquet], profile, store=store, key=KEY, mapping={})
    with duckdb.connect(str(store)) as connection:
        row = connection.execute(
            "SELECT event_id, received_at, received_local, priority FROM calls"
        ).fetchone()
    assert row == ("T1", datetime(2024, 1, 10, 16, 0), datetime(2024, 1, 10, 8, 0), 2)


def test_parquet_columns_differing_from_fields_only_in_case_do_not_shadow_them(
    tmp_path: Path,
) -> None:
    # New Orleans publishes "Priority" ("2A"); SQL names are case-insensitive, so the file's
    # column must not stand in for the parsed priority, nor its own names for the import's.
    parquet = tmp_path / "nola.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM (VALUES ('N1', '01/10/2024 08:00:00 AM', '2A', 'x', 7), "
            f"('N2', 'soon', '1C', 'y', 8)) AS t(\"NOPD_Item\", \"TimeCreate\", \"Priority\", "
            f'"PRIORITY_RAW", "File_Row_Number")) TO \'{parquet}\''
        )
    store = tmp_path / "calls.duckdb"
    profile = load_profile("new_orleans")
    result = import_files([parquet], profile, store=store, key=KEY, mapping={})[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    with duckdb.connect(str(store)) as connection:
        call = connection.execute(
            "SELECT event_id, received_local, priority, priority_raw, source_line FROM calls"
        ).fetchone()
        bad = connection.execute("SELECT source_line, kind FROM quarantine").fetchall()
    assert call == ("N1", datetime(2024, 1, 10, 8, 0), 2, "2A", 1)
    assert bad == [(2, "bad_date")]
