"""How the calls store keeps its columns on disk."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.cad.ingest import import_files
from coresponse.cad.profile import load_profile

DATA = Path(__file__).parent / "data" / "cad"
KEY = b"test-pseudonym-key-0123456789"


def test_keyed_hashes_are_stored_uncompressed_and_read_back_whole(tmp_path: Path) -> None:
    # Random hex compresses about twofold at four times the cost of writing it plainly.
    store = tmp_path / "calls.duckdb"
    import_files(
        [DATA / "seattle_calls.csv"], load_profile("seattle"), store=store, key=KEY, mapping={}
    )
    with duckdb.connect(str(store)) as connection:
        connection.execute("CHECKPOINT")
        kinds = dict(
            connection.execute(
                "SELECT column_name, string_agg(DISTINCT compression, ',') "
                "FROM pragma_storage_info('calls') WHERE segment_type = 'VARCHAR' "
                "AND column_name IN ('person_key', 'phone_key') GROUP BY 1"
            ).fetchall()
        )
        lengths = connection.execute(
            "SELECT DISTINCT length(phone_key) FROM calls WHERE phone_key IS NOT NULL"
        ).fetchall()
    assert kinds == {"person_key": "Uncompressed", "phone_key": "Uncompressed"}
    assert lengths == [(64,)]
