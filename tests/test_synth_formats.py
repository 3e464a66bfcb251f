"""Each city is written in its own export format, exactly as docs/synth.md and the
city formats contract list (columns, order, time formats, codes)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from coresponse.synth.generate import generate, write

INTERNAL = ["remarks", "caller_name", "caller_dob", "caller_phone"]
COLUMNS = {
    "seattle": [
        "CAD Event Number", "Event Clearance Description", "Call Type", "Priority",
        "Initial Call Type", "Final Call Type", "Original Time Queued", "Arrived Time",
        "Precinct", "Sector", "Beat", "Blurred_Longitude", "Blurred_Latitude",
        *INTERNAL, "address", "cleared_time", "dispatched_time",
    ],
    "new_orleans": [
        "NOPD_Item", "Type", "TypeText", "Priority", "InitialType", "InitialTypeText",
        "InitialPriority", "MapX", "MapY", "TimeCreate", "TimeDispatch", "TimeArrive",
        "TimeClosed", "Disposition", "DispositionText", "SelfInitiated", "Beat",
        "BLOCK_ADDRESS", "Zip", "PoliceDistrict", "Location", *INTERNAL,
    ],
    "detroit": [
        "X", "Y", "incident_id", "agency", "incident_address", "zip_code", "priority",
        "callcode", "calldescription", "category", "call_timestamp", "precinct_sca",
        "respondingunit", "officerinitiated", "intaketime", "dispatchtime", "traveltime",
        "totalresponsetime", "time_on_scene", "totaltime", "neighborhood", "block_id",
        "council_district", "longitude", "latitude", "ObjectId", *INTERNAL,
    ],
}
US_TIME = re.compile(r"^(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/20\d\d (0[1-9]|1[0-2]):[0-5]\d:[0-5]\d [AP]M$")
DETROIT_TIME = re.compile(r"^20\d\d/[01]\d/[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d\+00$")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {city: write(city, 3000, 5, folder / f"{city}.csv", days=40).path for city in COLUMNS}


@pytest.mark.parametrize("city", list(COLUMNS))
def test_header_is_the_city_export_then_the_internal_columns(files: dict[str, Path], city: str) -> None:
    with files[city].open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS[city]


@pytest.mark.parametrize("city", list(COLUMNS))
def test_parquet_has_the_same_columns_as_csv(city: str) -> None:
    batch = next(generate(city, 200, 1, days=3))
    assert batch.calls.column_names == COLUMNS[city]
    assert batch.facts.column_names[0] == "event_id"


def test_seattle_writes_its_own_codes_times_and_sources(files: dict[str, Path]) -> None:
    rows = list(_rows(files["seattle"]))
    assert all(re.fullmatch(r"20\d\d\d{9}", row["CAD Event Number"]) for row in rows)
    assert all(US_TIME.match(row["Original Time Queued"]) for row in rows)
    assert all(US_TIME.match(row["Arrived Time"]) for row in rows if row["Arrived Time"])
    assert all(US_TIME.match(row["cleared_time"]) for row in rows)
    # Most final types carry Seattle's "--" prefix; the codebook also holds a few without.
    dashed = sum(row["Final Call Type"].startswith("-") for row in rows)
    assert dashed > 0.9 * len(rows)
    sources = {row["Call Type"] for row in rows}
    assert {"911", "ONVIEW", "TELEPHONE OTHER, NOT 911", "ALARM CALL (NOT POLICE ALARM)"} <= sources
    assert {row["Priority"] for row in rows if row["Call Type"] == "ONVIEW"} == {"7"}
    assert all(1 <= int(row["Priority"]) <= 9 for row in rows)
    assert {row["Precinct"] for row in rows} == {"NORTH", "EAST", "SOUTH", "WEST", "SOUTHWEST"}
    assert all(47.45 < float(row["Blurred_Latitude"]) < 47.78 for row in rows)
    assert all(-122.46 < float(row["Blurred_Longitude"]) < -122.22 for row in rows)
    assert all(re.fullmatch(r"\d+XX BLOCK OF .+", row["address"]) for row in rows)


def test_new_orleans_writes_its_own_codes_times_and_points(files: dict[str, Path]) -> None:
    rows = list(_rows(files["new_orleans"]))
    assert all(re.fullmatch(r"[A-L]\d{5,}24", row["NOPD_Item"]) for row in rows)
    assert all(re.fullmatch(r"[0-4][A-C]", row["Priority"]) for row in rows)
    assert all(US_TIME.match(row["TimeCreate"]) for row in rows)
    assert {row["SelfInitiated"] for row in rows} == {"Y", "N"}
    for row in rows:
        lon, lat = re.fullmatch(r"POINT \((\S+) (\S+)\)", row["Location"]).groups()  # type: ignore[union-attr]
        assert -90.2 < float(lon) < -89.8 and 29.8 < float(lat) < 30.15
        # Louisiana South state plane feet, as NOPD publishes MapX/MapY.
        assert 3_600_000 < float(row["MapX"]) < 3_760_000
        assert 480_000 < float(row["MapY"]) < 620_000
    assert {row["PoliceDistrict"] for row in rows} == {str(n) for n in range(1, 9)}
    assert any(row["InitialTypeText"] != row["TypeText"] for row in rows)


def test_detroit_durations_add_up_as_the_export_defines_them(files: dict[str, Path]) -> None:
    rows = list(_rows(files["detroit"]))
    assert all(DETROIT_TIME.match(row["call_timestamp"]) for row in rows)
    assert {row["officerinitiated"] for row in rows} == {"Yes", "No"}
    assert {row["agency"] for row in rows} == {"DPD"}
    for row in rows:
        intake, dispatch, total = (float(row[k]) for k in ("intaketime", "dispatchtime", "totaltime"))
        if row["totalresponsetime"]:
            response = float(row["totalresponsetime"])
            assert response == pytest.approx(intake + dispatch + float(row["traveltime"]), abs=0.011)
            assert total == pytest.approx(response + float(row["time_on_scene"]), abs=0.011)
        assert total >= intake + dispatch - 0.011
    assert all(42.2 < float(row["latitude"]) < 42.5 for row in rows)


def test_detroit_has_no_disposition_and_no_initial_final_split() -> None:
    batch = next(generate("detroit", 300, 2, days=3))
    names = set(batch.calls.column_names)
    assert not any("disposition" in name.lower() for name in names)
    assert "calldescription" in names and "InitialTypeText" not in names


def test_person_fields_are_obviously_fictional() -> None:
    table: pa.Table = next(generate("seattle", 2000, 4, days=10)).calls
    phones = [phone for phone in table.column("caller_phone").to_pylist() if phone]
    dobs = [dob for dob in table.column("caller_dob").to_pylist() if dob]
    assert phones and all(re.fullmatch(r"\(555\) \d{3}-\d{4}", phone) for phone in phones)
    assert dobs and all(re.fullmatch(r"(19[4-9]\d|200[0-5])-[01]\d-[0-3]\d", dob) for dob in dobs)
    names = [name for name in table.column("caller_name").to_pylist() if name]
    assert names and all(re.fullmatch(r"[A-Z]+, [A-Z]+ [A-Z]", name) for name in names)
