"""How service text maps onto the needs vocabulary (pure: no database)."""

from __future__ import annotations

import pytest

from coresponse.directory.needs import Need, match_needs, parse_need


def needs_of(**text: str) -> dict[str, str]:
    fields = {"taxonomy_terms": [], "keywords": "", "name": "", "description": ""} | text
    return {m.need.value: m.source for m in match_needs(**fields)}  # type: ignore[arg-type]


def test_description_words_map_to_needs() -> None:
    assert needs_of(description="Beds for people experiencing homelessness") == {
        "housing": "description"
    }
    assert needs_of(description="Free legal advice for tenants facing eviction") == {
        "housing": "description",
        "legal": "description",
    }


def test_taxonomy_beats_keywords_beats_description() -> None:
    found = needs_of(
        taxonomy_terms=["Mental Health Counseling"],
        keywords="counselling, addiction",
        description="counselling and a food pantry",
    )
    assert found == {"mental_health": "taxonomy", "substance_use": "keyword", "food": "description"}


def test_markup_in_descriptions_is_not_read_as_words() -> None:
    assert needs_of(description='<a href="/legal">Read more</a>') == {}


def test_a_lone_word_that_misleads_does_not_tag() -> None:
    # "Food Safety Program" is a hygiene course: food, but not the safety need.
    assert needs_of(name="Food Safety Program") == {"food": "description"}
    assert needs_of(description="stores benefit from tax breaks") == {}


def test_words_match_at_word_starts_only() -> None:
    assert needs_of(description="a jobcentre") == {"income_benefits": "description"}
    assert needs_of(description="snapshots of the neighbourhood") == {}


def test_match_says_why() -> None:
    (match,) = match_needs(
        taxonomy_terms=[], keywords="", name="", description="Hot meals every evening"
    )
    assert match.need is Need.FOOD
    assert "'meals'" in match.reason and "Hot meals every evening" in match.reason


@pytest.mark.parametrize(
    ("text", "need"),
    [("housing", Need.HOUSING), ("Mental health", Need.MENTAL_HEALTH),
     ("Income / benefits", Need.INCOME_BENEFITS), ("substance_use", Need.SUBSTANCE_USE)],
)
def test_needs_parse_from_value_or_label(text: str, need: Need) -> None:
    assert parse_need(text) is need


def test_unknown_need_names_the_vocabulary() -> None:
    with pytest.raises(ValueError, match="expected one of housing, mental_health"):
        parse_need("transport")
