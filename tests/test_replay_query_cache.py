"""A replay keeps its SQL in the store: the next replay of the same protocol reuses it, a changed one does not."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb

from coresponse.triage import decide, load_protocol
from coresponse.triage.protocol import TeamHours
from coresponse.triage.replay import QUERIES_TABLE, ReplayFilters, replay
from tests.replay_calls import CALLS, facts, make_store


def _queries(connection: duckdb.DuckDBPyConnection) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {QUERIES_TABLE}").fetchall()[0][0])


def test_the_second_replay_reuses_the_stored_query_and_counts_the_same(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("civilian-first")
    first = replay(connection, protocol)
    stored = _queries(connection)
    second = replay(connection, protocol)
    assert _queries(connection) == stored == 1
    # Another filter is another query.
    seattle = replay(connection, protocol, filters=ReplayFilters(city="seattle"))
    assert _queries(connection) == 2
    connection.close()
    same = {"seconds": None, "signals": None}
    assert second.to_json() | same == first.to_json() | same
    assert seattle.calls == sum(1 for row in CALLS if row["city"] == "seattle")


def test_a_protocol_changed_in_memory_is_not_answered_by_the_old_query(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("civilian-first")
    before = replay(connection, protocol)
    # Same name, version and file hash; the team is on duty one minute a day.
    (team,) = protocol.team_hours
    # replace() gives the copy an empty cache of compiled predicates (not the original's).
    closed = dataclasses.replace(
        protocol, team_hours={team: TeamHours(team=team, start_minute=60, end_minute=61)}
    )
    result = replay(connection, closed)
    connection.close()
    expected = Counter(decide(closed, facts(row, CALLS)).route for row in CALLS)
    assert {route: calls for route, calls in result.routes.items() if calls} == dict(expected)
    assert result.routes != before.routes


def test_a_replay_with_a_stored_query_does_not_import_ibis(tmp_path: Path) -> None:
    store = make_store(tmp_path / "calls.duckdb")
    connection = duckdb.connect(str(store))
    expected = replay(connection, load_protocol("civilian-first")).routes
    connection.close()
    script = (
        "import json, sys, duckdb\n"
        "from coresponse.triage import load_protocol\n"
        "from coresponse.triage.replay import replay\n"
        f"connection = duckdb.connect({str(store)!r})\n"
        "result = replay(connection, load_protocol('civilian-first'))\n"
        "print(json.dumps({'routes': result.routes, 'ibis': 'ibis' in sys.modules}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    answer = json.loads(completed.stdout)
    assert answer == {"routes": expected, "ibis": False}
