"""The whole role-by-record matrix, read as a story of who may open what of one client's record."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coresponse.audit.models import AuditEntry
from coresponse.casework import services
from coresponse.casework.errors import AccessDenied
from tests.personas import (  # noqa: F401  (fixtures)
    FrozenClock,
    clock,
    new_client,
    personas,
    service,
    social_worker,
)

FRONTLINE = {"carla_call_taker", "dev_dispatcher", "pat_police"}
CLINICIANS = {"sam_social_worker", "sue_supervisor"}


@pytest.fixture
def record(personas: dict[str, Any], clock: FrozenClock, service: Any) -> dict[str, Any]:
    """One client with every kind of record: a case, an encounter with notes, assessments, a referral."""
    sam = personas["sam_social_worker"]
    client = services.create_client(by=sam, clock=clock, preferred_name="Robin", phone="206-555-0101")
    services.set_safety_note(client, "Large dog at the address; knock and wait.", by=sam, clock=clock)
    case = services.open_case(client, owner=sam, by=sam, clock=clock, reason="repeat_caller")
    encounter = services.record_encounter(
        client, by=sam, clock=clock, kind="on_scene", case=case, notes="Talked about losing the flat.",
        resolved_on_scene=True,
    )
    services.record_assessment(
        client, "needs-assessment",
        {"housing": "urgent", "mental_health": "unmet", "substance_use": "unmet", "medical": "none",
         "food": "met", "income_benefits": "unmet", "safety": "none", "legal": "none"},
        by=sam, clock=clock, encounter=encounter,
    )
    consent = services.record_consent(
        client, data_classes=["contact_details"], organization=service.organization, purpose="shelter referral",
        by=sam, clock=clock,
    )
    services.refer(client, service, by=sam, consent=consent, clock=clock, need="housing")
    services.link_call(client, city="seattle", event_id="2025-000123", by=sam, clock=clock)
    return {"client": client, "encounter": encounter}


READERS: dict[str, tuple[Callable[..., Any], set[str]]] = {
    "safety summary": (lambda r, u, c: services.safety_summary(r["client"], by=u, clock=c, reason="en route"),
                       FRONTLINE | CLINICIANS),
    "contact details": (lambda r, u, c: services.contact_details(r["client"], by=u, clock=c, reason="visit"),
                        CLINICIANS),
    "linked calls": (lambda r, u, c: services.calls_of(r["client"], by=u, clock=c, reason="timeline"), CLINICIANS),
    "cases": (lambda r, u, c: services.cases_of(r["client"], by=u, clock=c, reason="timeline"), CLINICIANS),
    "encounters": (lambda r, u, c: services.encounters_of(r["client"], by=u, clock=c, reason="timeline"),
                   CLINICIANS),
    "notes": (lambda r, u, c: services.encounter_notes(r["encounter"], by=u, clock=c, reason="timeline"),
              CLINICIANS),
    "assessments": (lambda r, u, c: services.assessments_of(r["client"], by=u, clock=c, reason="timeline"),
                    CLINICIANS),
    "referrals": (lambda r, u, c: services.referrals_of(r["client"], by=u, clock=c, reason="timeline"),
                  CLINICIANS),
    "audit trail": (lambda r, u, c: services.audit_trail(r["client"], by=u, clock=c, reason="review"),
                    {"sue_supervisor"}),
    "aggregates": (lambda r, u, c: services.outcome_figures(by=u, clock=c), CLINICIANS | {"ana_analyst"}),
}

MATRIX = [
    (persona, what, persona in allowed)
    for what, (_, allowed) in READERS.items()
    for persona in (
        "carla_call_taker", "dev_dispatcher", "pat_police", "sam_social_worker", "sue_supervisor",
        "ana_analyst", "adam_admin", "olly_outsider",
    )
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "what", "may_read"), MATRIX, ids=[f"{p}-{w}" for p, w, _ in MATRIX])
def test_each_role_reads_exactly_what_the_policy_allows(
    personas: dict[str, Any], record: dict[str, Any], clock: FrozenClock, persona: str, what: str, may_read: bool
) -> None:
    reader, _ = READERS[what]
    before = AuditEntry.objects.count()
    if may_read:
        reader(record, personas[persona], clock)
        assert AuditEntry.objects.latest("seq").action == "read"
    else:
        with pytest.raises(AccessDenied):
            reader(record, personas[persona], clock)
        assert AuditEntry.objects.latest("seq").action == "denied"
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.django_db
def test_police_officer_sees_the_social_worker_and_safety_note_not_the_notes(
    personas: dict[str, Any], record: dict[str, Any], clock: FrozenClock
) -> None:
    summary = services.safety_summary(record["client"], by=personas["pat_police"], clock=clock, reason="en route")
    assert summary.has_social_worker
    assert summary.social_workers == ("sam_social_worker",)
    assert "dog" in summary.safety_note
    assert "flat" not in repr(summary)
    with pytest.raises(AccessDenied):
        services.encounter_notes(record["encounter"], by=personas["pat_police"], clock=clock, reason="curious")


@pytest.mark.django_db
def test_analyst_gets_counts_without_any_client_id(
    personas: dict[str, Any], record: dict[str, Any], clock: FrozenClock
) -> None:
    figures = services.outcome_figures(by=personas["ana_analyst"], clock=clock)
    assert figures.people_served == 1
    assert figures.resolved_on_scene == 1
    assert record["client"].public_id not in repr(figures)


@pytest.mark.django_db
def test_outsider_cannot_write_anything_either(
    personas: dict[str, Any], record: dict[str, Any], clock: FrozenClock
) -> None:
    olly = personas["olly_outsider"]
    with pytest.raises(AccessDenied):
        services.set_safety_note(record["client"], "hello", by=olly, clock=clock)
    with pytest.raises(AccessDenied):
        services.record_encounter(record["client"], by=olly, clock=clock, kind="phone")
    with pytest.raises(AccessDenied):
        services.create_client(by=olly, clock=clock, preferred_name="Nobody")


@pytest.mark.django_db
def test_dispatcher_cannot_write_a_safety_note_only_read_it(
    personas: dict[str, Any], record: dict[str, Any], clock: FrozenClock
) -> None:
    with pytest.raises(AccessDenied):
        services.set_safety_note(record["client"], "changed", by=personas["dev_dispatcher"], clock=clock)
    record["client"].refresh_from_db()
    assert "dog" in record["client"].safety_note
