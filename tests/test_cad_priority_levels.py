"""A priority reads as its first number, one digit or several, with or without letters."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

KEY = b"test-pseudonym-key-0123456789"


def test_priority_is_the_first_number_in_the_value(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "event_id,received_at,priority\n"
        "E1,2024-02-01 08:30:00,3\n"
        "E2,2024-02-01 08:31:00,12\n"
        "E3,2024-02-01 08:32:00,2A\n"
        "E4,2024-02-01 08:33:00,P0\n"
        "E5,2024-02-01 08:34:00,0\n"
        "E6,2024-02-01 08:35:00,x\n"
        "E7,2024-02-01 08:36:00,\n",
        encoding="utf-8",
    )
    store = tmp_path / "calls.duckdb"
    result = import_files([path], load_profile("generic"), store=store, key=KEY, mapping={})[0]
    assert (result.rows_loaded, result.rows_quarantined) == (6, 1)
    with duckdb.connect(str(store)) as connection:
        calls = connection.execute(
            "SELECT event_id, priority, priority_raw FROM calls ORDER BY event_id"
        ).fetchall()
        bad = connection.execute("SELECT source_line, kind, reason FROM quarantine").fetchall()
    assert calls == [
        ("E1", 3, "3"),
        ("E2", 12, "12"),
        ("E3", 2, "2A"),
        ("E4", 0, "P0"),
        ("E5", 0, "0"),
        ("E7", None, None),
    ]
    assert bad == [(7, "bad_number", "bad number in priority: x has no priority level")]
