"""The streaming import of a city's CAD export into the calls store.

Each file goes through DuckDB once: ``read_csv`` (every column as text, malformed lines
recorded by DuckDB's ``store_rejects``) feeds SQL that parses times, numbers and
coordinates with ``try_`` functions, converts the city's wall clock to UTC, hashes person
fields and notes the first problem of every row, into a typed staging table. Good rows
then go to ``calls`` (first occurrence of each event id, skipping ids the store already
holds for the city), bad rows and malformed lines to ``quarantine``. Memory stays bounded
because DuckDB streams the file and spills to disk; nothing passes through Python rows.

Rules (the why is in docs/cad.md):

- ``read = loaded + quarantined + duplicates`` for every file; the import checks the
  tables agree before it commits, and commits each file in one transaction.
- A row is quarantined for its first problem: a missing event id or received time, a value
  that does not parse (date, number, coordinate), a malformed CSV line (wrong number of
  fields, bad quoting, bad encoding). A blank optional value is NULL, not a problem.
- A file that lacks a required column stops at once (``ProfileMismatch``) naming it.
- Columns the profile does not know are a warning, kept in the imports table.
- A quarantined row's ``raw`` never holds a person value in plain text: a parsed row shows
  ``[redacted:<8 hex of its keyed hash>]`` per person value, a malformed line from a file
  with person columns is withheld whole (it cannot be split into columns reliably).
- Line numbers are physical lines, header = 1, counting the lines inside quoted fields.
  In Parquet, ``source_line`` is the row number (first row = 1).
- Wall-clock times in a DST overlap (fall-back hour) read as standard time, the later of
  the two instants, unless the call's later times then come before its received time (it
  was received in the first pass: daylight time); times in a DST gap (spring-forward) read
  with the offset before the change, so 02:30 becomes 03:30 daylight time.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from coresponse.cad.profile import CALLS_TYPES, PERSON_FIELDS, Profile, header_key
from coresponse.cad.pseudonym import (
    MALFORMED_LINE_WITHHELD,
    dob_sql,
    hmac_sql,
    name_sql,
    phone_sql,
    redacted_sql,
)
from coresponse.cad.store import connect_store
from coresponse.calltypes import MappedType, load_mapping

ProgressCallback = Callable[[str, float], None]
"""Called with a stage name and the fraction done (0..1) of the current file."""

PARQUET_SUFFIXES = {".parquet", ".pq"}
DEFAULT_MEMORY_LIMIT = "2GB"
DEFAULT_PRIORITY_PATTERN = r"(\d+)"
REJECT_KINDS = {
    "MISSING COLUMNS": "wrong_field_count",
    "TOO MANY COLUMNS": "wrong_field_count",
    "INVALID ENCODING": "bad_encoding",
    "UNQUOTED VALUE": "malformed_csv",
    "INVALID STATE": "malformed_csv",
    "LINE SIZE OVER MAXIMUM": "line_too_long",
    "CAST": "malformed_csv",
}
# A call type as the mapping matches it: case, runs of spaces and Seattle's leading "--" ignored.
CALL_TYPE_KEY = "upper(regexp_replace(trim(ltrim(trim({}), '-')), '\\s+', ' ', 'g'))"
TEXT_FIELDS = tuple(
    name
    for name, sql_type in CALLS_TYPES.items()
    if sql_type == "VARCHAR"
    and name
    not in {
        "city",
        "category",
        "apco_code",
        "final_category",
        "priority_raw",
        "source",
        "source_raw",
        "person_key",
        "phone_key",
        "import_id",
        "source_file",
    }
)
STAGED_FIELDS = (
    "event_id",
    "received_at",
    "received_local",
    "time_known",
    "dispatched_at",
    "arrived_at",
    "cleared_at",
    "call_type",
    "final_call_type",
    "priority",
    "priority_raw",
    "disposition",
    "source",
    "source_raw",
    "precinct",
    "sector",
    "beat",
    "latitude",
    "longitude",
    "address",
    "remarks",
    "person_key",
    "phone_key",
)


class ImportFailed(Exception):
    """Base of the errors that stop a file's import (never raised for a bad row)."""


class ProfileMismatch(ImportFailed):
    """The file does not fit the profile at all: required columns are missing."""


class UnreadableFile(ImportFailed):
    """The file cannot be opened or read as CSV/Parquet at all."""


@dataclass(frozen=True)
class ImportResult:
    import_id: str
    source_file: str
    profile: str
    city: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    first_received_local: datetime | None
    last_received_local: datetime | None
    seconds: float
    warnings: tuple[str, ...] = ()
    quarantine_reasons: tuple[tuple[str, str, int], ...] = ()  # (kind, field, rows)
    unmapped_call_types: tuple[tuple[str, int], ...] = ()  # (call type, calls), largest first
    unmapped_calls: int = 0
    unmapped_codes: int = 0

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_duplicate


@dataclass(frozen=True)
class Check:
    field: str
    kind: str
    condition: str  # SQL over the parsed columns; true when the row has this problem
    reason: str  # SQL producing the reason text for such a row


@dataclass
class _Plan:
    """Everything needed to read one file: the source relation and the SQL per field."""

    source_sql: str
    raw_columns: list[str]  # SQL of every source column as text, in file order
    header: list[str] = field(default_factory=list)  # the file's own column names
    # Layer n's expressions may name the fields of layers before it (layer 0 reads the file).
    layers: list[dict[str, str]] = field(default_factory=lambda: [{}, {}, {}, {}, {}])
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    is_parquet: bool = False
    # Index in raw_columns of each person column -> SQL of its keyed hash (hex), for the marker
    # that stands for its value in a quarantined row's raw.
    person_markers: dict[int, str] = field(default_factory=dict)


