"""Replay speed: ``coresponse triage replay`` against a Python ``decide`` loop and a DuckDB floor.

Synthetic calls (quick: 1,000,000; full: 10,000,000). With ``coresponse.synth`` present, one
Seattle city-year of up to 1,000,000 calls is synthesised and imported through
``coresponse cad import`` (the path real data takes), then copied in DuckDB, one copy per
later year (52 weeks on, new event ids), up to the count: a decade of a city. Without it,
the calls are built straight in DuckDB from the call-type codebook (``build_synthetic_store``).
Then, side by side in one run:

- signals: filling ``call_signals`` (remarks signals and repeat-address counts) with the real
  remarks reader, reported per million calls;
- ours: the whole ``coresponse triage replay --protocol civilian-first --json`` command in a
  fresh process (start-up, compile, the DuckDB query, counting, output), signals already stored;
  the first run builds the query with Ibis and keeps its SQL in the store (timed and shown on
  its own row), the timed run is a later replay, which reuses it;
- python loop: ``coresponse.triage.decide`` over already-extracted ``CallFacts`` built from the
  same inputs (the calls with their stored signals and repeat-address counts), measured on a
  sample of 100,000 calls and scaled to the full count; only the ``decide`` calls (and counting
  the routes) are timed: reading the sample out of DuckDB and building the ``CallFacts`` are
  not counted against the loop, which favours it;
- floor: one DuckDB query reading every column the protocol reads (remarks for the signals,
  address and time for the repeat-address count) and aggregating them.

It also times ``coresponse --help`` against ``python -c pass`` (10 runs each).
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from coresponse.cad.schema import CALLS_COLUMNS, create_table_sql

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CODEBOOK_CANDIDATES = (
    ROOT / "src" / "coresponse" / "synth" / "data" / "calltypes" / "seattle.csv",
    ROOT / "src" / "coresponse" / "synth" / "data" / "seattle.csv",
    ROOT.parent / "shared" / "data" / "calltypes" / "seattle.csv",
)
PROTOCOL = "civilian-first"
COMPARE = "co-responder"
PYTHON_SAMPLE = 100_000
SOURCES = (
    "911",
    "911",
    "911",
    "non_emergency",
    "non_emergency",
    "officer_initiated",
    "alarm",
    "other",
)

# Phrases the remarks are built from: facts a call-taker writes, with negations and CAD shorthand.
PHRASES = (
    "RP STATES MALE YELLING IN STREET",
    "caller reports neighbor screaming, no weapons seen",
    "SUBJ W/ KNIFE THREATENING PEDESTRIANS",
    "elderly female not answering door, family requests welfare check",
    "EDP TALKING TO HIMSELF, NOT VIOLENT",
    "SI, STATES HE WANTS TO END IT, HAS PILLS",
    "denies SI, requests someone to talk to",
    "ETOH MALE PASSED OUT AT BUS STOP, BREATHING",
    "DV IN PROGRESS, RP HEARS HITTING",
    "man with a gun in the parking lot",
    "female in crisis, crying, not suicidal",
    "person down, unknown if breathing",
    "OD POSS, CP UNRESPONSIVE",
    "caller wants police to remove trespasser",
    "homeless male sleeping in doorway, no threats",
    "juveniles fighting, one bleeding",
    "RP REPORTS SUSPICIOUS VEH, NO WPNS",
    "subject threatening to kill roommate",
    "intoxicated subject refusing to leave store",
    "noise complaint, loud music",
    "CAR ALARM SOUNDING",
    "known to mental health team, off meds, paranoid",
    "chest pain, difficulty breathing",
    "RP STATES NO ONE HURT, MINOR DAMAGE",
    "shelter needed for family of three",
)


def codebook_path() -> Path:
    for path in CODEBOOK_CANDIDATES:
        if path.exists():
            return path
    raise SystemExit(
        f"no Seattle call-type codebook found (looked in {', '.join(map(str, CODEBOOK_CANDIDATES))})"
    )


def build_synthetic_store(path: Path, calls: int, *, seed: int = 2025) -> None:
    """A ``calls`` table of ``calls`` rows: call types at the codebook's real frequencies, the rest random.

    Deterministic for a seed (every random column is a hash of the row number and the seed).
    Addresses have a heavy tail (a few places with many calls); 80% of calls have an arrival
    time and 70% a clearance time; 5% have no remarks.
    """
    connection = duckdb.connect(str(path), config={"enable_progress_bar": False})
    try:
        connection.execute("DROP TABLE IF EXISTS calls")
        connection.execute(create_table_sql("calls", CALLS_COLUMNS))
        connection.execute(
            "CREATE TEMP TABLE codebook AS SELECT call_type, category, count_2014_2018 AS n "
            "FROM read_csv(?, header = true, all_varchar = false) WHERE source_field = 'Initial Call Type'",
            [str(codebook_path())],
        )
        # Each call type gets slots in proportion to its real count; a call picks a slot.
        connection.execute(
            """
            CREATE TEMP TABLE slots AS
            WITH weighted AS (
                SELECT call_type, category, greatest(1, round(n * 100000.0 / sum(n) OVER ())::BIGINT) AS width
                FROM codebook
            ), bounded AS (
                SELECT call_type, category,
                       sum(width) OVER (ORDER BY call_type ROWS UNBOUNDED PRECEDING) - width AS low,
                       sum(width) OVER (ORDER BY call_type ROWS UNBOUNDED PRECEDING) AS high
                FROM weighted
            )
            SELECT range AS slot, call_type, category
            FROM bounded, range(low::BIGINT, high::BIGINT)
            """
        )
        slot_count = connection.execute("SELECT count(*) FROM slots").fetchone()[0]  # type: ignore[index]
        phrases = "[" + ", ".join("'" + phrase.replace("'", "''") + "'" for phrase in PHRASES) + "]"
        sources = "[" + ", ".join(f"'{source}'" for source in SOURCES) + "]"
        connection.execute(
            f"""
            INSERT INTO calls BY NAME
            WITH numbered AS (
                SELECT range AS i,
                       hash(range, {seed}, 1) AS h1, hash(range, {seed}, 2) AS h2,
                       hash(range, {seed}, 3) AS h3, hash(range, {seed}, 4) AS h4,
                       hash(range, {seed}, 5) AS h5, hash(range, {seed}, 6) AS h6
                FROM range({calls})
            ), timed AS (
                SELECT *, TIMESTAMP '2024-01-01 08:00:00' + to_seconds((h1 % 31536000)::BIGINT) AS received
                FROM numbered
            )
            SELECT 'seattle' AS city,
                   'S' || i::VARCHAR AS event_id,
                   received AS received_at,
                   received - INTERVAL 8 HOUR AS received_local,
                   true AS time_known,
                   CASE WHEN h2 % 10 < 8 THEN received + to_seconds((300 + h3 % 1500)::BIGINT) END AS arrived_at,
                   CASE WHEN h2 % 10 < 7 THEN received + to_seconds((1800 + h4 % 5400)::BIGINT) END AS cleared_at,
                   slots.call_type,
                   slots.category,
                   (1 + h5 % 7)::INTEGER AS priority,
                   {sources}[1 + (h6 % {len(SOURCES)})::INTEGER] AS source,
                   'BLOCK ' || (floor(pow((h2 % 1000003) / 1000003.0, 3) * 50000))::BIGINT::VARCHAR || ' OF MAIN ST' AS address,
                   CASE WHEN h3 % 20 = 0 THEN NULL
                        WHEN h4 % 3 = 0 THEN {phrases}[1 + (h5 % {len(PHRASES)})::INTEGER] || '. ' ||
                                             {phrases}[1 + (h6 % {len(PHRASES)})::INTEGER]
                        ELSE {phrases}[1 + (h5 % {len(PHRASES)})::INTEGER] END AS remarks
            FROM timed JOIN slots ON slots.slot = timed.h1 % {slot_count}
            """
        )
    finally:
        connection.close()


def _copy_year(connection: Any, copy: int, limit: int | None = None) -> None:
    """Add the imported year again, ``copy`` x 52 weeks later with new event ids (the first
    ``limit`` calls of it, or all)."""
    shift = f"INTERVAL {52 * copy} WEEK"
    connection.execute(
        f"""
        INSERT INTO calls BY NAME
        SELECT * REPLACE (
            event_id || '-y{copy}' AS event_id,
            received_at + {shift} AS received_at,
            received_local + {shift} AS received_local,
            dispatched_at + {shift} AS dispatched_at,
            arrived_at + {shift} AS arrived_at,
            cleared_at + {shift} AS cleared_at)
        FROM calls WHERE NOT contains(event_id, '-y') {f"LIMIT {limit}" if limit else ""}
        """
    ).fetchall()


def build_store_from_synth(path: Path, calls: int, *, seed: int = 2025) -> str:
    """One synthetic city-year through the real import, copied year by year up to ``calls``."""
    from coresponse.cad.ingest import import_files
    from coresponse.cad.profile import load_profile
    from coresponse.synth import write

    year = min(calls, 1_000_000)
    source = path.with_name("seattle_year.parquet")
    write("seattle", year, seed, source)
    import_files([source], load_profile("seattle"), store=path, key=b"bench-replay-pseudonym-key")
    connection = duckdb.connect(str(path))
    try:
        connection.execute("SET enable_progress_bar = false").fetchall()
        imported = connection.execute("SELECT count(*) FROM calls").fetchall()[0][0]
        copy = 1
        while imported * (copy + 1) <= calls:
            _copy_year(connection, copy)
            copy += 1
        remainder = calls - imported * copy
        if remainder > 0:
            _copy_year(connection, copy, limit=remainder)
    finally:
        connection.close()
    return f"coresponse.synth: {year:,} Seattle calls imported, copied year by year"


def _timed_command(arguments: list[str], *, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(arguments, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{completed.stderr}")
    return elapsed, completed.stdout


def _startup(env: dict[str, str], runs: int = 10) -> dict[str, float]:
    """Median wall time of ``coresponse --help`` and ``python -c pass``, runs interleaved."""
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        ours.append(_timed_command([str(BIN / "coresponse"), "--help"], env=env)[0])
        bare.append(_timed_command([sys.executable, "-c", "pass"], env=env)[0])
    return {
        "help_median_s": statistics.median(ours),
        "help_max_s": max(ours),
        "python_median_s": statistics.median(bare),
    }


def _signals_seconds(store: Path) -> tuple[float, int, int]:
    """Fill call_signals from scratch: seconds, calls with remarks, distinct remarks read."""
    from coresponse.triage.remarks import signal_expressions
    from coresponse.triage.replay import ensure_call_signals

    connection = duckdb.connect(str(store))
    try:
        connection.execute("SET enable_progress_bar = false").fetchall()
        distinct = connection.execute("SELECT count(DISTINCT remarks) FROM calls").fetchall()[0][0]
        started = time.perf_counter()
        cache = ensure_call_signals(connection, signal_expressions=signal_expressions, rebuild=True)
        return time.perf_counter() - started, cache.added, int(distinct)
    finally:
        connection.close()


def _forget_queries(store: Path) -> None:
    """Drop the stored replay queries, so that the first replay timed really builds its own."""
    from coresponse.triage.replay import QUERIES_TABLE

    connection = duckdb.connect(str(store))
    try:
        connection.execute(f"DROP TABLE IF EXISTS {QUERIES_TABLE}").fetchall()
    finally:
        connection.close()


def _python_loop_seconds(store: Path, sample: int) -> tuple[float, int, dict[str, int]]:
    """Time ``decide`` over ``sample`` calls read from the same inputs the replay sees."""
    import ibis

    from coresponse.triage import CallFacts, compile, decide, load_protocol
    from coresponse.triage.replay import decided_calls, stored_columns

    protocol = load_protocol(PROTOCOL)
    compiled = compile(protocol)
    joined = stored_columns(compiled.columns_read)

    class Inputs:
        """The replay's input table, stopped just before the protocol decides it."""

        columns_read = compiled.columns_read

        def decide(self, table: Any) -> Any:
            return table.mutate(route=ibis.literal(""), rule_id=ibis.literal(""))

    connection = duckdb.connect(str(store))
    try:
        inputs = decided_calls(ibis.duckdb.from_connection(connection), Inputs(), joined=joined)
        cursor = connection.execute(str(ibis.to_sql(inputs.limit(sample), dialect="duckdb")))
        names = [column[0] for column in cursor.description or ()]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()
    signal_names = [name for name in joined if name.startswith("sig_")]
    facts = [
        CallFacts(
            call_type=row["call_type"],
            category=row["category"],
            apco_code=row["apco_code"],
            priority=row["priority"],
            source=row["source"],
            local_time=row["received_local"],
            answers={},
            signals={
                name.removeprefix("sig_"): bool(row[name])
                for name in signal_names
                if row.get(name) is not None
            },
            repeat_address_calls=row.get("repeat_address_calls"),
        )
        for row in rows
    ]
    routes: dict[str, int] = {}
    started = time.perf_counter()
    for one in facts:
        route = decide(protocol, one).route
        routes[route] = routes.get(route, 0) + 1
    return time.perf_counter() - started, len(facts), routes


