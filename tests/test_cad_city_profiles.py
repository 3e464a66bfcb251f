"""Each city's export imports through its profile into the same normalised calls table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from coresponse.cad.ingest import ImportResult, import_files
from coresponse.cad.profile import load_profile

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def _import(
    tmp_path: Path, profile: str, name: str
) -> tuple[ImportResult, dict[str, dict[str, object]]]:
    store = tmp_path / "calls.duckdb"
    result = import_files([DATA / name], load_profile(profile), store=store, key=KEY, mapping={})[0]
    with duckdb.connect(str(store)) as connection:
        cursor = connection.execute("SELECT * FROM calls")
        names = [column[0] for column in cursor.description]
        calls = {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return result, calls


def test_seattle_export_with_bom_and_quoted_fields_imports(tmp_path: Path) -> None:
    result, calls = _import(tmp_path, "seattle", "seattle_calls.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 6, 0)
    first = calls["2023000000001"]
    assert first["received_local"] == datetime(2023, 7, 1, 9, 5)
    assert first["received_at"] == datetime(2023, 7, 1, 16, 5)  # PDT is UTC-7
    assert first["dispatched_at"] == datetime(2023, 7, 1, 16, 7)
    assert first["cleared_at"] == datetime(2023, 7, 1, 17, 0)
    assert first["call_type"] == "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS"
    assert first["final_call_type"] == "--BEHAVIORAL HEALTH - SUICIDAL"
    assert first["remarks"] == "Caller says her brother, 34, talks of suicide; no weapons seen"
    assert first["address"] == "1200 BLOCK OF E PINE ST"
    assert (first["latitude"], first["longitude"]) == (47.62937069, -122.28749063)
    assert (first["precinct"], first["sector"], first["beat"]) == ("EAST", "CHARLIE", "C2")
    assert first["time_known"] is True
    # An hour written without its leading zero, in winter (PST is UTC-8).
    assert calls["2023000000002"]["received_at"] == datetime(2023, 1, 16, 2, 8, 26)
    assert calls["2023000000005"]["remarks"] == 'Texted: "I am not safe"\nsecond line of the remark'


def test_seattle_sources_map_onto_the_shared_vocabulary(tmp_path: Path) -> None:
    _, calls = _import(tmp_path, "seattle", "seattle_calls.csv")
    sources = {event_id: (call["source"], call["source_raw"]) for event_id, call in calls.items()}
    assert sources == {
        "2023000000001": ("911", "911"),
        "2023000000002": ("officer_initiated", "ONVIEW"),
        "2023000000003": ("non_emergency", "TELEPHONE OTHER, NOT 911"),
        "2023000000004": ("alarm", "ALARM CALL (NOT POLICE ALARM)"),
        "2023000000005": ("911", "TEXT MESSAGE"),
        "2023000000006": ("other", "SCHEDULED EVENT (RECURRING)"),
    }


def test_seattle_date_only_extract_has_time_unknown(tmp_path: Path) -> None:
    result, calls = _import(tmp_path, "seattle", "seattle_date_only.csv")
    assert result.rows_loaded == 3
    call = calls["2024000109132"]
    assert call["time_known"] is False
    assert call["received_local"] == datetime(2024, 4, 22)
    assert call["received_at"] == datetime(2024, 4, 22, 7)
    assert call["final_call_type"] == "DISTURBANCE - OTHER"
    assert not result.warnings  # broad_category is a column the profile knows to leave out


def test_new_orleans_priority_letters_and_wkt_points(tmp_path: Path) -> None:
    result, calls = _import(tmp_path, "new_orleans", "new_orleans_calls.csv")
    assert result.rows_loaded == 3
    first = calls["A0000123"]
    assert (first["priority"], first["priority_raw"]) == (2, "2A")
    assert (first["call_type"], first["final_call_type"]) == (
        "MENTAL PATIENT",
        "DISTURBANCE (OTHER)",
    )
    assert (first["latitude"], first["longitude"]) == (29.9511, -90.0712)
    assert first["received_at"] == datetime(2023, 1, 6, 5, 15)  # CST is UTC-6
    assert first["cleared_at"] == datetime(2023, 1, 6, 6, 30)
    assert first["disposition"] == "Necessary Action Taken"
    assert (first["source"], first["precinct"], first["beat"]) == ("other", "6", "6E04")
    assert first["address"] == "012XX Magazine St"
    # POINT (0 0) is the export's way of saying "no location".
    assert calls["A0000124"]["latitude"] is None
    assert calls["A0000124"]["source"] == "officer_initiated"
    assert calls["A0000125"]["priority"] == 0


def test_detroit_utc_timestamps_and_minute_durations(tmp_path: Path) -> None:
    result, calls = _import(tmp_path, "detroit", "detroit_calls.csv")
    assert result.rows_loaded == 3
    first = calls["20230001"]
    assert first["received_at"] == datetime(2023, 6, 1, 14, 0)
    assert first["received_local"] == datetime(2023, 6, 1, 10, 0)  # EDT is UTC-4
    assert first["dispatched_at"] == datetime(2023, 6, 1, 14, 4, 45)  # + 1.5 + 3.25 minutes
    assert first["arrived_at"] == datetime(2023, 6, 1, 14, 11, 45)  # + 11.75 minutes
    assert first["cleared_at"] == datetime(2023, 6, 1, 14, 45, 30)  # + 45.5 minutes
    assert first["call_type"] == first["final_call_type"] == "MENTAL VIOLENT NOT ARMED"
    assert (first["source"], calls["20230002"]["source"]) == ("other", "officer_initiated")
    assert calls["20230002"]["received_local"] == datetime(2023, 12, 31, 18, 30)
    # Blank durations leave the times unknown rather than equal to the received time.
    assert calls["20230003"]["arrived_at"] is None


def test_generic_profile_reads_normalised_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "event_id,received_at,call_type,priority,source,latitude,longitude\n"
        "E1,2024-02-01 08:30:00,WELFARE CHECK,3,911,47.1,-122.1\n"
        "E2,2024-02-01,NOISE,5,officer_initiated,,\n",
        encoding="utf-8",
    )
    store = tmp_path / "calls.duckdb"
    result = import_files([path], load_profile("generic"), store=store, key=KEY, mapping={})[0]
    assert (result.rows_loaded, result.city) == (2, "generic")
    with duckdb.connect(str(store)) as connection:
        rows = connection.execute(
            "SELECT event_id, received_at, time_known, source FROM calls ORDER BY event_id"
        ).fetchall()
    assert rows == [
        ("E1", datetime(2024, 2, 1, 8, 30), True, "911"),
        ("E2", datetime(2024, 2, 1), False, "officer_initiated"),
    ]


@pytest.mark.parametrize(
    ("profile", "name"),
    [
        ("seattle", "seattle_calls.csv"),
        ("new_orleans", "new_orleans_calls.csv"),
        ("detroit", "detroit_calls.csv"),
    ],
)
def test_city_files_import_without_warnings(tmp_path: Path, profile: str, name: str) -> None:
    result, _ = _import(tmp_path, profile, name)
    assert result.reconciles and not result.warnings
