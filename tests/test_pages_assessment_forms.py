"""Assessment pages are rendered from the form definitions and save versioned, scored assessments."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.casework.models import Assessment
from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)


def assess_url(casefile: dict[str, Any], slug: str) -> str:
    return f"/casework/clients/{casefile['client'].public_id}/assess/{slug}/"


@pytest.mark.django_db
def test_the_cssrs_page_asks_every_screener_question_and_marks_the_follow_ups(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["sam_social_worker"]).get(assess_url(casefile, "cssrs-screener"))

    text = page.content.decode()
    assert [q.id for q, _ in page.context["questions"]] == [
        "wish_dead", "suicidal_thoughts", "method", "intent", "plan", "behaviour", "behaviour_recent"]
    assert 'id="q-method" data-ask-if="suicidal_thoughts=yes"' in text
    assert 'id="q-behaviour_recent" data-ask-if="behaviour=yes"' in text


@pytest.mark.django_db
def test_a_yes_to_intent_saves_a_high_risk_screen_with_its_form_version(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    answers = {"wish_dead": "yes", "suicidal_thoughts": "yes", "method": "yes", "intent": "yes", "plan": "no",
               "behaviour": "no"}

    page = signed_in(personas["sam_social_worker"]).post(assess_url(casefile, "cssrs-screener"), answers)

    assert page.status_code == 200
    saved = Assessment.objects.filter(client=casefile["client"]).order_by("-pk").first()
    assert saved is not None
    assert (saved.form.slug, saved.form.version, saved.level) == ("cssrs-screener", 1, "high")
    assert saved.answers == answers
    assert saved.case == casefile["case"]
    assert 'data-level="high"' in page.content.decode()


@pytest.mark.django_db
def test_an_answer_to_a_question_not_asked_is_refused_naming_it(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    before = Assessment.objects.count()

    page = signed_in(personas["sam_social_worker"]).post(
        assess_url(casefile, "cssrs-screener"),
        {"wish_dead": "no", "suicidal_thoughts": "no", "plan": "yes", "behaviour": "no"},
    )

    assert page.status_code == 422
    assert "plan: answered, but not asked" in page.content.decode()
    assert Assessment.objects.count() == before


@pytest.mark.django_db
def test_a_required_question_left_blank_is_refused(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    page = signed_in(personas["sam_social_worker"]).post(assess_url(casefile, "cssrs-screener"), {"wish_dead": "no"})

    assert page.status_code == 422
    assert "suicidal_thoughts: an answer is required" in page.content.decode()


@pytest.mark.django_db
def test_the_needs_assessment_links_each_unmet_need_to_a_directory_search(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    answers = {"housing": "urgent", "mental_health": "unmet", "substance_use": "none", "medical": "met",
               "food": "none", "income_benefits": "none", "safety": "none", "legal": "none", "context": ""}

    page = signed_in(personas["sam_social_worker"]).post(assess_url(casefile, "needs-assessment"), answers)

    text = page.content.decode()
    assert page.status_code == 200
    assert f"/casework/clients/{casefile['client'].public_id}/refer/?need=housing" in text
    assert "?need=mental_health" in text and "?need=medical" not in text
    assert "housing (urgent)" in text
