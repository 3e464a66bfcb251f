"""The client page: the timeline of calls, encounters, assessments and referrals, and the repeat-call figures."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from tests.pages_setup import BEFORE_DAYS, NOTE_TEXT, SAFETY_TEXT, call_store, casefile, signed_in  # noqa: F401
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_the_timeline_holds_calls_encounters_assessments_and_referrals_newest_first(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["sam_social_worker"]).get(f"/casework/clients/{casefile['client'].public_id}/")

    kinds = [item.kind for item in page.context["timeline"]]
    assert kinds.count("call") == len(BEFORE_DAYS) + 2  # linked at enrolment, and the two calls since
    assert (kinds.count("case_opened"), kinds.count("encounter"), kinds.count("assessment")) == (1, 1, 1)
    assert kinds.count("referral") == 2  # proposed, then sent
    times = [item.at for item in page.context["timeline"]]
    assert times == sorted(times, reverse=True)
    text = page.content.decode()
    assert SAFETY_TEXT in text
    assert 'data-level="low"' in text  # the C-SSRS screen: a wish to be dead only is low risk
    assert "Referral to Harbor emergency shelter: sent" in text
    assert NOTE_TEXT not in text  # notes open on their own page, which is audited as a notes read


@pytest.mark.django_db
def test_the_notes_page_shows_the_encounter_notes(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    page = signed_in(personas["sam_social_worker"]).get(f"/casework/clients/{casefile['client'].public_id}/notes/")

    assert NOTE_TEXT in page.content.decode()


@pytest.mark.django_db
def test_the_page_shows_calls_in_the_year_before_and_after_enrolment(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["sam_social_worker"]).get(f"/casework/clients/{casefile['client'].public_id}/")

    [(case, figure, note)] = page.context["figures"]
    assert (figure.before, figure.after) == (len(BEFORE_DAYS), 2)
    assert note == ""
    text = page.content.decode()
    assert f'data-figure="before">{len(BEFORE_DAYS)}<' in text
    assert 'data-figure="after">2<' in text


@pytest.mark.django_db
def test_without_a_call_store_the_page_says_so_instead_of_failing(
    personas: dict[str, Any], casefile: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.CORESPONSE_CALLS_STORE = tmp_path / "missing.duckdb"

    page = signed_in(personas["sam_social_worker"]).get(f"/casework/clients/{casefile['client'].public_id}/")

    assert page.status_code == 200
    assert "no call store at" in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_client_id_is_404(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    assert signed_in(personas["sam_social_worker"]).get("/casework/clients/CL-NOTTHERE/").status_code == 404


@pytest.mark.django_db
def test_looking_up_a_client_by_id_opens_their_page(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    pid = casefile["client"].public_id

    response = signed_in(personas["pat_police"]).get("/casework/find/", {"id": pid.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/casework/clients/{pid}/"
