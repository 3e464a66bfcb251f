"""Small call stores for the replay tests: a dozen hand-written calls, each there for a reason."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from coresponse.cad.schema import CALLS_COLUMNS, create_table_sql
from coresponse.triage import CallFacts
from coresponse.triage.remarks import read_signals
from coresponse.triage.replay import MAX_ON_SCENE_MINUTES, default_on_scene_minutes

COLUMNS = [column.name for column in CALLS_COLUMNS]


def call(event_id: str, local: str, **fields: Any) -> dict[str, Any]:
    """A Seattle call received at ``local`` (wall clock, UTC-8), with ``fields`` over the defaults."""
    received_local = datetime.fromisoformat(local)
    row: dict[str, Any] = {
        "city": "seattle",
        "event_id": event_id,
        "received_local": received_local,
        "received_at": received_local + timedelta(hours=8),
        "time_known": True,
        "call_type": "SERVICE - WELFARE CHECK",
        "category": "Statuses",
        "priority": 3,
        "source": "911",
        "address": "1XX BLOCK OF PINE ST",
        "remarks": None,
    }
    row.update(fields)
    return row


def on_scene(row: dict[str, Any], minutes: float) -> dict[str, Any]:
    """The call with an officer arriving 10 minutes in and clearing ``minutes`` later."""
    arrived = row["received_at"] + timedelta(minutes=10)
    return {**row, "arrived_at": arrived, "cleared_at": arrived + timedelta(minutes=minutes)}


CALLS: list[dict[str, Any]] = [
    on_scene(
        call(
            "E1",
            "2024-03-04 10:00",
            call_type="PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
            category="Behavioral Health",
            remarks="EDP yelling at traffic, no weapons seen",
        ),
        50,
    ),
    call(
        "E2",
        "2024-03-04 02:30",
        call_type="PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
        category="Behavioral Health",
        remarks="male talking to himself, paranoid, off his meds",
    ),
    call("E3", "2024-03-05 14:00", remarks="SUBJ W/ KNIFE threatening people at the bus stop"),
    call("E4", "2024-03-05 15:00", remarks=None, address="2XX BLOCK OF MAIN ST"),
    on_scene(call("E5", "2024-03-06 09:00", remarks="elderly female not answering door"), 30),
    call("E6", "2024-04-06 09:00", remarks="ETOH male passed out at the bus stop, breathing"),
    call("E7", "2024-05-06 09:00", priority=1, remarks="caller screaming, unknown problem"),
    on_scene(
        call("E8", "2025-02-01 12:00", remarks="intoxicated subject refusing to leave store"),
        MAX_ON_SCENE_MINUTES
        + 60,  # longer than any real visit: a data error, so the default is used
    ),
    call("E9", "2024-06-01 00:00", time_known=False, remarks="welfare check requested by family"),
    call(
        "E10",
        "2024-03-04 11:00",
        city="new_orleans",
        call_type="MENTAL PATIENT",
        category="Behavioral Health",
        remarks="woman in crisis, crying, not suicidal",
        address=None,
    ),
    call(
        "E11",
        "2024-03-09 20:00",
        call_type="ASLT - IP/JO - WITH OR W/O WPNS",
        category="Violent Crime",
        remarks="DV in progress, RP hears hitting",
        source="911",
    ),
    call(
        "E12",
        "2024-03-10 16:00",
        category=None,
        call_type="SOMETHING NEW",
        remarks="shelter needed for family of three",
        source="non_emergency",
    ),
]


def make_store(path: Path, calls: Iterable[dict[str, Any]] = CALLS) -> Path:
    connection = duckdb.connect(str(path))
    try:
        connection.execute(create_table_sql("calls", CALLS_COLUMNS)).fetchall()
        add_calls(connection, calls)
    finally:
        connection.close()
    return path


def add_calls(connection: duckdb.DuckDBPyConnection, calls: Iterable[dict[str, Any]]) -> None:
    rows = [tuple(row.get(name) for name in COLUMNS) for row in calls]
    placeholders = ", ".join("?" for _ in COLUMNS)
    connection.executemany(
        f"INSERT INTO calls ({', '.join(COLUMNS)}) VALUES ({placeholders})", rows
    ).fetchall()


def repeat_address_calls(row: dict[str, Any], calls: list[dict[str, Any]]) -> int | None:
    """Counted the slow way: other calls at the same city and address in the 12 months before."""
    if not row.get("address") or row.get("received_at") is None:
        return None
    received = row["received_at"]
    year_before = received.replace(year=received.year - 1)
    return sum(
        1
        for other in calls
        if other is not row
        and other["city"] == row["city"]
        and other.get("address") == row["address"]
        and other.get("received_at") is not None
        and year_before <= other["received_at"] <= received
    )


def facts(row: dict[str, Any], calls: list[dict[str, Any]]) -> CallFacts:
    """The call as the live console would see it, with no screening answers."""
    signals: dict[str, bool | None] = {}
    if row.get("remarks") is not None:
        signals = dict(read_signals(row["remarks"]).as_dict())
    return CallFacts(
        call_type=row.get("call_type"),
        category=row.get("category"),
        apco_code=row.get("apco_code"),
        priority=row.get("priority"),
        source=row.get("source"),
        # A date-only export has no time of day: unknown, not midnight.
        local_time=row.get("received_local") if row.get("time_known", True) else None,
        answers={},
        signals=signals,
        repeat_address_calls=repeat_address_calls(row, calls),
    )


def expected_on_scene_minutes(row: dict[str, Any]) -> float:
    arrived, cleared = row.get("arrived_at"), row.get("cleared_at")
    if arrived is not None and cleared is not None:
        minutes = (cleared - arrived).total_seconds() / 60
        if 0 < minutes <= MAX_ON_SCENE_MINUTES:
            return minutes
    return default_on_scene_minutes(row.get("category"))
