"""Deciding one call: the live console's evaluator, in pure Python, in microseconds.

Rules are tried in order and the first whose condition holds decides the route; when
none holds, the protocol's default does. Then the engine's own safety check runs, which
no protocol can switch off: a call with a weapon, violence or a crime in progress never
goes to a route that sends no officer (``civilian_crisis``, ``crisis_line``,
``referral_only``). When the caller confirmed the danger (an answer), the call goes to
``police``; when only the remarks suggest it (a signal), to ``co_response``, so an
officer goes and the person in crisis still gets the social worker. ``ems`` is left as
the protocol says: medics stage for police under their own rules.

``compiled`` implements the same semantics as one Ibis expression; a property test
holds the two to the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

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
    Protocol,
    Question,
    RepeatAddressAtLeast,
    Rule,
    SignalIs,
    WithinTeamHours,
)

# Routes that send no officer: the safety check never lets a dangerous call end here.
UNGUARDED_ROUTES = frozenset({"civilian_crisis", "crisis_line", "referral_only"})


@dataclass(frozen=True)
class SafetyCheck:
    """One reason the engine overrides a route that sends no officer."""

    id: str
    kind: str  # "answer" or "signal"
    name: str
    route: str
    reason: str


# In this order: the first that holds names the override.
SAFETY_CHECKS: tuple[SafetyCheck, ...] = (
    SafetyCheck(
        "safety:weapon",
        "answer",
        "weapon",
        "police",
        "Safety check: the caller reported a weapon, so police respond; no team goes without officers.",
    ),
    SafetyCheck(
        "safety:crime_in_progress",
        "answer",
        "crime_in_progress",
        "police",
        "Safety check: the caller reported a crime in progress, so police respond.",
    ),
    SafetyCheck(
        "safety:violence",
        "answer",
        "violence",
        "police",
        "Safety check: the caller reported violence in progress or threatened, so police respond.",
    ),
    SafetyCheck(
        "safety:weapon_in_remarks",
        "signal",
        "weapon",
        "co_response",
        "Safety check: the remarks mention a weapon, so an officer goes with the social worker.",
    ),
    SafetyCheck(
        "safety:violence_in_remarks",
        "signal",
        "violence",
        "co_response",
        "Safety check: the remarks mention violence, so an officer goes with the social worker.",
    ),
)
SAFETY_BY_ID = {check.id: check for check in SAFETY_CHECKS}


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What is known about a call when it is triaged.

    ``answers`` maps a screening question to the caller's answer; a missing name or
    ``None`` means the question was not asked. ``signals`` are read from the remarks
    (missing: no remarks), with what fired each in ``signal_evidence``. ``local_time`` is
    the city's wall clock when the call came in.
    """

    call_type: str | None = None
    category: str | None = None
    apco_code: str | None = None
    priority: int | None = None
    source: str | None = None
    local_time: datetime | None = None
    answers: Mapping[str, bool | None] = field(default_factory=dict)
    signals: Mapping[str, bool | None] = field(default_factory=dict)
    repeat_address_calls: int | None = None
    # For each signal that fired, what fired it: the phrase the patterns matched, or the
    # words the learned model weighed ("learned (weapon or violence): ..."). For audit only.
    signal_evidence: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    route: str
    priority: int | None
    reasons: list[str]
    rules_fired: list[str]
    protocol: str
    protocol_version: str
    protocol_hash: str
    questions_to_ask: list[Question] = field(default_factory=list)
    # The remarks signals that fired and what fired each (``CallFacts.signal_evidence``), so
    # a reason such as "a weapon is mentioned" can be checked against the remarks.
    remarks_signals: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "priority": self.priority,
            "reasons": list(self.reasons),
            "rules_fired": list(self.rules_fired),
            "protocol": self.protocol,
            "protocol_version": self.protocol_version,
            "protocol_hash": self.protocol_hash,
            "questions_to_ask": [
                {"answer": question.answer, "ask": question.text} for question in self.questions_to_ask
            ],
            "remarks_signals": dict(self.remarks_signals),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


Predicate = Callable[[CallFacts], bool]


def _fields_getter(name: str) -> Callable[[CallFacts], Any]:
    return attrgetter(name)


