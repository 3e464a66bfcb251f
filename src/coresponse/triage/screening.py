"""Which screening questions a call-taker should still ask, in the protocol's order.

A question is worth asking when its answer could change the route. The protocol's rules
are read with three-valued logic: an answer not yet given is *unknown* (it may still
come back yes, no, or stay unasked). Walking the rules in order, a rule that is
certainly false is passed over, the first rule certainly true ends the walk, and a rule
that is unknown may or may not fire. An unknown rule's open questions matter when its
route differs from a route the call could otherwise take. The engine's safety questions
(weapon, crime in progress, violence) matter whenever the call could still end on a
route that sends no officer, unless the caller has already confirmed a danger.
"""

from __future__ import annotations

from collections.abc import Callable

from coresponse.triage.engine import (
    SAFETY_CHECKS,
    UNGUARDED_ROUTES,
    CallFacts,
    Predicate,
    predicate,
)
from coresponse.triage.protocol import (
    AllOf,
    AnswerIs,
    AnyOf,
    Condition,
    Not,
    Protocol,
    Question,
    Rule,
)

# Kleene logic: True, False, or None for "unknown until the question is answered".
Verdict = bool | None
Partial = Callable[[CallFacts, frozenset[str]], Verdict]

SAFETY_ANSWERS = tuple(check.name for check in SAFETY_CHECKS if check.kind == "answer")


def partial(condition: Condition, protocol: Protocol) -> Partial:
    """Evaluate ``condition`` when the answers in ``open_answers`` are still to come."""
    match condition:
        case AnswerIs(answer=answer):
            known = predicate(condition, protocol)

            def answer_leaf(facts: CallFacts, open_answers: frozenset[str]) -> Verdict:
                return None if answer in open_answers else known(facts)

            return answer_leaf
        case AllOf(conditions=items):
            parts = tuple(partial(item, protocol) for item in items)

            def every(facts: CallFacts, open_answers: frozenset[str]) -> Verdict:
                verdict: Verdict = True
                for part in parts:
                    result = part(facts, open_answers)
                    if result is False:
                        return False
                    if result is None:
                        verdict = None
                return verdict

            return every
        case AnyOf(conditions=items):
            parts = tuple(partial(item, protocol) for item in items)

            def some(facts: CallFacts, open_answers: frozenset[str]) -> Verdict:
                verdict: Verdict = False
                for part in parts:
                    result = part(facts, open_answers)
                    if result is True:
                        return True
                    if result is None:
                        verdict = None
                return verdict

            return some
        case Not(condition=inner):
            part = partial(inner, protocol)

            def negation(facts: CallFacts, open_answers: frozenset[str]) -> Verdict:
                result = part(facts, open_answers)
                return None if result is None else not result

            return negation
    # Every other leaf reads only facts that are already known.
    settled = predicate(condition, protocol)
    return lambda facts, open_answers: settled(facts)


def _answers_read(condition: Condition) -> frozenset[str]:
    match condition:
        case AnswerIs(answer=answer):
            return frozenset({answer})
        case AllOf(conditions=items) | AnyOf(conditions=items):
            return frozenset().union(*(_answers_read(item) for item in items))
        case Not(condition=inner):
            return _answers_read(inner)
    return frozenset()


def _prepared(protocol: Protocol) -> tuple[tuple[Partial, Predicate, Rule, frozenset[str]], ...]:
    cached = protocol._cache.get("partials")
    if cached is None:
        cached = tuple(
            (partial(rule.when, protocol), predicate(rule.when, protocol), rule, _answers_read(rule.when))
            for rule in protocol.rules
            if rule.when is not None
        )
        protocol._cache["partials"] = cached
    return cached  # type: ignore[no-any-return]


def questions_to_ask(protocol: Protocol, facts: CallFacts) -> list[Question]:
    """The protocol's questions not yet answered whose answer could still change the route."""
    open_answers = frozenset(
        question.answer for question in protocol.questions if facts.answers.get(question.answer) is None
    )
    if not open_answers:
        return []
    # (route, the open answers the rule reads, whether the rule is certain to fire)
    reachable: list[tuple[str, frozenset[str], bool]] = []
    for evaluate, holds, rule, reads in _prepared(protocol):
        # A rule reading no open question is settled: the plain predicate is cheaper.
        verdict = evaluate(facts, open_answers) if reads & open_answers else holds(facts)
        if verdict is False:
            continue
        reachable.append((rule.route, reads & open_answers, verdict is True))
        if verdict is True:
            break
    else:
        reachable.append((protocol.default.route, frozenset(), True))

    relevant: set[str] = set()
    routes_after: set[str] = set()
    for route, reads, certain in reversed(reachable):
        if not certain and routes_after - {route}:
            relevant |= reads
        routes_after = {route} if certain else routes_after | {route}

    confirmed_danger = any(facts.answers.get(answer) is True for answer in SAFETY_ANSWERS)
    if not confirmed_danger and routes_after & UNGUARDED_ROUTES:
        relevant.update(answer for answer in SAFETY_ANSWERS if answer in open_answers)
    return [question for question in protocol.questions if question.answer in relevant]
