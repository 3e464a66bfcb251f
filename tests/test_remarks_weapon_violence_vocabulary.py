"""Weapon and violence are read from word classes crossed with verb classes, so combinations
no labelled remark contains still fire, and the look-alikes of those words do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.triage.remarks import PATTERNS_PATH, RemarkPatternError, load_patterns, read_signals


@pytest.mark.parametrize(
    "text",
    [
        "subj swinging a shovel at the neighbor",
        "she went after him with a broom",
        "ANON RP: MALE HAS A 12 GAUGE IN TRUNK",
        "rp says he is packing",
        "suspect opened fire on the porch",
        "guy keeps jabbing people with a sharpened pencil",
        "VIC W/ SLASH WOUNDS TO FOREARM",
        "dude has a cleaver in his backpack",
    ],
)
def test_an_unseen_weapon_phrasing_fires_weapon(text: str) -> None:
    assert read_signals(text).weapon is True


@pytest.mark.parametrize(
    "text",
    [
        "they beat the crap out of him",
        "her bf keeps hurting her",
        "subj lunged at the officer",
        "husband slammed her against the wall",
        "he lays hands on her when hes drunk",
        "SUBJ ASLTD HIS GF",
        "two guys going at each other in the lot",
        "he rammed my car on purpose",
    ],
)
def test_an_unseen_violent_phrasing_fires_violence(text: str) -> None:
    assert read_signals(text).violence is True


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("male wearing glasses and a blue jacket", "weapon"),
        ("RP says her son drinks a glass of wine every night", "weapon"),
        ("cut his hand on broken glass while cleaning", "weapon"),
        ("cut his hand on broken glass while cleaning", "violence"),
        ("pt c/o shooting pain down her leg", "weapon"),
        ("elderly male with a walking cane", "weapon"),
        ("she has a protection order against him", "weapon"),
        ("packing up his stuff to move out", "weapon"),
        ("car battery dead, needs a jump", "violence"),
        ("kicked the habit last year", "violence"),
        ("pt violently ill since this morning", "violence"),
        ("hearing voices telling him to hurt people", "violence"),
    ],
)
def test_a_look_alike_does_not_fire(text: str, signal: str) -> None:
    assert getattr(read_signals(text), signal) is False


def test_an_unknown_vocabulary_name_is_refused_with_the_signal_named(tmp_path: Path) -> None:
    broken = tmp_path / "patterns.yaml"
    text = PATTERNS_PATH.read_text(encoding="utf-8")
    assert "<<weapon_noun>>" in text
    broken.write_text(text.replace("<<weapon_noun>>", "<<weapon_nouns>>", 1), encoding="utf-8")
    with pytest.raises(RemarkPatternError, match=r"patterns\.yaml: signals\.weapon\.terms: unknown vocabulary <<weapon_nouns>>"):
        load_patterns(broken)