def import_files(
    paths: Sequence[Path],
    profile: Profile,
    *,
    store: Path,
    key: bytes,
    on_progress: Callable[[Path, str, float], None] | None = None,
    mapping: dict[str, MappedType] | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> list[ImportResult]:
    """Import every file in turn into ``store``; a file that does not fit stops the run.

    Files already imported stay imported: each file commits on its own. DuckDB keeps to
    ``memory_limit`` and spills to disk beyond it, whatever the size of the file.
    """
    mapping = load_mapping(profile.city) if mapping is None else mapping
    try:
        connection = connect_store(store)
    except duckdb.Error as error:
        # Most often another process (the web app, a notebook) holds the store open.
        raise ImportFailed(
            f"the call store {store} cannot be opened for writing: {error}"
        ) from error
    try:
        # The staging table's rowid is the row's place in the file only in insertion order.
        connection.execute("SET preserve_insertion_order = true")
        try:
            connection.execute(f"SET memory_limit = {_sql_string(memory_limit)}")
        except duckdb.Error as error:
            raise ImportFailed(
                f"memory limit {memory_limit!r} is not a size such as 2GB: {error}"
            ) from error
        _load_mapping_table(connection, mapping)
        results = []
        for path in paths:
            callback: ProgressCallback | None = None
            if on_progress is not None:
                callback = _bind(on_progress, path)
            results.append(import_file(connection, path, profile, key=key, on_progress=callback))
        return results
    finally:
        connection.close()


def _bind(on_progress: Callable[[Path, str, float], None], path: Path) -> ProgressCallback:
    return lambda stage, fraction: on_progress(path, stage, fraction)


def import_file(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    profile: Profile,
    *,
    key: bytes,
    on_progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import one file through an open store connection (see the module docstring)."""
    started = time.perf_counter()
    started_at = datetime.now(UTC).replace(tzinfo=None)
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    import_id = f"{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    tag = uuid.uuid4().hex[:8]
    staged, rejects, rejects_scan = f"staged_{tag}", f"rejects_{tag}", f"rejects_scan_{tag}"
    is_parquet = path.suffix.lower() in PARQUET_SUFFIXES
    buckets = [] if profile.times_in_utc else _cached_zone_buckets(connection, profile.timezone)
    plan = (
        _parquet_plan(connection, path, profile, key, buckets)
        if is_parquet
        else _csv_plan(path, profile, key, rejects, rejects_scan, buckets)
    )
    digest = _FileDigest(path)
    digest.start()
    report = on_progress or (lambda stage, fraction: None)
    report("reading", 0.0)
    try:
        _run(connection, _staging_sql(plan, staged), on_progress, "reading")
    except duckdb.Error as error:
        raise UnreadableFile(
            f"{path}: cannot be read with profile {profile.name}: {error}"
        ) from error
    report("loading", 0.95)
    digest.join()

    reject_rows = (
        _rejected_lines(connection, rejects, path, plan.header, withhold=bool(plan.person_markers))
        if not is_parquet
        else []
    )
    try:
        connection.execute("BEGIN TRANSACTION")
        line_sql = _line_numbers(connection, staged, reject_rows, is_parquet, digest, plan.warnings)
        loaded = _insert_calls(connection, staged, line_sql, profile, import_id, path)
        good, bad, first, last = connection.execute(
            f"SELECT count(*) FILTER (WHERE problem IS NULL), count(*) FILTER (WHERE problem IS NOT NULL), "
            f"min(received_local) FILTER (WHERE problem IS NULL), max(received_local) FILTER (WHERE problem IS NULL) "
            f"FROM {staged}"
        ).fetchone() or (0, 0, None, None)
        _insert_quarantine(connection, staged, line_sql, plan.checks, reject_rows, import_id, path)
        quarantined = bad + len(reject_rows)
        read = good + quarantined
        duplicates = good - loaded
        _verify_counts(connection, import_id, loaded, quarantined)
        connection.execute(
            "INSERT INTO imports (import_id, source_file, file_sha256, profile, city, timezone, "
            "started_at, finished_at, rows_read, rows_loaded, rows_quarantined, rows_duplicate, "
            "first_received_local, last_received_local, warnings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                str(path),
                digest.sha256,
                profile.name,
                profile.city,
                profile.timezone,
                started_at,
                datetime.now(UTC).replace(tzinfo=None),
                read,
                loaded,
                quarantined,
                duplicates,
                first,
                last,
                "\n".join(plan.warnings) or None,
            ],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {staged}")
        if not is_parquet:
            connection.execute(f"DROP TABLE IF EXISTS {rejects}")
            connection.execute(f"DROP TABLE IF EXISTS {rejects_scan}")
    report("done", 1.0)
    reasons = connection.execute(
        "SELECT kind, coalesce(field, '(row)'), count(*) FROM quarantine WHERE import_id = ? "
        "GROUP BY ALL ORDER BY 3 DESC, 1",
        [import_id],
    ).fetchall()
    unmapped = connection.execute(
        "SELECT call_type, count(*) AS calls FROM calls WHERE import_id = ? AND category IS NULL "
        "AND call_type IS NOT NULL GROUP BY ALL ORDER BY calls DESC, call_type",
        [import_id],
    ).fetchall()
    return ImportResult(
        import_id=import_id,
        source_file=str(path),
        profile=profile.name,
        city=profile.city,
        rows_read=read,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        rows_duplicate=duplicates,
        first_received_local=first,
        last_received_local=last,
        seconds=time.perf_counter() - started,
        warnings=tuple(plan.warnings),
        quarantine_reasons=tuple((kind, name, count) for kind, name, count in reasons),
        unmapped_call_types=tuple((call_type, calls) for call_type, calls in unmapped[:15]),
        unmapped_calls=sum(calls for _, calls in unmapped),
        unmapped_codes=len(unmapped),
    )


# --- wall clock to UTC ---------------------------------------------------------------------------

DAY_US = 86_400_000_000
BUCKET_DAYS = 64  # shorter than any gap between two DST changes of a zone: one change at most
_DAYS_BEFORE_1970 = 719_162  # days from 0001-01-01 (day 0 here) to 1970-01-01
_EPOCH_SHIFT_US = _DAYS_BEFORE_1970 * DAY_US  # so day numbers of real timestamps are >= 0
FAST_FIRST_DAY = _DAYS_BEFORE_1970 // BUCKET_DAYS * BUCKET_DAYS  # a bucket boundary in 1969
FAST_BUCKETS = 571  # to 2070
_OFFSET_BIAS = 1 << 19  # offsets in seconds, biased into 20 unsigned bits


def _zone_buckets(connection: duckdb.DuckDBPyConnection, zone: str) -> list[int | None]:
    """The zone's UTC offsets from 1969 to 2070 in 64-day buckets, computed once with ICU.

    A day is regular when its wall clock has one offset all day (ICU's offsets at 00:00, 12:00
    and 24:00 agree); a bucket is usable when it holds at most one irregular day (the change)
    with one offset before it and one after. Each usable bucket packs the change's day in the
    bucket (64 when none) and the two offsets in seconds into one integer; the others are
    NULL, as are the first and last entries (sentinels for times outside the range). Times in
    a NULL bucket or on the day of a change convert value by value through ICU, so the DST
    rules (the overlap, the gap) stay exactly ICU's.
    """
    first = FAST_FIRST_DAY - _DAYS_BEFORE_1970  # days from 1970-01-01, negative
    rows = connection.execute(
        f"""
        WITH points AS (
            SELECT range AS day,
                TIMESTAMP '1970-01-01' + to_days(CAST(range + {first} AS INTEGER)) + to_hours(hour) AS wall
            FROM range(0, {FAST_BUCKETS * BUCKET_DAYS}), (VALUES (0), (12), (24)) AS hours(hour)
        ),
        offsets AS (
            SELECT day, epoch_us(wall) - epoch_us(wall AT TIME ZONE {_sql_string(zone)}) AS offset_us
            FROM points
        )
        SELECT CASE WHEN min(offset_us) = max(offset_us) AND min(offset_us) % 1000000 = 0
            THEN min(offset_us) // 1000000 END
        FROM offsets GROUP BY day ORDER BY day
        """
    ).fetchall()
    offsets: list[int | None] = [row[0] for row in rows]
    buckets: list[int | None] = [None]
    for start in range(0, len(offsets), BUCKET_DAYS):
        part = offsets[start : start + BUCKET_DAYS]
        irregular = [index for index, offset in enumerate(part) if offset is None]
        change = irregular[0] if irregular else BUCKET_DAYS
        before = {offset for offset in part[:change] if offset is not None}
        after = {offset for offset in part[change + 1 :] if offset is not None}
        if (
            len(irregular) > 1
            or len(before) > 1
            or len(after) > 1
            or any(abs(offset) >= _OFFSET_BIAS for offset in before | after)
        ):
            buckets.append(None)
            continue
        offset_before = next(iter(before), 0)
        offset_after = next(iter(after), offset_before)
        buckets.append(
            (change << 40) | ((offset_before + _OFFSET_BIAS) << 20) | (offset_after + _OFFSET_BIAS)
        )
    buckets.append(None)
    return buckets


_ZONE_BUCKETS: dict[str, list[int | None]] = {}


def _cached_zone_buckets(connection: duckdb.DuckDBPyConnection, zone: str) -> list[int | None]:
    """``_zone_buckets`` once per zone and process (DuckDB's time-zone data does not change)."""
    if zone not in _ZONE_BUCKETS:
        _ZONE_BUCKETS[zone] = _zone_buckets(connection, zone)
    return _ZONE_BUCKETS[zone]


def _wall_to_utc_sql(wall: str, zone: str, buckets: list[int | None]) -> str:
    """SQL turning the naive wall-clock ``wall`` in ``zone`` into a naive UTC timestamp.

    The same result as ``make_timestamp(epoch_us(wall AT TIME ZONE zone))`` (ICU, which
    costs about 150 to 250 ns a value): on the ordinary days of 1969 to 2070 the offset comes
    from ``buckets`` (see ``_zone_buckets``) by integer arithmetic; times on a day the offset
    changes, or outside that range, still go through ICU one by one.
    """
    table = "[" + ", ".join("NULL" if value is None else str(value) for value in buckets) + "]"
    day = f"((epoch_us({wall}) + {_EPOCH_SHIFT_US}) // {DAY_US})"
    index = (
        f"greatest(least({day} // {BUCKET_DAYS} - {FAST_FIRST_DAY // BUCKET_DAYS - 2}, "
        f"{len(buckets)}), 1)"
    )
    packed = f"{table}[{index}]"
    within = f"({day} % {BUCKET_DAYS})"
    change = f"({packed} >> 40)"
    mask = (1 << 20) - 1
    before = f"((({packed} >> 20) & {mask}) - {_OFFSET_BIAS})"
    after = f"(({packed} & {mask}) - {_OFFSET_BIAS})"
    offset = (
        f"CASE WHEN {within} < {change} THEN {before} WHEN {within} > {change} THEN {after} END"
    )
    icu = f"make_timestamp(epoch_us({wall} AT TIME ZONE {_sql_string(zone)}))"
    return f"coalesce(make_timestamp(epoch_us({wall}) - 1000000 * ({offset})), {icu})"


# --- reading the header and planning the SQL -------------------------------------------------


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_header(path: Path, profile: Profile) -> list[str]:
    """The header row, read from the start of the file (later bad bytes are the rows' problem)."""
    encoding = "utf-8-sig" if profile.encoding in {"utf-8", "utf8"} else profile.encoding
    opener: Any = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            start = handle.read(1 << 20)
        text = start.decode(encoding, errors="replace")
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter), None)
    except (OSError, csv.Error, LookupError) as error:
        raise UnreadableFile(f"{path}: cannot read the header line: {error}") from error
    if not header or not any(name.strip() for name in header):
        raise UnreadableFile(f"{path}: the file is empty (no header line)")
    if any("\ufffd" in name for name in header):
        raise UnreadableFile(f"{path}: the header line is not {profile.encoding} text")
    return header


def _resolve_columns(
    path: Path, header: list[str], column_sql: list[str], profile: Profile
) -> tuple[dict[str, str], list[str]]:
    """Which source column (as SQL) feeds each profile field, and the file-level warnings."""
    by_key: dict[str, int] = {}
    warnings: list[str] = []
    for index, name in enumerate(header):
        key = header_key(name)
        if key in by_key:
            warnings.append(f"column {name!r} appears twice; the first one is used")
            continue
        by_key[key] = index

    def find(alternatives: Sequence[str]) -> str | None:
        for alternative in alternatives:
            index = by_key.get(header_key(alternative))
            if index is not None:
                return column_sql[index]
        return None

    resolved: dict[str, str] = {}
    missing: list[str] = []
    for target, alternatives in profile.columns.items():
        found = find(alternatives)
        if found is not None:
            resolved[target] = found
        elif target in profile.required:
            missing.append(f"{target} (column {' or '.join(repr(name) for name in alternatives)})")
    if profile.point_column:
        found = find(profile.point_column)
        if found is not None:
            resolved["__point"] = found
    if profile.durations:
        for target, sources in profile.durations.fields.items():
            for source in sources:
                found = find([source])
                if found is None:
                    if target in profile.required:
                        missing.append(f"{target} (duration column {source!r})")
                    break
                resolved[f"__duration:{target}:{source}"] = found
    if missing:
        raise ProfileMismatch(
            f"{path} does not fit profile {profile.name!r}: missing required "
            f"{'; '.join(missing)}. The file's columns are: {', '.join(header)}"
        )
    known = profile.source_columns()
    unknown = [name for name in header if header_key(name) not in known]
    if unknown:
        warnings.append(
            f"columns not in profile {profile.name!r}, not imported: {', '.join(unknown)}"
        )
    return resolved, warnings


def _csv_plan(
    path: Path,
    profile: Profile,
    key: bytes,
    rejects: str,
    rejects_scan: str,
    buckets: list[int | None],
) -> _Plan:
    header = _read_header(path, profile)
    names = [f"c{index}" for index in range(len(header))]
    resolved, warnings = _resolve_columns(path, header, names, profile)
    encoding = {"utf8": "utf-8", "latin1": "latin-1"}.get(profile.encoding, profile.encoding)
    source_sql = (
        f"read_csv({_sql_string(str(path))}, header = true, all_varchar = true, "
        f"names = [{', '.join(_sql_string(name) for name in names)}], "
        f"delim = {_sql_string(profile.delimiter)}, quote = '\"', escape = '\"', "
        f"encoding = {_sql_string(encoding)}, strict_mode = true, null_padding = false, "
        f"store_rejects = true, rejects_table = {_sql_string(rejects)}, "
        f"rejects_scan = {_sql_string(rejects_scan)}, max_line_size = 10000000)"
    )
    plan = _Plan(source_sql=source_sql, raw_columns=names, header=header, warnings=warnings)
    _plan_fields(plan, resolved, profile, key, kinds={}, buckets=buckets)
    return plan


def _parquet_plan(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    profile: Profile,
    key: bytes,
    buckets: list[int | None],
) -> _Plan:
    try:
        described = connection.execute(
            f"DESCRIBE SELECT * FROM read_parquet({_sql_string(str(path))})"
        ).fetchall()
    except duckdb.Error as error:
        raise UnreadableFile(f"{path}: not a readable Parquet file: {error}") from error
    header = [row[0] for row in described]
    # Positional names, as for CSV: a file's own column may not shadow a field of the SQL
    # (a Parquet column called received_at is the text the received_at field is parsed from).
    names = [f"c{index}" for index in range(len(header))]
    types = {name: str(row[1]).upper() for name, row in zip(names, described, strict=True)}
    resolved, warnings = _resolve_columns(path, header, names, profile)
    renamed = ", ".join(
        f"{_quote_identifier(original)} AS {name}"
        for original, name in zip(header, names, strict=True)
    )
    if "file_row_number" in {name.lower() for name in header}:
        # The file has its own column of that name, which DuckDB's option would clash with:
        # number the rows in the order the scan returns them (a row_number over the file).
        source_sql = (
            f"(SELECT {renamed}, ordinality - 1 AS __row "
            f"FROM read_parquet({_sql_string(str(path))}) WITH ORDINALITY)"
        )
    else:
        source_sql = (
            f"(SELECT {renamed}, file_row_number AS __row FROM read_parquet({_sql_string(str(path))}, "
            f"file_row_number = true))"
        )
    raw = [f"CAST({name} AS VARCHAR)" for name in names]
    plan = _Plan(source_sql=source_sql, raw_columns=raw, warnings=warnings, is_parquet=True)
    _plan_fields(plan, resolved, profile, key, kinds=types, buckets=buckets)
    return plan


def _text_sql(column: str, kind: str | None) -> str:
    value = column if kind in (None, "VARCHAR") else f"CAST({column} AS VARCHAR)"
    # trim() copies every string; most values have no padding, so test the ends first.
    trimmed = (
        f"CASE WHEN {value} LIKE ' %' OR {value} LIKE '% ' THEN trim({value}) ELSE {value} END"
    )
    return f"nullif({trimmed}, '')"


def _plan_fields(
    plan: _Plan,
    resolved: dict[str, str],
    profile: Profile,
    key: bytes,
    kinds: dict[str, str],
    buckets: list[int | None],
) -> None:
    """Fill ``plan.layers`` (SQL per staged field) and ``plan.checks`` (row problems)."""
    read, parse, wall, utc, late = plan.layers
    checks = plan.checks
    zone = _sql_string(profile.timezone)

    def text(target: str) -> str:
        column = resolved.get(target)
        return "NULL::VARCHAR" if column is None else _text_sql(column, kinds.get(column))

    def column_label(target: str) -> str:
        alternatives = profile.columns.get(target, ())
        return alternatives[0] if alternatives else target

    for target in TEXT_FIELDS:
        read[target] = text(target)
    read["event_id"] = text("event_id")
    checks.append(
        Check(
            "event_id",
            "missing_event_id",
            "event_id IS NULL",
            _sql_string(f"missing event id (column {column_label('event_id')!r} is empty)"),
        )
    )

    # Times: parse each as naive wall clock (or with its offset), then to UTC.
    formats = "[" + ", ".join(_sql_string(fmt) for fmt in profile.datetime_formats) + "]"
    date_formats = "[" + ", ".join(_sql_string(fmt) for fmt in profile.date_formats) + "]"
    format_text = " or ".join(profile.datetime_formats + profile.date_formats)

    def add_time(target: str, *, with_local: bool) -> None:
        """{target}_raw (layer 0), parsed (1), wall clock (2), {target} in UTC (3)."""
        raw_name = f"{target}_raw"
        column = resolved.get(target)
        if column is None:
            read[raw_name] = "NULL::VARCHAR"
            utc[target] = "NULL::TIMESTAMP"
            if with_local:
                utc["received_local"] = "NULL::TIMESTAMP"
                utc["time_known"] = "NULL::BOOLEAN"
            return
        kind = kinds.get(column, "VARCHAR")
        read[raw_name] = _text_sql(column, kind)
        if kind.startswith("TIMESTAMP WITH TIME ZONE") or (
            kind == "VARCHAR" and profile.formats_have_offset
        ):
            instant = column if kind != "VARCHAR" else f"try_strptime({raw_name}, {formats})"
            parse[f"{target}_instant"] = instant
            utc[target] = f"make_timestamp(epoch_us({target}_instant))"
            if with_local:
                utc["received_local"] = f"{target}_instant AT TIME ZONE {zone}"
                utc["time_known"] = f"{target}_instant IS NOT NULL OR NULL"
            return
        if kind.startswith("TIMESTAMP") or kind == "DATE":
            parse[f"{target}_time"] = (
                "NULL::TIMESTAMP" if kind == "DATE" else f"CAST({column} AS TIMESTAMP)"
            )
            date_sql = f"CAST({column} AS TIMESTAMP)" if kind == "DATE" else None
        else:
            parse[f"{target}_time"] = f"try_strptime({raw_name}, {formats})"
            date_sql = f"try_strptime({raw_name}, {date_formats})" if profile.date_formats else None
        wall_name = f"{target}_wall"
        # coalesce only evaluates the date formats on the rows the full formats missed.
        wall[wall_name] = f"coalesce({target}_time, {date_sql})" if date_sql else f"{target}_time"
        if profile.times_in_utc:
            utc[target] = wall_name
            local = f"({wall_name} AT TIME ZONE 'UTC') AT TIME ZONE {zone}"
        else:
            # The offset from a per-zone table on ordinary days, ICU on the days it changes.
            utc[target] = _wall_to_utc_sql(wall_name, profile.timezone, buckets)
            local = wall_name
        if with_local:
            utc["received_local"] = local
            utc["time_known"] = (
                f"CASE WHEN {wall_name} IS NOT NULL THEN {target}_time IS NOT NULL END"
            )

    add_time("received_at", with_local=True)
    utc["received_at_first"] = utc.pop("received_at")
    checks.append(
        Check(
            "received_at",
            "missing_received_time",
            "received_at_raw IS NULL",
            _sql_string(f"missing received time (column {column_label('received_at')!r} is empty)"),
        )
    )
    checks.append(
        Check(
            "received_at",
            "bad_date",
            "received_at_raw IS NOT NULL AND received_at IS NULL",
            f"'bad date in received_at: ' || received_at_raw || {_sql_string(' does not read as ' + format_text)}",
        )
    )
    durations = profile.durations.fields if profile.durations else {}
    for target in ("dispatched_at", "arrived_at", "cleared_at"):
        if target in durations:
            parts: list[str] = []
            for index, source in enumerate(durations[target]):
                column = resolved.get(f"__duration:{target}:{source}")
                if column is None:
                    parts = []
                    break
                raw_name = f"{target}_raw{index}"
                read[raw_name] = _text_sql(column, kinds.get(column))
                parse[f"{target}_minutes{index}"] = f"try_cast({raw_name} AS DOUBLE)"
                parts.append(f"{target}_minutes{index}")
                checks.append(
                    Check(
                        target,
                        "bad_number",
                        f"{raw_name} IS NOT NULL AND {target}_minutes{index} IS NULL",
                        f"'bad number in {source}: ' || {raw_name} || ' is not a number of "
                        f"{_duration_unit(profile)}'",
                    )
                )
            unit = profile.durations.unit_seconds if profile.durations else 60.0
            if parts:
                micros = f"CAST(round(({' + '.join(parts)}) * {unit * 1_000_000}) AS BIGINT)"
                late[target] = f"received_at_first + to_microseconds({micros})"
            else:
                utc[target] = "NULL::TIMESTAMP"
            continue
        add_time(target, with_local=False)
        checks.append(
            Check(
                target,
                "bad_date",
                f"{target}_raw IS NOT NULL AND {target} IS NULL",
                f"'bad date in {target}: ' || {target}_raw || {_sql_string(' does not read as ' + format_text)}",
            )
        )

    # A wall time in the fall-back hour reads as standard time (the later instant). When the
    # call's own later times, read the same way, come before it, it was the first pass of the
    # hour (daylight time): one hour earlier.
    later = [
        target
        for target in ("dispatched_at", "arrived_at", "cleared_at")
        if target in utc and utc[target] != "NULL::TIMESTAMP"
    ]
    wall_clock = (
        "received_at" in resolved
        and not profile.times_in_utc
        and kinds.get(resolved["received_at"], "VARCHAR") in {"VARCHAR", "TIMESTAMP"}
        and not (
            kinds.get(resolved["received_at"], "VARCHAR") == "VARCHAR"
            and profile.formats_have_offset
        )
    )
    if wall_clock and later:
        earlier = "received_at_first - INTERVAL 1 HOUR"
        late["received_at"] = (
            f"CASE WHEN received_at_first > least({', '.join(later)}) "
            f"AND (({earlier}) AT TIME ZONE 'UTC') AT TIME ZONE {zone} = received_local "
            f"THEN {earlier} ELSE received_at_first END"
        )
    else:
        late["received_at"] = "received_at_first"

    # Priority: the first number in the city's value; the value itself kept as written.
    read["priority_raw"] = text("priority")
    extracted = f"try_cast(nullif(regexp_extract(priority_raw, {_sql_string(profile.priority_pattern)}, 1), '') AS INTEGER)"
    if profile.priority_pattern == DEFAULT_PRIORITY_PATTERN:
        # Most priorities are one digit, which the default pattern reads as itself: skip the
        # regular expression (a tenth of the cost) for those.
        extracted = (
            "CASE WHEN strlen(priority_raw) = 1 AND priority_raw BETWEEN '0' AND '9' "
            f"THEN ascii(priority_raw) - 48 ELSE {extracted} END"
        )
    parse["priority"] = extracted
    checks.append(
        Check(
            "priority",
            "bad_number",
            "priority_raw IS NOT NULL AND priority IS NULL",
            "'bad number in priority: ' || priority_raw || ' has no priority level'",
        )
    )

    # Source: the city's value onto the shared vocabulary, case-insensitively.
    read["source_raw"] = text("source")
    if profile.source_values:
        cases = " ".join(
            f"WHEN {_sql_string(value)} THEN {_sql_string(target)}"
            for value, target in profile.source_values.items()
        )
        parse["source"] = (
            f"CASE WHEN source_raw IS NULL THEN NULL ELSE CASE upper(source_raw) {cases} "
            f"ELSE {_sql_string(profile.source_default)} END END"
        )
    else:
        parse["source"] = (
            f"CASE WHEN source_raw IS NULL THEN NULL ELSE {_sql_string(profile.source_default)} END"
        )

    # Coordinates: numbers in range; a WKT point when the city publishes one.
    point = resolved.get("__point")
    if point is not None:
        read["point_raw"] = _text_sql(point, kinds.get(point))
        pattern = r"^POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)$"
        parse["point_lon"] = (
            f"try_cast(regexp_extract(upper(point_raw), {_sql_string(pattern)}, 1) AS DOUBLE)"
        )
        parse["point_lat"] = (
            f"try_cast(regexp_extract(upper(point_raw), {_sql_string(pattern)}, 2) AS DOUBLE)"
        )
        checks.append(
            Check(
                "longitude",
                "bad_coordinate",
                "point_raw IS NOT NULL AND (point_lon IS NULL OR point_lat IS NULL "
                "OR abs(point_lon) > 180 OR abs(point_lat) > 90)",
                "'bad coordinate in location: ' || point_raw || ' is not POINT (longitude latitude)'",
            )
        )
    for target, limit in (("latitude", 90), ("longitude", 180)):
        raw_name = f"{target}_raw"
        read[raw_name] = text(target)
        # Parsed once: the field and its check both read {target}_number.
        parse[f"{target}_number"] = f"try_cast({raw_name} AS DOUBLE)"
        value = f"{target}_number"
        if point is not None:
            from_point = "point_lat" if target == "latitude" else "point_lon"
            # (0, 0) is how exports write "no location".
            fallback = f"CASE WHEN point_lat = 0 AND point_lon = 0 THEN NULL ELSE {from_point} END"
            wall[target] = f"coalesce({value}, {fallback})"
        else:
            wall[target] = value
        checks.append(
            Check(
                target,
                "bad_coordinate",
                f"{raw_name} IS NOT NULL AND ({value} IS NULL OR abs({value}) > {limit})",
                f"'bad coordinate in {target}: ' || {raw_name} || ' is not a number between -{limit} and {limit}'",
            )
        )

    # People: keyed hashes only; the plain values never leave this query.
    name_column, dob_column, phone_column = (resolved.get(name) for name in PERSON_FIELDS)
    if name_column is not None:
        dob = dob_sql(_text_sql(dob_column, kinds.get(dob_column))) if dob_column else "''"
        message = f"{name_sql(_text_sql(name_column, kinds.get(name_column)))} || '|' || {dob}"
        read["person_key"] = hmac_sql(message, key)
    else:
        read["person_key"] = "NULL::VARCHAR"
    if phone_column is not None:
        read["phone_key"] = hmac_sql(
            phone_sql(_text_sql(phone_column, kinds.get(phone_column))), key
        )
    else:
        read["phone_key"] = "NULL::VARCHAR"
    # In a quarantined row's raw, each person column shows only a marker made from its key.
    if name_column is not None:
        plan.person_markers[_column_index(name_column)] = "person_key"
    if dob_column is not None:
        # Its own hash ("dob|" keeps it apart from a phone of the same digits).
        dob = dob_sql(_text_sql(dob_column, kinds.get(dob_column)))
        plan.person_markers.setdefault(_column_index(dob_column), hmac_sql(f"'dob|' || {dob}", key))
    if phone_column is not None:
        plan.person_markers.setdefault(_column_index(phone_column), "phone_key")

    for target in profile.required:
        if target in {"event_id", "received_at"}:
            continue
        checks.append(
            Check(
                target,
                "missing_value",
                f"{target} IS NULL",
                _sql_string(f"missing {target}, which profile {profile.name!r} requires"),
            )
        )


def _column_index(column: str) -> int:
    """The position in the file of a source column named positionally (c0, c1, ...)."""
    return int(column.removeprefix("c"))


def _raw_columns(plan: _Plan) -> list[str]:
    """The source columns as text for a quarantined row's raw, person values as markers."""
    return [
        redacted_sql(column, plan.person_markers[index]) if index in plan.person_markers else column
        for index, column in enumerate(plan.raw_columns)
    ]


def _duration_unit(profile: Profile) -> str:
    seconds = profile.durations.unit_seconds if profile.durations else 60.0
    return {1.0: "seconds", 60.0: "minutes", 3600.0: "hours"}[seconds]


def _staging_sql(plan: _Plan, staged: str) -> str:
    """One pass over the file: parse every field, find each row's first problem."""
    layers = []
    for number, layer in enumerate(plan.layers):
        previous = "source" if number == 0 else f"layer{number - 1}"
        extra = "".join(f",\n    {sql} AS {name}" for name, sql in layer.items())
        layers.append(f"layer{number} AS (SELECT *{extra} FROM {previous})")
    last = f"layer{len(plan.layers) - 1}"
    layer_sql = ",\n".join(layers)
    problem = " ".join(
        f"WHEN {check.condition} THEN {index}" for index, check in enumerate(plan.checks)
    )
    reason = " ".join(
        f"WHEN {index} THEN {check.reason}" for index, check in enumerate(plan.checks)
    )
    shown = _raw_columns(plan)
    if plan.is_parquet:
        newline_count = "0"
        raw_row = "concat_ws(',', " + ", ".join(f"coalesce({column}, '')" for column in shown) + ")"
    else:
        joined = (
            "concat(" + ", ".join(plan.raw_columns) + ")"
            if len(plan.raw_columns) > 1
            else f"coalesce({plan.raw_columns[0]}, '')"
        )
        newline_count = f"strlen({joined}) - strlen(replace({joined}, chr(10), ''))"
        raw_row = (
            "concat_ws(',', "
            + ", ".join(
                f"'\"' || replace(coalesce({column}, ''), '\"', '\"\"') || '\"'" for column in shown
            )
            + ")"
        )
    row_number = "__row" if plan.is_parquet else "NULL::BIGINT"
    return f"""
CREATE TEMP TABLE {staged} AS
WITH source AS (SELECT * FROM {plan.source_sql}),
{layer_sql},
checked AS (SELECT *, CASE {problem} END AS problem FROM {last})
SELECT {", ".join(STAGED_FIELDS)}, {row_number} AS __row,
    {newline_count} AS newlines,
    problem,
    CASE problem {reason} END AS reason,
    CASE WHEN problem IS NOT NULL THEN {raw_row} END AS raw
FROM checked
"""


# --- running, line numbers, inserting --------------------------------------------------------


def _run(
    connection: duckdb.DuckDBPyConnection,
    sql: str,
    on_progress: ProgressCallback | None,
    stage: str,
) -> None:
    """Run one statement; with a progress callback, poll DuckDB's progress while it runs."""
    if on_progress is None:
        connection.execute(sql)
        return
    failure: list[BaseException] = []

    def work() -> None:
        try:
            connection.execute(sql)
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    worker = threading.Thread(target=work, name="cad-import", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        try:
            percent = connection.query_progress()
        except duckdb.Error:
            percent = -1.0
        if percent >= 0:
            on_progress(stage, min(percent, 100.0) / 100.0 * 0.95)
    if failure:
        raise failure[0]


@dataclass
class _Reject:
    line: int  # physical line, header = 1
    record: int  # DuckDB's record number (header = 1): where the row sits among the rows
    lines_spanned: int
    field: str | None
    kind: str
    reason: str
    raw: str | None


def _rejected_lines(
    connection: duckdb.DuckDBPyConnection,
    rejects: str,
    path: Path,
    header: list[str],
    *,
    withhold: bool,
) -> list[_Reject]:
    """One quarantine entry per malformed line DuckDB set aside, with its physical line number.

    With ``withhold`` (the file has a person column) the line itself is not kept: a malformed
    line cannot be split into columns reliably, so no position is known to hold the name,
    date of birth or phone; ``raw`` says so and names the line to read in the source file.
    """
    tables = {
        row[0]
        for row in connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary"
        ).fetchall()
    }
    if rejects not in tables:
        return []
    rows = connection.execute(
        f"SELECT line, arg_min(line_byte_position, column_idx), min(column_idx), "
        f"arg_min(CAST(error_type AS VARCHAR), column_idx), arg_min(error_message, column_idx), "
        f"arg_min(csv_line, column_idx) FROM {rejects} GROUP BY line ORDER BY line"
    ).fetchall()
    if not rows:
        return []
    physical = _lines_at_offsets(path, [int(row[1] or 0) for row in rows])
    rejected = []
    for (record, _, column_index, error_type, message, raw), line in zip(
        rows, physical, strict=True
    ):
        kind = REJECT_KINDS.get(str(error_type), "malformed_csv")
        # DuckDB counts columns from 1 in its rejects table.
        index = int(column_index) - 1 if column_index else -1
        column = header[index] if 0 <= index < len(header) else None
        rejected.append(
            _Reject(
                line=line,
                record=int(record),
                lines_spanned=1 + (raw or "").count("\n"),
                field=column if kind != "wrong_field_count" else None,
                kind=kind,
                reason=_reject_reason(kind, str(message)),
                raw=MALFORMED_LINE_WITHHELD.format(line=line) if withhold and raw else raw,
            )
        )
    return rejected


def _reject_reason(kind: str, message: str) -> str:
    first_line = message.splitlines()[0] if message else ""
    return {
        "wrong_field_count": f"wrong number of fields: {first_line}",
        "bad_encoding": "bad encoding: the line is not valid text in the profile's encoding",
        "line_too_long": "line longer than 10 MB",
    }.get(kind, f"malformed CSV line: {first_line}")


def _lines_at_offsets(path: Path, offsets: list[int]) -> list[int]:
    """Physical line numbers (1-based) of byte offsets, reading the file once, in blocks."""
    wanted = sorted(set(offsets))
    found: dict[int, int] = {}
    newlines = 0
    position = 0
    index = 0
    opener: Any = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as handle:
        while index < len(wanted):
            block = handle.read(1 << 22)
            if not block:
                break
            end = position + len(block)
            while index < len(wanted) and wanted[index] < end:
                found[wanted[index]] = (
                    newlines + block.count(b"\n", 0, wanted[index] - position) + 1
                )
                index += 1
            newlines += block.count(b"\n")
            position = end
    return [found.get(offset, newlines + 1) for offset in offsets]


class _FileDigest(threading.Thread):
    """SHA-256 and newline count of the file, computed beside DuckDB's read."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="cad-digest", daemon=True)
        self.path = path
        self.sha256 = ""
        self.newlines = 0
        self.ends_with_newline = True

    def run(self) -> None:
        digest = hashlib.sha256()
        last = b"\n"
        with self.path.open("rb") as handle:
            while block := handle.read(1 << 22):
                digest.update(block)
                self.newlines += block.count(b"\n")
                last = block[-1:]
        self.sha256 = digest.hexdigest()
        self.ends_with_newline = last == b"\n"


def _line_numbers(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    rejects: list[_Reject],
    is_parquet: bool,
    digest: _FileDigest,
    warnings: list[str],
) -> str:
    """SQL for each staged row's line number, materialised only when lines are not row + 2."""
    if is_parquet:
        return "s.__row + 1"
    extra, rows = connection.execute(
        f"SELECT coalesce(sum(newlines), 0), count(*) FROM {staged}"
    ).fetchone() or (0, 0)
    physical_lines = digest.newlines + (0 if digest.ends_with_newline else 1)
    accounted = 1 + rows + extra + sum(reject.lines_spanned for reject in rejects)
    if physical_lines != accounted and digest.path.suffix.lower() != ".gz":
        warnings.append(
            f"{physical_lines - accounted} line(s) were neither rows nor malformed lines "
            f"(blank lines?); line numbers after them may be low by that much"
        )
    if not extra and not rejects:
        return "s.rowid + 2"
    lines = f"{staged}_lines"
    connection.execute(
        f"CREATE TEMP TABLE {lines} AS SELECT rowid AS row_index, 2 + coalesce(sum(1 + newlines) "
        f"OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line "
        f"FROM {staged}"
    )
    if rejects:
        # Good row k comes after reject j when k >= (record_j - 2) - j: the good rows before it.
        shift_after: dict[int, int] = {}
        spanned = 0
        for position, reject in enumerate(rejects):
            spanned += reject.lines_spanned
            shift_after[reject.record - 2 - position] = spanned  # the last reject of a run wins
        shifts = sorted(shift_after.items())
        connection.execute(f"CREATE TEMP TABLE {lines}_shift (after_row BIGINT, shift BIGINT)")
        _bulk_insert(connection, f"{lines}_shift", ["after_row", "shift"], shifts)
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT l.row_index, l.line + coalesce(sh.shift, 0) AS line "
            f"FROM {lines} l ASOF LEFT JOIN {lines}_shift sh ON l.row_index >= sh.after_row"
        )
        connection.execute(f"DROP TABLE {lines}_shift")
    return f"(SELECT line FROM {lines} WHERE row_index = s.rowid)"