def _floor_seconds(store: Path) -> float:
    """Every column civilian-first reads, aggregated in one query: what any replay must at least pay."""
    from coresponse.triage import compile, load_protocol

    columns = {str(column) for column in compile(load_protocol(PROTOCOL)).columns_read}
    plain = sorted(columns & {"category", "apco_code", "call_type", "priority", "source"})
    sums = ["count(*)"]
    if any(column.startswith("sig_") for column in columns):
        sums.append("sum(length(remarks))")
    if "repeat_address_calls" in columns:
        sums.append("sum(length(address))")
        sums.append("max(received_at)")
    # Team hours read the local time of every call.
    plain.append("hour(received_local)")
    sql = f"SELECT {', '.join(plain)}, {', '.join(sums)} FROM calls GROUP BY ALL"
    connection = duckdb.connect(str(store), read_only=True)
    try:
        started = time.perf_counter()
        connection.execute(sql).fetchall()
        return time.perf_counter() - started
    finally:
        connection.close()


def run(quick: bool) -> dict[str, Any]:
    console = Console()
    calls = 1_000_000 if quick else 10_000_000
    # BENCH_REPLAY_STORE reuses a store an earlier run built (it takes minutes to build).
    reused = os.environ.get("BENCH_REPLAY_STORE")
    workdir = Path(reused).parent if reused else Path(tempfile.mkdtemp(prefix="bench-replay-"))
    store = workdir / "calls.duckdb"
    env = {**os.environ, "CORESPONSE_DATA_DIR": str(workdir)}

    started = time.perf_counter()
    if reused:
        origin = f"reused {store}"
    elif importlib.util.find_spec("coresponse.synth") is not None:
        console.print(f"synthesising and importing {calls:,} calls ...")
        origin = build_store_from_synth(store, calls)
    else:
        console.print(f"building {calls:,} synthetic calls in DuckDB ...")
        build_synthetic_store(store, calls)
        origin = "built in DuckDB from the Seattle codebook"
    build_seconds = time.perf_counter() - started
    console.print(f"{origin} in {build_seconds:.0f} s")

    signals_seconds, signals_rows, distinct_remarks = _signals_seconds(store)
    _forget_queries(store)
    # --keep-signals: the remarks reader may be edited while the benchmark runs; the replay
    # must time deciding, not a second extraction.
    command = [
        str(BIN / "coresponse"),
        "triage",
        "replay",
        "--calls",
        str(store),
        "--protocol",
        PROTOCOL,
        "--json",
        "--keep-signals",
    ]
    # The first run warms the OS file cache, as any second replay of the same store would be,
    # and builds the query (Ibis) that later replays of the protocol reuse.
    first_seconds, _ = _timed_command(command, env=env)
    ours_seconds, output = _timed_command(command, env=env)
    ours = json.loads(output)
    compare_seconds, _ = _timed_command([*command, "--compare", COMPARE], env=env)
    loop_seconds, loop_calls, loop_routes = _python_loop_seconds(store, min(PYTHON_SAMPLE, calls))
    loop_scaled = loop_seconds * calls / loop_calls
    floor_seconds = _floor_seconds(store)
    startup = _startup(env)

    table = Table(title=f"replay of {calls:,} calls ({PROTOCOL}), 2 cores")
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_column("per million calls", justify="right")
    table.add_column("ratio", justify="right")
    table.add_row(
        "ours: whole replay command",
        f"{ours_seconds:.2f}",
        f"{ours_seconds / calls * 1e6:.3f}",
        "1.0",
    )
    table.add_row(
        f"python decide loop over already-built CallFacts (scaled from {loop_calls:,})",
        f"{loop_scaled:.1f}",
        f"{loop_scaled / calls * 1e6:.2f}",
        f"{loop_scaled / ours_seconds:.0f}x slower",
    )
    table.add_row(
        "floor: one DuckDB aggregate",
        f"{floor_seconds:.2f}",
        f"{floor_seconds / calls * 1e6:.3f}",
        f"ours is {ours_seconds / floor_seconds:.1f}x the floor",
    )
    table.add_row(
        "ours: first replay of the protocol (builds and stores its query)",
        f"{first_seconds:.2f}",
        f"{first_seconds / calls * 1e6:.3f}",
        "",
    )
    table.add_row(
        f"ours with --compare {COMPARE}",
        f"{compare_seconds:.2f}",
        f"{compare_seconds / calls * 1e6:.3f}",
        "",
    )
    table.add_row(
        "signal extraction (once, stored)",
        f"{signals_seconds:.2f}",
        f"{signals_seconds / signals_rows * 1e6:.2f}" if signals_rows else "-",
        f"{signals_rows:,} calls, {distinct_remarks:,} distinct remarks",
    )
    table.add_row(
        "coresponse --help (median of 10)",
        f"{startup['help_median_s']:.3f}",
        "",
        f"python -c pass: {startup['python_median_s']:.3f}",
    )
    console.print(table)
    console.print(
        "[dim]python loop: only decide() is timed, on CallFacts already read from the store and "
        "built (reading and building them is not counted); ours: the whole command in a fresh "
        "process.[/dim]"
    )
    targets = {
        "100x faster than the Python loop": loop_scaled / ours_seconds >= 100,
        "within 5x of the floor": ours_seconds / floor_seconds <= 5,
        "10M calls in 10 s or less": quick or ours_seconds <= 10,
        "--help in 0.5 s or less": startup["help_median_s"] <= 0.5,
    }
    for target, met in targets.items():
        console.print(f"{'[green]met' if met else '[red]missed'}[/]: {target}")
    return {
        "calls": calls,
        "protocol": PROTOCOL,
        "calls_from": origin,
        "build_seconds": round(build_seconds, 2),
        "replay_command_seconds": round(ours_seconds, 3),
        "replay_first_command_seconds": round(first_seconds, 3),
        "replay_in_process_seconds": ours.get("seconds"),
        "replay_compare_command_seconds": round(compare_seconds, 3),
        "python_loop_sample_calls": loop_calls,
        "python_loop_measures": "decide() over already-built CallFacts; reading and building them not timed",
        "python_loop_sample_seconds": round(loop_seconds, 3),
        "python_loop_scaled_seconds": round(loop_scaled, 2),
        "python_loop_routes_on_sample": loop_routes,
        "floor_seconds": round(floor_seconds, 3),
        "ratio_loop_to_ours": round(loop_scaled / ours_seconds, 1),
        "ratio_ours_to_floor": round(ours_seconds / floor_seconds, 2),
        "signals_seconds": round(signals_seconds, 3),
        "signals_seconds_per_million": round(signals_seconds / signals_rows * 1e6, 3)
        if signals_rows
        else None,
        "signals_distinct_remarks": distinct_remarks,
        "signals_seconds_per_million_distinct": round(signals_seconds / distinct_remarks * 1e6, 3)
        if distinct_remarks
        else None,
        "routes": ours["routes"],
        "startup": {name: round(value, 4) for name, value in startup.items()},
        "targets_met": targets,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }
