"""The repeat-caller list: ranked people and addresses, contact bands, and calls before/after a date."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from coresponse.analytics import repeat_callers
from tests.personas import calls_over_days, write_call_store

AS_OF = datetime(2024, 12, 31, 12, 0)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    calls = (
        calls_over_days("alpha-key-0001", AS_OF, [3, *range(10, 220, 10)], address="100 PINE ST")  # 22 calls
        + calls_over_days("bravo-key-0002", AS_OF, list(range(1, 12)), address="100 PINE ST")  # 11 calls
        + calls_over_days("charlie-key-03", AS_OF, [5, 6, 7, 400, 500, 600])  # 3 in the window
        + calls_over_days("delta-key-0004", AS_OF, list(range(20, 61)))  # 41 calls
    )
    calls.append(("seattle", "no-person", AS_OF - timedelta(days=1), None, "100 PINE ST"))
    return write_call_store(tmp_path / "calls.duckdb", calls)


def test_people_are_ranked_by_calls_in_the_last_twelve_months(store: Path) -> None:
    ranked = repeat_callers.rank_people(store, as_of=AS_OF, min_calls=5)
    assert [(r.key, r.calls) for r in ranked] == [("delta-key-0004", 41), ("alpha-key-0001", 22),
                                                 ("bravo-key-0002", 11)]


def test_the_outreach_line_says_how_many_calls_and_how_long_ago(store: Path) -> None:
    alpha = next(r for r in repeat_callers.rank_people(store, as_of=AS_OF) if r.key == "alpha-key-0001")
    assert alpha.describe(AS_OF) == "22 calls in 12 months, last 3 days ago"


def test_calls_older_than_twelve_months_do_not_count(store: Path) -> None:
    ranked = repeat_callers.rank_people(store, as_of=AS_OF, min_calls=1)
    assert dict((r.key, r.calls) for r in ranked)["charlie-key-03"] == 3


def test_contact_bands_count_people_at_least_at_each_threshold(store: Path) -> None:
    assert repeat_callers.contact_bands(store, as_of=AS_OF) == {5: 3, 10: 3, 20: 2, 40: 1}


def test_addresses_are_ranked_including_calls_without_a_person(store: Path) -> None:
    (top,) = repeat_callers.rank_addresses(store, as_of=AS_OF, min_calls=5)
    assert (top.key, top.calls) == ("100 PINE ST", 34)


def test_before_and_after_count_the_twelve_months_each_side(store: Path) -> None:
    enrolled = AS_OF - timedelta(days=100)
    figures = repeat_callers.before_after(store, ["alpha-key-0001"], enrolled_at=enrolled, as_of=AS_OF)
    # alpha's calls at 3, 10, ..., 90 days before AS_OF are after enrolment; 100 (the day itself) .. 210 before.
    assert (figures.before, figures.after) == (12, 10)
    assert figures.after_days == 99  # the store's newest call is a day before as_of
    assert not figures.after_complete


def test_a_missing_store_says_to_import_calls_first(tmp_path: Path) -> None:
    with pytest.raises(repeat_callers.CallStoreError, match="import calls first"):
        repeat_callers.rank_people(tmp_path / "none.duckdb", as_of=AS_OF)


def test_a_short_or_ambiguous_person_key_prefix_is_refused(store: Path) -> None:
    assert repeat_callers.resolve_person_key(store, "delta-") == "delta-key-0004"
    with pytest.raises(ValueError, match="too short"):
        repeat_callers.resolve_person_key(store, "del")
    with pytest.raises(ValueError, match="no calls"):
        repeat_callers.resolve_person_key(store, "zulu-key")
