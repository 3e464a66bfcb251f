"""The compiled protocol gives identical routes on Spark (local mode) and on DuckDB.

20,000 generated calls per protocol here, compared row by row with DuckDB and with the live
``decide`` (Spark in local mode on a shared 2-core machine is slow to start and to collect);
``python -m bench decide`` runs the same comparison on 100,000 calls.
"""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import pytest

from coresponse.triage import compile, decide, list_protocols, load_protocol
from tests.triage_calls import calls_table, random_calls

pytestmark = [pytest.mark.spark, pytest.mark.slow]
CALLS = 20_000


@pytest.fixture(scope="module")
def spark_backend() -> Iterator[ibis.BaseBackend]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("coresponse-triage-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # wall-clock timestamps: Spark must not shift them into the machine's time zone
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.fixture(scope="module")
def generated() -> tuple[list, object]:  # type: ignore[type-arg]
    facts = random_calls(CALLS, seed=20250301)
    return facts, calls_table(facts)


@pytest.mark.parametrize("name", list_protocols())
def test_spark_duckdb_and_python_route_every_call_the_same(
    spark_backend: ibis.BaseBackend, generated: tuple[list, object], name: str  # type: ignore[type-arg]
) -> None:
    facts, arrow = generated
    compiled = compile(load_protocol(name))
    # Straight from Arrow into a temporary view: nothing written to a warehouse directory, and
    # no detour through pandas, which turns null integers into NaN.
    session = spark_backend._session  # type: ignore[attr-defined]
    view = f"calls_{name.replace('-', '_')}"
    session.createDataFrame(arrow).createOrReplaceTempView(view)
    on_spark = spark_backend.to_pyarrow(
        compiled.decide(spark_backend.table(view)).select("call_no", "route", "rule_id").order_by("call_no")
    )
    on_duckdb = ibis.duckdb.connect().to_pyarrow(
        compiled.decide(ibis.memtable(arrow)).select("call_no", "route", "rule_id").order_by("call_no")
    )
    assert on_spark.num_rows == on_duckdb.num_rows == CALLS
    assert on_spark["route"].to_pylist() == on_duckdb["route"].to_pylist()
    assert on_spark["rule_id"].to_pylist() == on_duckdb["rule_id"].to_pylist()
    protocol = load_protocol(name)
    in_python = [decide(protocol, call, screening=False).route for call in facts]
    assert on_duckdb["route"].to_pylist() == in_python
    # the generated calls reach more than one route, so the comparison means something
    assert len(set(in_python)) >= 4
