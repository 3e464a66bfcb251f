"""The Ibis expressions on DuckDB give the same answer as read_signals, remark for remark, for
the patterns alone and with the shipped learned model."""

from __future__ import annotations

import csv

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, read_signals, signal_expressions
from coresponse.triage.remarks_model import MODEL_PATH, RemarksModel, load_model

SHIPPED = load_model(MODEL_PATH)
READERS = pytest.mark.parametrize("model", [None, SHIPPED], ids=["patterns", "shipped model"])


def python_signals(text: str | None, model: RemarksModel | None) -> dict[str, bool]:
    return read_signals(text, model=model, learned=model is not None).as_dict()

ODD_TEXTS = [None, "", " ", "café naïve 🔪 knife", "\u212aNIFE", "İSTANBUL ETOH", "no\nweapons\tseen"]


def duckdb_signals(texts: list[str | None], model: RemarksModel | None) -> list[dict[str, bool]]:
    connection = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"row": list(range(len(texts))), "remarks": pa.array(texts, pa.string())}))
    expressions = signal_expressions(table.remarks, model=model, learned=model is not None)
    result = connection.to_pyarrow(table.select(table.row, **expressions).order_by("row"))
    columns = {name: result.column(name).to_pylist() for name in SIGNALS}
    return [{name: bool(columns[name][index]) for name in SIGNALS} for index in range(len(texts))]


@READERS
def test_duckdb_agrees_with_python_on_the_whole_labelled_set(model: RemarksModel | None) -> None:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        texts: list[str | None] = [row["remarks"] for row in csv.DictReader(handle)]
    texts += ODD_TEXTS
    disagreements = [
        (text, python, database)
        for text, python, database in zip(
            texts,
            (python_signals(text, model) for text in texts),
            duckdb_signals(texts, model),
            strict=True,
        )
        if python != database
    ]
    assert disagreements == []


@READERS
def test_expressions_are_never_null(model: RemarksModel | None) -> None:
    connection = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"remarks": pa.array([None, "knife"], pa.string())}))
    expressions = signal_expressions(table.remarks, model=model, learned=model is not None)
    result = connection.to_pyarrow(table.select(**expressions))
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
    for model in (None, SHIPPED):
        assert duckdb_signals(list(texts), model) == [python_signals(text, model) for text in texts]
