"""Merging duplicate clients moves every record to the survivor and keeps the history."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from typing import Any

import pytest

from coresponse.casework import services
from coresponse.casework.errors import InvalidRecord
from coresponse.casework.models import ClientMerge
from tests.personas import FrozenClock, clock, new_client, personas, social_worker  # noqa: F401


@pytest.mark.django_db
def test_merging_moves_records_and_person_keys_and_leaves_a_pointer(
    social_worker: Any, clock: FrozenClock, new_client: Any
) -> None:
    survivor = new_client(preferred_name="Robin", person_key="key-from-2023")
    duplicate = new_client(phone="206-555-0101", person_key="key-from-2024")
    services.record_encounter(duplicate, by=social_worker, clock=clock, kind="phone")
    services.link_call(duplicate, city="seattle", event_id="E1", by=social_worker, clock=clock)
    services.link_call(survivor, city="seattle", event_id="E1", by=social_worker, clock=clock)
    services.link_call(duplicate, city="seattle", event_id="E2", by=social_worker, clock=clock)

    merge = services.merge_clients(survivor, duplicate, by=social_worker, clock=clock, reason="same person, two keys")

    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert survivor.encounters.count() == 1
    assert sorted(survivor.call_links.values_list("event_id", flat=True)) == ["E1", "E2"]
    assert survivor.phone == "206-555-0101"  # filled from the duplicate, never overwritten
    assert services.client_for_person_key("key-from-2024") == survivor
    assert merge.moved["encounters"] == 1
    assert ClientMerge.objects.get().reason == "same person, two keys"


@pytest.mark.django_db
def test_a_client_already_merged_cannot_be_merged_again(
    social_worker: Any, clock: FrozenClock, new_client: Any
) -> None:
    a, b, c = new_client(), new_client(), new_client()
    services.merge_clients(a, b, by=social_worker, clock=clock, reason="duplicate")
    b.refresh_from_db()
    with pytest.raises(InvalidRecord, match="already merged"):
        services.merge_clients(c, b, by=social_worker, clock=clock, reason="duplicate")
    with pytest.raises(InvalidRecord, match="itself"):
        services.merge_clients(a, a, by=social_worker, clock=clock, reason="oops")
