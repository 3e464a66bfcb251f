"""Playwright in Debian's Chromium (never a downloaded browser), against pytest-django's live server.

Under CI=true a missing browser fails the run; elsewhere the browser tests skip and say how
to get one. Playwright's sync API runs an event loop in this thread, so Django's guard
against database calls from async code is lifted for these tests only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"no browser at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tablet(chromium_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A tablet-sized page (820 x 1180, touch) in a fresh Chromium profile."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coresponse-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(chromium_path), args=ARGS, headless=True,
            viewport={"width": 820, "height": 1180}, has_touch=True,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        yield page
        context.close()
        # Database calls made while Playwright's loop runs in this thread get connections of
        # their own context, which the test's teardown does not see; left open, PostgreSQL
        # refuses to drop the test database at the end ("being accessed by other users").
        from django.db import connections

        connections.close_all()


def sign_in(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/casework/")

