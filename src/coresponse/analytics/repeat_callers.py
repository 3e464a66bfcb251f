"""Repeat callers from the DuckDB call store: the outreach list, contact bands, before/after.

People are counted by ``person_key`` (the import's keyed hash of name and date of birth),
so the list never holds a name. Addresses are counted by their ``address`` text. "The last
12 months" ends at ``as_of``, which callers pass in (the latest call in the store is the
honest default for historical data; ``latest_call`` gives it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

YEAR = timedelta(days=365)
BANDS: tuple[int, ...] = (5, 10, 20, 40)


class CallStoreError(RuntimeError):
    """The call store cannot be read, or holds no calls table."""


@dataclass(frozen=True)
class RepeatCaller:
    """One person (or one address) on the outreach list."""

    key: str  # person_key, or the address
    calls: int
    first_call: datetime
    last_call: datetime
    cities: tuple[str, ...]
    top_call_type: str | None

    def days_since_last(self, as_of: datetime) -> int:
        return max(0, (as_of - self.last_call).days)

    def describe(self, as_of: datetime) -> str:
        """``22 calls in 12 months, last 3 days ago``."""
        days = self.days_since_last(as_of)
        when = "today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
        return f"{self.calls} calls in 12 months, last {when}"


@dataclass(frozen=True)
class CallRef:
    city: str
    event_id: str
    received_at: datetime | None
    call_type: str | None


@dataclass(frozen=True)
class BeforeAfter:
    """Calls in the 12 months before and after a date; ``after_days`` < 365 while the year runs."""

    before: int
    after: int
    after_days: int

    @property
    def after_complete(self) -> bool:
        return self.after_days >= YEAR.days


def _connect(store: Path) -> duckdb.DuckDBPyConnection:
    if not store.exists():
        raise CallStoreError(f"no call store at {store}: import calls first (coresponse cad import)")
    try:
        connection = duckdb.connect(str(store), read_only=True)
    except duckdb.Error as error:
        raise CallStoreError(f"the call store {store} cannot be opened: {error}") from error
    tables = {row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "calls" not in tables:
        connection.close()
        raise CallStoreError(f"the call store {store} has no calls table yet")
    return connection


def latest_call(store: Path) -> datetime | None:
    """When the newest call in the store was received (UTC, naive), or None when it is empty."""
    connection = _connect(store)
    try:
        row = connection.execute("SELECT max(received_at) FROM calls").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def _rank(store: Path, column: str, *, as_of: datetime, min_calls: int, limit: int | None) -> list[RepeatCaller]:
    connection = _connect(store)
    try:
        rows = connection.execute(
            f"""
            SELECT {column} AS key, count(*) AS calls, min(received_at), max(received_at),
                   list(DISTINCT city ORDER BY city), mode(call_type)
            FROM calls
            WHERE {column} IS NOT NULL AND {column} <> ''
              AND received_at > ? AND received_at <= ?
            GROUP BY {column}
            HAVING count(*) >= ?
            ORDER BY calls DESC, max(received_at) DESC, key
            {"LIMIT " + str(int(limit)) if limit else ""}
            """,
            [as_of - YEAR, as_of, min_calls],
        ).fetchall()
    finally:
        connection.close()
    return [
        RepeatCaller(key=key, calls=calls, first_call=first, last_call=last, cities=tuple(cities), top_call_type=top)
        for key, calls, first, last, cities, top in rows
    ]


def rank_people(store: Path, *, as_of: datetime, min_calls: int = 5, limit: int | None = 100) -> list[RepeatCaller]:
    """People with at least ``min_calls`` calls in the 12 months to ``as_of``, most calls first."""
    return _rank(store, "person_key", as_of=as_of, min_calls=min_calls, limit=limit)


def rank_addresses(store: Path, *, as_of: datetime, min_calls: int = 5, limit: int | None = 100) -> list[RepeatCaller]:
    """Addresses with at least ``min_calls`` calls in the 12 months to ``as_of``, most calls first."""
    return _rank(store, "address", as_of=as_of, min_calls=min_calls, limit=limit)


def contact_bands(store: Path, *, as_of: datetime, bands: Sequence[int] = BANDS) -> dict[int, int]:
    """How many people had at least 5, 10, 20 and 40 calls in the 12 months to ``as_of``.

    Thresholds are "at least" (a person with 25 calls counts at 5, 10 and 20), as in
    Durham's HEART dashboard, whose figures fall as the threshold rises.
    """
    connection = _connect(store)
    try:
        selects = ", ".join(f"count(*) FILTER (WHERE n >= {int(band)})" for band in bands)
        row = connection.execute(
            f"""
            SELECT {selects} FROM (
                SELECT person_key, count(*) AS n FROM calls
                WHERE person_key IS NOT NULL AND person_key <> ''
                  AND received_at > ? AND received_at <= ?
                GROUP BY person_key
            )
            """,
            [as_of - YEAR, as_of],
        ).fetchone()
    finally:
        connection.close()
    return {band: int(count or 0) for band, count in zip(bands, row or (0,) * len(bands), strict=True)}


def calls_for_person(
    store: Path, person_key: str, *, since: datetime | None = None, until: datetime | None = None
) -> list[CallRef]:
    """The calls about one person, newest first, optionally within (since, until]."""
    connection = _connect(store)
    try:
        rows = connection.execute(
            """
            SELECT city, event_id, received_at, call_type FROM calls
            WHERE person_key = ?
              AND (CAST(? AS TIMESTAMP) IS NULL OR received_at > ?)
              AND (CAST(? AS TIMESTAMP) IS NULL OR received_at <= ?)
            ORDER BY received_at DESC NULLS LAST, city, event_id
            """,
            [person_key, since, since, until, until],
        ).fetchall()
    finally:
        connection.close()
    return [CallRef(city=c, event_id=e, received_at=r, call_type=t) for c, e, r, t in rows]


def before_after(
    store: Path, person_keys: Sequence[str], *, enrolled_at: datetime, as_of: datetime
) -> BeforeAfter:
    """Calls about these people in the 12 months before enrolment and in the 12 months after.

    The "after" window stops at ``as_of`` while the year is not over, and at the newest
    call in the store when the store ends sooner (a historical export says nothing about
    the months after it); ``after_days`` says how much of the year was seen, so a half
    year is never read as a full one.
    """
    connection = _connect(store)
    try:
        newest = connection.execute("SELECT max(received_at) FROM calls").fetchone()
        horizon = min(as_of, newest[0]) if newest and newest[0] is not None else as_of
        after_end = max(enrolled_at, min(enrolled_at + YEAR, horizon))
        if not person_keys:
            return BeforeAfter(before=0, after=0, after_days=(after_end - enrolled_at).days)
        row = connection.execute(
            """
            SELECT count(*) FILTER (WHERE received_at > ? AND received_at <= ?),
                   count(*) FILTER (WHERE received_at > ? AND received_at <= ?)
            FROM calls WHERE list_contains(?, person_key)
            """,
            [enrolled_at - YEAR, enrolled_at, enrolled_at, after_end, list(person_keys)],
        ).fetchone()
    finally:
        connection.close()
    before, after = row or (0, 0)
    after_days = max(0, (after_end - enrolled_at).days)
    return BeforeAfter(before=int(before), after=int(after), after_days=after_days)


def calls_for_people(
    store: Path, person_keys: Sequence[str], *, since: datetime | None = None, until: datetime | None = None
) -> dict[str, list[CallRef]]:
    """``calls_for_person`` for many people in one pass over the store."""
    found: dict[str, list[CallRef]] = {key: [] for key in person_keys}
    if not person_keys:
        return found
    connection = _connect(store)
    try:
        rows = connection.execute(
            """
            SELECT person_key, city, event_id, received_at, call_type FROM calls
            WHERE list_contains(?, person_key)
              AND (CAST(? AS TIMESTAMP) IS NULL OR received_at > ?)
              AND (CAST(? AS TIMESTAMP) IS NULL OR received_at <= ?)
            ORDER BY received_at DESC NULLS LAST, city, event_id
            """,
            [list(person_keys), since, since, until, until],
        ).fetchall()
    finally:
        connection.close()
    for key, city, event_id, received_at, call_type in rows:
        found[key].append(CallRef(city=city, event_id=event_id, received_at=received_at, call_type=call_type))
    return found


def resolve_person_key(store: Path, prefix: str) -> str:
    """The one person key starting with ``prefix`` (at least 6 characters); ValueError otherwise."""
    if len(prefix) < 6:
        raise ValueError(f"person key {prefix!r} is too short: give at least 6 characters")
    connection = _connect(store)
    try:
        rows = connection.execute(
            "SELECT DISTINCT person_key FROM calls WHERE starts_with(person_key, ?) LIMIT 2", [prefix]
        ).fetchall()
    finally:
        connection.close()
    if not rows:
        raise ValueError(f"no calls in {store} have a person key starting {prefix!r}")
    if len(rows) > 1:
        raise ValueError(f"person key {prefix!r} is ambiguous: give more characters")
    return str(rows[0][0])
