"""The web app shows the latest replay report, or says how to make one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_the_page_frames_the_latest_report_and_serves_the_file(tmp_path: Path) -> None:
    report = tmp_path / "replay.html"
    report.write_text(
        "<!doctype html><html><body><h1>What civilian-first would have done</h1></body></html>"
    )
    with override_settings(CORESPONSE_REPLAY_REPORT=str(report)):
        page = Client().get("/reports/replay/")
        document = Client().get("/reports/replay.html")
    assert page.status_code == 200
    assert 'id="replay-report"' in page.content.decode()
    assert document.status_code == 200
    assert document["Content-Type"].startswith("text/html")
    assert b"What civilian-first would have done" in b"".join(document.streaming_content)
    assert document.get("X-Frame-Options") == "SAMEORIGIN"


@pytest.mark.django_db
def test_without_a_report_the_page_says_how_to_make_one(tmp_path: Path) -> None:
    with override_settings(CORESPONSE_REPLAY_REPORT=str(tmp_path / "missing.html")):
        page = Client().get("/reports/replay/")
        document = Client().get("/reports/replay.html")
    assert page.status_code == 200
    assert "coresponse triage replay --protocol civilian-first --html" in page.content.decode()
    assert document.status_code == 404


@pytest.mark.django_db
def test_every_page_links_to_the_replay_report() -> None:
    assert 'href="/reports/replay/"' in Client().get("/").content.decode()
