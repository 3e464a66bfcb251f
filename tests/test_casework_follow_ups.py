"""Each worker's overdue follow-ups: their own, not done, past due, oldest first."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import AccessDenied, InvalidTransition
from tests.personas import FrozenClock, clock, new_client, personas, social_worker  # noqa: F401


@pytest.mark.django_db
def test_my_overdue_follow_ups_lists_only_mine_not_done_and_past_due(
    personas: dict[str, Any], clock: FrozenClock, new_client: Any
) -> None:
    sam, sue = personas["sam_social_worker"], personas["sue_supervisor"]
    client = new_client()
    late = services.add_follow_up(client, what="call the shelter", due_on=date(2025, 3, 1), assigned_to=sam,
                                  by=sam, clock=clock)
    later = services.add_follow_up(client, what="check benefits form", due_on=date(2025, 3, 10), assigned_to=sam,
                                   by=sam, clock=clock)
    done = services.add_follow_up(client, what="visit", due_on=date(2025, 2, 1), assigned_to=sam, by=sam, clock=clock)
    services.add_follow_up(client, what="due today", due_on=date(2025, 3, 14), assigned_to=sam, by=sam, clock=clock)
    services.add_follow_up(client, what="Sue's", due_on=date(2025, 1, 1), assigned_to=sue, by=sam, clock=clock)
    services.complete_follow_up(done, by=sam, clock=clock, outcome="visited")

    assert services.my_overdue_follow_ups(sam, clock=clock) == [late, later]


@pytest.mark.django_db
def test_a_done_follow_up_cannot_be_done_twice(social_worker: Any, clock: FrozenClock, new_client: Any) -> None:
    follow_up = services.add_follow_up(new_client(), what="call", due_on=date(2025, 3, 1), assigned_to=social_worker,
                                       by=social_worker, clock=clock)
    services.complete_follow_up(follow_up, by=social_worker, clock=clock)
    with pytest.raises(InvalidTransition):
        services.complete_follow_up(follow_up, by=social_worker, clock=clock)


@pytest.mark.django_db
def test_a_dispatcher_has_no_follow_up_list(personas: dict[str, Any], clock: FrozenClock) -> None:
    with pytest.raises(AccessDenied):
        services.my_overdue_follow_ups(personas["dev_dispatcher"], clock=clock)
