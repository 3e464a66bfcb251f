"""The headline figures of the loaded CAD data, for the landing page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class CountRow:
    label: str
    calls: int
    share: float


@dataclass(frozen=True)
class Overview:
    calls: int = 0
    first_received: datetime | None = None
    last_received: datetime | None = None
    cities: tuple[str, ...] = ()
    top_call_types: tuple[CountRow, ...] = ()
    by_category: tuple[CountRow, ...] = ()
    quarantined: int = 0
    problem: str | None = None
    notes: list[str] = field(default_factory=list)


def overview(store: Path, *, top: int = 10) -> Overview:
    """Counts from the DuckDB store; an empty ``Overview`` with a ``problem`` when it cannot be read."""
    if not store.exists():
        return Overview(problem=f"No calls have been imported yet ({store} does not exist).")
    try:
        connection = duckdb.connect(str(store), read_only=True)
    except duckdb.Error as error:
        return Overview(problem=f"The call store {store} cannot be opened: {error}")
    try:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "calls" not in tables:
            return Overview(problem=f"The call store {store} has no calls table yet.")
        total, first, last = connection.execute(
            "SELECT count(*), min(received_local), max(received_local) FROM calls"
        ).fetchone() or (0, None, None)
        cities = tuple(
            row[0] for row in connection.execute("SELECT DISTINCT city FROM calls ORDER BY 1").fetchall()
        )
        top_call_types = _counts(connection, "call_type", total, top)
        by_category = _counts(connection, "category", total, 30)
        quarantined = 0
        if "quarantine" in tables:
            quarantined = connection.execute("SELECT count(*) FROM quarantine").fetchone()[0]  # type: ignore[index]
        return Overview(
            calls=total,
            first_received=first,
            last_received=last,
            cities=cities,
            top_call_types=top_call_types,
            by_category=by_category,
            quarantined=quarantined,
        )
    finally:
        connection.close()


def _counts(connection: duckdb.DuckDBPyConnection, column: str, total: int, limit: int) -> tuple[CountRow, ...]:
    rows = connection.execute(
        f"SELECT coalesce({column}, '(unmapped)') AS label, count(*) AS n FROM calls "
        f"GROUP BY ALL ORDER BY n DESC, label LIMIT {int(limit)}"
    ).fetchall()
    return tuple(CountRow(label=label, calls=n, share=(n / total if total else 0.0)) for label, n in rows)
