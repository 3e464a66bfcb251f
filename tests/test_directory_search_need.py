"""Searching the directory by need, in the needs assessment's vocabulary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coresponse.directory.hsds import import_package
from coresponse.directory.needs import Need
from coresponse.directory.search import Query, search

pytestmark = pytest.mark.django_db

CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
SEATTLE = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def city() -> None:
    import_package(CITY, clock=lambda: NOON)


def names(query: Query) -> list[str]:
    return [r.service.name for r in search(query, now=NOON, time_zone=SEATTLE)]


def test_need_finds_active_services_tagged_with_it() -> None:
    assert names(Query(need=Need.FOOD)) == ["Community Kitchen"]


def test_inactive_services_are_found_only_when_asked_for() -> None:
    assert names(Query(need=Need.FOOD, include_inactive=True)) == [
        "Community Kitchen",
        "Old Food Bank",
    ]


def test_need_from_a_taxonomy_term_is_found() -> None:
    # "Talk with someone." says nothing; its taxonomy term says mental health counselling.
    assert names(Query(need=Need.MENTAL_HEALTH)) == ["Counselling Service"]


def test_need_from_keywords_is_found() -> None:
    assert names(Query(need=Need.SUBSTANCE_USE)) == ["Recovery Group"]


def test_need_and_words_narrow_together() -> None:
    assert names(Query(need=Need.HOUSING)) == ["Night Shelter", "Tenant Defense"]
    assert names(Query(need=Need.HOUSING, text="beds")) == ["Night Shelter"]


def test_words_match_the_organisation_name_too() -> None:
    assert names(Query(text="eastlake")) == ["Tenant Defense"]


def test_a_need_nobody_meets_finds_nothing() -> None:
    assert names(Query(need=Need.SAFETY)) == []
