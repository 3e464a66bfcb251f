"""The import's wall-clock -> UTC conversion (a per-zone offset table on ordinary days, ICU on
the days the offset changes and outside 1969-2070) gives exactly what ICU gives, value by
value, around every DST change, for zones with odd rules too."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from coresponse.cad.ingest import _wall_to_utc_sql, _zone_buckets, import_files
from coresponse.cad.profile import load_profile, with_overrides

KEY = b"test-pseudonym-key-0123456789"
ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # a half-hour DST change
    "Asia/Kolkata",  # no DST
    "Africa/Casablanca",  # DST suspended for Ramadan, changes a few weeks apart
    "America/Caracas",  # standard offset changed twice (2007, 2016)
)
# Every 20 minutes of these spans (the edges of the table, recent years, the far past/future).
SPANS = (
    ("1965-01-01", "1972-01-01"),
    ("2007-06-01", "2008-06-01"),
    ("2015-06-01", "2016-06-01"),
    ("2022-01-01", "2025-01-01"),
    ("2068-06-01", "2071-06-01"),
)


@pytest.mark.parametrize("zone", ZONES)
def test_fast_conversion_equals_icu_every_twenty_minutes(zone: str) -> None:
    connection = duckdb.connect()
    buckets = _zone_buckets(connection, zone)
    spans = " UNION ALL ".join(
        f"SELECT unnest(range(TIMESTAMP '{start}', TIMESTAMP '{end}', INTERVAL 20 MINUTE)) AS wall"
        for start, end in SPANS
    )
    quoted = "'" + zone + "'"
    checked, different, example = connection.execute(
        f"SELECT count(*), count(*) FILTER (WHERE fast IS DISTINCT FROM icu), "
        f"min(wall) FILTER (WHERE fast IS DISTINCT FROM icu) FROM ("
        f"SELECT wall, {_wall_to_utc_sql('wall', zone, buckets)} AS fast, "
        f"make_timestamp(epoch_us(wall AT TIME ZONE {quoted})) AS icu FROM ({spans}))"
    ).fetchone() or (0, 0, None)
    assert checked > 390_000
    assert different == 0, f"{zone}: first difference at {example}"


def test_ordinary_days_of_1970_to_2069_come_from_the_table() -> None:
    buckets = _zone_buckets(duckdb.connect(), "America/Los_Angeles")
    # Two sentinels, then 64-day buckets: all usable (one change at most in each).
    assert buckets[0] is None and buckets[-1] is None
    assert all(bucket is not None for bucket in buckets[1:-1])
    assert len(buckets) - 2 >= (datetime(2070, 1, 1) - datetime(1970, 1, 1)).days / 64


def test_blank_times_stay_blank() -> None:
    connection = duckdb.connect()
    buckets = _zone_buckets(connection, "America/Los_Angeles")
    sql = _wall_to_utc_sql("NULL::TIMESTAMP", "America/Los_Angeles", buckets)
    assert connection.execute(f"SELECT {sql}").fetchone() == (None,)


def test_imported_times_around_london_changes_match_the_zone_rules(tmp_path: Path) -> None:
    # Half-hourly calls through the spring and autumn changes of 2024 and an ordinary day;
    # each UTC time is what zoneinfo says (gap times with the offset before the change, times
    # in the repeated hour as standard time: fold=1).
    zone = ZoneInfo("Europe/London")
    walls = [
        start + timedelta(minutes=30 * step)
        for start in (datetime(2024, 3, 30, 20), datetime(2024, 10, 26, 20), datetime(2024, 7, 1))
        for step in range(24)
    ]
    path = tmp_path / "calls.csv"
    path.write_text(
        "event_id,received_at\n"
        + "".join(f"{index},{wall:%Y-%m-%d %H:%M:%S}\n" for index, wall in enumerate(walls)),
        encoding="utf-8",
    )
    store = tmp_path / "calls.duckdb"
    profile = with_overrides(load_profile("generic"), city="london", timezone="Europe/London")
    result = import_files([path], profile, store=store, key=KEY, mapping={})[0]
    assert result.rows_loaded == len(walls)
    with duckdb.connect(str(store)) as connection:
        stored = dict(
            connection.execute(
                "SELECT CAST(event_id AS INTEGER), received_at FROM calls"
            ).fetchall()
        )
    for index, wall in enumerate(walls):
        offset = wall.replace(tzinfo=zone, fold=1).utcoffset() or timedelta()
        if (wall.replace(tzinfo=zone, fold=0).utcoffset() or timedelta()) < offset:
            offset = wall.replace(tzinfo=zone, fold=0).utcoffset() or timedelta()  # the gap
        assert stored[index] == wall - offset, f"{wall} in Europe/London"
