"""A quarantined row keeps what is needed to fix it, but never a caller's name, date of birth
or phone in plain text: parsed rows show a keyed marker per person value, malformed lines
from a file with person columns are withheld whole."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile
from coresponse.cad.pseudonym import person_key, phone_key, redacted

KEY = b"test-pseudonym-key-0123456789"
HEADER = (
    "CAD Event Number,Event Clearance Description,Call Type,Priority,Initial Call Type,"
    "Final Call Type,Original Time Queued,Arrived Time,Precinct,Sector,Beat,"
    "Blurred_Longitude,Blurred_Latitude,remarks,caller_name,caller_dob,caller_phone"
)
GOOD = (
    "2023000000201,ASSISTANCE RENDERED,911,2,DISTURBANCE,--DISTURBANCE - OTHER,"
    "06/01/2023 10:00:00 AM,06/01/2023 10:10:00 AM,EAST,CHARLIE,C2,-122.3,47.6,fine,"
    "Ada Lovelace,1815-12-10,206-555-0111"
)
BAD_DATE = (
    "2023000000202,ASSISTANCE RENDERED,911,2,DISTURBANCE,--DISTURBANCE - OTHER,"
    "13/45/2023 10:00:00 AM,,EAST,CHARLIE,C2,-122.3,47.6,bad date,"
    "Grace Hopper,1906-12-09,(206) 555-0142"
)
NO_PHONE = (
    "2023000000203,ASSISTANCE RENDERED,911,2,DISTURBANCE,--DISTURBANCE - OTHER,"
    "06/01/2023 11:00:00 AM,not a time,EAST,CHARLIE,C2,-122.3,47.6,no phone,"
    "Alan Turing,,"
)
MALFORMED = (
    "2023000000204,ASSISTANCE RENDERED,911,2,DISTURBANCE,--DISTURBANCE - OTHER,"
    "06/01/2023 12:00:00 PM,,EAST,CHARLIE,C2,-122.3,47.6,one field too many,"
    "Katherine Johnson,1918-08-26,206-555-0177,extra"
)


def _import(tmp_path: Path, lines: list[str]) -> Path:
    source = tmp_path / "calls.csv"
    source.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    store = tmp_path / "calls.duckdb"
    result = import_files([source], load_profile("seattle"), store=store, key=KEY, mapping={})[0]
    assert result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate
    return store


def _quarantine(store: Path) -> dict[int, tuple[str, str, str]]:
    with duckdb.connect(str(store)) as connection:
        rows = connection.execute(
            "SELECT source_line, kind, reason, raw FROM quarantine"
        ).fetchall()
    return {line: (kind, reason, raw) for line, kind, reason, raw in rows}


def _everything_stored(store: Path) -> str:
    with duckdb.connect(str(store)) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        return " ".join(
            str(value)
            for table in tables
            for row in connection.execute(f"SELECT * FROM {table}").fetchall()
            for value in row
        ).lower()


def test_row_with_bad_date_keeps_neither_caller_name_nor_phone_in_raw(tmp_path: Path) -> None:
    store = _import(tmp_path, [GOOD, BAD_DATE])
    kind, reason, raw = _quarantine(store)[3]
    assert kind == "bad_date"
    assert "13/45/2023" in reason and "13/45/2023" in raw  # what to fix is still shown
    assert "grace" not in raw.lower() and "hopper" not in raw.lower()
    assert "555" not in raw and "0142" not in raw and "1906" not in raw
    person = person_key("Grace Hopper", "1906-12-09", KEY)
    phone = phone_key("(206) 555-0142", KEY)
    assert person is not None and phone is not None
    assert f'"[redacted:{person[:8]}]"' in raw  # the same person as calls.person_key shows
    assert f'"[redacted:{phone[:8]}]"' in raw
    assert raw.startswith('"2023000000202","ASSISTANCE RENDERED"')
    assert raw.count('","') == HEADER.count(",")  # still one value per column


def test_empty_person_values_stay_empty_in_raw(tmp_path: Path) -> None:
    store = _import(tmp_path, [NO_PHONE])
    kind, _, raw = _quarantine(store)[2]
    assert kind == "bad_date"
    assert "alan" not in raw.lower() and "turing" not in raw.lower()
    assert raw.endswith(f'"{redacted("Alan Turing", person_key("Alan Turing", "", KEY))}","",""')


def test_malformed_line_with_a_name_is_withheld_and_says_where_to_read_it(tmp_path: Path) -> None:
    store = _import(tmp_path, [GOOD, MALFORMED, BAD_DATE])
    quarantined = _quarantine(store)
    assert sorted(quarantined) == [3, 4]
    kind, reason, raw = quarantined[3]
    assert kind == "wrong_field_count"
    assert reason.startswith("wrong number of fields")
    assert "katherine" not in raw.lower() and "0177" not in raw and "1918" not in raw
    assert "redacted" in raw and "line 3" in raw


def test_malformed_line_of_a_file_without_person_columns_is_kept(tmp_path: Path) -> None:
    header = HEADER.rsplit(",", 3)[0]
    line = MALFORMED.rsplit(",", 4)[0] + ",extra"
    source = tmp_path / "calls.csv"
    source.write_text(f"{header}\n{line}\n", encoding="utf-8")
    store = tmp_path / "calls.duckdb"
    import_files([source], load_profile("seattle"), store=store, key=KEY, mapping={})
    assert _quarantine(store)[2][2] == line


def test_no_plain_person_value_anywhere_in_the_store(tmp_path: Path) -> None:
    store = _import(tmp_path, [GOOD, BAD_DATE, NO_PHONE, MALFORMED])
    text = _everything_stored(store)
    for plain in ("ada", "lovelace", "grace", "hopper", "turing", "katherine", "555-01", "555) "):
        assert plain not in text, plain
    for year in ("1815", "1906", "1918"):
        assert year not in text, year
    data = store.read_bytes()
    for word in (b"Lovelace", b"Hopper", b"Turing", b"Katherine"):
        assert word not in data


def test_parquet_row_with_bad_date_keeps_no_caller_name_in_raw(tmp_path: Path) -> None:
    source = tmp_path / "calls.csv"
    source.write_text(f"{HEADER}\n{GOOD}\n{BAD_DATE}\n", encoding="utf-8")
    parquet = tmp_path / "calls.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) TO '{parquet}'"
        )
    store = tmp_path / "calls.duckdb"
    import_files([parquet], load_profile("seattle"), store=store, key=KEY, mapping={})
    kind, _, raw = _quarantine(store)[2]  # Parquet: the row number
    assert kind == "bad_date"
    assert "hopper" not in raw.lower() and "0142" not in raw and "1906" not in raw
    person = person_key("Grace Hopper", "1906-12-09", KEY)
    assert person is not None and f"[redacted:{person[:8]}]" in raw