def _insert_calls(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    line_sql: str,
    profile: Profile,
    import_id: str,
    path: Path,
) -> int:
    """Good rows into calls: first occurrence per event id, none the city already has."""
    joins = ""
    category, apco, final_category = "NULL", "NULL", "NULL"
    if _has_mapping(connection):
        # Normalise the few distinct call types of the file, not every row.
        types = f"{staged}_types"
        connection.execute(
            f"CREATE TEMP TABLE {types} AS SELECT t.call_type, m.category, m.apco_code FROM "
            f"(SELECT call_type FROM {staged} UNION SELECT final_call_type FROM {staged}) t "
            f"JOIN calltype_map m ON m.key = {CALL_TYPE_KEY.format('t.call_type')}"
        )
        joins = (
            f" LEFT JOIN {types} m1 ON m1.call_type = s.call_type"
            f" LEFT JOIN {types} m2 ON m2.call_type = s.final_call_type"
        )
        category, apco, final_category = "m1.category", "m1.apco_code", "m2.category"
    line_join = ""
    if line_sql.startswith("(SELECT"):
        lines = f"{staged}_lines"
        line_join = f" JOIN {lines} ln ON ln.row_index = s.rowid"
        line_sql = "ln.line"
    columns = [
        "city",
        *STAGED_FIELDS,
        "category",
        "apco_code",
        "final_category",
        "import_id",
        "source_file",
        "source_line",
    ]
    values = [
        _sql_string(profile.city),
        *(f"s.{name}" for name in STAGED_FIELDS),
        category,
        apco,
        final_category,
        _sql_string(import_id),
        _sql_string(str(path)),
        line_sql,
    ]
    city = _sql_string(profile.city)
    conditions = ["s.problem IS NULL"]
    # Most files repeat no event id; only then is the first-occurrence filter worth its join.
    counts = connection.execute(
        f"SELECT count(*), count(DISTINCT event_id) FROM {staged} WHERE problem IS NULL"
    ).fetchone()
    if counts and counts[0] != counts[1]:
        conditions.append(
            f"s.rowid IN (SELECT min(rowid) FROM {staged} WHERE problem IS NULL GROUP BY event_id)"
        )
    if connection.execute(f"SELECT 1 FROM calls WHERE city = {city} LIMIT 1").fetchone():
        conditions.append(
            f"NOT EXISTS (SELECT 1 FROM calls c WHERE c.city = {city} AND c.event_id = s.event_id)"
        )
    result = connection.execute(
        f"INSERT INTO calls ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {staged} s{line_join}{joins} "
        f"WHERE {' AND '.join(conditions)}"
    ).fetchone()
    connection.execute(f"DROP TABLE IF EXISTS {staged}_types")
    return int(result[0]) if result else 0


