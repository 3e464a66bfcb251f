"""The patterns read weapon and violence from word classes crossed with verb classes, so
combinations no labelled remark contains still fire, and the look-alikes of those words do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.triage.remarks import (
    PATTERNS_PATH,
    RemarkPatternError,
    load_patterns,
    read_patterns,
)


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
    assert read_patterns(text).weapon is True


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
    assert read_patterns(text).violence is True


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
    assert getattr(read_patterns(text), signal) is False


def test_an_unknown_vocabulary_name_is_refused_with_the_signal_named(tmp_path: Path) -> None:
    broken = tmp_path / "patterns.yaml"
    text = PATTERNS_PATH.read_text(encoding="utf-8")
    assert "<<weapon_noun>>" in text
    broken.write_text(text.replace("<<weapon_noun>>", "<<weapon_nouns>>", 1), encoding="utf-8")
    with pytest.raises(
        RemarkPatternError,
        match=r"patterns\.yaml: signals\.weapon\.terms: unknown vocabulary <<weapon_nouns>>",
    ):
        load_patterns(broken)


@pytest.mark.parametrize(
    "text",
    [
        "subj w/ hndgun in waistband",
        "male has a pstol",
        "RP STS SUBJ HAS A MACHTE",
        "guy waving a kinfe",
        "HOLDING A CROWBR",
    ],
)
def test_a_typing_slip_in_a_weapon_name_still_fires(text: str) -> None:
    assert read_patterns(text).weapon is True


@pytest.mark.parametrize(
    "text", ["the stock is rife with rumours", "he sank into the couch", "rear door open"]
)
def test_a_slip_that_is_a_word_of_its_own_does_not_fire(text: str) -> None:
    assert read_patterns(text).weapon is False


def test_typo_variants_keep_the_first_and_last_letters() -> None:
    from coresponse.triage.remarks import typo_variants

    variants = typo_variants("pistol")
    assert {"pstol", "pitol", "pistl", "psitol", "pitsol"} <= variants
    assert "pistol" not in variants
    assert all(v[0] == "p" and v[-1] == "l" for v in variants)


@pytest.mark.parametrize(
    "text",
    [
        "she scratched his face during the argument",
        "grabbed her by the hair and dragged her",
        "ex pulling her hair in the parking lot",
        "subj tased the security guard and ran",
        "pepper sprayed a customer at the register",
        "open line, yelling and thuds heard",
        "sounds of a fight in the apt upstairs",
        "bloody bat on the porch, no one answering",
        "he locked her in the bathroom for hours",
        "hit him over the head with a beer bottle",
    ],
)
def test_an_attack_on_a_body_part_a_weapon_used_on_someone_or_its_sounds_fire_violence(
    text: str,
) -> None:
    assert read_patterns(text).violence is True


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("threatening to set himself on fire", "violence"),
        ("bitten by a dog, bite wounds on his leg", "violence"),
        ("she is pulling her own hair out, anxious", "violence"),
        ("hit him over the head with a beer bottle", "intoxication"),
    ],
)
def test_these_do_not_fire(text: str, signal: str) -> None:
    assert getattr(read_patterns(text), signal) is False


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("SUSP STBD VICT X2 IN ABD", "violence"),
        ("SUSP STRUCK HIM W/ BEER BTL", "weapon"),
        ("SUSP FIRED 2 RNDS AT RP'S VEH", "violence"),
        ("vict of 240 earlier today", "violence"),
        ("per vict susp displayed a hndgn in his wstbnd", "weapon"),
        ("neighbor threatened to put one in his head", "weapon"),
        ("subj swung his cane at the security guard", "weapon"),
        ("VICT STS SUSP THREW BLEACH IN HER FACE", "violence"),
    ],
)
def test_cad_shorthand_and_codes_fire(text: str, signal: str) -> None:
    assert getattr(read_patterns(text), signal) is True


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("lost wallet at the gun show on sat", "weapon"),
        ("NOISE COMP, BAT MITZVAH AT THE HALL", "weapon"),
        ("contractor left the punch list unfinished", "violence"),
        ("KNIFE AND FORK SET STOLEN FROM PORCH", "weapon"),
        ("kids with nerf guns in the park", "weapon"),
        ("attacked by the neighbors pit bull", "violence"),
    ],
)
def test_round_six_look_alikes_do_not_fire(text: str, signal: str) -> None:
    assert getattr(read_patterns(text), signal) is False


def test_typo_tolerant_must_name_vocabulary_entries(tmp_path: Path) -> None:
    text = PATTERNS_PATH.read_text(encoding="utf-8").replace(
        "typo_tolerant: {firearm: gun,", "typo_tolerant: {firearms: gun,"
    )
    path = tmp_path / "patterns.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        RemarkPatternError, match=r"typo_tolerant: no vocabulary entry named firearms"
    ):
        load_patterns(path)


def test_a_block_ending_in_a_bar_is_refused(tmp_path: Path) -> None:
    """A '|' left at the end of a folded block is an empty alternative: it would match
    everywhere, so the loader refuses it instead of reading every remark wrongly."""
    end_of_block = "hostage (?:scene|drill|training|exercise|movie|film|play)\n  self_harm:"
    text = PATTERNS_PATH.read_text(encoding="utf-8")
    assert end_of_block in text
    broken = tmp_path / "patterns.yaml"
    broken.write_text(
        text.replace(end_of_block, end_of_block.replace(")\n", ")|\n")), encoding="utf-8"
    )
    with pytest.raises(RemarkPatternError, match=r"signals\.threat\.exclude: an empty alternative"):
        load_patterns(broken)


@pytest.mark.parametrize(
    ("text", "signal", "fires"),
    [
        ("manager threatened to fire her if she's late again", "threat", False),
        ("caller wants to report threatening weather, lines down", "threat", False),
        ("barricade from the road work fell over into the lane", "threat", False),
        ("drama club rehearsing a hostage scene in the auditorium", "violence", False),
        ("kid swallowed a button battery", "violence", False),
        ("DEER STRUCK, KILLED, NB LANE", "violence", False),
        ("jail staff advise drunk tank is full", "intoxication", False),
        ("caller reporting her lincoln with suicide doors was broken into", "self_harm", False),
        ("ambulance has been parked across my driveway for an hour", "medical", False),
        ("caller made a mental note of the plate", "mental_health", False),
        ("pt has hx of SI years ago, currently denies SI/HI", "self_harm", False),
        ("ex texted 'u better sleep with one eye open'", "threat", True),
        ("husband 3 days into quitting the bottle cold turkey, shaking", "intoxication", True),
        ("says he put his affairs in order and is cleaning his guns", "self_harm", True),
        ("brother stopped taking his lithium, says he's jesus", "mental_health", True),
        ("ex at door with tire iron, banging on door, says he'll kill new bf", "violence", True),
    ],
)
def test_round_seven_reads(text: str, signal: str, fires: bool) -> None:
    assert getattr(read_patterns(text), signal) is fires
