"""A police officer sees that Robin has a social worker and the safety note; the notes are refused and audited."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.audit.models import AuditEntry
from tests.pages_setup import NOTE_TEXT, SAFETY_TEXT, call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_police_see_the_social_worker_and_the_safety_note_but_no_notes(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["pat_police"]).get(f"/casework/clients/{casefile['client'].public_id}/")

    text = page.content.decode()
    assert page.status_code == 200
    assert SAFETY_TEXT in text
    assert "This person has a social worker" in text and "sam_social_worker" in text
    assert NOTE_TEXT not in text
    assert "high" not in text and "C-SSRS" not in text  # nothing of the assessments either


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["pat_police", "dev_dispatcher"])
def test_opening_the_notes_is_refused_with_403_and_audited(
    persona: str, personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    client = casefile["client"]

    page = signed_in(personas[persona]).get(f"/casework/clients/{client.public_id}/notes/")

    assert page.status_code == 403
    assert NOTE_TEXT not in page.content.decode()
    denied = AuditEntry.objects.filter(actor=persona, action="denied", client_ref=client.public_id)
    assert [(entry.record_type, entry.detail["page"]) for entry in denied] == [
        ("notes", f"/casework/clients/{client.public_id}/notes/")
    ]


@pytest.mark.django_db
def test_opening_the_assessments_is_refused_with_403_and_audited(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    client = casefile["client"]

    page = signed_in(personas["pat_police"]).get(f"/casework/clients/{client.public_id}/assessments/")

    assert page.status_code == 403
    assert AuditEntry.objects.filter(actor="pat_police", action="denied", record_type="assessment",
                                     client_ref=client.public_id).count() == 1
