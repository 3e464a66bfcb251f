"""A supervisor reads a client's audit trail on the page, refusals included; nobody else can."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_the_trail_shows_the_police_officer_refused_at_the_notes(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    pid = casefile["client"].public_id
    signed_in(personas["pat_police"]).get(f"/casework/clients/{pid}/notes/")

    page = signed_in(personas["sue_supervisor"]).get(f"/casework/clients/{pid}/audit/")

    entries = page.context["entries"]
    assert page.status_code == 200
    assert ("pat_police", "denied", "notes") in [(e.actor, e.action, e.record_type) for e in entries]
    assert {e.client_ref for e in entries} == {pid}
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert "<strong class=\"error\">denied</strong>" in page.content.decode()


@pytest.mark.django_db
def test_reading_the_trail_is_itself_audited(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    from coresponse.audit.models import AuditEntry

    pid = casefile["client"].public_id
    signed_in(personas["sue_supervisor"]).get(f"/casework/clients/{pid}/audit/")

    assert AuditEntry.objects.filter(actor="sue_supervisor", record_type="audit_trail", client_ref=pid).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sam_social_worker", "pat_police", "ana_analyst", "olly_outsider"])
def test_no_one_else_reads_the_trail(persona: str, personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    page = signed_in(personas[persona]).get(f"/casework/clients/{casefile['client'].public_id}/audit/")

    assert page.status_code == 403
