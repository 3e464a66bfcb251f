"""Supervisors read a client's audit trail, including who was refused; reading it is itself audited."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import AccessDenied
from tests.personas import FrozenClock, clock, personas  # noqa: F401


@pytest.mark.django_db
def test_supervisor_sees_a_police_officer_refused_the_notes(personas: dict[str, Any], clock: FrozenClock) -> None:
    sam, pat, sue = personas["sam_social_worker"], personas["pat_police"], personas["sue_supervisor"]
    client = services.create_client(by=sam, clock=clock, preferred_name="Robin")
    with pytest.raises(AccessDenied):
        services.encounters_of(client, by=pat, clock=clock, reason="looking around")
    trail = services.audit_trail(client, by=sue, clock=clock, reason="monthly access review")
    assert [(e.actor, e.action) for e in trail] == [("sam_social_worker", "write"), ("pat_police", "denied")]
    assert trail[-1].reason == "looking around"
    again = services.audit_trail(client, by=sue, clock=clock, reason="second look")
    assert (again[-1].actor, again[-1].record_type) == ("sue_supervisor", "audit_trail")
