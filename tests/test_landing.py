"""The landing page shows real figures from the call store, or says how to load some."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from django.test import Client, override_settings

from coresponse.cad.schema import CALLS_COLUMNS, create_table_sql


def _store_with_calls(path: Path) -> Path:
    connection = duckdb.connect(str(path))
    connection.execute(create_table_sql("calls", CALLS_COLUMNS))
    rows = [
        ("seattle", "1", "2024-01-02 10:00:00", "SERVICE - WELFARE CHECK", "Statuses"),
        ("seattle", "2", "2024-03-05 23:00:00", "SERVICE - WELFARE CHECK", "Statuses"),
        ("seattle", "3", "2024-06-30 08:00:00", "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "Behavioral Health"),
    ]
    connection.executemany(
        "INSERT INTO calls (city, event_id, received_local, call_type, category) VALUES (?, ?, ?, ?, ?)", rows
    )
    connection.close()
    return path


@pytest.mark.django_db
def test_landing_page_shows_the_loaded_figures(tmp_path: Path) -> None:
    store = _store_with_calls(tmp_path / "calls.duckdb")
    with override_settings(CORESPONSE_CALLS_STORE=store):
        page = Client().get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="total-calls">3<' in text
    assert "SERVICE - WELFARE CHECK" in text
    assert "Behavioral Health" in text
    assert "2 Jan 2024" in text and "30 Jun 2024" in text


@pytest.mark.django_db
def test_landing_page_without_data_says_how_to_load_it(tmp_path: Path) -> None:
    with override_settings(CORESPONSE_CALLS_STORE=tmp_path / "missing.duckdb"):
        page = Client().get("/")
    assert page.status_code == 200
    assert "coresponse cad import" in page.content.decode()


def test_the_api_schema_is_published(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "CoResponse API"
