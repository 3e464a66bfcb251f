"""The compiled protocol's rule codes name the same rule as its rule ids, call by call."""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pytest

from coresponse.triage import compile, list_protocols, load_protocol
from coresponse.triage.engine import UNGUARDED_ROUTES
from coresponse.triage.remarks import signal_expressions
from coresponse.triage.replay import SIGNALS_TABLE, ensure_call_signals
from tests.replay_calls import make_store


@pytest.mark.parametrize("name", list_protocols())
def test_each_calls_rule_code_names_the_rule_that_decided_it(tmp_path: Path, name: str) -> None:
    compiled = compile(load_protocol(name))
    connection = duckdb.connect(str(make_store(tmp_path / "calls.duckdb")))
    ensure_call_signals(connection, signal_expressions=signal_expressions)
    calls = ibis.duckdb.from_connection(connection).table(SIGNALS_TABLE)
    decided = compiled.decide_codes(compiled.decide(calls)).select("rule_id", "rule_code")
    rows = connection.execute(str(ibis.to_sql(decided, dialect="duckdb"))).fetchall()
    connection.close()
    assert rows
    assert all(compiled.rule_ids[code] == rule_id for rule_id, code in rows)


@pytest.mark.parametrize("name", list_protocols())
def test_rules_that_send_no_officer_have_the_lowest_codes(name: str) -> None:
    compiled = compile(load_protocol(name))
    routes = compiled.rule_routes()
    guarded = [rule_id for rule_id in compiled.rule_ids if routes[rule_id] in UNGUARDED_ROUTES]
    assert list(compiled.rule_ids[: compiled.guarded_rules]) == guarded
    assert len(set(compiled.rule_ids)) == len(compiled.rule_ids)
