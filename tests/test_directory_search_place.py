"""Searching by place: distance from a point, or a postcode or neighbourhood."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coresponse.directory.hsds import import_package
from coresponse.directory.models import Location
from coresponse.directory.needs import Need
from coresponse.directory.search import Point, Query, distance_km, search

CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
SEATTLE = ZoneInfo("America/Los_Angeles")
PIKE_PLACE = Point(47.6097, -122.3422)  # about 1 km from Harbor House


@pytest.fixture
def city(db: None) -> None:
    import_package(CITY, clock=lambda: NOON)


def found(query: Query) -> list[tuple[str, float | None]]:
    return [
        (r.service.name, None if r.distance_km is None else round(r.distance_km, 1))
        for r in search(query, now=NOON, time_zone=SEATTLE)
    ]


def test_distance_is_great_circle_kilometres() -> None:
    # Seattle to Portland city halls, about 233 km as the crow flies.
    assert distance_km(47.6036, -122.3300, 45.5152, -122.6784) == pytest.approx(233.3, abs=1)
    assert distance_km(1.0, 2.0, 1.0, 2.0) == 0.0


def test_point_search_ranks_services_nearest_first(city: None) -> None:
    results = found(Query(near=PIKE_PLACE))
    assert [name for name, _ in results[:2]] == ["Community Kitchen", "Night Shelter"]
    distances = [d for _, d in results]
    assert distances == sorted(distances)  # type: ignore[type-var]
    assert results[0][1] == pytest.approx(0.9, abs=0.1)


def test_radius_cuts_services_further_away(city: None) -> None:
    assert found(Query(near=PIKE_PLACE, radius_km=2)) == [
        ("Community Kitchen", 0.9),
        ("Night Shelter", 0.9),
    ]


def test_need_and_distance_combine(city: None) -> None:
    assert [n for n, _ in found(Query(need=Need.HOUSING, near=PIKE_PLACE, radius_km=10))] == [
        "Night Shelter",
        "Tenant Defense",
    ]


def test_service_without_coordinates_is_not_found_by_point(city: None) -> None:
    names = [n for n, _ in found(Query(near=PIKE_PLACE, include_inactive=True))]
    assert "Old Food Bank" not in names  # its only place is a mobile van
    assert "Old Food Bank" in [n for n, _ in found(Query(include_inactive=True))]


def test_postcode_finds_services_at_addresses_there(city: None) -> None:
    assert [n for n, _ in found(Query(area="98103"))] == [
        "Counselling Service",
        "Recovery Group",
        "Walk-in Clinic",
    ]


def test_partial_postcode_matches_its_start(city: None) -> None:
    assert len(found(Query(area="9810"))) == 6


def test_postcode_matches_ignoring_spaces_and_case(city: None) -> None:
    Location.objects.get(pk="loc-east").addresses.update(postal_code="SW1A 1AA")
    assert [n for n, _ in found(Query(area="sw1a1aa"))] == ["Tenant Defense"]
    assert [n for n, _ in found(Query(area="SW1A 1"))] == ["Tenant Defense"]


def test_neighbourhood_matches_regardless_of_case(city: None) -> None:
    assert [n for n, _ in found(Query(area="downtown"))] == ["Community Kitchen", "Night Shelter"]
    assert found(Query(area="Ballard")) == []


def test_point_outside_the_globe_is_refused() -> None:
    with pytest.raises(ValueError, match="not a latitude, longitude"):
        Point(91, 0)
    with pytest.raises(ValueError, match="not 'latitude, longitude'"):
        Point.parse("near the harbour")
    assert Point.parse(" 47.6, -122.3 ") == Point(47.6, -122.3)