def _insert_quarantine(
    connection: duckdb.DuckDBPyConnection,
    staged: str,
    line_sql: str,
    checks: list[Check],
    rejects: list[_Reject],
    import_id: str,
    path: Path,
) -> None:
    check_table = f"{staged}_checks"
    connection.execute(
        f"CREATE TEMP TABLE {check_table} (problem INTEGER, field VARCHAR, kind VARCHAR)"
    )
    _bulk_insert(
        connection,
        check_table,
        ["problem", "field", "kind"],
        [(index, check.field, check.kind) for index, check in enumerate(checks)],
    )
    line_join = ""
    if line_sql.startswith("(SELECT"):
        line_join = f" JOIN {staged}_lines ln ON ln.row_index = s.rowid"
        line_sql = "ln.line"
    connection.execute(
        f"INSERT INTO quarantine (import_id, source_file, source_line, field, reason, raw, kind) "
        f"SELECT ?, ?, {line_sql}, k.field, s.reason, s.raw, k.kind "
        f"FROM {staged} s JOIN {check_table} k ON k.problem = s.problem{line_join} "
        f"WHERE s.problem IS NOT NULL ORDER BY 3",
        [import_id, str(path)],
    )
    connection.execute(f"DROP TABLE {check_table}")
    connection.execute(f"DROP TABLE IF EXISTS {staged}_lines")
    if rejects:
        _bulk_insert(
            connection,
            "quarantine",
            ["import_id", "source_file", "source_line", "field", "reason", "raw", "kind"],
            [
                (
                    import_id,
                    str(path),
                    reject.line,
                    reject.field,
                    reject.reason,
                    reject.raw,
                    reject.kind,
                )
                for reject in rejects
            ],
        )


