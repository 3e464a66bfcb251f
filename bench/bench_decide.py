"""``decide`` per call, in-process, beside two floors: parsing the call's JSON, and a bare
dict lookup. Target: 100 microseconds or less per decision (issue 4).

Calls are varied (random categories, codes, times, answers and signals, seeded), so the
rules reached differ from call to call. ``decide`` is timed with and without the
screening questions (the console asks for them; a replay loop does not).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from coresponse.triage import ANSWERS, SIGNALS, CallFacts, decide, list_protocols, load_protocol

CATEGORIES = ("Behavioral Health", "Statuses", "Assisting the Public", "Violent Crime", "Liquor Violations", None)
APCO = ("EDP", "SUICTHRT", "SUICIDE", "WELFARE", "INTOX", "OD", "ASSIST", "TRESPASS", "ASSAULT", None)


def varied_calls(count: int, seed: int = 4) -> list[CallFacts]:
    rng = random.Random(seed)
    states: list[bool | None] = [True, False, None]
    return [
        CallFacts(
            call_type="X",
            category=rng.choice(CATEGORIES),
            apco_code=rng.choice(APCO),
            priority=rng.choice([1, 2, 3, 4, None]),
            source=rng.choice(["911", "non_emergency", None]),
            local_time=datetime(2025, 3, 1, rng.randint(0, 23), rng.randint(0, 59)),
            answers={name: rng.choice(states) for name in ANSWERS if rng.random() < 0.4},
            signals={name: rng.random() < 0.1 for name in SIGNALS},
            repeat_address_calls=rng.choice([0, 1, 3, 6, None]),
        )
        for _ in range(count)
    ]


def per_call_microseconds(function: Callable[[Any], object], items: list[Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - started)
    return best / len(items) * 1e6


def run(quick: bool) -> dict[str, Any]:
    count = 2_000 if quick else 20_000
    repeats = 3 if quick else 5
    calls = varied_calls(count)
    call_json = [
        json.dumps(
            {
                "city": "seattle",
                "call_type": "SERVICE - WELFARE CHECK",
                "priority": call.priority,
                "received_at": call.local_time.isoformat() if call.local_time else None,
                "answers": dict(call.answers),
            }
        )
        for call in calls
    ]
    lookup = {"SERVICE - WELFARE CHECK": "Statuses"}
    results: dict[str, Any] = {
        "calls": count,
        "baseline_json_parse_us": per_call_microseconds(json.loads, call_json, repeats),
        "baseline_dict_lookup_us": per_call_microseconds(lambda _: lookup.get("SERVICE - WELFARE CHECK"), calls, repeats),
        "protocols": {},
    }
    table = Table(title=f"triage.decide, {count:,} varied calls, best of {repeats} (microseconds per call)")
    for column in ("protocol", "decide", "decide, no questions", "json.loads", "dict lookup", "decide / json.loads"):
        table.add_column(column, justify="right")
    for name in list_protocols():
        protocol = load_protocol(name)
        full = per_call_microseconds(lambda call, p=protocol: decide(p, call), calls, repeats)
        bare = per_call_microseconds(lambda call, p=protocol: decide(p, call, screening=False), calls, repeats)
        results["protocols"][name] = {"decide_us": full, "decide_without_questions_us": bare}
        table.add_row(
            name,
            f"{full:.1f}",
            f"{bare:.1f}",
            f"{results['baseline_json_parse_us']:.1f}",
            f"{results['baseline_dict_lookup_us']:.2f}",
            f"{full / results['baseline_json_parse_us']:.1f}x",
        )
    Console().print(table)
    worst = max(figures["decide_us"] for figures in results["protocols"].values())
    results["worst_decide_us"] = worst
    results["target_us"] = 100
    Console().print(f"slowest protocol: {worst:.1f} us per decision (target 100 us)")
    if not quick:
        results["spark_vs_duckdb"] = spark_agreement(100_000)
    return results


def calls_arrow(calls: list[CallFacts]) -> Any:
    import pyarrow as pa

    columns: dict[str, Any] = {
        "call_no": pa.array(range(len(calls)), pa.int64()),
        "call_type": pa.array([call.call_type for call in calls], pa.string()),
        "category": pa.array([call.category for call in calls], pa.string()),
        "apco_code": pa.array([call.apco_code for call in calls], pa.string()),
        "priority": pa.array([call.priority for call in calls], pa.int32()),
        "source": pa.array([call.source for call in calls], pa.string()),
        "received_local": pa.array([call.local_time for call in calls], pa.timestamp("us")),
        "repeat_address_calls": pa.array([call.repeat_address_calls for call in calls], pa.int64()),
    }
    for name in SIGNALS:
        columns[f"sig_{name}"] = pa.array([call.signals.get(name) for call in calls], pa.bool_())
    for name in ANSWERS:
        columns[f"answer_{name}"] = pa.array([call.answers.get(name) for call in calls], pa.bool_())
    return pa.table(columns)


def spark_agreement(count: int) -> dict[str, Any]:
    """The compiled protocols on PySpark (local mode) and DuckDB: identical routes, and the time each took."""
    import ibis
    from pyspark.sql import SparkSession

    from coresponse.triage import compile

    calls = varied_calls(count, seed=11)
    arrow = calls_arrow(calls)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("coresponse-bench-decide")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    spark = ibis.pyspark.connect(session)
    session.createDataFrame(arrow).createOrReplaceTempView("bench_calls")
    duck = ibis.duckdb.connect()
    figures: dict[str, Any] = {"calls": count}
    table = Table(title=f"compiled protocol, {count:,} calls: Spark (local) against DuckDB")
    for column in ("protocol", "DuckDB s", "Spark s", "routes identical", "rule ids identical"):
        table.add_column(column, justify="right")
    for name in list_protocols():
        compiled = compile(load_protocol(name))
        started = time.perf_counter()
        on_duckdb = duck.to_pyarrow(compiled.decide(ibis.memtable(arrow)).select("call_no", "route", "rule_id").order_by("call_no"))
        duckdb_seconds = time.perf_counter() - started
        started = time.perf_counter()
        on_spark = spark.to_pyarrow(compiled.decide(spark.table("bench_calls")).select("call_no", "route", "rule_id").order_by("call_no"))
        spark_seconds = time.perf_counter() - started
        same_routes = on_spark["route"].to_pylist() == on_duckdb["route"].to_pylist()
        same_rules = on_spark["rule_id"].to_pylist() == on_duckdb["rule_id"].to_pylist()
        figures[name] = {
            "duckdb_seconds": duckdb_seconds,
            "spark_seconds": spark_seconds,
            "routes_identical": same_routes,
            "rule_ids_identical": same_rules,
        }
        table.add_row(name, f"{duckdb_seconds:.2f}", f"{spark_seconds:.2f}", str(same_routes), str(same_rules))
    session.stop()
    Console().print(table)
    return figures
