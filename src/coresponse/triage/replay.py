"""Replaying a triage protocol over the historical calls in the DuckDB store.

Every call is decided by the protocol's compiled (Ibis) expression in one query, and the
decided calls are counted by rule, category, hour of day and day of week in that same
query; everything after that is arithmetic on a few thousand aggregated rows (the route
of each rule is looked up, not grouped on).

What is costly to work out per call is worked out once and kept in the ``call_signals``
table of the store: the remarks signals (``sig_<signal>``, null for a call without
remarks) and ``repeat_address_calls``, the calls at the same city and address in the 12
months before (a window over the whole store, so history before ``--from`` counts). It
has one row per call, and beside the signals a copy of every column a protocol can read
and the per-call figures the counting needs, so a replay reads that one table, on every
core, and joins nothing; see ``ensure_call_signals`` for when it is refilled.

Officer hours freed: a call whose route sends no officer (anything but ``police`` and
``co_response``) frees the officer time it took. That time is the call's own time on scene
(``cleared_at - arrived_at``, when both are present and between 0 and 12 hours) or else the
planning default for its category in ``DEFAULT_ON_SCENE_MINUTES``; the result says how many
calls used each. It counts one officer per call; the store does not record how many went.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

import duckdb

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from coresponse.triage.protocol import Protocol as TriageProtocol

ROUTES: tuple[str, ...] = (
    "police",
    "co_response",
    "civilian_crisis",
    "ems",
    "crisis_line",
    "referral_only",
)
# Routes on which an officer still goes; every other route frees the officer's time.
OFFICER_ROUTES: frozenset[str] = frozenset({"police", "co_response"})
SIGNALS_TABLE = "call_signals"
SIGNALS_READER_TABLE = "call_signals_reader"
# The SQL of each replay already built (see ``_cached_sql``), so that a replay of a known
# protocol neither imports Ibis (about a second) nor builds the expression again.
QUERIES_TABLE = "replay_queries"
UNMAPPED = "(unmapped)"
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# A measured time on scene outside (0, MAX] minutes is a data error, not a call; it gets the default.
MAX_ON_SCENE_MINUTES = 12 * 60
# The calls' columns a protocol can read (coresponse.triage.protocol.FIELDS and the local
# time), copied into call_signals so that a replay reads one table, in parallel, and joins
# nothing; with the per-call figures the counting needs, worked out once.
INPUT_COLUMNS: tuple[str, ...] = (
    "category",
    "apco_code",
    "call_type",
    "priority",
    "source",
    "received_local",
)
DERIVED_COLUMNS: tuple[str, ...] = ("slot", "on_scene_minutes", "received_local_minute")

# Planning defaults for one officer's time on scene, in minutes, by shared category. They are
# round figures in the range published CAD studies report (Vera Institute's 911 analysis and
# city reviews put most non-criminal calls at 20-45 minutes and crimes against persons at an
# hour or more); replace them with a city's own figures when its data has arrival and
# clearance times, which the replay then uses call by call.
DEFAULT_ON_SCENE_MINUTES: dict[str, float] = {
    "Accidents/Traffic Safety": 45,
    "Alarms": 15,
    "Assisting the Public": 25,
    "Behavioral Health": 60,
    "Call Related Issues": 10,
    "Complaints/Environmental Conditions": 25,
    "Domestic Violence": 60,
    "Drugs": 40,
    "Fire": 30,
    "Liquor Violations": 25,
    "Medical Emergencies": 40,
    "Missing Persons": 50,
    "Officer Needs Help": 60,
    "Other (Not Crime)": 25,
    "Other Crimes": 45,
    "Property Crime": 45,
    "Sex Offenses": 75,
    "Status Offenses": 30,
    "Statuses": 35,
    "Suspicion": 25,
    "Violent Crime": 75,
    "Warrants": 45,
}
FALLBACK_ON_SCENE_MINUTES = 30.0


class ReplayError(Exception):
    """The store cannot be replayed (no calls table, a missing column, ...)."""


class CompiledDecider(Protocol):
    """``coresponse.triage.compile(protocol)``: decides a table of calls in one expression."""

    @property
    def columns_read(self) -> Sequence[str]: ...

    def decide(self, table: ir.Table) -> ir.Table: ...


class CodedDecider(CompiledDecider, Protocol):
    """A compiled protocol that can also give the deciding rule as a small integer."""

    @property
    def rule_ids(self) -> tuple[str, ...]: ...

    def decide_codes(self, table: ir.Table, name: str = "rule_code") -> ir.Table: ...


Compiler = Callable[["TriageProtocol"], CompiledDecider]
SignalReader = Callable[["ir.StringValue"], dict[str, "ir.BooleanValue"]]


@dataclass(frozen=True)
class ProtocolRef:
    name: str
    version: str
    content_hash: str

    @classmethod
    def of(cls, protocol: TriageProtocol) -> ProtocolRef:
        return cls(
            name=protocol.name, version=str(protocol.version), content_hash=protocol.content_hash
        )


@dataclass(frozen=True)
class OfficerHours:
    """Officer time freed by the calls a protocol sends no officer to."""

    calls_freed: int
    hours_freed: float
    measured_calls: int
    measured_hours: float
    default_calls: int
    default_hours: float

    @property
    def method(self) -> str:
        if self.calls_freed == 0:
            return "no calls freed"
        if self.default_calls == 0:
            return "time on scene from the data (arrived to cleared) for every call"
        if self.measured_calls == 0:
            return "default time on scene per category for every call (the data has no arrived/cleared times)"
        return (
            "time on scene from the data where arrived and cleared are present "
            f"({self.measured_calls:,} calls), category defaults otherwise ({self.default_calls:,} calls)"
        )


@dataclass(frozen=True)
class RouteFigures:
    """One protocol's decisions, counted."""

    protocol: ProtocolRef
    routes: dict[str, int]
    by_category: dict[str, dict[str, int]]
    by_hour: dict[str, dict[str, int]]
    by_weekday: dict[str, dict[str, int]]
    by_weekday_hour: dict[str, dict[str, dict[str, int]]]
    rules: dict[str, int]
    officer_hours: OfficerHours

    def share(self, route: str) -> float:
        total = sum(self.routes.values())
        return self.routes.get(route, 0) / total if total else 0.0


@dataclass(frozen=True)
class SignalsCache:
    """What the replay did to the ``call_signals`` table."""

    used: bool
    added: int = 0
    rebuilt: bool = False
    calls_with_signals: int = 0


@dataclass(frozen=True)
class ReplayFilters:
    city: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ReplayResult:
    """The figures of one replay; ``compare`` and ``moves`` are set when two protocols were replayed.

    ``moves[a][b]`` is the number of calls the first protocol sends to ``a`` and the second to ``b``.
    """

    calls: int
    primary: RouteFigures
    compare: RouteFigures | None
    moves: dict[str, dict[str, int]] | None
    filters: ReplayFilters
    signals: SignalsCache
    repeat_address_used: bool
    hours_unknown: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def routes(self) -> dict[str, int]:
        return self.primary.routes

    def to_json(self) -> dict[str, Any]:
        """The figures as one JSON-ready object: ``calls`` and ``routes`` first, then the rest."""

        def figures(figures: RouteFigures) -> dict[str, Any]:
            hours = figures.officer_hours
            return {
                "protocol": asdict(figures.protocol),
                "routes": figures.routes,
                "shares": {route: round(figures.share(route), 6) for route in figures.routes},
                "by_category": figures.by_category,
                "by_hour": figures.by_hour,
                "by_weekday": figures.by_weekday,
                "by_weekday_hour": figures.by_weekday_hour,
                "rules": figures.rules,
                "officer_hours": {**asdict(hours), "method": hours.method},
            }

        primary = figures(self.primary)
        return {
            "calls": self.calls,
            "routes": primary.pop("routes"),
            **primary,
            "compare": figures(self.compare) if self.compare else None,
            "moves": self.moves,
            "filters": {
                "city": self.filters.city,
                "from": self.filters.start.isoformat() if self.filters.start else None,
                "to": self.filters.end.isoformat() if self.filters.end else None,
            },
            "signals": asdict(self.signals),
            "repeat_address_used": self.repeat_address_used,
            "hours_unknown": self.hours_unknown,
            "seconds": {name: round(value, 3) for name, value in self.seconds.items()},
        }


def default_on_scene_minutes(category: str | None) -> float:
    if category is None:
        return FALLBACK_ON_SCENE_MINUTES
    return DEFAULT_ON_SCENE_MINUTES.get(category, FALLBACK_ON_SCENE_MINUTES)


