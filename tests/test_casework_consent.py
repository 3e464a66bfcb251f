"""Consent is checked in the model before personal data leaves: scope, recipient, dates, revocation."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import ConsentRequired
from tests.personas import (  # noqa: F401
    FrozenClock,
    clock,
    new_client,
    other_service,
    personas,
    service,
    social_worker,
)


@pytest.mark.django_db
def test_referral_with_personal_data_and_no_consent_is_refused(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    client = new_client(phone="206-555-0101")
    with pytest.raises(ConsentRequired) as refused:
        services.refer(client, service, by=social_worker, consent=None, clock=clock, shares=["contact_details"])
    assert refused.value.missing == ("contact_details",)
    assert not client.referrals.exists()


@pytest.mark.django_db
def test_consent_to_another_organisation_does_not_cover_this_one(
    social_worker: Any, clock: FrozenClock, service: Any, other_service: Any, new_client: Any
) -> None:
    client = new_client()
    consent = services.record_consent(client, data_classes=["contact_details"], organization=other_service.organization,
                                      purpose="clinic", by=social_worker, clock=clock)
    with pytest.raises(ConsentRequired, match="another recipient"):
        services.refer(client, service, by=social_worker, consent=consent, clock=clock, shares=["contact_details"])


@pytest.mark.django_db
def test_consent_to_contact_details_does_not_cover_substance_use(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    client = new_client()
    consent = services.record_consent(client, data_classes=["contact_details"], organization=service.organization,
                                      purpose="shelter", by=social_worker, clock=clock)
    with pytest.raises(ConsentRequired) as refused:
        services.refer(client, service, by=social_worker, consent=consent, clock=clock,
                       shares=["contact_details", "substance_use"])
    assert refused.value.missing == ("substance_use",)


@pytest.mark.django_db
def test_revoking_consent_stops_a_proposed_referral_from_being_sent(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    client = new_client()
    consent = services.record_consent(client, data_classes=["contact_details"], organization=service.organization,
                                      purpose="shelter", by=social_worker, clock=clock)
    referral = services.refer(client, service, by=social_worker, consent=consent, clock=clock)
    clock.advance(hours=1)
    services.revoke_consent(consent, by=social_worker, clock=clock, reason="changed their mind")
    clock.advance(minutes=1)
    with pytest.raises(ConsentRequired, match="not in force"):
        services.move_referral(referral, "send", by=social_worker, clock=clock)
    referral.refresh_from_db()
    assert referral.status == "proposed"


@pytest.mark.django_db
def test_an_expired_consent_covers_nothing(social_worker: Any, clock: FrozenClock, service: Any, new_client: Any) -> None:
    client = new_client()
    consent = services.record_consent(client, data_classes=["contact_details"], organization=service.organization,
                                      purpose="shelter", by=social_worker, clock=clock,
                                      valid_until=clock() + timedelta(days=30))
    referral = services.refer(client, service, by=social_worker, consent=consent, clock=clock)
    clock.advance(days=31)
    with pytest.raises(ConsentRequired):
        services.move_referral(referral, "send", by=social_worker, clock=clock)


@pytest.mark.django_db
def test_a_referral_that_shares_nothing_needs_no_consent(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    referral = services.refer(new_client(), service, by=social_worker, consent=None, clock=clock, shares=())
    services.move_referral(referral, "send", by=social_worker, clock=clock)
    assert referral.status == "sent"


@pytest.mark.django_db
def test_sharing_substance_use_needs_its_own_consent_and_carries_the_part2_notice(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    client = new_client(preferred_name="Robin", phone="206-555-0101")
    organization = service.organization
    services.record_consent(client, data_classes=["contact_details"], organization=organization,
                            purpose="shelter", by=social_worker, clock=clock)
    with pytest.raises(ConsentRequired) as refused:
        services.share(client, ["contact_details", "substance_use"], organization=organization,
                       by=social_worker, clock=clock, purpose="intake")
    assert refused.value.missing == ("substance_use",)
    services.record_consent(client, data_classes=["substance_use"], organization=organization,
                            purpose="treatment intake", by=social_worker, clock=clock)
    package = services.share(client, ["contact_details", "substance_use"], organization=organization,
                             by=social_worker, clock=clock, purpose="intake")
    assert package["contact_details"]["phone"] == "206-555-0101"
    assert "42 CFR part 2" in package["part2_notice"]
    assert "notes" not in package


@pytest.mark.django_db
def test_a_consent_names_exactly_one_recipient(social_worker: Any, clock: FrozenClock, service: Any, new_client: Any) -> None:
    from coresponse.casework.errors import InvalidRecord

    with pytest.raises(InvalidRecord, match="exactly one recipient"):
        services.record_consent(new_client(), data_classes=["notes"], organization=service.organization,
                                role="police_officer", purpose="x", by=social_worker, clock=clock)
