"""A call exported with a date only has no time of day: team-hours rules cannot claim it.

Seattle's date-only exports put every call at midnight; read as midnight, a team on duty
until 01:00 would seem to take them all.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from coresponse.triage import load_protocol
from coresponse.triage.replay import replay
from tests.replay_calls import call, make_store


def test_a_date_only_crisis_call_is_not_taken_by_a_team_on_duty_at_midnight(tmp_path: Path) -> None:
    crisis = {"category": "Behavioral Health", "apco_code": "EDP", "priority": 3, "source": "911"}
    calls = [
        call("T1", "2024-06-01 00:00", time_known=True, **crisis),
        call("D1", "2024-06-01 00:00", time_known=False, **crisis),
    ]
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb", calls)))
    try:
        result = replay(connection, load_protocol("counsellor-first"))
    finally:
        connection.close()
    # The timed call at midnight is within the counsellors' 07:00-01:00; the date-only one is unknown.
    assert result.routes["crisis_line"] == 1
    assert result.hours_unknown == 1
