"""Opening the calls store and reading back what imports left there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from coresponse.cad.schema import (
    CALLS_COLUMNS,
    IMPORTS_COLUMNS,
    QUARANTINE_COLUMNS,
    Column,
    create_table_sql,
)

TABLES: dict[str, tuple[Column, ...]] = {
    "calls": CALLS_COLUMNS,
    "quarantine": QUARANTINE_COLUMNS,
    "imports": IMPORTS_COLUMNS,
}


def connect_store(store: Path) -> duckdb.DuckDBPyConnection:
    """The store, created with its tables if new; columns added since are added to old stores."""
    store.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(store))
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    existing: dict[str, set[str]] = {}
    for table, column in connection.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall():
        existing.setdefault(table, set()).add(column)
    for table, columns in TABLES.items():
        if table not in existing:
            connection.execute(create_table_sql(table, columns))
            continue
        for column in columns:
            if column.name not in existing[table]:
                sql_type = column.sql_type.replace(" NOT NULL", "")
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {column.name} {sql_type}")
    return connection


@dataclass(frozen=True)
class CityCalls:
    city: str
    calls: int
    first_received_local: datetime | None
    last_received_local: datetime | None
    time_unknown: int


@dataclass(frozen=True)
class ImportRecord:
    import_id: str
    source_file: str
    profile: str
    city: str
    finished_at: datetime | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int


@dataclass(frozen=True)
class QuarantinedRow:
    import_id: str
    source_file: str
    source_line: int | None
    field: str | None
    kind: str | None
    reason: str
    raw: str | None


def _open_read_only(store: Path) -> duckdb.DuckDBPyConnection | None:
    if not store.exists():
        return None
    return duckdb.connect(str(store), read_only=True)


def calls_by_city(store: Path) -> list[CityCalls]:
    connection = _open_read_only(store)
    if connection is None:
        return []
    try:
        rows = connection.execute(
            "SELECT city, count(*), min(received_local), max(received_local), "
            "count(*) FILTER (WHERE NOT time_known) FROM calls GROUP BY city ORDER BY city"
        ).fetchall()
    finally:
        connection.close()
    return [CityCalls(*row) for row in rows]


def recent_imports(store: Path, *, limit: int = 20) -> list[ImportRecord]:
    connection = _open_read_only(store)
    if connection is None:
        return []
    try:
        rows = connection.execute(
            "SELECT import_id, source_file, profile, city, finished_at, rows_read, rows_loaded, "
            "rows_quarantined, rows_duplicate FROM imports ORDER BY started_at DESC, import_id DESC LIMIT ?",
            [limit],
        ).fetchall()
    finally:
        connection.close()
    return [ImportRecord(*row) for row in rows]


def quarantined_rows(
    store: Path, *, import_id: str | None = None, limit: int = 50
) -> list[QuarantinedRow]:
    """Rows set aside by one import (default: the latest import that set any aside)."""
    connection = _open_read_only(store)
    if connection is None:
        return []
    try:
        if import_id is None:
            latest = connection.execute(
                "SELECT import_id FROM imports WHERE rows_quarantined > 0 "
                "ORDER BY started_at DESC, import_id DESC LIMIT 1"
            ).fetchone()
            if latest is None:
                return []
            import_id = latest[0]
        rows = connection.execute(
            "SELECT import_id, source_file, source_line, field, kind, reason, raw FROM quarantine "
            "WHERE import_id = ? ORDER BY source_file, source_line LIMIT ?",
            [import_id, limit],
        ).fetchall()
    finally:
        connection.close()
    return [QuarantinedRow(*row) for row in rows]
