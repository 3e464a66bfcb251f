"""Call types get the shared category and APCO code from the city's mapping; the rest are listed."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile
from coresponse.calltypes import MappedType

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def test_mapping_fills_category_apco_code_and_final_category(tmp_path: Path) -> None:
    mapping = {
        "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS": MappedType(
            "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS",
            "Behavioral Health",
            "SUICIDE",
            "curated",
        ),
        # The codebook writes final types with their "--"; the lookup ignores it either way.
        "BEHAVIORAL HEALTH - SUICIDAL": MappedType(
            "BEHAVIORAL HEALTH - SUICIDAL", "Behavioral Health", None, "curated"
        ),
    }
    store = tmp_path / "calls.duckdb"
    result = import_files(
        [DATA / "seattle_calls.csv"], load_profile("seattle"), store=store, key=KEY, mapping=mapping
    )[0]
    with duckdb.connect(str(store)) as connection:
        row = connection.execute(
            "SELECT category, apco_code, final_category FROM calls WHERE event_id = '2023000000001'"
        ).fetchone()
    assert row == ("Behavioral Health", "SUICIDE", "Behavioral Health")
    assert result.unmapped_calls == 5
    assert "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS" not in dict(result.unmapped_call_types)


def test_import_works_with_an_empty_mapping_and_lists_unmapped_volumes(tmp_path: Path) -> None:
    store = tmp_path / "calls.duckdb"
    result = import_files(
        [DATA / "seattle_bad_rows.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
    )[0]
    assert result.rows_loaded == 3
    assert result.unmapped_call_types == (("DISTURBANCE", 3),)
    assert (result.unmapped_calls, result.unmapped_codes) == (3, 1)


def test_the_city_mapping_file_is_used_by_default(tmp_path: Path) -> None:
    from coresponse.calltypes import load_mapping

    expected = load_mapping("seattle")
    store = tmp_path / "calls.duckdb"
    result = import_files(
        [DATA / "seattle_calls.csv"], load_profile("seattle"), store=store, key=KEY
    )[0]
    mapped_codes = {
        code.strip("-").strip().upper() for code, item in expected.items() if item.category
    }
    with duckdb.connect(str(store)) as connection:
        call_types = [
            row[0] for row in connection.execute("SELECT call_type FROM calls").fetchall()
        ]
    assert result.unmapped_calls == sum(
        1 for code in call_types if code.upper() not in mapped_codes
    )
