"""The live evaluator (``decide``) and the compiled one (``compile(...).decide`` on DuckDB)
give the same route and deciding rule for every call, under any protocol."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coresponse.triage import ANSWERS, SIGNALS, CallFacts, Protocol, compile, decide, load_protocol
from coresponse.triage.protocol import (
    AllOf,
    AnswerIs,
    AnyOf,
    Condition,
    FieldEquals,
    FieldIn,
    FieldIs,
    Not,
    PriorityAtMost,
    Question,
    RepeatAddressAtLeast,
    Rule,
    SignalIs,
    TeamHours,
    WithinTeamHours,
    list_protocols,
)
from tests.triage_calls import APCO_CODES, CATEGORIES, calls, calls_table

ROUTE_NAMES = ("police", "co_response", "civilian_crisis", "ems", "crisis_line", "referral_only")


@pytest.fixture(scope="module")
def duckdb() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def compiled_routes(
    backend: ibis.BaseBackend, protocol: Protocol, facts: Sequence[CallFacts], *, with_answers: bool = True
) -> list[tuple[str, str]]:
    table = ibis.memtable(calls_table(facts, with_answers=with_answers))
    decided = backend.to_pyarrow(compile(protocol).decide(table).order_by("call_no"))
    return list(zip(decided["route"].to_pylist(), decided["rule_id"].to_pylist(), strict=True))


def live_routes(protocol: Protocol, facts: Sequence[CallFacts]) -> list[tuple[str, str]]:
    decisions = [decide(protocol, call, screening=False) for call in facts]
    return [(decision.route, decision.rules_fired[-1]) for decision in decisions]


leaves: st.SearchStrategy[Condition] = st.one_of(
    st.builds(FieldEquals, st.sampled_from(["category"]), st.sampled_from(CATEGORIES)),
    st.builds(FieldEquals, st.just("priority"), st.integers(1, 4)),
    st.builds(FieldEquals, st.just("source"), st.sampled_from(["911", "non_emergency", "alarm"])),
    st.builds(
        FieldIn, st.just("apco_code"), st.lists(st.sampled_from(APCO_CODES), min_size=1, unique=True).map(tuple)
    ),
    st.builds(FieldIn, st.just("repeat_address_calls"), st.lists(st.integers(0, 4), min_size=1).map(tuple)),
    st.builds(FieldIs, st.sampled_from(["category", "apco_code", "priority", "source", "call_type"])),
    st.builds(AnswerIs, st.sampled_from(ANSWERS), st.sampled_from([True, False, None])),
    st.builds(SignalIs, st.sampled_from(SIGNALS), st.sampled_from([True, False, None])),
    st.builds(PriorityAtMost, st.integers(1, 4)),
    st.builds(RepeatAddressAtLeast, st.integers(0, 4)),
    st.builds(WithinTeamHours, st.sampled_from(["day", "night"])),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(Not, inner),
    ),
    max_leaves=6,
)


@st.composite
def protocols(draw: st.DrawFn) -> Protocol:
    """Any protocol the condition language can express, safe or not."""
    rules = tuple(
        Rule(id=f"rule-{number}", when=draw(conditions), route=draw(st.sampled_from(ROUTE_NAMES)), reason="r")
        for number in range(draw(st.integers(0, 6)))
    )
    return Protocol(
        name="generated",
        version="0",
        title="generated",
        sources=("hypothesis",),
        inputs=(),
        team_hours={
            "day": TeamHours("day", 7 * 60 + 30, 22 * 60 + 45),
            "night": TeamHours("night", 19 * 60, 1 * 60),  # over midnight
        },
        questions=tuple(Question(answer, answer) for answer in ANSWERS),
        rules=rules,
        default=Rule(id="default", when=None, route=draw(st.sampled_from(ROUTE_NAMES)), reason="d"),
        content_hash="0" * 64,
    )


# Each example is one DuckDB query, so examples are few and carry many calls each.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocol=protocols(), facts=st.lists(calls(), min_size=1, max_size=80))
def test_both_evaluators_agree_on_any_protocol_and_any_call(
    duckdb: ibis.BaseBackend, protocol: Protocol, facts: list[CallFacts]
) -> None:
    assert compiled_routes(duckdb, protocol, facts) == live_routes(protocol, facts)


@pytest.mark.parametrize("name", list_protocols())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(facts=st.lists(calls(), min_size=1, max_size=250))
def test_both_evaluators_agree_on_the_shipped_protocols(
    duckdb: ibis.BaseBackend, name: str, facts: list[CallFacts]
) -> None:
    protocol = load_protocol(name)
    assert compiled_routes(duckdb, protocol, facts) == live_routes(protocol, facts)


@pytest.mark.parametrize("name", list_protocols())
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(facts=st.lists(calls(), min_size=1, max_size=200))
def test_a_table_without_answer_columns_reads_as_no_question_asked(
    duckdb: ibis.BaseBackend, name: str, facts: list[CallFacts]
) -> None:
    protocol = load_protocol(name)
    unasked = [
        CallFacts(**{**{slot: getattr(call, slot) for slot in CallFacts.__slots__}, "answers": {}})
        for call in facts
    ]
    assert compiled_routes(duckdb, protocol, unasked, with_answers=False) == live_routes(protocol, unasked)
