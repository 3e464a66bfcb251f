"""Calls follow the city's clock and calendar; urgent calls are answered faster."""

from __future__ import annotations

from datetime import date, datetime
from statistics import median

import pyarrow as pa
import pytest

from coresponse.synth.generate import generate

FORMAT = "%m/%d/%Y %I:%M:%S %p"


@pytest.fixture(scope="module")
def seattle() -> list[dict[str, object]]:
    table = pa.concat_tables(batch.calls for batch in generate("seattle", 30_000, 5, days=365))
    columns = ["Original Time Queued", "Arrived Time", "Priority", "Call Type", "dispatched_time"]
    return table.select(columns).to_pylist()


def _when(text: object) -> datetime:
    return datetime.strptime(str(text), FORMAT)


def test_nights_are_quiet_and_afternoons_busy_on_the_local_clock(seattle: list[dict[str, object]]) -> None:
    hours = [_when(row["Original Time Queued"]).hour for row in seattle]
    early = sum(1 for hour in hours if 3 <= hour < 6)
    afternoon = sum(1 for hour in hours if 15 <= hour < 18)
    assert afternoon > 2.5 * early


def test_summer_is_busier_than_winter(seattle: list[dict[str, object]]) -> None:
    months = [_when(row["Original Time Queued"]).month for row in seattle]
    summer = sum(1 for month in months if month in (6, 7, 8))
    winter = sum(1 for month in months if month in (12, 1, 2))
    assert summer > 1.05 * winter


def test_fridays_are_busier_than_sundays(seattle: list[dict[str, object]]) -> None:
    days = [_when(row["Original Time Queued"]).weekday() for row in seattle]
    assert days.count(4) > 1.05 * days.count(6)


def test_urgent_calls_are_reached_faster(seattle: list[dict[str, object]]) -> None:
    def minutes_to_arrive(priority: int) -> float:
        waits = [
            (_when(row["Arrived Time"]) - _when(row["Original Time Queued"])).total_seconds() / 60
            for row in seattle
            if row["Priority"] == priority and row["Arrived Time"] and row["Call Type"] != "ONVIEW"
        ]
        return median(waits)

    assert minutes_to_arrive(1) < minutes_to_arrive(2) < minutes_to_arrive(3)


def test_onview_calls_are_on_scene_when_they_start(seattle: list[dict[str, object]]) -> None:
    onview = [row for row in seattle if row["Call Type"] == "ONVIEW"]
    assert onview
    assert all(row["Arrived Time"] == row["Original Time Queued"] for row in onview)


def test_calls_are_in_time_order_and_inside_the_period() -> None:
    batches = list(generate("detroit", 5000, 3, start=date(2023, 3, 1), days=45, chunk_size=700))
    assert len(batches) > 3
    stamps = [text for b in batches for text in b.calls.column("call_timestamp").to_pylist()]
    assert stamps == sorted(stamps)
    # Detroit writes UTC; the period is in local days (UTC-5/-4).
    assert stamps[0] >= "2023/03/01 05:00:00+00" and stamps[-1] < "2023/04/15 04:00:00+00"


def test_local_times_cross_daylight_saving_correctly() -> None:
    batches = generate("seattle", 3000, 1, start=date(2024, 3, 9), days=3)
    times = [_when(text) for b in batches for text in b.calls.column("Original Time Queued").to_pylist()]
    spring_gap = [t for t in times if t.date() == date(2024, 3, 10) and t.hour == 2]
    assert not spring_gap  # 2:00-2:59 a.m. does not exist that night in Seattle
