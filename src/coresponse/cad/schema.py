"""The normalised store of historical calls (DuckDB), shared by import, triage replay and analytics.

Times are stored as naive UTC timestamps; ``received_local`` keeps the city's wall-clock
time of the call as well, because team hours and hour-of-day patterns are local.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    meaning: str
    # DuckDB storage of the column when it is not DuckDB's own choice: keyed hashes are random,
    # so compressing them saves little space (about half) for most of the cost of writing them.
    compression: str = ""


CALLS_COLUMNS: tuple[Column, ...] = (
    Column("city", "VARCHAR NOT NULL", "the profile's city (seattle, new_orleans, detroit, ...)"),
    Column("event_id", "VARCHAR NOT NULL", "the CAD event number; unique within a city"),
    Column("received_at", "TIMESTAMP", "call received or first queued, UTC"),
    Column("received_local", "TIMESTAMP", "the same moment on the city's wall clock"),
    Column("time_known", "BOOLEAN", "false when the export gives a date only"),
    Column("dispatched_at", "TIMESTAMP", "first unit dispatched, UTC"),
    Column("arrived_at", "TIMESTAMP", "first unit on scene, UTC"),
    Column("cleared_at", "TIMESTAMP", "call cleared or closed, UTC"),
    Column("call_type", "VARCHAR", "the initial call type: what the call-taker knew"),
    Column("final_call_type", "VARCHAR", "the call type after the response"),
    Column("category", "VARCHAR", "shared category of call_type (calltypes mapping)"),
    Column("apco_code", "VARCHAR", "APCO common incident type of call_type, where one fits"),
    Column("final_category", "VARCHAR", "shared category of final_call_type"),
    Column("priority", "INTEGER", "priority as a number, 1 most urgent"),
    Column("priority_raw", "VARCHAR", "priority as the city wrote it (New Orleans: 2A)"),
    Column("disposition", "VARCHAR", "clearance or disposition text"),
    Column("source", "VARCHAR", "911, non_emergency, officer_initiated, alarm or other"),
    Column("source_raw", "VARCHAR", "the source as the city wrote it"),
    Column("precinct", "VARCHAR", "precinct or district"),
    Column("sector", "VARCHAR", "sector or zone"),
    Column("beat", "VARCHAR", "beat"),
    Column("latitude", "DOUBLE", "WGS84 latitude (often blurred by the city)"),
    Column("longitude", "DOUBLE", "WGS84 longitude"),
    Column("address", "VARCHAR", "address or block"),
    Column("remarks", "VARCHAR", "call-taker narrative, where the export has it"),
    Column(
        "person_key",
        "VARCHAR",
        "keyed hash of the person's name (+ date of birth)",
        compression="uncompressed",
    ),
    Column(
        "phone_key",
        "VARCHAR",
        "keyed hash of the caller's phone number",
        compression="uncompressed",
    ),
    Column("import_id", "VARCHAR", "the import that loaded the row"),
    Column("source_file", "VARCHAR", "the file the row came from"),
    Column("source_line", "BIGINT", "its line number in that file (header is line 1)"),
)

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    Column("import_id", "VARCHAR NOT NULL", "the import that rejected the row"),
    Column("source_file", "VARCHAR NOT NULL", "the file"),
    Column("source_line", "BIGINT", "line number in the file (header is line 1)"),
    Column("field", "VARCHAR", "the field at fault, or NULL when the whole row is"),
    Column("reason", "VARCHAR NOT NULL", "what was wrong, in words"),
    Column("raw", "VARCHAR", "the row as read, person values redacted (docs/cad.md, Bad input)"),
    Column("kind", "VARCHAR", "short name of the reason (bad_date, missing_event_id, ...)"),
)

IMPORTS_COLUMNS: tuple[Column, ...] = (
    Column("import_id", "VARCHAR NOT NULL", "unique id of this import"),
    Column("source_file", "VARCHAR NOT NULL", "the file imported"),
    Column("file_sha256", "VARCHAR", "content hash of the file"),
    Column("profile", "VARCHAR NOT NULL", "the profile used"),
    Column("city", "VARCHAR NOT NULL", "the profile's city"),
    Column("timezone", "VARCHAR NOT NULL", "the city's time zone"),
    Column("started_at", "TIMESTAMP", "UTC"),
    Column("finished_at", "TIMESTAMP", "UTC"),
    Column("rows_read", "BIGINT", "data rows read from the file"),
    Column("rows_loaded", "BIGINT", "rows added to calls"),
    Column("rows_quarantined", "BIGINT", "rows sent to quarantine"),
    Column("rows_duplicate", "BIGINT", "rows already in calls (same city and event id)"),
    Column("first_received_local", "TIMESTAMP", "earliest call read, city wall clock"),
    Column("last_received_local", "TIMESTAMP", "latest call read, city wall clock"),
    Column("warnings", "VARCHAR", "file-level warnings (unknown columns, ...), one per line"),
)


def create_table_sql(table: str, columns: tuple[Column, ...]) -> str:
    body = ",\n    ".join(
        f"{column.name} {column.sql_type}"
        + (f" USING COMPRESSION {column.compression}" if column.compression else "")
        for column in columns
    )
    return f"CREATE TABLE IF NOT EXISTS {table} (\n    {body}\n)"
