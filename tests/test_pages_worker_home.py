"""Sam's home: my cases, my overdue follow-ups, referrals awaiting an outcome, new calls about my clients."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role
from tests.pages_setup import call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import FrozenClock, clock, personas, service  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_home_lists_my_case_overdue_follow_up_awaiting_referral_and_new_calls(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["sam_social_worker"]).get("/casework/")

    assert page.status_code == 200
    assert [case.client.public_id for case in page.context["cases"]] == [casefile["client"].public_id]
    assert [f.what for f in page.context["overdue"]] == ["Call the shelter about Robin"]
    assert [r.pk for r in page.context["awaiting"]] == [casefile["referral"].pk]
    # The two calls Robin made after enrolment, newest first, read from the call store.
    assert [call.event_id for call in page.context["new_calls"]] == ["robi-13", "robi-12"]
    assert "Harbor emergency shelter" in page.content.decode()


@pytest.mark.django_db
def test_home_does_not_list_another_workers_cases(
    personas: dict[str, Any], casefile: dict[str, Any], clock: FrozenClock
) -> None:
    kim = get_user_model().objects.create_user(username="kim_social_worker")
    grant_role(kim, Role.SOCIAL_WORKER)

    page = signed_in(kim).get("/casework/")

    assert page.context["cases"] == []
    assert page.context["overdue"] == []
    assert page.context["awaiting"] == []
    assert page.context["new_calls"] == []
    assert casefile["client"].public_id not in page.content.decode()


@pytest.mark.django_db
def test_marking_an_overdue_follow_up_done_swaps_the_row_in_place(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    browser = signed_in(personas["sam_social_worker"])
    follow_up = casefile["follow_up"]

    row = browser.post(f"/casework/follow-ups/{follow_up.pk}/done/", HTTP_HX_REQUEST="true")

    assert row.status_code == 200
    assert row.content.decode().startswith(f'<li id="follow-up-{follow_up.pk}">')
    follow_up.refresh_from_db()
    assert follow_up.done_by == personas["sam_social_worker"]
    assert browser.get("/casework/").context["overdue"] == []


@pytest.mark.django_db
def test_a_supervisor_sees_the_teams_open_cases(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    page = signed_in(personas["sue_supervisor"]).get("/casework/")

    assert [case.client.public_id for case in page.context["team"]] == [casefile["client"].public_id]


@pytest.mark.django_db
def test_opening_the_home_page_is_audited_list_by_list(personas: dict[str, Any], casefile: dict[str, Any]) -> None:
    from coresponse.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    signed_in(personas["sam_social_worker"]).get("/casework/")

    entries = AuditEntry.objects.filter(seq__gt=before)
    assert sorted(entry.reason for entry in entries) == [
        "my cases", "my overdue follow-ups", "new calls about my clients", "referrals awaiting an outcome"]
    assert {entry.actor for entry in entries} == {"sam_social_worker"}
    calls = entries.get(reason="new calls about my clients")
    assert calls.detail["clients"] == [casefile["client"].public_id]
