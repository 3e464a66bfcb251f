"""Names and phone numbers become keyed hashes; the plain values are stored nowhere."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile
from coresponse.cad.pseudonym import dob_sql, hmac_sql, name_sql, person_key, phone_key, phone_sql

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def _keys(store: Path) -> dict[str, tuple[str | None, str | None]]:
    with duckdb.connect(str(store)) as connection:
        rows = connection.execute("SELECT event_id, person_key, phone_key FROM calls").fetchall()
    return {event_id: (person, phone) for event_id, person, phone in rows}


def test_same_person_written_differently_gets_the_same_keys(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    import_files(
        [DATA / "seattle_calls.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
    )
    keys = _keys(store)
    # "Jane Doe", 1980-02-03, (206) 555-0100 and "  JANE   doe ", 02/03/1980, 206.555.0100
    assert keys["2023000000001"] == keys["2023000000003"]
    assert keys["2023000000001"][0] == person_key("Jane Doe", "1980-02-03", KEY)
    assert keys["2023000000001"][1] == phone_key("2065550100", KEY)
    assert keys["2023000000005"][0] != keys["2023000000001"][0]
    assert keys["2023000000002"] == (None, None)  # no caller fields, no keys


def test_keys_are_stable_across_imports_and_change_with_the_key(tmp_path: Path) -> None:
    path = DATA / "seattle_calls.csv"
    import_files([path], load_profile("seattle"), store=tmp_path / "a.duckdb", key=KEY, mapping={})
    import_files([path], load_profile("seattle"), store=tmp_path / "b.duckdb", key=KEY, mapping={})
    import_files(
        [path],
        load_profile("seattle"),
        store=tmp_path / "c.duckdb",
        key=b"another-key-987654321",
        mapping={},
    )
    assert _keys(tmp_path / "a.duckdb") == _keys(tmp_path / "b.duckdb")
    assert (
        _keys(tmp_path / "a.duckdb")["2023000000001"]
        != _keys(tmp_path / "c.duckdb")["2023000000001"]
    )


def test_plain_names_and_phone_numbers_are_stored_nowhere(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    import_files(
        [DATA / "seattle_calls.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
    )
    with duckdb.connect(str(store)) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        text = " ".join(
            str(value)
            for table in tables
            for row in connection.execute(f"SELECT * FROM {table}").fetchall()
            for value in row
        ).lower()
    for plain in ("jane", "doe", "sam roe", "555-0100", "555 0199", "1980"):
        assert plain not in text
    assert b"Jane" not in store.read_bytes()


@pytest.mark.parametrize(
    ("name", "dob", "phone"),
    [
        ("Jane Doe", "1980-02-03", "(206) 555-0100"),
        ("  JANE \t  doe\n", "02/03/1980", "+1 206 555 0100"),
        ("Zoë Ångström", None, "555-0100 ext 12"),
        ("x", "not a date", ""),
        ("   ", "", None),
    ],
)
def test_sql_hash_equals_the_python_hmac(name: str, dob: str | None, phone: str | None) -> None:
    with duckdb.connect() as connection:
        connection.execute("CREATE TABLE t (name VARCHAR, dob VARCHAR, phone VARCHAR)")
        connection.execute("INSERT INTO t VALUES (?, ?, ?)", [name, dob, phone])
        message = f"{name_sql('name')} || '|' || {dob_sql('dob')}"
        row = connection.execute(
            f"SELECT {hmac_sql(message, KEY)}, {hmac_sql(phone_sql('phone'), KEY)} FROM t"
        ).fetchone()
    assert row == (person_key(name, dob, KEY), phone_key(phone, KEY))


def test_long_keys_are_hashed_first_as_hmac_requires() -> None:
    long_key = b"k" * 100
    with duckdb.connect() as connection:
        value = connection.execute(
            f"SELECT {hmac_sql(phone_sql(chr(39) + '2065550100' + chr(39)), long_key)}"
        ).fetchone()
    assert value == (phone_key("2065550100", long_key),)
