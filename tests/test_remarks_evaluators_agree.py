"""The Ibis expressions on DuckDB give the same answer as read_signals, remark for remark."""

from __future__ import annotations

import csv

import ibis
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, read_signals, signal_expressions

ODD_TEXTS = [None, "", " ", "café naïve 🔪 knife", "\u212aNIFE", "İSTANBUL ETOH", "no\nweapons\tseen"]


def duckdb_signals(texts: list[str | None]) -> list[dict[str, bool]]:
    connection = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"row": list(range(len(texts))), "remarks": pa.array(texts, pa.string())}))
    result = connection.to_pyarrow(table.select(table.row, **signal_expressions(table.remarks)).order_by("row"))
    columns = {name: result.column(name).to_pylist() for name in SIGNALS}
    return [{name: bool(columns[name][index]) for name in SIGNALS} for index in range(len(texts))]


def test_duckdb_agrees_with_python_on_the_whole_labelled_set() -> None:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        texts: list[str | None] = [row["remarks"] for row in csv.DictReader(handle)]
    texts += ODD_TEXTS
    disagreements = [
        (text, python, database)
        for text, python, database in zip(
            texts, (read_signals(text).as_dict() for text in texts), duckdb_signals(texts), strict=True
        )
        if python != database
    ]
    assert disagreements == []


def test_expressions_are_never_null() -> None:
    connection = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"remarks": pa.array([None, "knife"], pa.string())}))
    result = connection.to_pyarrow(table.select(**signal_expressions(table.remarks)))
    assert all(result.column(name).null_count == 0 for name in SIGNALS)
    assert result.column("weapon").to_pylist() == [False, True]


WORDS = [
    "no", "not", "denies", "neg", "unk", "w/", "w/o", "knife", "gun", "wpns", "si", "hi", "etoh",
    "edp", "dv", "verbal", "only", "hit", "fight", "od", "loc", ":", ",", ".", "but", "subj", "rp",
    "sts", "has", "a", "any", "drunk", "suicidal", "threatening", "to", "kill", "himself", "her",
    "chest", "pain", "fell", "asleep", "shot", "flu", "café", "🔪", "\n", "hx", "of", "5150",
]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join),
        min_size=1,
        max_size=60,
    )
)
def test_duckdb_agrees_with_python_on_generated_remarks(texts: list[str]) -> None:
    assert duckdb_signals(list(texts)) == [read_signals(text).as_dict() for text in texts]
