"""Negated mentions do not fire a pattern; the negation reaches only as far as it should."""

from __future__ import annotations

import pytest

from coresponse.triage.remarks import read_patterns


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("no weapons seen", "weapon"),
        ("NO WPNS", "weapon"),
        ("neg weapons", "weapon"),
        ("WPNS: NONE", "weapon"),
        ("subject is not armed", "weapon"),
        ("he does not have any weapons", "weapon"),
        ("denies SI", "self_harm"),
        ("DENIES SI/HI", "self_harm"),
        ("denies any thoughts of suicide", "self_harm"),
        ("SI: DENIES", "self_harm"),
        ("not violent per rp", "violence"),
        ("non-violent", "violence"),
        ("RP states no one hurt", "medical"),
        ("no injuries", "medical"),
        ("ETOH NEG", "intoxication"),
        ("no etoh or drugs per subj", "intoxication"),
        ("no threats made", "threat"),
        ("no longer suicidal per sister", "self_harm"),
    ],
)
def test_negated_mention_does_not_fire(text: str, signal: str) -> None:
    assert getattr(read_patterns(text), signal) is False


def test_negated_list_of_shorthand_negates_each_item() -> None:
    signals = read_patterns("SUBJ DENIES SI, HI, ETOH")
    assert (signals.self_harm, signals.threat, signals.intoxication) == (False, False, False)


def test_negation_stops_at_but() -> None:
    signals = read_patterns("No weapons, but he punched his brother an hour ago.")
    assert signals.weapon is False
    assert signals.violence is True


def test_negation_stops_at_a_comma_for_weapon_and_violence() -> None:
    assert read_patterns("no weapon, subj hitting wife").violence is True


def test_unrelated_no_does_not_negate_a_later_weapon() -> None:
    # Terse CAD text has no punctuation: only a closed list of words may sit between a
    # negator and the weapon it negates.
    assert read_patterns("no answer rp says bf has gun").weapon is True


def test_negating_one_weapon_leaves_another() -> None:
    assert read_patterns("no knife seen, bb gun in car").weapon is True


def test_doubt_about_a_weapon_still_fires() -> None:
    assert read_patterns("RP not sure if subj has a gun").weapon is True


def test_doubt_about_intoxication_does_not_fire() -> None:
    assert read_patterns("man sleeping on porch, rp unsure if drunk").intoxication is False


def test_a_weapon_no_longer_in_hand_still_fires() -> None:
    assert read_patterns("SUBJ NO LONGER HAS KNIFE, DROPPED IT").weapon is True


def test_not_breathing_is_a_finding_not_a_negation() -> None:
    assert read_patterns("man on the bench, not breathing").medical is True


def test_refusing_ems_is_not_medical_but_refusing_insulin_is() -> None:
    assert read_patterns("Subject denies any medical issues and refuses EMS.").medical is False
    assert read_patterns("The patient is refusing to take his insulin.").medical is True


def test_a_negation_does_not_reach_past_a_clause_break_to_a_weapon() -> None:
    signals = read_patterns("no one hurt yet but he has a knife")
    assert signals.weapon is True


def test_a_negation_reaches_along_an_or_list_but_not_across_and() -> None:
    assert read_patterns("no knives or guns in the house").weapon is False
    assert read_patterns("NO GUN/KNIFE SEEN").weapon is False
    assert read_patterns("not violent or aggressive").violence is False
    assert read_patterns("no weapons seen and he is holding a bat").weapon is True
