"""Calls come in chunks of whole days, so memory is bounded by the chunk, and event
numbers run on across chunks the way each city numbers its events."""

from __future__ import annotations

from datetime import date

import pytest

from coresponse.synth.generate import SynthError, generate


def test_chunks_hold_whole_days_and_add_up_to_the_calls() -> None:
    sizes = [batch.calls.num_rows for batch in generate("detroit", 9000, 2, days=30, chunk_size=1000)]
    assert sum(sizes) == 9000
    assert len(sizes) >= 9
    # A chunk holds whole days: never more than the chunk size plus one day's calls.
    assert max(sizes) <= 1000 + 9000 // 30 * 2


def test_seattle_event_numbers_rise_and_restart_with_the_year() -> None:
    batches = generate("seattle", 4000, 3, start=date(2023, 12, 20), days=24, chunk_size=500)
    numbers = [int(n) for b in batches for n in b.calls.column("CAD Event Number").to_pylist()]
    years = [n // 1_000_000_000 for n in numbers]
    assert years[0] == 2023 and years[-1] == 2024
    first_2024 = years.index(2024)
    assert numbers[first_2024] % 1_000_000_000 < 10
    assert numbers[:first_2024] == sorted(numbers[:first_2024])
    assert numbers[first_2024:] == sorted(numbers[first_2024:])
    assert len(set(numbers)) == len(numbers)


def test_new_orleans_items_restart_each_month() -> None:
    batches = generate("new_orleans", 3000, 3, start=date(2024, 1, 20), days=20, chunk_size=400)
    items = [item for b in batches for item in b.calls.column("NOPD_Item").to_pylist()]
    months = [item[0] for item in items]
    assert months[0] == "A" and months[-1] == "B"
    february = months.index("B")
    assert int(items[february][1:-2]) < 10
    assert len(set(items)) == len(items)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"city": "gotham", "calls": 10, "seed": 1}, "unknown city"),
        ({"city": "seattle", "calls": 0, "seed": 1}, "--calls"),
        ({"city": "seattle", "calls": 10, "seed": 1, "days": 0}, "--days"),
    ],
)
def test_impossible_arguments_are_refused_before_anything_is_made(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(SynthError, match=message):
        next(generate(**arguments))  # type: ignore[arg-type]


def test_fewer_calls_than_days_still_works() -> None:
    batches = list(generate("seattle", 5, 1, days=100))
    assert sum(batch.calls.num_rows for batch in batches) == 5
