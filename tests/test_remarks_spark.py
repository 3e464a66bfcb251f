"""The same Ibis expressions run on Spark (local mode) and agree with read_signals."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

import ibis
import pyarrow as pa
import pytest

from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, read_signals, signal_expressions
from coresponse.triage.remarks_model import MODEL_PATH, load_model

# With the learned model (off by default): its Python UDF is the part Spark could get wrong.
SHIPPED = load_model(MODEL_PATH)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    import ibis

    # The learned model runs as a Python UDF: Spark's workers must use this interpreter, the
    # one coresponse is installed in, not whatever python3 is first on the PATH.
    environment = pytest.MonkeyPatch()
    environment.setenv("PYSPARK_PYTHON", sys.executable)
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("coresponse-remarks-test")
        .config("spark.ui.enabled", "false")
        # Nothing is written to the working tree: a table left there by an interrupted run
        # would make the next run fail with LOCATION_ALREADY_EXISTS.
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    yield ibis.pyspark.connect(session)
    session.stop()
    environment.undo()


def test_spark_agrees_with_python_on_a_sample_of_the_labelled_set(spark_backend: object) -> None:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Every 5th remark, plus the styles most likely to expose regex-dialect differences.
    sample = [row["remarks"] for index, row in enumerate(rows) if index % 5 == 0 or row["style"] in {"non_ascii", "negation"}]
    texts: list[str | None] = [*sample, None, "", "\u212aNIFE", "İSTANBUL ETOH", "no\nweapons\tseen"]
    table = ibis.memtable(pa.table({"row": list(range(len(texts))), "remarks": pa.array(texts, pa.string())}))
    frame = spark_backend.execute(  # type: ignore[attr-defined]
        table.select(table.row, **signal_expressions(table.remarks, model=SHIPPED)).order_by("row")
    )
    on_spark = [{name: bool(frame[name][index]) for name in SIGNALS} for index in range(len(texts))]
    in_python = [read_signals(text, model=SHIPPED).as_dict() for text in texts]
    assert [
        (text, python, spark) for text, python, spark in zip(texts, in_python, on_spark, strict=True) if python != spark
    ] == []
