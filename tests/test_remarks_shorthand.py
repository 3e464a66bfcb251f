"""CAD shorthand is read: SI, EDP, ETOH, DV, W/, GSW, OD, LOC, CP, 5150, ADW, ASLT."""

from __future__ import annotations

import pytest

from coresponse.triage.remarks import read_signals


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("SUBJ SI W/ PLAN", "self_harm"),
        ("EDP IN LOBBY", "mental_health"),
        ("ETOH SUBJ ON BENCH", "intoxication"),
        ("DV IP", "violence"),
        ("SUBJ W/ KNIFE", "weapon"),
        ("SUBJ W/KNIFE", "weapon"),
        ("GSW TO LEG", "weapon"),
        ("GSW TO LEG", "medical"),
        ("POSS OD", "medical"),
        ("POSS OD", "intoxication"),
        ("LOC X2 MIN AFTER FALL", "medical"),
        ("64YOM CP AND SOB", "medical"),
        ("RP STS SON 5150 LAST WK", "mental_health"),
        ("ADW, VICT STABBED", "violence"),
        ("ASLT JUST OCCURRED", "violence"),
        ("HX SI", "self_harm"),
        ("SUBJ HI TOWARD EX", "threat"),
        ("VIC STS SUSP P/W/ GUN", "violence"),
    ],
)
def test_shorthand_fires_its_signal(text: str, signal: str) -> None:
    assert getattr(read_signals(text), signal) is True


def test_loc_as_location_is_not_loss_of_consciousness() -> None:
    assert read_signals("LOC: 3RD AVE / PINE, SUBJ PANHANDLING").medical is False


def test_rp_and_subj_alone_fire_nothing() -> None:
    assert not read_signals("RP STS SUBJ REFUSING TO LEAVE LOBBY").any


def test_w_slash_o_means_without() -> None:
    assert read_signals("W/O WEAPON, SUBJ YELLING").weapon is False


def test_verbal_only_domestic_is_not_violence() -> None:
    assert read_signals("DV VERBAL ONLY NO PHYSICAL").violence is False
