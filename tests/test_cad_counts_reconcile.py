"""Property: whatever mix of good, bad, malformed and repeated rows a file holds, every row is
counted once, read = loaded + quarantined + duplicates, and each row keeps its physical line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

KEY = b"test-pseudonym-key-0123456789"
HEADER = "CAD Event Number,Call Type,Priority,Original Time Queued,remarks"
KINDS = (
    "good",
    "good_multiline",
    "bad_date",
    "no_event_id",
    "too_many_fields",
    "too_few_fields",
    "repeat",
)


def _row(kind: str, event_id: int, earlier: list[int]) -> tuple[str, str | None]:
    """The CSV text of one record and its event id when it should load (or repeat)."""
    when = "06/01/2023 10:00:00 AM"
    if kind == "good":
        return f"{event_id},911,2,{when},fine", str(event_id)
    if kind == "good_multiline":
        return f'{event_id},911,2,{when},"over\ntwo lines"', str(event_id)
    if kind == "bad_date":
        return f"{event_id},911,2,06/31/2023 10:00:00 AM,bad", None
    if kind == "no_event_id":
        return f",911,2,{when},no id", None
    if kind == "too_many_fields":
        return f"{event_id},911,2,{when},one,two", None
    if kind == "too_few_fields":
        return f"{event_id},911,2", None
    repeated = earlier[0] if earlier else event_id
    return f"{repeated},911,2,{when},again", str(repeated)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=25))
def test_every_row_is_counted_once_with_its_line(kinds: list[str]) -> None:
    lines = [HEADER]
    expected_loaded: dict[str, int] = {}  # event id -> line of its first good row
    expected_bad: list[int] = []
    good_ids: list[int] = []
    repeats = 0
    for number, kind in enumerate(kinds):
        text, event_id = _row(kind, 1000 + number, good_ids)
        line = len(lines) + 1 + sum(part.count("\n") for part in lines)
        if event_id is None:
            expected_bad.append(line)
        elif event_id in expected_loaded:
            repeats += 1
        else:
            expected_loaded[event_id] = line
            good_ids.append(int(event_id))
        lines.append(text)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "calls.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        store = Path(directory) / "calls.duckdb"
        result = import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})[0]
        with duckdb.connect(str(store)) as connection:
            loaded = dict(connection.execute("SELECT event_id, source_line FROM calls").fetchall())
            bad = sorted(
                row[0]
                for row in connection.execute("SELECT source_line FROM quarantine").fetchall()
            )
    assert result.rows_read == len(kinds)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate
    assert (result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (
        len(expected_loaded),
        len(expected_bad),
        repeats,
    )
    assert loaded == expected_loaded
    assert bad == expected_bad
    assert not result.warnings