def predicate(condition: Condition, protocol: Protocol) -> Predicate:
    """A Python function deciding ``condition`` for one call (two-valued: missing is false)."""
    match condition:
        case FieldEquals(field=name, value=value):
            get = _fields_getter(name)
            return lambda facts: get(facts) == value
        case FieldIn(field=name, values=values):
            get = _fields_getter(name)
            allowed = frozenset(values)
            return lambda facts: get(facts) in allowed
        case FieldIs(field=name):
            get = _fields_getter(name)
            return lambda facts: get(facts) is None
        case AnswerIs(answer=answer, state=state):
            if state is None:
                return lambda facts: facts.answers.get(answer) is None
            return lambda facts: facts.answers.get(answer) is state
        case SignalIs(signal=signal, state=state):
            if state is None:
                return lambda facts: facts.signals.get(signal) is None
            return lambda facts: facts.signals.get(signal) is state
        case PriorityAtMost(priority=most):

            def urgent_enough(facts: CallFacts) -> bool:
                priority = facts.priority
                return priority is not None and priority <= most

            return urgent_enough
        case WithinTeamHours(team=team):
            hours = protocol.team_hours[team]

            def on_duty(facts: CallFacts) -> bool:
                moment = facts.local_time
                return moment is not None and hours.covers(moment.hour * 60 + moment.minute)

            return on_duty
        case RepeatAddressAtLeast(calls=least):

            def repeated(facts: CallFacts) -> bool:
                calls = facts.repeat_address_calls
                return calls is not None and calls >= least

            return repeated
        case AllOf(conditions=items):
            parts = tuple(predicate(item, protocol) for item in items)

            def every(facts: CallFacts) -> bool:
                for part in parts:  # noqa: SIM110 - a plain loop is faster than all(generator)
                    if not part(facts):
                        return False
                return True

            return every
        case AnyOf(conditions=items):
            parts = tuple(predicate(item, protocol) for item in items)

            def some(facts: CallFacts) -> bool:
                for part in parts:  # noqa: SIM110 - a plain loop is faster than any(generator)
                    if part(facts):
                        return True
                return False

            return some
        case Not(condition=inner):
            part = predicate(inner, protocol)
            return lambda facts: not part(facts)
    raise TypeError(f"not a condition: {condition!r}")


def _compiled_rules(protocol: Protocol) -> tuple[tuple[Predicate, Rule], ...]:
    cached = protocol._cache.get("predicates")
    if cached is None:
        cached = tuple(
            (predicate(rule.when, protocol), rule) for rule in protocol.rules if rule.when is not None
        )
        protocol._cache["predicates"] = cached
    return cached  # type: ignore[no-any-return]


def deciding_rule(protocol: Protocol, facts: CallFacts) -> Rule:
    """The protocol's own choice: the first rule that holds, else the default."""
    for holds, rule in _compiled_rules(protocol):
        if holds(facts):
            return rule
    return protocol.default


def safety_override(facts: CallFacts) -> SafetyCheck | None:
    """The first safety check that holds for the call, whatever route it would take."""
    answers = facts.answers
    signals = facts.signals
    for check in SAFETY_CHECKS:
        values = answers if check.kind == "answer" else signals
        if values.get(check.name) is True:
            return check
    return None


def decide(protocol: Protocol, facts: CallFacts, *, screening: bool = True) -> Decision:
    """Route one call by ``protocol``, then apply the engine's safety check.

    ``rules_fired`` lists the protocol rule that decided (or ``default``) and, when the
    safety check changed the route, the check's id after it; ``reasons`` follows the same
    order. With ``screening`` (the default) the decision also lists the questions still
    worth asking, in the protocol's order, leaving out those whose answer could not
    change the route.
    """
    rule = deciding_rule(protocol, facts)
    route = rule.route
    rules_fired = [rule.id]
    reasons = [rule.reason]
    if route in UNGUARDED_ROUTES:
        check = safety_override(facts)
        if check is not None:
            route = check.route
            rules_fired.append(check.id)
            reasons.append(check.reason)
    questions: list[Question] = []
    if screening:
        from coresponse.triage.screening import questions_to_ask

        questions = questions_to_ask(protocol, facts)
    return Decision(
        route=route,
        priority=rule.priority if rule.priority is not None else facts.priority,
        reasons=reasons,
        rules_fired=rules_fired,
        protocol=protocol.name,
        protocol_version=protocol.version,
        protocol_hash=protocol.content_hash,
        questions_to_ask=questions,
        remarks_signals={
            name: facts.signal_evidence.get(name, "")
            for name, fired in facts.signals.items()
            if fired
        },
    )
