"""A heavy tail of repeat callers and places: a few people call 20+ times a year."""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
import pytest

from coresponse.synth.generate import generate


@pytest.fixture(scope="module")
def city_year() -> pa.Table:
    return pa.concat_tables(batch.calls for batch in generate("seattle", 40_000, 9, days=365))


def test_a_few_people_call_twenty_times_a_year_or_more(city_year: pa.Table) -> None:
    phones = Counter(phone for phone in city_year.column("caller_phone").to_pylist() if phone)
    frequent = [phone for phone, calls in phones.items() if calls >= 20]
    assert frequent, "nobody calls 20 times a year"
    # ... but they are a few: most callers call once.
    assert len(frequent) < 0.02 * len(phones)
    once = sum(1 for calls in phones.values() if calls == 1)
    assert once > 0.6 * len(phones)
    # The tail is heavy: the busiest caller calls far more than 20 times.
    assert phones.most_common(1)[0][1] >= 50


def test_a_person_keeps_one_name_birth_date_and_phone(city_year: pa.Table) -> None:
    people: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in city_year.select(["caller_name", "caller_dob", "caller_phone"]).to_pylist():
        if row["caller_name"] and row["caller_phone"]:
            people[row["caller_phone"]].add((row["caller_name"], row["caller_dob"]))
    assert people
    assert all(len(identities) == 1 for identities in people.values())


def test_frequent_callers_mostly_call_from_home(city_year: pa.Table) -> None:
    places: dict[str, Counter[str]] = defaultdict(Counter)
    for row in city_year.select(["caller_phone", "address"]).to_pylist():
        if row["caller_phone"]:
            places[row["caller_phone"]][row["address"]] += 1
    busiest = [counts for counts in places.values() if sum(counts.values()) >= 20]
    assert busiest
    home_share = [counts.most_common(1)[0][1] / sum(counts.values()) for counts in busiest]
    assert sum(home_share) / len(home_share) > 0.5


def test_some_addresses_get_many_calls(city_year: pa.Table) -> None:
    addresses = Counter(city_year.column("address").to_pylist())
    counts = sorted(addresses.values(), reverse=True)
    top_share = sum(counts[: max(1, len(counts) // 100)]) / city_year.num_rows
    assert top_share > 0.05  # the busiest 1% of places take over 5% of calls


def test_calls_without_a_caller_have_no_person_fields(city_year: pa.Table) -> None:
    rows = city_year.select(["Call Type", "caller_name", "caller_phone", "caller_dob"]).to_pylist()
    onview = [row for row in rows if row["Call Type"] == "ONVIEW"]
    assert onview
    assert all(row["caller_name"] is None and row["caller_phone"] is None for row in onview)