def _bulk_insert(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    *,
    chunk: int = 500,
) -> None:
    """Rows into a table, many per statement (executemany runs one statement per row)."""
    placeholders = "(" + ", ".join("?" for _ in columns) + ")"
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        connection.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(placeholders for _ in part)}",
            [value for row in part for value in row],
        )


def _verify_counts(
    connection: duckdb.DuckDBPyConnection, import_id: str, loaded: int, quarantined: int
) -> None:
    """The tables must hold what the counts say, or the file's import is rolled back."""
    in_calls = connection.execute(
        "SELECT count(*) FROM calls WHERE import_id = ?", [import_id]
    ).fetchone()
    in_quarantine = connection.execute(
        "SELECT count(*) FROM quarantine WHERE import_id = ?", [import_id]
    ).fetchone()
    if (in_calls or (0,))[0] != loaded or (in_quarantine or (0,))[0] != quarantined:
        raise ImportFailed(
            f"import {import_id}: counts do not reconcile (calls {in_calls}, expected {loaded}; "
            f"quarantine {in_quarantine}, expected {quarantined}); nothing was committed"
        )


def _load_mapping_table(
    connection: duckdb.DuckDBPyConnection, mapping: dict[str, MappedType]
) -> None:
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE calltype_map_raw (call_type VARCHAR, category VARCHAR, apco_code VARCHAR)"
    )
    if mapping:
        _bulk_insert(
            connection,
            "calltype_map_raw",
            ["call_type", "category", "apco_code"],
            [(item.call_type, item.category, item.apco_code) for item in mapping.values()],
        )
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE calltype_map AS "
        f"SELECT {CALL_TYPE_KEY.format('call_type')} AS key, "
        "first(category ORDER BY call_type) AS category, first(apco_code ORDER BY call_type) AS apco_code "
        "FROM calltype_map_raw GROUP BY 1"
    )


def _has_mapping(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection holds a non-empty call-type mapping (import_files loads one)."""
    exists = connection.execute(
        "SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = 'calltype_map'"
    ).fetchone()
    if not exists:
        return False
    row = connection.execute("SELECT count(*) FROM calltype_map").fetchone()
    return bool(row and row[0])
