"""Assessment forms are versioned data: the C-SSRS screener's risk levels and the needs assessment."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coresponse.casework import formspec, services
from coresponse.casework.errors import FormError
from tests.personas import FrozenClock, clock, new_client, personas, social_worker  # noqa: F401

NO = "no"
CSSRS = formspec.load(formspec.FORMS_DIR / "cssrs_screener.yaml")


def _screen(**yes: str) -> dict[str, str]:
    answers = {"wish_dead": NO, "suicidal_thoughts": NO, "behaviour": NO, **yes}
    if answers["suicidal_thoughts"] == "yes":
        answers = {"method": NO, "intent": NO, "plan": NO, **answers}
    if answers["behaviour"] == "yes":
        answers = {"behaviour_recent": NO, **answers}
    return answers


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        ({}, "none"),
        ({"wish_dead": "yes"}, "low"),
        ({"suicidal_thoughts": "yes"}, "low"),
        ({"suicidal_thoughts": "yes", "method": "yes"}, "moderate"),
        ({"behaviour": "yes"}, "moderate"),  # lifetime behaviour, more than 3 months ago
        ({"suicidal_thoughts": "yes", "intent": "yes"}, "high"),
        ({"suicidal_thoughts": "yes", "plan": "yes"}, "high"),
        ({"behaviour": "yes", "behaviour_recent": "yes"}, "high"),
    ],
)
def test_cssrs_screener_gives_the_standard_risk_level(yes: dict[str, str], level: str) -> None:
    answers = formspec.check_answers(CSSRS, _screen(**yes))
    assert formspec.score(CSSRS, answers).level == level


def test_cssrs_follow_up_questions_cannot_be_answered_when_not_asked() -> None:
    with pytest.raises(FormError, match="intent: answered, but not asked"):
        formspec.check_answers(CSSRS, {**_screen(), "intent": "yes"})


def test_an_answer_outside_the_options_names_the_question() -> None:
    with pytest.raises(FormError, match="wish_dead: 'maybe'"):
        formspec.check_answers(CSSRS, {**_screen(), "wish_dead": "maybe"})


def test_a_required_question_left_blank_is_refused() -> None:
    answers = _screen()
    del answers["behaviour"]
    with pytest.raises(FormError, match="behaviour: an answer is required"):
        formspec.check_answers(CSSRS, answers)


def test_a_programme_form_with_a_rule_on_an_unknown_question_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "slug: housing-screen\nversion: 1\ntitle: Housing\nquestions:\n  - {id: sleeps_out, type: yes_no}\n"
        "scoring: {kind: levels, levels: [no, yes], default: no, rules: [{level: yes, any_yes: [sleeps_rough]}]}\n"
    )
    with pytest.raises(FormError, match=r"bad.yaml: scoring.rules\[1\].any_yes: unknown questions \['sleeps_rough'\]"):
        formspec.load(path)


NEEDS = {"housing": "urgent", "mental_health": "unmet", "substance_use": "unmet", "medical": "none",
         "food": "met", "income_benefits": "none", "safety": "none", "legal": "none"}


@pytest.mark.django_db
def test_needs_assessment_lists_unmet_and_urgent_needs_and_marks_part2_data(
    social_worker: Any, clock: FrozenClock, new_client: Any
) -> None:
    assessment = services.record_assessment(new_client(), "needs-assessment", NEEDS, by=social_worker, clock=clock)
    assert assessment.result == {"unmet_needs": ["housing", "mental_health", "substance_use"],
                                 "urgent_needs": ["housing"]}
    assert assessment.level == "urgent"
    assert assessment.holds_substance_use
    assert (assessment.form.slug, assessment.form.version) == ("needs-assessment", 1)


@pytest.mark.django_db
def test_a_new_form_version_leaves_old_assessments_on_the_version_they_used(
    tmp_path: Path, personas: dict[str, Any], clock: FrozenClock, new_client: Any
) -> None:
    sam, adam = personas["sam_social_worker"], personas["adam_admin"]
    client = new_client()
    first = services.record_assessment(client, "cssrs-screener", _screen(wish_dead="yes"), by=sam, clock=clock)
    text = (formspec.FORMS_DIR / "cssrs_screener.yaml").read_text().replace("version: 1", "version: 2")
    text = text.replace("title: Suicide risk screen (C-SSRS screener)", "title: Suicide risk screen v2")
    path = tmp_path / "cssrs_v2.yaml"
    path.write_text(text)
    services.load_form_file(path, by=adam, clock=clock)
    second = services.record_assessment(client, "cssrs-screener", _screen(), by=sam, clock=clock)
    first.refresh_from_db()
    assert (first.form.version, second.form.version) == (1, 2)
    assert first.level == "low"


@pytest.mark.django_db
def test_changing_an_installed_form_version_in_place_is_refused(
    tmp_path: Path, personas: dict[str, Any], clock: FrozenClock
) -> None:
    services.current_form("cssrs-screener", clock=clock)
    text = (formspec.FORMS_DIR / "cssrs_screener.yaml").read_text().replace("title: Suicide risk", "title: Changed")
    path = tmp_path / "cssrs_changed.yaml"
    path.write_text(text)
    with pytest.raises(FormError, match="new version"):
        services.load_form_file(path, by=personas["adam_admin"], clock=clock)


@pytest.mark.django_db
def test_a_role_allowed_assessments_but_not_substance_use_gets_the_rest_only(
    personas: dict[str, Any], clock: FrozenClock, new_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coresponse.accounts.roles import Role
    from coresponse.casework import policy

    client = new_client()
    services.record_assessment(client, "needs-assessment", {**NEEDS, "context": "lost the flat"},
                               by=personas["sam_social_worker"], clock=clock)
    # A hypothetical programme role: may read assessments, not Part 2 data or notes.
    monkeypatch.setitem(policy.MATRIX, Role.ANALYST, {policy.Record.ASSESSMENT: policy.R})
    (view,) = services.assessments_of(client, by=personas["ana_analyst"], clock=clock, reason="review")
    assert view.answers["housing"] == "urgent"
    assert set(view.withheld) == {"substance_use", "context"}
    assert "substance_use" not in view.answers
    assert view.result == {"unmet_needs": ["housing", "mental_health"], "urgent_needs": ["housing"]}
