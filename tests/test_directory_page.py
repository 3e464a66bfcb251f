"""The directory search page: a server page that works without JavaScript, with an htmx
results partial, and htmx served from our own static files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings

from coresponse.directory import views
from coresponse.directory.hsds import import_package

pytestmark = pytest.mark.django_db

CITY = Path(__file__).parent / "data" / "hsds" / "city"
MONDAY_10AM_SEATTLE = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.fixture(autouse=True)
def city() -> None:
    import_package(CITY, clock=lambda: MONDAY_10AM_SEATTLE)


def service_names(html: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", html)


def test_page_without_a_query_shows_the_form_and_no_results() -> None:
    page = Client().get("/directory/")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<header class="site">' in html  # extends the site's base page
    assert 'name="need"' in html and 'name="area"' in html and 'name="open_now"' in html
    assert service_names(html) == []


def test_search_by_need_lists_matching_services_with_their_tags() -> None:
    html = Client().get("/directory/", {"need": "housing"}).content.decode()

    assert service_names(html) == ["Night Shelter", "Tenant Defense"]
    assert 'data-service-id="svc-shelter"' in html
    assert "206-555-0100" in html  # the bed line, tappable
    assert 'href="tel:206-555-0100"' in html
    assert "Adults 18 and over" in html


def test_htmx_request_gets_only_the_results() -> None:
    partial = Client().get("/directory/", {"need": "food"}, headers={"HX-Request": "true"})

    html = partial.content.decode()
    assert "<html" not in html and "<form" not in html
    assert service_names(html) == ["Community Kitchen"]


def test_htmx_is_served_from_our_static_files_not_a_cdn() -> None:
    html = Client().get("/directory/").content.decode()

    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert any("htmx" in src for src in scripts)
    assert all(src.startswith("/static/") for src in scripts), scripts


@override_settings(TIME_ZONE="America/Los_Angeles")
def test_open_now_uses_the_clock_and_the_directorys_time_zone() -> None:
    with time_machine.travel(MONDAY_10AM_SEATTLE, tick=False):
        html = Client().get("/directory/", {"open_now": "on"}).content.decode()

    assert service_names(html) == ["Walk-in Clinic"]
    assert "Open now" in html
    assert "America/Los_Angeles" in html


def test_bad_place_is_explained_not_crashed_on() -> None:
    page = Client().get("/directory/", {"near": "by the harbour", "radius_km": "2"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "is not &#x27;latitude, longitude&#x27;" in html
    assert service_names(html) == []


def test_distance_without_a_point_is_explained() -> None:
    html = Client().get("/directory/", {"radius_km": "2"}).content.decode()

    assert "A distance needs a point to measure from." in html


def test_search_by_neighbourhood_and_point_shows_distance() -> None:
    html = Client().get(
        "/directory/", {"near": "47.6097, -122.3422", "radius_km": "2"}
    ).content.decode()

    assert service_names(html) == ["Community Kitchen", "Night Shelter"]
    assert "0.9 km" in html


def test_long_result_lists_are_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "RESULTS_SHOWN", 2)
    html = Client().get("/directory/", {"area": "Seattle"}).content.decode()

    assert len(service_names(html)) == 2
    assert "4 more not shown" in html
