"""The labelled remarks are well formed, and the reader holds its figures on the dev split."""

from __future__ import annotations

import csv

import pytest

from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, read_signals
from coresponse.triage.remarks_model import (
    BLIND_SPLITS,
    MODEL_TRAINING_SPLITS,
    PATTERNS_TUNED_SPLITS,
)

# Every split is either tuned on by hand, trained on by the model, or blind: never two of these.
SPLITS = (*PATTERNS_TUNED_SPLITS, *MODEL_TRAINING_SPLITS, *BLIND_SPLITS)

COLUMNS = ["id", "remarks", *SIGNALS, "style", "split", "note"]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_set_has_at_least_400_distinct_remarks_in_many_styles(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 400
    assert len({row["id"] for row in rows}) == len(rows)
    assert len({row["remarks"] for row in rows}) == len(rows)
    assert len({row["style"] for row in rows}) >= 8


def test_every_row_has_a_zero_or_one_for_each_signal_and_a_split(rows: list[dict[str, str]]) -> None:
    problems = [
        f"row {row['id']}: {name}={row[name]!r}"
        for row in rows
        for name in SIGNALS
        if row[name] not in {"0", "1"}
    ] + [f"row {row['id']}: split={row['split']!r}" for row in rows if row["split"] not in SPLITS]
    assert problems == []


def test_a_held_out_test_split_of_at_least_100_remarks_exists(rows: list[dict[str, str]]) -> None:
    assert sum(row["split"] == "test" for row in rows) >= 100


def test_a_second_held_out_split_of_at_least_150_fresh_remarks_exists(rows: list[dict[str, str]]) -> None:
    assert sum(row["split"] == "test2" for row in rows) >= 150


def test_no_split_is_both_tuned_or_trained_on_and_blind() -> None:
    assert len(set(SPLITS)) == len(SPLITS)


def test_every_signal_has_positive_and_negative_examples_in_every_split(rows: list[dict[str, str]]) -> None:
    for split in SPLITS:
        for name in SIGNALS:
            values = {row[name] for row in rows if row["split"] == split}
            assert values == {"0", "1"}, (split, name)


def _recall_and_precision(rows: list[dict[str, str]], name: str) -> tuple[float, float]:
    predicted = [getattr(read_signals(row["remarks"]), name) for row in rows]
    truth = [row[name] == "1" for row in rows]
    hits = sum(p and t for p, t in zip(predicted, truth, strict=True))
    return hits / max(sum(truth), 1), hits / max(sum(predicted), 1)


@pytest.mark.parametrize("name", ["weapon", "violence"])
def test_weapon_and_violence_recall_on_dev_is_at_least_95_percent(rows: list[dict[str, str]], name: str) -> None:
    recall, _ = _recall_and_precision([row for row in rows if row["split"] == "dev"], name)
    assert recall >= 0.95


@pytest.mark.parametrize("name", ["threat", "self_harm", "intoxication", "medical", "mental_health"])
def test_other_signals_precision_on_dev_is_at_least_90_percent(rows: list[dict[str, str]], name: str) -> None:
    _, precision = _recall_and_precision([row for row in rows if row["split"] == "dev"], name)
    assert precision >= 0.9
