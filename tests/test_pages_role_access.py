"""Every casework page, opened by every role: who gets the page and who is refused (403)."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)

CLINICAL_PAGES = ("client", "notes", "assessments", "assess", "encounter", "refer_search", "refer")
PAGES = ("home", *CLINICAL_PAGES, "audit", "repeat_callers")


def url(page: str, casefile: dict[str, Any]) -> str:
    pid = casefile["client"].public_id
    return {
        "home": "/casework/",
        "client": f"/casework/clients/{pid}/",
        "notes": f"/casework/clients/{pid}/notes/",
        "assessments": f"/casework/clients/{pid}/assessments/",
        "assess": f"/casework/clients/{pid}/assess/cssrs-screener/",
        "encounter": f"/casework/clients/{pid}/encounter/",
        "refer_search": f"/casework/clients/{pid}/refer/?need=housing",
        "refer": f"/casework/clients/{pid}/refer/{casefile['service'].pk}/",
        "audit": f"/casework/clients/{pid}/audit/",
        "repeat_callers": "/casework/repeat-callers/",
    }[page]


ALLOWED: dict[str, set[str]] = {
    "sam_social_worker": {"home", *CLINICAL_PAGES, "repeat_callers"},
    "sue_supervisor": set(PAGES),
    "pat_police": {"home", "client"},
    "dev_dispatcher": {"home", "client"},
    "carla_call_taker": {"home", "client"},
    "ana_analyst": {"home"},
    "adam_admin": set(),
    "olly_outsider": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_each_role_opens_only_its_pages(persona: str, personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    browser = signed_in(personas[persona])
    statuses = {page: browser.get(url(page, casefile)).status_code for page in PAGES}
    assert statuses == {page: 200 if page in ALLOWED[persona] else 403 for page in PAGES}


@pytest.mark.django_db
def test_someone_not_signed_in_is_sent_to_sign_in(casefile: dict[str, Any]) -> None:
    from django.test import Client as Browser

    response = Browser().get(url("client", casefile))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/casework/clients/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["pat_police", "dev_dispatcher", "ana_analyst", "adam_admin", "olly_outsider"])
def test_no_form_writes_for_a_role_without_casework(
    persona: str, personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    from coresponse.casework.models import Assessment, Case, Encounter, FollowUp, Referral

    pid = casefile["client"].public_id
    counts = [model.objects.count() for model in (Assessment, Case, Encounter, FollowUp, Referral)]
    browser = signed_in(personas[persona])
    posts = {
        f"/casework/clients/{pid}/encounter/": {"kind": "phone", "referral_offer": "not_offered", "transport": "none",
                                               "police_involvement": "none", "age_band": "not_asked",
                                               "gender": "not_asked", "race_ethnicity": "not_asked",
                                               "housing": "not_asked"},
        f"/casework/clients/{pid}/assess/cssrs-screener/": {"wish_dead": "no", "suicidal_thoughts": "no",
                                                           "behaviour": "no"},
        f"/casework/clients/{pid}/refer/{casefile['service'].pk}/": {"need": "housing"},
        f"/casework/clients/{pid}/follow-ups/": {"what": "visit", "due_on": "2025-04-01"},
        f"/casework/clients/{pid}/safety-note/": {"safety_note": "changed"},
        f"/casework/follow-ups/{casefile['follow_up'].pk}/done/": {},
        "/casework/repeat-callers/enrol/": {"person_key": "someone-else-key-0002"},
    }

    statuses = {url: browser.post(url, data).status_code for url, data in posts.items()}

    assert set(statuses.values()) == {403}
    assert [model.objects.count() for model in (Assessment, Case, Encounter, FollowUp, Referral)] == counts
    casefile["client"].refresh_from_db()
    casefile["follow_up"].refresh_from_db()
    assert casefile["client"].safety_note != "changed"
    assert casefile["follow_up"].done_at is None
