"""A replay decides every call once, as the live evaluator would, and its counts reconcile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from coresponse.triage import decide, list_protocols, load_protocol
from coresponse.triage.replay import OFFICER_ROUTES, ReplayError, ReplayFilters, replay
from tests.replay_calls import CALLS, expected_on_scene_minutes, facts, make_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    yield connection
    connection.close()


def test_every_call_is_counted_once_in_every_breakdown(store: duckdb.DuckDBPyConnection) -> None:
    result = replay(store, load_protocol("civilian-first"))
    figures = result.primary
    assert result.calls == len(CALLS)
    assert sum(result.routes.values()) == len(CALLS)
    assert sum(sum(routes.values()) for routes in figures.by_category.values()) == len(CALLS)
    assert sum(sum(routes.values()) for routes in figures.by_weekday.values()) == len(CALLS)
    assert sum(
        sum(routes.values()) for routes in figures.by_hour.values()
    ) + result.hours_unknown == len(CALLS)
    assert sum(figures.rules.values()) == len(CALLS)
    assert result.hours_unknown == 1  # E9 has a date only
    assert "(unmapped)" in figures.by_category  # E12 has no category


@pytest.mark.parametrize("name", list_protocols())
def test_replay_routes_as_deciding_each_call_in_python_would(
    store: duckdb.DuckDBPyConnection, name: str
) -> None:
    protocol = load_protocol(name)
    expected = Counter(decide(protocol, facts(row, CALLS)).route for row in CALLS)
    result = replay(store, protocol)
    assert {route: calls for route, calls in result.routes.items() if calls} == dict(expected)


def test_filters_keep_only_the_city_and_days_asked_for(store: duckdb.DuckDBPyConnection) -> None:
    protocol = load_protocol("civilian-first")
    seattle = replay(store, protocol, filters=ReplayFilters(city="seattle"))
    assert seattle.calls == sum(1 for row in CALLS if row["city"] == "seattle")
    march = replay(
        store, protocol, filters=ReplayFilters(start=date(2024, 3, 5), end=date(2024, 3, 9))
    )
    in_march = [
        row for row in CALLS if date(2024, 3, 5) <= row["received_local"].date() <= date(2024, 3, 9)
    ]
    assert march.calls == len(in_march) == 4


def test_officer_hours_use_time_on_scene_where_known_and_defaults_otherwise(
    store: duckdb.DuckDBPyConnection,
) -> None:
    protocol = load_protocol("civilian-first")
    freed = [
        row for row in CALLS if decide(protocol, facts(row, CALLS)).route not in OFFICER_ROUTES
    ]
    assert freed, "the store should hold calls civilian-first sends no officer to"
    hours = replay(store, protocol).primary.officer_hours
    assert hours.calls_freed == len(freed)
    assert hours.measured_calls + hours.default_calls == len(freed)
    assert hours.hours_freed == pytest.approx(
        sum(expected_on_scene_minutes(row) for row in freed) / 60
    )
    assert hours.hours_freed == pytest.approx(hours.measured_hours + hours.default_hours)


def test_a_store_without_calls_is_refused_with_a_reason(tmp_path: Path) -> None:
    connection = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(ReplayError, match="no calls table"):
        replay(connection, load_protocol("civilian-first"))
    connection.close()
