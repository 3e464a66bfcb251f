"""Remarks are read once into call_signals; later replays reuse them and read only new calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from coresponse.triage import load_protocol
from coresponse.triage.remarks import read_signals, signal_expressions
from coresponse.triage.replay import SIGNALS_TABLE, ensure_call_signals, replay
from tests.replay_calls import CALLS, add_calls, call, make_store

WITH_REMARKS = sum(1 for row in CALLS if row["remarks"] is not None)


def _stored(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[bool | None, bool | None]]:
    rows = connection.execute(
        f"SELECT event_id, sig_weapon, sig_mental_health FROM {SIGNALS_TABLE}"
    ).fetchall()
    return {event_id: (weapon, mental) for event_id, weapon, mental in rows}


def test_every_call_gets_a_row_and_calls_without_remarks_get_null_signals(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    cache = ensure_call_signals(connection, signal_expressions=signal_expressions)
    stored = _stored(connection)
    connection.close()
    assert cache.added == cache.calls_with_signals == WITH_REMARKS
    assert set(stored) == {row["event_id"] for row in CALLS}
    for row in CALLS:
        if row["remarks"] is None:
            assert stored[row["event_id"]] == (None, None)
        else:
            read = read_signals(row["remarks"])
            assert stored[row["event_id"]] == (read.weapon, read.mental_health), row["remarks"]


def test_a_second_replay_reads_no_remarks(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("civilian-first")
    first = replay(connection, protocol)
    second = replay(connection, protocol)
    connection.close()
    assert first.signals.added == WITH_REMARKS
    assert second.signals.added == 0
    assert second.routes == first.routes


def test_new_calls_are_read_and_signals_already_read_are_kept(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    ensure_call_signals(connection, signal_expressions=signal_expressions)
    # Mark an old call by hand: if its remarks were read again, the mark would be gone.
    connection.execute(
        f"UPDATE {SIGNALS_TABLE} SET sig_mental_health = true WHERE event_id = 'E5'"
    ).fetchall()
    add_calls(
        connection,
        [
            call("N1", "2024-07-01 10:00", remarks="man with a gun in the parking lot"),
            call("N2", "2024-07-01 11:00"),
        ],
    )
    cache = ensure_call_signals(connection, signal_expressions=signal_expressions)
    stored = _stored(connection)
    connection.close()
    assert cache.added == 1  # N1; N2 has no remarks
    assert stored["E5"] == (False, True)
    assert stored["N1"][0] is True
    assert stored["N2"] == (None, None)


def test_refreshing_reads_every_call_again(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    ensure_call_signals(connection, signal_expressions=signal_expressions)
    connection.execute(
        f"UPDATE {SIGNALS_TABLE} SET sig_mental_health = true WHERE event_id = 'E5'"
    ).fetchall()
    cache = ensure_call_signals(connection, signal_expressions=signal_expressions, rebuild=True)
    stored = _stored(connection)
    connection.close()
    assert cache.added == WITH_REMARKS
    assert stored["E5"] == (False, False)


def test_calls_replaced_behind_the_stores_back_are_realigned(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("civilian-first")
    replay(connection, protocol)
    # As many calls deleted as added: the count is unchanged, the rows are not.
    connection.execute("DELETE FROM calls WHERE event_id = 'E3'").fetchall()
    add_calls(connection, [call("R1", "2024-08-01 10:00", remarks="SUBJ W/ KNIFE at the door")])
    result = replay(connection, protocol)
    stored = _stored(connection)
    connection.close()
    assert result.calls == len(CALLS)
    assert "E3" not in stored and stored["R1"][0] is True


def test_a_changed_remarks_reader_reads_every_call_again(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    ensure_call_signals(connection, signal_expressions=signal_expressions)

    def reader_without_weapons(remarks: Any) -> dict[str, Any]:
        return {**signal_expressions(remarks), "weapon": remarks.contains("no word has this")}

    cache = ensure_call_signals(connection, signal_expressions=reader_without_weapons)
    stored = _stored(connection)
    again = ensure_call_signals(connection, signal_expressions=reader_without_weapons)
    connection.close()
    assert cache.added == WITH_REMARKS
    assert stored["E3"][0] is False  # the knife call, by the new reader
    assert again.added == 0


def test_keeping_the_stored_signals_ignores_a_changed_reader(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    ensure_call_signals(connection, signal_expressions=signal_expressions)

    def reader_without_weapons(remarks: Any) -> dict[str, Any]:
        return {**signal_expressions(remarks), "weapon": remarks.contains("no word has this")}

    cache = ensure_call_signals(
        connection, signal_expressions=reader_without_weapons, keep_reader=True
    )
    stored = _stored(connection)
    connection.close()
    assert cache.added == 0
    assert stored["E3"][0] is True  # as the first reader read it


def test_a_table_from_before_the_inputs_were_stored_is_filled_in_keeping_its_signals(
    tmp_path: Path,
) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("civilian-first")
    first = replay(connection, protocol)
    connection.execute(
        f"UPDATE {SIGNALS_TABLE} SET sig_mental_health = true WHERE event_id = 'E5'"
    ).fetchall()
    for column in ("category", "slot", "on_scene_minutes"):
        connection.execute(f"ALTER TABLE {SIGNALS_TABLE} DROP COLUMN {column}").fetchall()
    again = replay(connection, protocol)
    columns = set(connection.table(SIGNALS_TABLE).columns)
    stored = _stored(connection)
    connection.close()
    assert {"category", "slot", "on_scene_minutes"} <= columns
    assert again.signals.added == 0
    assert stored["E5"] == (False, True)  # kept, not read again
    assert again.calls == first.calls
