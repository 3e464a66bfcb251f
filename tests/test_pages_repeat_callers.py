"""The outreach list and its enrol action."""

# ruff: noqa: F811  (pytest fixtures imported from other modules are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.casework.models import Case
from tests.pages_setup import ROBIN_KEY, call_store, casefile, signed_in  # noqa: F401  (fixtures)
from tests.personas import clock, personas, service  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_the_list_ranks_people_by_calls_in_the_last_twelve_months(
    personas: dict[str, Any], call_store: Any
) -> None:
    page = signed_in(personas["sam_social_worker"]).get("/casework/repeat-callers/")

    rows = page.context["rows"]
    # The store ends with Robin's last call (10 days after the clock); the year to it holds all 14 of theirs.
    assert [(row["caller"].key, row["caller"].calls) for row in rows] == [
        (ROBIN_KEY, 14), ("someone-else-key-0002", 6)]
    assert rows[0]["line"] == "14 calls in 12 months, last today"
    assert page.context["bands"] == {5: 2, 10: 1, 20: 0, 40: 0}


@pytest.mark.django_db
def test_enrolling_from_the_list_opens_a_case_linked_to_the_calls_it_counted(
    personas: dict[str, Any], call_store: Any
) -> None:
    browser = signed_in(personas["sam_social_worker"])

    cell = browser.post("/casework/repeat-callers/enrol/", {"person_key": "someone-else-key-0002"},
                        HTTP_HX_REQUEST="true")

    case = Case.objects.get()
    assert cell.status_code == 200
    assert f"Enrolled: {case.client.public_id} (6 calls linked)" in cell.content.decode()
    assert (case.owner, case.opened_reason, case.call_links.count()) == (personas["sam_social_worker"], "repeat_caller", 6)
    listed = browser.get("/casework/repeat-callers/").context["rows"]
    assert listed[1]["client"] == case.client


@pytest.mark.django_db
def test_a_person_with_an_open_case_is_not_enrolled_twice(
    personas: dict[str, Any], casefile: dict[str, Any]
) -> None:
    page = signed_in(personas["sam_social_worker"]).post("/casework/repeat-callers/enrol/", {"person_key": ROBIN_KEY})

    assert page.status_code == 422
    assert "already has an open case" in page.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_person_key_is_refused(personas: dict[str, Any], call_store: Any) -> None:
    page = signed_in(personas["sam_social_worker"]).post("/casework/repeat-callers/enrol/", {"person_key": "nobody"})

    assert page.status_code == 422
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_the_list_by_address(personas: dict[str, Any], call_store: Any) -> None:
    page = signed_in(personas["sam_social_worker"]).get("/casework/repeat-callers/", {"by": "address"})

    assert [(row["caller"].key, row["caller"].calls) for row in page.context["rows"]] == [("1 Pike St", 14)]
    assert "Enrol" not in page.content.decode()
