"""In Debian's Chromium: choosing a need refreshes the results in place through htmx."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coresponse.directory.hsds import import_package

CITY = Path(__file__).parent / "data" / "hsds" / "city"
CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture
def city(transactional_db: None) -> None:
    import_package(CITY, clock=lambda: dt.datetime(2026, 3, 2, tzinfo=dt.UTC))


@pytest.fixture
def page(city: None) -> Iterator[Any]:
    # Loaded first: Django refuses database calls once Playwright's event loop runs.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tablet = browser.new_page(viewport={"width": 820, "height": 1180}, has_touch=True)
        yield tablet
        browser.close()


def test_choosing_a_need_refreshes_results_without_leaving_the_page(
    live_server: Any, page: Any
) -> None:
    page.goto(f"{live_server.url}/directory/")
    page.evaluate("window.stillHere = true")

    page.click("text=Legal")
    page.wait_for_selector("li.service[data-service-id=svc-legal]")

    assert page.eval_on_selector_all("li.service h2", "els => els.map(e => e.textContent)") == [
        "Tenant Defense"
    ]
    assert page.evaluate("window.stillHere") is True  # swapped in place, not reloaded
    assert "need=legal" in page.url  # and the address can be shared
    assert page.locator("a.phone", has_text="206-555-0199 ext. 12").is_visible()
