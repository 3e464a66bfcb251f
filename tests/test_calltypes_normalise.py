"""Call-type text is read the same way whatever shorthand a city uses."""

from __future__ import annotations

from coresponse.calltypes.normalise import normalise


def test_shorthand_is_spelled_out() -> None:
    assert normalise("ASLT - IP/JO - DV") == "assault in progress just occurred domestic violence"
    assert normalise("SUSP PERS W/ WPN") == "suspicious person with weapon"
    assert normalise("EDP") == "emotionally disturbed person"


def test_leading_agency_code_is_dropped_but_a_code_alone_is_kept() -> None:
    assert normalise("106B_Assault Shooting Past Wp") == "assault shooting past weapon"
    assert normalise("10-96 MENTAL") == "mental"
    assert normalise("5150") == "mental health hold"
    assert normalise("1234") == "1234"


def test_expansions_are_not_expanded_twice() -> None:
    # "IP/JO" becomes words that are themselves never looked up as abbreviations again.
    assert normalise("BURG IP/JO") == "burglary in progress just occurred"
