"""The referral flow: find the service, check consent (record it on the spot), send, record the outcome."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from coresponse.casework.models import Consent, Referral
from coresponse.directory.models import ServiceNeed
from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, other_service, personas, service  # noqa: F401  (fixtures)


@pytest.fixture
def clinic(other_service: Any) -> Any:
    ServiceNeed.objects.create(service=other_service, need="medical", reason="test")
    return other_service


def refer_url(casefile: dict[str, Any], service: Any) -> str:
    return f"/casework/clients/{casefile['client'].public_id}/refer/{service.pk}/"


@pytest.mark.django_db
def test_the_directory_search_offers_a_refer_button_for_each_service_found(
    personas: dict[str, Any], casefile: dict[str, Any], clinic: Any
) -> None:
    url = f"/casework/clients/{casefile['client'].public_id}/refer/"

    results = signed_in(personas["sam_social_worker"]).get(url, {"need": "medical"}, HTTP_HX_REQUEST="true")

    text = results.content.decode()
    assert [r.service.pk for r in results.context["results"]] == [clinic.pk]
    assert f'href="{refer_url(casefile, clinic)}?need=medical"' in text
    assert "<html" not in text  # htmx gets the results alone


@pytest.mark.django_db
def test_sending_contact_details_without_consent_is_refused_and_asks_for_it(
    personas: dict[str, Any], casefile: dict[str, Any], clinic: Any
) -> None:
    browser = signed_in(personas["sam_social_worker"])
    assert browser.get(refer_url(casefile, clinic)).context["has_consent"] is False

    page = browser.post(refer_url(casefile, clinic), {"need": "medical", "shares": ["contact_details"]})

    assert page.status_code == 409
    assert "with no consent recorded" in page.content.decode()
    assert not Referral.objects.filter(service=clinic).exists()


@pytest.mark.django_db
def test_consent_recorded_on_the_spot_lets_the_referral_go(
    personas: dict[str, Any], casefile: dict[str, Any], clinic: Any
) -> None:
    response = signed_in(personas["sam_social_worker"]).post(refer_url(casefile, clinic), {
        "need": "medical", "shares": ["contact_details"], "record_consent": "1",
        "consent-data_classes": ["contact_details"], "consent-how": "verbal", "consent-purpose": "clinic visit",
        "consent-valid_until": "2030-06-30",
    })

    assert response.status_code == 302
    referral = Referral.objects.get(service=clinic)
    assert referral.status == "sent"
    assert response["Location"].endswith(f"#referral-{referral.pk}")
    consent = Consent.objects.get(recipient_organization=clinic.organization)
    assert (referral.consent, consent.data_classes, consent.how) == (consent, ["contact_details"], "verbal")
    assert consent.valid_until == datetime(2030, 6, 30, tzinfo=UTC)  # ends as that day begins (UTC here)
    assert [e.to_status for e in referral.events.all()] == ["proposed", "sent"]


@pytest.mark.django_db
def test_a_referral_that_shares_nothing_needs_no_consent(
    personas: dict[str, Any], casefile: dict[str, Any], clinic: Any
) -> None:
    response = signed_in(personas["sam_social_worker"]).post(refer_url(casefile, clinic), {"need": "medical"})

    assert response.status_code == 302
    referral = Referral.objects.get(service=clinic)
    assert (referral.status, referral.shares, referral.consent) == ("sent", [], None)


@pytest.mark.django_db
def test_an_existing_consent_in_force_is_offered_and_used(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    browser = signed_in(personas["sam_social_worker"])
    consent = Consent.objects.get(client=casefile["client"])
    page = browser.get(refer_url(casefile, casefile["service"]))
    assert page.context["has_consent"] is True

    response = browser.post(refer_url(casefile, casefile["service"]),
                            {"need": "housing", "shares": ["contact_details"], "consent": consent.pk})

    assert response.status_code == 302
    assert Referral.objects.filter(consent=consent).count() == 2


@pytest.mark.django_db
def test_recording_outcomes_moves_the_referral_and_swaps_its_row(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    browser = signed_in(personas["sam_social_worker"])
    referral = casefile["referral"]

    accepted = browser.post(f"/casework/referrals/{referral.pk}/accept/", HTTP_HX_REQUEST="true")
    connected = browser.post(f"/casework/referrals/{referral.pk}/connect/", {"note": "intake done"},
                             HTTP_HX_REQUEST="true")

    assert accepted.status_code == connected.status_code == 200
    row = connected.content.decode()
    assert row.lstrip().startswith(f'<li class="referral-row" id="referral-{referral.pk}">')
    assert 'data-status="connected"' in row
    assert "/close/" in row and "/decline/" not in row  # only the legal next move is offered
    referral.refresh_from_db()
    assert referral.status == "connected"
    assert referral.events.last().note == "intake done"


@pytest.mark.django_db
def test_an_illegal_outcome_is_refused_with_409(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    referral = casefile["referral"]

    page = signed_in(personas["sam_social_worker"]).post(f"/casework/referrals/{referral.pk}/close/")

    assert page.status_code == 409
    assert "cannot go from sent to closed" in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


@pytest.mark.django_db
def test_police_cannot_record_a_referral_outcome(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    referral = casefile["referral"]

    page = signed_in(personas["pat_police"]).post(f"/casework/referrals/{referral.pk}/accept/")

    assert page.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"
