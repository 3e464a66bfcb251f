"""In Chromium, on a tablet: enrol a repeat caller, screen them, refer them with consent, record the outcome."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role
from coresponse.casework.models import Client, Referral
from coresponse.directory.models import ServiceNeed
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.pages_setup import ROBIN_KEY, call_store  # noqa: F401  (fixtures)
from tests.personas import clock, service  # noqa: F401  (fixtures)

PASSWORD = "a long passphrase"


@pytest.fixture
def sam(transactional_db: None, fast_passwords: None, service: Any, call_store: Any) -> Any:
    ServiceNeed.objects.create(service=service, need="housing", reason="test")
    user = get_user_model().objects.create_user(username="sam", password=PASSWORD, first_name="Sam")
    grant_role(user, Role.SOCIAL_WORKER)
    return user


def test_a_worker_enrols_assesses_refers_and_sees_the_outcome_on_the_timeline(
    live_server: Any, sam: Any, tablet: Any
) -> None:
    page = tablet
    sign_in(page, live_server, "sam", PASSWORD)

    # Enrol the top repeat caller; the row changes in place.
    page.click("text=Repeat-caller outreach list")
    row = page.locator(f"tr[data-key='{ROBIN_KEY}']")
    assert "14 calls in 12 months" in row.inner_text()
    row.locator("input[name=name]").fill("Robin")
    row.locator("button", has_text="Enrol").click()
    row.locator("a.enrolled").click()
    client = Client.objects.get()
    page.wait_for_url(f"**/casework/clients/{client.public_id}/")
    # The store's calls end before today's enrolment: the page links them and says why "before" is empty.
    expect(page.locator("h1")).to_have_text("Robin")
    expect(page.locator("#repeat-calls")).to_contain_text("14calls linked to this case")
    expect(page.locator("#repeat-calls .notice")).to_contain_text("before this case opened")

    # The C-SSRS screener: questions 3-5 appear only after a yes to 2.
    page.click("text=Suicide risk screen (C-SSRS screener)")
    page.wait_for_url("**/assess/cssrs-screener/")
    page.wait_for_load_state("load")
    expect(page.locator("#q-method")).to_be_hidden()
    page.locator("#q-wish_dead label", has_text="Yes").click()
    page.locator("#q-suicidal_thoughts label", has_text="Yes").click()
    expect(page.locator("#q-method")).to_be_visible()
    page.locator("#q-method label", has_text="Yes").click()
    page.locator("#q-intent label", has_text="No").click()
    page.locator("#q-plan label", has_text="No").click()
    page.locator("#q-behaviour label", has_text="No").click()
    page.click("text=Save the assessment")
    expect(page.locator("#assessment-result [data-level]")).to_have_text("moderate")
    page.click("text=Back to")

    # Refer: search the directory by need, pick the shelter, record consent on the spot, send.
    page.click("text=Refer to a service")
    page.locator("label.need-choice", has_text="Housing").click()
    page.locator("li.service", has_text="Harbor emergency shelter").locator("text=Refer here").click()
    expect(page.locator("#no-consent")).to_be_visible()
    expect(page.locator("#record-consent")).to_be_checked()
    expect(page.locator("#consent-fields")).to_be_visible()
    page.click("#send-referral")
    referral = Referral.objects.get()
    page.wait_for_url(f"**/casework/clients/{client.public_id}/#referral-{referral.pk}")
    assert referral.status == "sent" and referral.consent is not None

    # Record the outcome from the referral row (htmx swaps the row).
    row = page.locator(f"#referral-{referral.pk}")
    row.locator("button", has_text="Accepted").click()
    page.locator(f"#referral-{referral.pk} [data-status=accepted]").wait_for()
    page.locator(f"#referral-{referral.pk} button", has_text="Connected").click()
    page.locator(f"#referral-{referral.pk} [data-status=connected]").wait_for()

    # The timeline, after a reload, tells the story.
    page.reload()
    page.wait_for_load_state("load")
    timeline = page.locator("#timeline").inner_text()
    for status in ("proposed", "sent", "accepted", "connected"):
        assert f"Referral to Harbor emergency shelter: {status}" in timeline
    expect(page.locator("#timeline li.assessment [data-level]")).to_have_text("moderate")
    assert timeline.count("Call seattle robi-") == 14
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "client_page.png"), full_page=True)
