""""Open now": weekly hours read in the directory's time zone at an injected instant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coresponse.directory.hsds import import_package
from coresponse.directory.models import Organization
from coresponse.directory.search import Hours, Query, is_open, search

CITY = Path(__file__).parent / "data" / "hsds" / "city"
SEATTLE = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC


def seattle(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in March 2026 given as Seattle wall-clock time (2 March is a Monday)."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SEATTLE)


@pytest.fixture
def city(db: None) -> None:
    import_package(CITY, clock=lambda: dt.datetime(2026, 3, 1, tzinfo=UTC))


def open_at(now: dt.datetime) -> list[str]:
    results = search(Query(open_now=True), now=now.astimezone(UTC), time_zone=SEATTLE)
    return [r.service.name for r in results]


def test_service_open_past_midnight_is_open_in_the_small_hours(city: None) -> None:
    assert "Night Shelter" in open_at(seattle(2, 20))  # Monday evening
    assert "Night Shelter" in open_at(seattle(3, 3))  # Tuesday 03:00, from Monday night
    assert "Night Shelter" not in open_at(seattle(3, 12))  # Tuesday noon
    assert "Night Shelter" not in open_at(seattle(5, 3))  # Thursday 03:00: no Wednesday night


def test_hours_of_the_service_at_a_place_win_over_the_places_hours(city: None) -> None:
    assert "Walk-in Clinic" in open_at(seattle(2, 10))  # Monday 10:00
    assert "Walk-in Clinic" not in open_at(seattle(2, 17))  # closes at 17:00
    # Saturday: the clinic building opens, but the walk-in clinic has its own hours.
    saturday = open_at(seattle(7, 11))
    assert "Walk-in Clinic" not in saturday
    assert "Counselling Service" in saturday  # no hours of its own: the building's apply


def test_equal_opening_and_closing_times_mean_open_all_day(city: None) -> None:
    assert "Community Kitchen" in open_at(seattle(8, 0, 1))
    assert "Community Kitchen" in open_at(seattle(8, 23, 59))
    assert "Community Kitchen" not in open_at(seattle(9, 0, 1))


def test_weekday_given_by_name_is_read(city: None) -> None:
    assert "Tenant Defense" in open_at(seattle(4, 9, 30))  # Wednesday


def test_open_now_is_read_in_the_directorys_time_zone(city: None) -> None:
    # Monday 16:00 in Seattle is Tuesday 00:00 UTC: the clinic is open, in Seattle.
    instant = dt.datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert "Walk-in Clinic" in open_at(instant)
    in_utc = search(Query(open_now=True), now=instant, time_zone=ZoneInfo("UTC"))
    assert "Walk-in Clinic" not in [r.service.name for r in in_utc]


def test_open_now_follows_daylight_saving_time(city: None) -> None:
    # 9 March 2026 is the first Monday on Pacific daylight time (UTC-7).
    assert "Walk-in Clinic" in open_at(dt.datetime(2026, 3, 9, 16, 30, tzinfo=UTC))
    assert "Walk-in Clinic" not in open_at(dt.datetime(2026, 3, 2, 16, 30, tzinfo=UTC))


def test_service_without_hours_is_never_shown_as_open(city: None) -> None:
    organization = Organization.objects.create(id="org-x", name="X")
    organization.services.create(id="svc-x", name="No Hours", status="active")

    everything = search(Query(), now=seattle(2, 10), time_zone=SEATTLE)
    assert {r.service.name: r.open_now for r in everything}["No Hours"] is None
    assert "No Hours" not in open_at(seattle(2, 10))


def test_naive_now_is_refused(city: None) -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        search(Query(open_now=True), now=dt.datetime(2026, 3, 2, 10), time_zone=SEATTLE)


def test_sunday_night_hours_run_into_monday_morning() -> None:
    late = [Hours(7, dt.time(22), dt.time(2))]
    assert is_open(late, dt.datetime(2026, 3, 2, 1, 30))  # Monday 01:30
    assert not is_open(late, dt.datetime(2026, 3, 2, 2, 0))  # closing time is exclusive
    assert is_open(late, dt.datetime(2026, 3, 1, 22, 0))  # Sunday 22:00
