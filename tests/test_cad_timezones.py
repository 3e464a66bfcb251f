"""Wall-clock times become UTC through the profile's zone, deliberately around DST changes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

KEY = b"test-pseudonym-key-0123456789"
HEADER = "CAD Event Number,Call Type,Priority,Initial Call Type,Original Time Queued,Arrived Time\n"


def _received(tmp_path: Path, rows: list[str]) -> dict[str, tuple[datetime, datetime, bool]]:
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    store = tmp_path / "calls.duckdb"
    result = import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})[0]
    assert result.rows_loaded == len(rows), result.quarantine_reasons
    with duckdb.connect(str(store)) as connection:
        rows_out = connection.execute(
            "SELECT event_id, received_at, received_local, time_known FROM calls"
        ).fetchall()
    return {event_id: (utc, local, known) for event_id, utc, local, known in rows_out}


def test_fall_back_hour_reads_as_standard_time(tmp_path: Path) -> None:
    # 2023-11-05 01:30 happened twice in Seattle; the import takes the second, PST (UTC-8).
    received = _received(
        tmp_path,
        [
            "1,911,2,X,11/05/2023 12:59:59 AM,",
            "2,911,2,X,11/05/2023 01:30:00 AM,",
            "3,911,2,X,11/05/2023 02:00:00 AM,",
        ],
    )
    assert received["1"][0] == datetime(2023, 11, 5, 7, 59, 59)  # still PDT
    assert received["2"][0] == datetime(2023, 11, 5, 9, 30)
    assert received["2"][1] == datetime(2023, 11, 5, 1, 30)  # the wall clock is kept as written
    assert received["3"][0] == datetime(2023, 11, 5, 10, 0)


def test_spring_forward_gap_reads_with_the_offset_before_the_change(tmp_path: Path) -> None:
    # 2023-03-12 02:30 never happened in Seattle: read as PST, it is 03:30 PDT.
    received = _received(
        tmp_path, ["1,911,2,X,03/12/2023 02:30:00 AM,", "2,911,2,X,03/12/2023 03:30:00 AM,"]
    )
    assert received["1"][0] == datetime(2023, 3, 12, 10, 30)
    assert received["2"][0] == datetime(2023, 3, 12, 10, 30)


def test_arrival_converts_with_its_own_offset(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        HEADER + "1,911,2,X,03/12/2023 01:50:00 AM,03/12/2023 03:10:00 AM\n", encoding="utf-8"
    )
    store = tmp_path / "calls.duckdb"
    import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})
    with duckdb.connect(str(store)) as connection:
        received, arrived = connection.execute(
            "SELECT received_at, arrived_at FROM calls"
        ).fetchone() or (None, None)
    assert arrived is not None and received is not None
    assert (arrived - received).total_seconds() == 20 * 60  # 01:50 PST to 03:10 PDT


def test_date_only_row_has_time_unknown_at_local_midnight(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        '"CAD.Event.Number","Call.Type","Incident.Date"\n7,"911",2024-07-04\n', encoding="utf-8"
    )
    store = tmp_path / "calls.duckdb"
    import_files([path], load_profile("seattle"), store=store, key=KEY, mapping={})
    with duckdb.connect(str(store)) as connection:
        row = connection.execute(
            "SELECT received_at, received_local, time_known FROM calls"
        ).fetchone()
    assert row == (datetime(2024, 7, 4, 7, 0), datetime(2024, 7, 4), False)


def test_call_received_in_the_first_pass_of_the_fall_back_hour_keeps_its_order(
    tmp_path: Path,
) -> None:
    # Queued at 01:41 PDT, arrived at 01:08 PST (27 minutes later): the arrival, read as
    # standard time, comes before the queue time, so the queue time was daylight time.
    received = _received(tmp_path, ["1,911,2,X,11/05/2023 01:41:12 AM,11/05/2023 01:08:04 AM"])
    assert received["1"][0] == datetime(2023, 11, 5, 8, 41, 12)
    assert received["1"][1] == datetime(2023, 11, 5, 1, 41, 12)


def test_call_outside_the_overlap_is_never_shifted(tmp_path: Path) -> None:
    # An arrival recorded before the queue time on an ordinary day is bad data, kept as written.
    received = _received(tmp_path, ["1,911,2,X,06/05/2023 01:41:12 AM,06/05/2023 01:08:04 AM"])
    assert received["1"][0] == datetime(2023, 6, 5, 8, 41, 12)
