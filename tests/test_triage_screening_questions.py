"""The call-taker is asked the protocol's questions in order, and only those whose answer
could still change the route."""

from __future__ import annotations

from datetime import datetime
from itertools import product

from coresponse.triage import CallFacts, decide, load_protocol, questions_to_ask

ON_DUTY = datetime(2025, 3, 1, 14, 0)


def asked(facts: CallFacts, name: str = "civilian-first") -> list[str]:
    return [question.answer for question in questions_to_ask(load_protocol(name), facts)]


def test_a_fresh_crisis_call_starts_with_the_safety_questions_in_the_protocols_order() -> None:
    facts = CallFacts(category="Behavioral Health", apco_code="EDP", priority=3, local_time=ON_DUTY)
    questions = asked(facts)
    assert questions[:3] == ["weapon", "violence", "threat_to_others"]


def test_once_a_weapon_is_confirmed_no_question_can_change_the_route() -> None:
    facts = CallFacts(category="Behavioral Health", priority=3, local_time=ON_DUTY, answers={"weapon": True, "medical_emergency": False})
    assert decide(load_protocol("civilian-first"), facts).route == "police"
    assert asked(facts) == []


def test_a_question_already_answered_is_not_asked_again() -> None:
    facts = CallFacts(category="Behavioral Health", priority=3, local_time=ON_DUTY, answers={"weapon": False})
    assert "weapon" not in asked(facts)
    assert "violence" in asked(facts)


def test_the_intoxication_question_is_skipped_when_the_call_type_already_qualifies() -> None:
    # The crisis rule already holds on the call type; whether the person drank cannot change it.
    facts = CallFacts(apco_code="EDP", priority=3, local_time=ON_DUTY)
    assert "intoxication" not in asked(facts)
    # On a call type that does not qualify, the intoxication answer decides.
    assert "intoxication" in asked(CallFacts(apco_code="NOISE", priority=3, local_time=ON_DUTY))


def test_every_question_left_out_really_cannot_change_the_route() -> None:
    """Brute force: answering a skipped question any way leaves the route unchanged."""
    protocol = load_protocol("civilian-first")
    base = CallFacts(apco_code="WELFARE", priority=3, local_time=ON_DUTY, answers={"violence": False})
    listed = set(asked(base))
    skipped = [q.answer for q in protocol.questions if q.answer not in listed and q.answer not in base.answers]
    assert skipped, "the example should skip at least one question"
    for answer in skipped:
        routes = set()
        # also vary every listed question, so the skipped one is tried in every context
        for values in product([True, False, None], repeat=len(listed)):
            answers = {**base.answers, **dict(zip(sorted(listed), values, strict=True))}
            for value in (True, False, None):
                facts = CallFacts(apco_code="WELFARE", priority=3, local_time=ON_DUTY, answers={**answers, answer: value})
                routes.add((tuple(sorted(answers.items(), key=str)), decide(protocol, facts, screening=False).route))
        by_context: dict[object, set[str]] = {}
        for context, route in routes:
            by_context.setdefault(context, set()).add(route)
        assert all(len(found) == 1 for found in by_context.values()), answer
