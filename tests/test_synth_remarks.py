"""Every remark says its call's true facts and never a false one; the facts side file
is keyed by the calls' event ids."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from coresponse.synth.generate import EVENT_ID_COLUMN, generate, write
from coresponse.synth.kinds import FACTS
from coresponse.synth.remarks import NEGATIVE, POSITIVE


@cache
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(phrase.upper()) for phrase in phrases)
    return re.compile(rf"(^|[^A-Z])({words})($|[^A-Z])")


def _said(remark: str, phrases: tuple[str, ...], unless: tuple[str, ...] = ()) -> bool:
    """Whether a phrase is in the remark as whole words, once the ``unless`` ones are cut."""
    text = remark.upper()
    if unless:
        text = _pattern(unless).sub(" | ", text)
    return _pattern(phrases).search(text) is not None


@pytest.fixture(scope="module")
def calls_and_facts() -> tuple[pa.Table, pa.Table]:
    batches = list(generate("seattle", 20_000, 17, days=60))
    return (pa.concat_tables(b.calls for b in batches), pa.concat_tables(b.facts for b in batches))


def test_every_call_has_a_remark(calls_and_facts: tuple[pa.Table, pa.Table]) -> None:
    calls, _ = calls_and_facts
    remarks = calls.column("remarks").to_pylist()
    assert all(remark and remark.strip() for remark in remarks)
    assert len(set(remarks)) > len(remarks) // 4  # varied wording


@pytest.mark.parametrize("fact", FACTS)
def test_a_true_fact_is_said_and_a_false_one_is_not(
    calls_and_facts: tuple[pa.Table, pa.Table], fact: str
) -> None:
    calls, facts = calls_and_facts
    remarks = calls.column("remarks").to_pylist()
    truth = facts.column(fact).to_pylist()
    assert any(truth), f"no call has {fact}"
    for remark, true in zip(remarks, truth, strict=True):
        if true:
            assert _said(remark, POSITIVE[fact]), f"{fact} true but not said: {remark!r}"
        else:
            assert not _said(remark, POSITIVE[fact], unless=NEGATIVE[fact]), (
                f"{fact} false but said: {remark!r}"
            )


def test_false_facts_are_sometimes_denied(calls_and_facts: tuple[pa.Table, pa.Table]) -> None:
    calls, facts = calls_and_facts
    remarks = calls.column("remarks").to_pylist()
    for fact in ("weapon", "self_harm", "violence"):
        denied = [
            remark for remark, true in zip(remarks, facts.column(fact).to_pylist(), strict=True)
            if not true and _said(remark, NEGATIVE[fact])
        ]
        assert denied, f"no remark denies {fact}"
    joined = " ".join(remarks).upper()
    for shorthand in ("DENIES SI", "NO WPNS SEEN", "NOT VIOLENT", "ETOH", "EDP", "W/ ", "RP"):
        assert shorthand in joined


def test_facts_fit_the_call_type(calls_and_facts: tuple[pa.Table, pa.Table]) -> None:
    calls, facts = calls_and_facts
    call_type = np.array(calls.column("Initial Call Type").to_pylist())
    suicidal = np.char.startswith(call_type, "SUICIDE")
    shots = np.char.startswith(call_type, "SHOTS")
    parking = call_type == "PARKING VIOLATION (EXCEPT ABANDONED CAR)"
    self_harm = np.array(facts.column("self_harm").to_pylist())
    weapon = np.array(facts.column("weapon").to_pylist())
    assert suicidal.any() and self_harm[suicidal].all()
    assert shots.any() and weapon[shots].all()
    assert parking.any() and self_harm[parking].mean() < 0.01
    crisis = call_type == "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"
    mental = np.array(facts.column("mental_health").to_pylist())
    assert crisis.any() and mental[crisis].all()
    assert mental[parking].mean() < 0.05


def test_facts_file_is_keyed_by_the_event_ids_of_the_calls(tmp_path: Path) -> None:
    for city in ("seattle", "new_orleans", "detroit"):
        summary = write(city, 1500, 8, tmp_path / f"{city}.parquet", days=10)
        calls = pq.read_table(summary.path)
        facts = pq.read_table(summary.facts_path)
        assert facts.column_names == ["event_id", *FACTS]
        ids = calls.column(EVENT_ID_COLUMN[city]).cast(pa.string()).to_pylist()
        assert facts.column("event_id").to_pylist() == ids
        assert len(set(ids)) == len(ids)
        assert all(facts.schema.field(fact).type == pa.bool_() for fact in FACTS)
