"""Two protocols replayed side by side: every call moves from exactly one route to exactly one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from coresponse.triage import decide, load_protocol
from coresponse.triage.replay import replay
from tests.replay_calls import CALLS, facts, make_store


def test_moves_sum_to_the_calls_and_to_each_protocols_routes(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    first, second = load_protocol("civilian-first"), load_protocol("co-responder")
    result = replay(connection, first, compare=second)
    connection.close()
    assert result.moves is not None and result.compare is not None
    moves = result.moves
    assert sum(sum(targets.values()) for targets in moves.values()) == result.calls == len(CALLS)
    for route, calls in result.primary.routes.items():
        assert sum(moves[route].values()) == calls
    for route, calls in result.compare.routes.items():
        assert sum(targets.get(route, 0) for targets in moves.values()) == calls
    expected = Counter(
        (decide(first, facts(row, CALLS)).route, decide(second, facts(row, CALLS)).route)
        for row in CALLS
    )
    found = {(a, b): n for a, targets in moves.items() for b, n in targets.items() if n}
    assert found == dict(expected)
    assert any(a != b for a, b in found), "these two protocols should disagree on some calls"


def test_a_protocol_compared_with_itself_moves_nothing(tmp_path: Path) -> None:
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    protocol = load_protocol("counsellor-first")
    result = replay(connection, protocol, compare=protocol)
    connection.close()
    assert result.moves is not None
    assert all(n == 0 for a, targets in result.moves.items() for b, n in targets.items() if a != b)
    assert result.compare is not None and result.compare.routes == result.primary.routes