def _run(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Run one statement to its end (duckdb 2 refuses new work while a result is unread)."""
    return connection.execute(sql, list(parameters)).fetchall()


def _tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = _run(connection, "SELECT table_name FROM duckdb_tables()")
    return {row[0] for row in rows}


SIGNALS_LAYOUT = "2: a date-only call has no minute of day"


def reader_fingerprint(signal_expressions: SignalReader) -> str:
    """A hash that changes whenever the remarks reader does.

    For the shipped reader it is the hash of its modules, its patterns file and its learned
    model (reading four files is instant); any other reader is hashed by the SQL it compiles to, which is exact
    but takes most of a second to build.
    """
    from coresponse.triage import remarks

    digest = hashlib.sha256()
    # What the table's other columns mean is part of it too: a store built before a change
    # here is rebuilt rather than replayed with stale columns.
    digest.update(SIGNALS_LAYOUT.encode("utf-8"))
    if signal_expressions is remarks.signal_expressions:
        from coresponse.triage import remarks_model

        model = remarks_model.model_path()
        digest.update(f"model: {model}".encode())
        for path in (
            Path(remarks.__file__),
            remarks.PATTERNS_PATH,
            Path(remarks_model.__file__),
            *([model] if model is not None else []),
        ):
            digest.update(path.read_bytes())
        return "shipped-" + digest.hexdigest()[:16]
    import ibis

    table = ibis.table({"remarks": "string"}, name="calls")
    expressions = signal_expressions(table.remarks)
    sql = ibis.to_sql(
        table.select(**{f"sig_{name}": value for name, value in sorted(expressions.items())}),
        dialect="duckdb",
    )
    digest.update(str(sql).encode("utf-8"))
    return digest.hexdigest()[:16]


def _store_state(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> str:
    """What the calls look like now, cheaply: their number and the imports that loaded them.

    A change in either means calls were added or removed, so repeat-address counts (which
    depend on every other call at the address) must be counted again.
    """
    # max(rowid) moves when calls are deleted and as many added (the count alone would not).
    parts = [repr(_run(connection, "SELECT count(*), max(rowid) FROM calls"))]
    if "imports" in tables:
        parts.append(repr(_run(connection, "SELECT count(*), max(finished_at) FROM imports")))
    return "|".join(parts)


def ensure_call_signals(
    connection: duckdb.DuckDBPyConnection,
    *,
    signal_expressions: SignalReader,
    rebuild: bool = False,
    realign: bool = False,
    keep_reader: bool = False,
) -> SignalsCache:
    """Keep ``call_signals`` complete: one row per call with its remarks signals and repeat-address count.

    The remarks of a call are read once: when calls are added, the table is rebuilt with the
    signals already read carried over, and only the new calls' remarks are read; the
    repeat-address counts are counted again for every call, because a new call can be in the
    12 months before an old one. Nothing is done when the calls, the imports and the remarks
    reader (its fingerprint) are as they were. ``rebuild`` reads every call's remarks again;
    ``realign`` rebuilds the table keeping the signals already read; ``keep_reader`` keeps
    the signals read by an earlier reader (new calls are read by the current one). Calls
    without remarks get null signals.

    Each row also holds the call's ``INPUT_COLUMNS`` and ``DERIVED_COLUMNS``, so a replay
    reads this table alone; rows are in the calls' own order, with the call's rowid
    (``call_row``). A table lacking any of those columns (an earlier version's) is rebuilt
    keeping its signals.
    """
    tables = _tables(connection)
    fingerprint = reader_fingerprint(signal_expressions)
    state = _store_state(connection, tables)
    stored: tuple[str, str] | None = None
    if SIGNALS_READER_TABLE in tables and SIGNALS_TABLE in tables:
        rows = _run(connection, f"SELECT fingerprint, store_state FROM {SIGNALS_READER_TABLE}")
        stored = (str(rows[0][0]), str(rows[0][1])) if rows else None
    if SIGNALS_TABLE in tables and not {
        "call_row",
        *INPUT_COLUMNS,
        *DERIVED_COLUMNS,
    } <= set(connection.table(SIGNALS_TABLE).columns):
        realign = True  # a table from before the calls' inputs were kept beside the signals
    if keep_reader and stored is not None and not rebuild:
        fingerprint = stored[0]
    with_remarks = _count(connection, "calls", "remarks IS NOT NULL")
    if not rebuild and not realign and stored == (fingerprint, state):
        return SignalsCache(used=True, calls_with_signals=with_remarks)

    import ibis

    from coresponse.triage.compiled import minute_of_day

    backend = ibis.duckdb.from_connection(connection)
    # rowid keeps the calls' own order (call_row), so call_signals reads like the calls.
    _run(
        connection,
        "CREATE OR REPLACE TEMP VIEW calls_in_store_order AS "
        "SELECT rowid AS call_row, city, event_id, address, received_at, remarks, time_known, "
        f"arrived_at, cleared_at, {', '.join(INPUT_COLUMNS)} FROM calls",
    )
    calls = backend.table("calls_in_store_order")
    reuse = (
        SIGNALS_TABLE in tables and not rebuild and stored is not None and stored[0] == fingerprint
    )
    names = sorted(signal_expressions(calls.remarks))
    previously_read = 0
    if reuse:
        previously_read = _count(connection, SIGNALS_TABLE, "sig_read")
        old = backend.table(SIGNALS_TABLE).select(
            old_city="city",
            old_event_id="event_id",
            **{f"old_sig_{name}": f"sig_{name}" for name in names},
        )
        calls = calls.left_join(
            old, [calls.city == old.old_city, calls.event_id == old.old_event_id]
        )
    # Each distinct text is read once: the regular expressions cost far more than a join,
    # and remarks repeat (templates, "ALARM", copies of a call).
    unread = calls.remarks.notnull()
    if reuse:
        unread = unread & calls.old_city.isnull()
    texts = calls.filter(unread).select(text=calls.remarks).distinct()
    read = signal_expressions(texts.text)
    by_text = texts.mutate(**{f"new_sig_{name}": read[name] for name in names})
    calls = calls.left_join(by_text, calls.remarks == by_text.text)
    calls = with_repeat_address_calls(calls)
    has_remarks = calls.remarks.notnull()
    columns: dict[str, Any] = {}
    for name in names:
        read_now = ibis.ifelse(has_remarks, calls[f"new_sig_{name}"], ibis.null("boolean"))
        columns[f"sig_{name}"] = (
            ibis.ifelse(calls.old_city.notnull(), calls[f"old_sig_{name}"], read_now)
            if reuse
            else read_now
        )
    query = calls.select(
        "call_row",
        "city",
        "event_id",
        *INPUT_COLUMNS,
        "repeat_address_calls",
        slot=_slot(calls),
        on_scene_minutes=_on_scene_minutes(calls),
        # coresponse.triage.compiled reads it for team hours instead of the timestamp. A call
        # exported with a date only has no minute: unknown, not midnight, so no team-hours
        # rule can claim it (the live decision treats a missing time the same way).
        received_local_minute=ibis.ifelse(
            calls.time_known.fill_null(True),
            minute_of_day(calls.received_local).cast("int16"),
            ibis.null("int16"),
        ),
        sig_read=has_remarks,
        **columns,
    )
    building = f"{SIGNALS_TABLE}_building"
    # Through the backend, not as SQL text: it registers the remarks model's Python function.
    _run(connection, f"DROP TABLE IF EXISTS {building}")
    backend.create_table(building, query.order_by("call_row"))
    _run(connection, f"DROP TABLE IF EXISTS {SIGNALS_TABLE}")
    _run(connection, f"ALTER TABLE {building} RENAME TO {SIGNALS_TABLE}")
    _run(
        connection,
        f"CREATE OR REPLACE TABLE {SIGNALS_READER_TABLE} AS SELECT ? AS fingerprint, ? AS store_state",
        [fingerprint, state],
    )
    return SignalsCache(
        used=True,
        added=with_remarks - previously_read,
        rebuilt=not reuse and SIGNALS_TABLE in tables,
        calls_with_signals=with_remarks,
    )


def _count(connection: duckdb.DuckDBPyConnection, table: str, where: str = "true") -> int:
    rows = _run(connection, f"SELECT count(*) FROM {table} WHERE {where}")
    return int(rows[0][0]) if rows else 0


def with_repeat_address_calls(calls: ir.Table) -> ir.Table:
    """Add ``repeat_address_calls``: calls at the same city and address in the 12 months before.

    Null when the call has no address or no received time. Calls received at the very same
    instant at one address count each other (the store cannot order them).
    """
    import ibis

    window = ibis.window(
        group_by=[calls.city, calls.address],
        order_by=calls.received_at,
        range=(-ibis.interval(months=12), 0),
    )
    known = calls.address.notnull() & (calls.address.strip() != "") & calls.received_at.notnull()
    count = calls.count().over(window) - 1
    return calls.mutate(repeat_address_calls=ibis.ifelse(known, count, ibis.null("int64")))


def _columns_read(*compiled: CompiledDecider | None) -> set[str]:
    columns: set[str] = set()
    for one in compiled:
        if one is not None:
            columns.update(str(column) for column in one.columns_read)
    return columns


def stored_columns(columns_read: Iterable[str]) -> list[str]:
    """The columns of ``call_signals`` a protocol reads (its signals and the repeat-address count)."""
    return sorted(
        column
        for column in columns_read
        if column.startswith("sig_") or column == "repeat_address_calls"
    )


def decided_calls(
    backend: Any,
    primary: CompiledDecider,
    compare: CompiledDecider | None = None,
    *,
    filters: ReplayFilters = ReplayFilters(),
    joined: Sequence[str] = (),
    codes: bool = False,
) -> ir.Table:
    """The calls of the store, with the ``joined`` columns of ``call_signals``, filtered, decided.

    With ``joined``, the calls are read from ``call_signals`` alone: it holds every column a
    protocol can read (``INPUT_COLUMNS``, the signals, the repeat-address count) and the
    counting's own (``DERIVED_COLUMNS``), one row per call, so nothing is joined and DuckDB
    scans it on every core (a positional join of two tables runs on one).

    Columns added: ``route``/``rule_id`` (first protocol) and, with ``compare``,
    ``route_compare``/``rule_id_compare``; or, with ``codes``, only ``rule_code`` (and
    ``rule_code_compare``), the index of the deciding rule in the protocol's ``rule_ids``.
    """
    import ibis

    calls = backend.table(SIGNALS_TABLE) if joined else backend.table("calls")
    if filters.city is not None:
        calls = calls.filter(calls.city == filters.city)
    if filters.start is not None:
        calls = calls.filter(calls.received_local >= ibis.timestamp(filters.start.isoformat()))
    if filters.end is not None:
        # --to is inclusive: every call received on that day.
        end = ibis.timestamp(filters.end.isoformat()) + ibis.interval(days=1)
        calls = calls.filter(calls.received_local < end)
    if codes:
        assert _coded(primary) and (compare is None or _coded(compare))
        decided = primary.decide_codes(calls, "rule_code")
        if compare is not None:
            decided = compare.decide_codes(decided, "rule_code_compare")
        return decided
    decided = primary.decide(calls)
    if compare is not None:
        decided = decided.rename(route_first="route", rule_id_first="rule_id")
        decided = compare.decide(decided).rename(route_compare="route", rule_id_compare="rule_id")
        decided = decided.rename(route="route_first", rule_id="rule_id_first")
    return decided


# Hour and weekday travel as one small number (hour * 8 + weekday; 24 and 7 for unknown),
# because every grouping key costs time on ten million rows.
_NO_HOUR = 24
_NO_WEEKDAY = 7


def _coded(compiled: CompiledDecider) -> TypeGuard[CodedDecider]:
    return hasattr(compiled, "decide_codes") and hasattr(compiled, "rule_ids")


def _on_scene_minutes(calls: ir.Table) -> ir.FloatingValue:
    """The call's measured time on scene in minutes; null when unknown or out of (0, 12 h]."""
    import ibis

    minutes = (calls.cleared_at.epoch_seconds() - calls.arrived_at.epoch_seconds()) / 60.0
    return ibis.ifelse(
        (minutes > 0) & (minutes <= MAX_ON_SCENE_MINUTES), minutes, ibis.null("float64")
    )


def _slot(calls: ir.Table) -> ir.IntegerValue:
    """Hour and weekday as one small number: hour * 8 + weekday (24 and 7 for unknown)."""
    import ibis

    known_time = calls.time_known.fill_null(True) & calls.received_local.notnull()
    hour = ibis.ifelse(known_time, calls.received_local.hour(), _NO_HOUR)
    weekday = calls.received_local.day_of_week.index().fill_null(_NO_WEEKDAY)
    return (hour * 8 + weekday).cast("int16")


def aggregated(decided: ir.Table, *, compare: bool, with_route: bool = False) -> ir.Table:
    """One row per (rule, category, hour and weekday) with counts and measured time on scene.

    The route is a function of the rule that decided, so it is looked up afterwards
    (``rule_routes``) rather than grouped on; ``with_route`` groups on it as well, for
    protocols whose rules cannot be looked up. ``slot`` and ``on_scene_minutes`` are read
    when the table has them (``call_signals`` does) and worked out otherwise.
    """
    columns = set(decided.columns)
    measured = (
        decided.on_scene_minutes if "on_scene_minutes" in columns else _on_scene_minutes(decided)
    )
    coded = "rule_code" in decided.columns
    keys: dict[str, Any] = {
        "rule_code" if coded else "rule_id": decided.rule_code if coded else decided.rule_id,
        "category": decided.category,
        "slot": decided.slot if "slot" in columns else _slot(decided),
    }
    if compare:
        keys["rule_code_compare" if coded else "rule_id_compare"] = (
            decided.rule_code_compare if coded else decided.rule_id_compare
        )
    if with_route:
        keys["route"] = decided.route
        if compare:
            keys["route_compare"] = decided.route_compare
    metrics: dict[str, Any] = {
        "calls": decided.count(),
        "measured_calls": measured.count(),
        "measured_minutes": measured.sum(),
    }
    return decided.group_by(**keys).aggregate(**metrics)


def rule_routes(protocol: TriageProtocol) -> dict[str, str]:
    """The route each rule id of ``protocol`` leads to, the engine's safety checks included."""
    from coresponse.triage.engine import SAFETY_BY_ID

    routes = {check_id: check.route for check_id, check in SAFETY_BY_ID.items()}
    for rule in (*protocol.rules, protocol.default):
        routes[rule.id] = rule.route
    return routes


@dataclass(frozen=True)
class _Cell:
    route: str
    rule_id: str
    category: str | None
    hour: int | None
    weekday: int | None
    calls: int
    measured_calls: int
    measured_minutes: float
    route_compare: str | None = None
    rule_id_compare: str | None = None


def _cells(
    rows: list[dict[str, Any]],
    routes: dict[str, str],
    compare_routes: dict[str, str] | None = None,
) -> list[_Cell]:
    cells = []
    for row in rows:
        hour, weekday = divmod(int(row["slot"]), 8)
        rule_compare = row.get("rule_id_compare")
        route_compare = row.get("route_compare")
        if route_compare is None and rule_compare is not None and compare_routes is not None:
            route_compare = compare_routes[str(rule_compare)]
        cells.append(
            _Cell(
                route=str(row.get("route") or routes[str(row["rule_id"])]),
                rule_id=str(row["rule_id"]),
                category=row["category"],
                hour=None if hour == _NO_HOUR else hour,
                weekday=None if weekday == _NO_WEEKDAY else weekday,
                calls=int(row["calls"]),
                measured_calls=int(row["measured_calls"] or 0),
                measured_minutes=float(row["measured_minutes"] or 0.0),
                route_compare=route_compare,
                rule_id_compare=None if rule_compare is None else str(rule_compare),
            )
        )
    return cells


def _route_order(seen: Iterable[str]) -> list[str]:
    extra = sorted(set(seen) - set(ROUTES))
    return [*ROUTES, *extra]


def _figures(
    protocol: ProtocolRef,
    cells: list[_Cell],
    route_of: Callable[[_Cell], str],
    rule_of: Callable[[_Cell], str],
) -> RouteFigures:
    order = _route_order(route_of(cell) for cell in cells)

    def empty() -> dict[str, int]:
        return dict.fromkeys(order, 0)

    routes = empty()
    by_category: dict[str, dict[str, int]] = {}
    by_hour: dict[str, dict[str, int]] = {f"{hour:02d}": empty() for hour in range(24)}
    by_weekday: dict[str, dict[str, int]] = {name: empty() for name in WEEKDAYS}
    by_weekday_hour: dict[str, dict[str, dict[str, int]]] = {
        name: {f"{hour:02d}": empty() for hour in range(24)} for name in WEEKDAYS
    }
    rules: dict[str, int] = {}
    freed_calls = measured_calls = 0
    measured_minutes = default_minutes = 0.0
    for cell in cells:
        route = route_of(cell)
        routes[route] += cell.calls
        category = cell.category or UNMAPPED
        by_category.setdefault(category, empty())[route] += cell.calls
        if cell.hour is not None:
            by_hour[f"{cell.hour:02d}"][route] += cell.calls
        if cell.weekday is not None:
            by_weekday[WEEKDAYS[cell.weekday]][route] += cell.calls
            if cell.hour is not None:
                by_weekday_hour[WEEKDAYS[cell.weekday]][f"{cell.hour:02d}"][route] += cell.calls
        rule = rule_of(cell)
        rules[rule] = rules.get(rule, 0) + cell.calls
        if route not in OFFICER_ROUTES:
            freed_calls += cell.calls
            measured_calls += cell.measured_calls
            measured_minutes += cell.measured_minutes
            default_minutes += (cell.calls - cell.measured_calls) * default_on_scene_minutes(
                cell.category
            )
    by_category = dict(
        sorted(by_category.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    )
    rules = dict(sorted(rules.items(), key=lambda item: (-item[1], item[0])))
    hours = OfficerHours(
        calls_freed=freed_calls,
        hours_freed=(measured_minutes + default_minutes) / 60.0,
        measured_calls=measured_calls,
        measured_hours=measured_minutes / 60.0,
        default_calls=freed_calls - measured_calls,
        default_hours=default_minutes / 60.0,
    )
    return RouteFigures(
        protocol=protocol,
        routes=routes,
        by_category=by_category,
        by_hour=by_hour,
        by_weekday=by_weekday,
        by_weekday_hour=by_weekday_hour,
        rules=rules,
        officer_hours=hours,
    )


def _moves(cells: list[_Cell]) -> dict[str, dict[str, int]]:
    order = _route_order(
        [cell.route for cell in cells] + [str(cell.route_compare) for cell in cells]
    )
    moves = {route: dict.fromkeys(order, 0) for route in order}
    for cell in cells:
        moves[cell.route][str(cell.route_compare)] += cell.calls
    return moves


def _rule_ids(
    rows: list[dict[str, Any]], primary: CompiledDecider, compare: CompiledDecider | None
) -> list[dict[str, Any]]:
    """``rule_code`` (and ``rule_code_compare``) of each row turned back into rule ids."""
    assert _coded(primary)
    ids = primary.rule_ids
    compare_ids = compare.rule_ids if compare is not None and _coded(compare) else ()
    for row in rows:
        row["rule_id"] = ids[row.pop("rule_code")]
        if "rule_code_compare" in row:
            row["rule_id_compare"] = compare_ids[row.pop("rule_code_compare")]
    return rows


def _default_compiler() -> Compiler:
    from coresponse.triage import compile as compile_default

    return compile_default


def _code_fingerprint() -> str:
    """What the SQL of a replay depends on besides its inputs: this code, the compiler's, Ibis's."""
    from importlib import metadata

    from coresponse.triage import compiled, engine, protocol

    digest = hashlib.sha256()
    for module in (compiled, engine, protocol):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(metadata.version("ibis-framework").encode())
    digest.update(duckdb.__version__.encode())
    return digest.hexdigest()


def _query_key(
    connection: duckdb.DuckDBPyConnection,
    protocol: TriageProtocol,
    compare: TriageProtocol | None,
    filters: ReplayFilters,
    table: str,
) -> str:
    """A key naming everything the replay's SQL is built from.

    The protocols whole (their repr: every rule, hour and name, not only the file's hash),
    the filters, the columns and types of the table read, and the code that builds the SQL.
    """
    relation = connection.table(table)
    parts = [
        _code_fingerprint(),
        repr(protocol),
        repr(compare),
        repr(filters),
        table,
        repr(list(zip(relation.columns, map(str, relation.types), strict=True))),
    ]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _cached_sql(connection: duckdb.DuckDBPyConnection, key: str) -> str | None:
    if QUERIES_TABLE not in _tables(connection):
        return None
    rows = _run(connection, f"SELECT sql FROM {QUERIES_TABLE} WHERE key = ?", [key])
    return str(rows[0][0]) if rows else None


def _cache_sql(connection: duckdb.DuckDBPyConnection, key: str, sql: str) -> None:
    _run(
        connection,
        f"CREATE TABLE IF NOT EXISTS {QUERIES_TABLE} "
        "(key VARCHAR PRIMARY KEY, sql VARCHAR NOT NULL, made_at TIMESTAMP NOT NULL)",
    )
    _run(connection, f"DELETE FROM {QUERIES_TABLE} WHERE key = ?", [key])
    _run(connection, f"INSERT INTO {QUERIES_TABLE} VALUES (?, ?, now())", [key, sql])


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def replay(
    connection: duckdb.DuckDBPyConnection,
    protocol: TriageProtocol,
    *,
    compare: TriageProtocol | None = None,
    filters: ReplayFilters = ReplayFilters(),
    compile_protocol: Compiler | None = None,
    signal_expressions: SignalReader | None = None,
    rebuild_signals: bool = False,
    keep_signals: bool = False,
    on_phase: Callable[[str], None] = lambda _phase: None,
) -> ReplayResult:
    """Decide every call of the store (``filters`` applied) with ``protocol``, and ``compare`` if given.

    ``compile_protocol`` and ``signal_expressions`` default to ``coresponse.triage.compile``
    and ``coresponse.triage.remarks.signal_expressions``. Raises ``ReplayError`` when the
    store has no calls table.
    """
    if compile_protocol is None:
        compile_protocol = _default_compiler()
    if "calls" not in _tables(connection):
        raise ReplayError(
            "the store has no calls table: import calls first with `coresponse cad import`"
        )
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    compiled = compile_protocol(protocol)
    compiled_compare = compile_protocol(compare) if compare is not None else None
    needed = _columns_read(compiled, compiled_compare)
    joined = stored_columns(needed)
    signals = SignalsCache(used=False)
    if joined:
        if signal_expressions is None:
            from coresponse.triage.remarks import signal_expressions as read_default

            signal_expressions = read_default
        on_phase("reading remarks signals and repeat addresses")
        signals = ensure_call_signals(
            connection,
            signal_expressions=signal_expressions,
            rebuild=rebuild_signals,
            keep_reader=keep_signals,
        )
        available = set(connection.table(SIGNALS_TABLE).columns)
        unknown = [name for name in joined if name not in available]
        if unknown:
            raise ReplayError(
                f"the protocol reads {', '.join(unknown)}, which the remarks reader does not produce"
            )
        seconds["signals"] = time.perf_counter() - started
    on_phase("deciding calls")
    decide_started = time.perf_counter()
    # The deciding rule travels as a small integer where the compiler offers it (grouping
    # ten million rows on an integer is several times cheaper than on the rule's id).
    coded = _coded(compiled) and (compiled_compare is None or _coded(compiled_compare))
    routes = rule_routes(protocol)
    compare_routes = rule_routes(compare) if compare is not None else None
    # Only the shipped compiler's SQL is kept: its source is part of the key.
    cache_key = (
        _query_key(connection, protocol, compare, filters, "calls" if not joined else SIGNALS_TABLE)
        if coded and compile_protocol is _default_compiler()
        else None
    )

    def count(with_route: bool) -> list[dict[str, Any]]:
        sql = _cached_sql(connection, cache_key) if cache_key and not with_route else None
        if sql is None:
            import ibis

            backend = ibis.duckdb.from_connection(connection)
            table = decided_calls(
                backend,
                compiled,
                compiled_compare,
                filters=filters,
                joined=joined,
                codes=coded and not with_route,
            )
            query = aggregated(table, compare=compare is not None, with_route=with_route)
            sql = str(ibis.to_sql(query, dialect="duckdb"))
            if cache_key and not with_route:
                _cache_sql(connection, cache_key, sql)
        rows = _rows(connection, sql)
        return _rule_ids(rows, compiled, compiled_compare) if coded and not with_route else rows

    rows = count(with_route=False)
    unknown_rules = {str(row["rule_id"]) for row in rows} - set(routes)
    if compare_routes is not None:
        unknown_rules |= {str(row["rule_id_compare"]) for row in rows} - set(compare_routes)
    if unknown_rules:
        rows = count(with_route=True)
    seconds["decide"] = time.perf_counter() - decide_started
    on_phase("counting")
    cells = _cells(rows, routes, compare_routes)
    primary = _figures(
        ProtocolRef.of(protocol), cells, lambda cell: cell.route, lambda cell: cell.rule_id
    )
    other = None
    moves = None
    if compare is not None:
        other = _figures(
            ProtocolRef.of(compare),
            cells,
            lambda cell: str(cell.route_compare),
            lambda cell: str(cell.rule_id_compare),
        )
        moves = _moves(cells)
    seconds["total"] = time.perf_counter() - started
    return ReplayResult(
        calls=sum(cell.calls for cell in cells),
        primary=primary,
        compare=other,
        moves=moves,
        filters=filters,
        signals=signals,
        repeat_address_used="repeat_address_calls" in needed,
        hours_unknown=sum(cell.calls for cell in cells if cell.hour is None),
        seconds=seconds,
    )
