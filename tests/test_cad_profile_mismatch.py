"""A file that does not fit its profile stops at once, naming the missing columns."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from coresponse.cad.ingest import ProfileMismatch, UnreadableFile, import_files
from coresponse.cad.profile import load_profile

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def test_wrong_profile_fails_naming_the_missing_columns(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    with pytest.raises(ProfileMismatch) as caught:
        import_files(
            [DATA / "detroit_calls.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
        )
    message = str(caught.value)
    assert "detroit_calls.csv" in message
    assert "'CAD Event Number'" in message and "'Original Time Queued'" in message
    with duckdb.connect(str(store)) as connection:
        assert connection.execute("SELECT count(*) FROM imports").fetchone() == (0,)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="empty"):
        import_files(
            [path], load_profile("seattle"), store=tmp_path / "c.duckdb", key=KEY, mapping={}
        )


def test_header_only_file_imports_nothing_and_reconciles(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("CAD Event Number,Original Time Queued\n", encoding="utf-8")
    result = import_files(
        [path], load_profile("seattle"), store=tmp_path / "c.duckdb", key=KEY, mapping={}
    )[0]
    assert (result.rows_read, result.rows_loaded, result.reconciles) == (0, 0, True)


def test_files_before_a_misfit_stay_imported(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    with pytest.raises(ProfileMismatch):
        import_files(
            [DATA / "seattle_calls.csv", DATA / "new_orleans_calls.csv"],
            load_profile("seattle"),
            store=store,
            key=KEY,
            mapping={},
        )
    with duckdb.connect(str(store)) as connection:
        assert connection.execute("SELECT count(*) FROM calls").fetchone() == (6,)


def test_store_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    from coresponse.cad.ingest import ImportFailed

    not_a_database = tmp_path / "calls.duckdb"
    not_a_database.write_text("this is not a DuckDB file", encoding="utf-8")
    with pytest.raises(ImportFailed, match="cannot be opened"):
        import_files(
            [DATA / "seattle_calls.csv"],
            load_profile("seattle"),
            store=not_a_database,
            key=KEY,
            mapping={},
        )
