"""repeat_address_calls counts the calls at the same place in the 12 months before, and nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.triage.remarks import signal_expressions
from coresponse.triage.replay import SIGNALS_TABLE, ensure_call_signals
from tests.replay_calls import CALLS, call, make_store, repeat_address_calls

PLACE = "9XX BLOCK OF ELM ST"
HISTORY = [
    call("H1", "2022-12-20 08:00", address=PLACE),
    call("H2", "2023-06-01 08:00", address=PLACE),
    call("H3", "2024-01-05 08:00", address=PLACE),
    call("H4", "2024-01-20 08:00", address=PLACE),
    call("H5", "2024-01-20 09:00", address=PLACE, city="detroit"),  # same words, another city
    call("H6", "2024-02-01 08:00", address=None),
    call("H7", "2024-02-01 08:00", address="   "),
]


def test_repeat_address_counts_match_counting_by_hand(tmp_path: Path) -> None:
    calls = [*CALLS, *HISTORY]
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb", calls)))
    ensure_call_signals(connection, signal_expressions=signal_expressions)
    stored = dict(
        connection.execute(
            f"SELECT event_id || '/' || city, repeat_address_calls FROM {SIGNALS_TABLE}"
        ).fetchall()
    )
    connection.close()
    for row in calls:
        expected = (
            None
            if row["address"] is not None and not row["address"].strip()
            else repeat_address_calls(row, calls)
        )
        assert stored[f"{row['event_id']}/{row['city']}"] == expected, row["event_id"]
    assert stored["H1/seattle"] == 0
    assert stored["H3/seattle"] == 1  # H2 only: H1 is more than 12 months before
    assert stored["H4/seattle"] == 2  # H2 and H3; the Detroit call at the same words does not count
    assert stored["H6/seattle"] is None and stored["H7/seattle"] is None
