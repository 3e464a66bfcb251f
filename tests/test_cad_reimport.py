"""Importing the same file again adds no call twice, and the counts say so."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile, with_overrides

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def test_reimporting_a_file_loads_nothing_twice(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    profile = load_profile("seattle")
    first = import_files(
        [DATA / "seattle_bad_rows.csv"], profile, store=store, key=KEY, mapping={}
    )[0]
    again = import_files(
        [DATA / "seattle_bad_rows.csv"], profile, store=store, key=KEY, mapping={}
    )[0]
    assert (first.rows_loaded, first.rows_duplicate) == (3, 1)
    assert (again.rows_read, again.rows_loaded, again.rows_quarantined, again.rows_duplicate) == (
        14,
        0,
        10,
        4,
    )
    assert again.reconciles
    with duckdb.connect(str(store)) as connection:
        calls = connection.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM calls"
        ).fetchone()
        imports = connection.execute("SELECT count(*), sum(rows_loaded) FROM imports").fetchone()
    assert calls == (3, 3)
    assert imports == (2, 3)


def test_same_event_id_in_another_city_is_not_a_duplicate(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    path = DATA / "seattle_calls.csv"
    import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})
    seattle_shaped_elsewhere = with_overrides(load_profile("seattle"), city="tacoma")
    other = import_files([path], seattle_shaped_elsewhere, store=store, key=KEY, mapping={})[0]
    assert other.rows_loaded == 6 and other.rows_duplicate == 0


def test_overlapping_files_load_each_call_once(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    lines = (DATA / "seattle_calls.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("".join(lines[:4]), encoding="utf-8")  # header + calls 1-3
    second.write_text(lines[0] + "".join(lines[3:]), encoding="utf-8")  # header + calls 3-6
    results = import_files(
        [first, second], load_profile("seattle"), store=store, key=KEY, mapping={}
    )
    assert [(r.rows_read, r.rows_loaded, r.rows_duplicate) for r in results] == [
        (3, 3, 0),
        (4, 3, 1),
    ]
