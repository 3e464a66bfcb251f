"""A protocol copied with other rules (``dataclasses.replace``) is decided by its own rules,
not by the rules its original compiled first."""

from __future__ import annotations

from dataclasses import replace

from coresponse.triage import decide, load_protocol
from tests.triage_calls import random_calls


def test_a_copy_without_rules_fires_none_of_the_originals_rules() -> None:
    original = load_protocol("civilian-first")
    rule_ids = {rule.id for rule in original.rules}
    calls = random_calls(300, seed=7)
    fired_before = [
        set(decide(original, call).rules_fired) & rule_ids for call in calls
    ]  # compiles and caches
    assert any(fired_before), "no generated call fired a rule of the original"
    without_rules = replace(original, rules=())
    for call in calls:
        assert not set(decide(without_rules, call).rules_fired) & rule_ids
