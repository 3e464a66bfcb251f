"""Hypothesis strategies and table helpers shared by the triage evaluator tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa
from hypothesis import strategies as st

from coresponse.triage import ANSWERS, SIGNALS, CallFacts
from coresponse.triage.protocol import SOURCES

CATEGORIES = (
    "Behavioral Health",
    "Statuses",
    "Assisting the Public",
    "Violent Crime",
    "Liquor Violations",
    "Medical Emergencies",
    "a category no protocol knows",
)
APCO_CODES = ("EDP", "SUICTHRT", "SUICIDE", "WELFARE", "INTOX", "OD", "ASSIST", "CITASST", "TRESPASS", "ASSAULT", "ZZZ")

optional_bool = st.sampled_from([True, False, None])
local_times = st.one_of(
    st.none(),
    st.builds(
        datetime,
        year=st.just(2025),
        month=st.integers(1, 12),
        day=st.integers(1, 28),
        # team-hour edges (07:00, 22:59, 23:00, 00:00, 01:00) come up often
        hour=st.one_of(st.sampled_from([0, 1, 6, 7, 8, 21, 22, 23]), st.integers(0, 23)),
        minute=st.one_of(st.sampled_from([0, 29, 30, 44, 45, 59]), st.integers(0, 59)),
    ),
)


@st.composite
def calls(draw: st.DrawFn) -> CallFacts:
    """A call with any mix of known, missing and contradictory facts."""
    answers = {
        name: draw(optional_bool) for name in draw(st.lists(st.sampled_from(ANSWERS), unique=True))
    }
    signals = {
        name: draw(optional_bool) for name in draw(st.lists(st.sampled_from(SIGNALS), unique=True))
    }
    return CallFacts(
        call_type=draw(st.one_of(st.none(), st.text(max_size=8))),
        category=draw(st.one_of(st.none(), st.sampled_from(CATEGORIES))),
        apco_code=draw(st.one_of(st.none(), st.sampled_from(APCO_CODES))),
        priority=draw(st.one_of(st.none(), st.integers(1, 4))),
        source=draw(st.one_of(st.none(), st.sampled_from(SOURCES))),
        local_time=draw(local_times),
        answers=answers,
        signals=signals,
        repeat_address_calls=draw(st.one_of(st.none(), st.integers(0, 4))),
    )


def call_schema(*, with_answers: bool = True) -> pa.Schema:
    fields: list[pa.Field] = [
        pa.field("call_no", pa.int64()),
        pa.field("call_type", pa.string()),
        pa.field("category", pa.string()),
        pa.field("apco_code", pa.string()),
        pa.field("priority", pa.int32()),
        pa.field("source", pa.string()),
        pa.field("received_local", pa.timestamp("us")),
        pa.field("repeat_address_calls", pa.int64()),
    ]
    fields += [pa.field(f"sig_{name}", pa.bool_()) for name in SIGNALS]
    if with_answers:
        fields += [pa.field(f"answer_{name}", pa.bool_()) for name in ANSWERS]
    return pa.schema(fields)


def calls_table(facts: Sequence[CallFacts], *, with_answers: bool = True) -> pa.Table:
    """The calls as the columnar table ``compile(...).decide`` reads, numbered by ``call_no``."""
    rows: list[dict[str, Any]] = []
    for number, call in enumerate(facts):
        row: dict[str, Any] = {
            "call_no": number,
            "call_type": call.call_type,
            "category": call.category,
            "apco_code": call.apco_code,
            "priority": call.priority,
            "source": call.source,
            "received_local": call.local_time,
            "repeat_address_calls": call.repeat_address_calls,
        }
        row.update({f"sig_{name}": call.signals.get(name) for name in SIGNALS})
        if with_answers:
            row.update({f"answer_{name}": call.answers.get(name) for name in ANSWERS})
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=call_schema(with_answers=with_answers))


def random_calls(count: int, seed: int) -> list[CallFacts]:
    """``count`` varied calls from a seeded generator (faster than Hypothesis for large batches)."""
    import random

    rng = random.Random(seed)
    states: list[bool | None] = [True, False, None]
    calls_made: list[CallFacts] = []
    for _ in range(count):
        asked = rng.random() < 0.5  # half the calls carry answers, as a live console would
        calls_made.append(
            CallFacts(
                call_type=rng.choice(["A", "B", None]),
                category=rng.choice([*CATEGORIES, None]),
                apco_code=rng.choice([*APCO_CODES, None]),
                priority=rng.choice([1, 2, 3, 4, 5, None]),
                source=rng.choice([*SOURCES, None]),
                local_time=None
                if rng.random() < 0.05
                else datetime(2025, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)),
                answers={name: rng.choice(states) for name in ANSWERS if rng.random() < 0.3} if asked else {},
                signals={name: rng.random() < 0.08 for name in SIGNALS} if rng.random() < 0.8 else {},
                repeat_address_calls=rng.choice([0, 1, 2, 3, 5, 8, None]),
            )
        )
    return calls_made
