"""Empty, missing and non-ASCII remarks are read without error."""

from __future__ import annotations

import pytest

from coresponse.triage.remarks import RemarkSignals, normalise, read_signals


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", "...", "\x00\x01"])
def test_empty_or_missing_remarks_have_no_signal(text: str | None) -> None:
    assert read_signals(text) == RemarkSignals()


def test_accents_emoji_and_curly_quotes_do_not_hide_a_term() -> None:
    signals = read_signals("RP’s son – 19 y/o – café 🔪 knife… threatening to kill himself")
    assert signals.weapon and signals.self_harm


def test_non_ascii_letters_become_spaces_before_lower_casing() -> None:
    # The Kelvin sign lower-cases to ASCII "k" in Python but not in every engine.
    # ("nife" is read as a misspelt knife, so "knives", whose tail "nives" is no term, shows it.)
    assert normalise("\u212aNIVES") == " nives"
    assert read_signals("\u212aNIVES").weapon is False


def test_newlines_and_tabs_are_spaces() -> None:
    assert read_signals("subj has a\nknife").weapon is True
    assert normalise("a\n\tb") == "a b"


def test_a_long_remark_is_read() -> None:
    text = "caller reports a disturbance. " * 400 + "subject has a gun"
    assert read_signals(text).weapon is True
