"""A referral moves only along its lifecycle, through named transitions that record who and when."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import InvalidTransition
from coresponse.casework.models import Referral
from tests.personas import FrozenClock, clock, new_client, personas, service, social_worker  # noqa: F401


@pytest.fixture
def referral(social_worker: Any, clock: FrozenClock, service: Any, new_client: Any) -> Referral:
    client = new_client(preferred_name="Robin")
    return services.refer(client, service, by=social_worker, consent=None, clock=clock, shares=(), need="housing")


@pytest.mark.django_db
def test_the_happy_path_records_each_move_with_who_and_when(
    referral: Referral, social_worker: Any, clock: FrozenClock
) -> None:
    for transition in ("send", "accept", "connect", "close"):
        clock.advance(days=1)
        services.move_referral(referral, transition, by=social_worker, clock=clock)
    referral.refresh_from_db()
    assert referral.status == "closed"
    events = list(referral.events.all())
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "proposed"), ("proposed", "sent"), ("sent", "accepted"), ("accepted", "connected"), ("connected", "closed"),
    ]
    assert all(e.by == social_worker for e in events)
    assert events[-1].at == clock()
    assert referral.outcome_at == clock()


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "accept"),  # a proposal cannot be accepted before it is sent
        ((), "connect"),
        (("send",), "close"),  # closing needs a connection first
        (("send", "accept"), "send"),
        (("send", "decline"), "accept"),  # declined is final
        (("send", "accept", "mark_no_show"), "connect"),
        (("revoke",), "send"),
        (("send", "accept", "connect", "close"), "revoke"),
    ],
)
@pytest.mark.django_db
def test_an_illegal_move_is_refused_and_changes_nothing(
    referral: Referral, social_worker: Any, clock: FrozenClock, path: tuple[str, ...], illegal: str
) -> None:
    for transition in path:
        services.move_referral(referral, transition, by=social_worker, clock=clock)
    status, events = referral.status, referral.events.count()
    with pytest.raises(InvalidTransition):
        services.move_referral(referral, illegal, by=social_worker, clock=clock)
    referral.refresh_from_db()
    assert referral.status == status
    assert referral.events.count() == events


@pytest.mark.django_db
def test_connection_rate_counts_reached_over_sent_and_leaves_out_unsent_proposals(
    social_worker: Any, clock: FrozenClock, service: Any, new_client: Any
) -> None:
    client = new_client()
    outcomes = [("send", "accept", "connect"), ("send", "accept", "connect", "close"), ("send", "decline"),
                ("send", "accept", "mark_no_show"), ("send",), ()]
    for path in outcomes:
        referral = services.refer(client, service, by=social_worker, consent=None, clock=clock, shares=())
        for transition in path:
            services.move_referral(referral, transition, by=social_worker, clock=clock)
    rate = services.connection_rate(Referral.objects.all())
    assert (rate.sent, rate.reached, rate.awaiting) == (5, 2, 1)
    assert rate.rate == pytest.approx(0.4)


def test_connection_rate_of_nothing_sent_is_unknown_not_zero() -> None:
    assert services.connection_rate([]).rate is None
