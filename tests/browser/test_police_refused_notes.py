"""In Chromium: a police officer opens a client, sees the safety note, and is refused the notes."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role
from coresponse.audit.models import AuditEntry
from coresponse.casework import services
from tests.browser.conftest import sign_in
from tests.personas import FrozenClock, clock  # noqa: F401  (fixtures)

PASSWORD = "a long passphrase"


@pytest.fixture
def robin(transactional_db: None, fast_passwords: None, clock: FrozenClock) -> Any:
    user_model = get_user_model()
    sam = user_model.objects.create_user(username="sam", first_name="Sam", last_name="Rivera")
    grant_role(sam, Role.SOCIAL_WORKER)
    pat = user_model.objects.create_user(username="pat", password=PASSWORD)
    grant_role(pat, Role.POLICE_OFFICER)
    client = services.create_client(by=sam, clock=clock, preferred_name="Robin")
    services.set_safety_note(client, "Large dog; knock and wait.", by=sam, clock=clock)
    case = services.open_case(client, owner=sam, by=sam, clock=clock)
    services.record_encounter(client, by=sam, clock=clock, kind="phone", case=case, notes="Lost the flat last week.")
    return client


def test_a_police_officer_is_refused_the_notes_and_the_refusal_is_audited(
    live_server: Any, robin: Any, tablet: Any
) -> None:
    page = tablet
    sign_in(page, live_server, "pat", PASSWORD)

    page.fill("input[name=id]", robin.public_id)
    page.click("text=Look up")
    page.wait_for_url(f"**/casework/clients/{robin.public_id}/")
    expect(page.locator("#safety-note")).to_contain_text("Large dog; knock and wait.")
    expect(page.locator("#social-worker")).to_contain_text("Sam Rivera")
    assert page.locator("a[href$='/notes/']").count() == 0  # no way in from the page

    response = page.goto(f"{live_server.url}/casework/clients/{robin.public_id}/notes/")

    assert response.status == 403
    assert "Not for your role" in page.content()
    assert "Lost the flat" not in page.content()
    assert AuditEntry.objects.filter(actor="pat", action="denied", record_type="notes",
                                     client_ref=robin.public_id).count() == 1
