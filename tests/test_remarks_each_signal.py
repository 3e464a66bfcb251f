"""The patterns fire each signal on plain descriptions, and look-alikes do not fire it (the
learned model is tested in test_remarks_model.py)."""

from __future__ import annotations

import pytest

from coresponse.triage.remarks import SIGNALS, RemarkSignals, read_patterns


@pytest.mark.parametrize(
    ("text", "signal", "expected"),
    [
        ("Caller says her brother has a shotgun in the car", "weapon", True),
        ("subject swinging a baseball bat at parked cars", "weapon", True),
        ("someone is shooting fireworks in the street", "weapon", False),
        ("got a flu shot today and feels dizzy", "weapon", False),
        ("two teenagers got into a fight outside the school", "violence", True),
        ("her husband hit her and left", "violence", True),
        ("pedestrian hit by a car", "violence", False),
        ("caller having a panic attack", "violence", False),
        ("ex is threatening to kill her", "threat", True),
        ("said he would bring a gun to school tomorrow", "threat", True),
        ("threatening to kill himself", "threat", False),
        ("he threatened to sue the landlord", "threat", False),
        ("locked in the bathroom, says he wants to die", "self_harm", True),
        ("female on bridge threatening to jump", "self_harm", True),
        ("dad talks about not being a burden much longer, gave his tools away", "self_harm", True),
        ("he says he wont be a burden any longer", "self_harm", True),
        ("she is not a burden to anyone, just lonely", "self_harm", False),
        ("threatened to call the police on the neighbours", "threat", False),
        ("threatening weather, units advised", "threat", False),
        ("CP STS SUBJ POINTED A GUN AT HIM", "medical", False),
        ("MEDICAL ALARM TEST PER ALARM CO, DISREGARD", "medical", False),
        ("window smashed at business overnight", "violence", False),
        ("shopkeeper says a man is passed out and smells of alcohol", "intoxication", True),
        ("high on meth, running in traffic", "intoxication", True),
        ("drinking water at the fountain", "intoxication", False),
        ("man says he has chest pain and cannot breathe", "medical", True),
        ("elderly woman fell, hip pain", "medical", True),
        ("fell asleep on the bus", "medical", False),
        ("adult daughter off her meds and hearing voices", "mental_health", True),
        ("resident is paranoid, thinks people are following him", "mental_health", True),
        ("caller describes a housing crisis", "mental_health", False),
    ],
)
def test_signal_reads_description(text: str, signal: str, expected: bool) -> None:
    assert getattr(read_patterns(text), signal) is expected


def test_self_harm_is_also_a_mental_health_indicator() -> None:
    signals = read_patterns("subj suicidal")
    assert signals.self_harm and signals.mental_health
    assert signals.evidence["mental_health"] == signals.evidence["self_harm"]


def test_past_weapon_and_violence_still_fire() -> None:
    signals = read_patterns("RP STS HUSB CHOKED HER LAST NIGHT, HAD A KNIFE LAST WEEK")
    assert signals.weapon and signals.violence


def test_evidence_names_the_phrase_that_fired_each_signal() -> None:
    signals = read_patterns("SUBJ EDP W/ KNIFE, DENIES SI")
    assert signals.evidence == {"weapon": "knife", "mental_health": "edp"}


def test_result_is_frozen_with_one_flag_per_signal() -> None:
    signals = read_patterns("subj drunk")
    assert isinstance(signals, RemarkSignals)
    assert tuple(signals.as_dict()) == SIGNALS
    with pytest.raises(AttributeError):
        signals.weapon = True  # type: ignore[misc]
