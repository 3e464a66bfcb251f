"""Synthetic priorities by call category follow the real Seattle calls (fixed seed).

The reference is the real Seattle calls in the shared data (``seattle_calls/*.csv``, 4,612
distinct events with a priority and an initial call type), read here, not copied. Those
files come from today's Seattle export, which names some codes differently from the
2014-2018 codebook the synthetic city samples; ``EXPORT_NAMES`` says which of today's codes
a codebook code became. Categories are the shipped category mapping's.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter

import pyarrow as pa
import pytest

from coresponse.calltypes.mapping import MAPPINGS_DIR, load_mapping
from coresponse.synth.generate import generate
from tests.conftest import SHARED

CALLS = 100_000
SEED = 1
Z = 2.576  # 99% Wilson intervals: the real sample is small

# Codebook code -> the code(s) the same calls carry in today's Seattle export. The old
# "IP/JO" suicide code was split into a critical (attempt in progress) and an ordinary one.
EXPORT_NAMES: dict[str, tuple[str, ...]] = {
    "SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS": (
        "SUICIDE - CRITICAL", "SUICIDE - SUICIDAL PERSON AND ATTEMPTS",
    ),
    "SUICIDE, SUICIDAL PERSON AND ATTEMPTS": ("SUICIDE - SUICIDAL PERSON AND ATTEMPTS",),
    "OVERDOSE - DRUG RELATED CASUALTY": ("OVERDOSE",),
    "MENTAL - PERSON OR PICKUP/TRANSPORT": ("OBS - MENTAL - PERSON OR PICKUP/TRANSPORT",),
    "DOWN - CHECK FOR PERSON DOWN": ("DOWN - CHECK FOR DOWN PERSON",),
}


def _key(call_type: str) -> str:
    return re.sub(r"\s+", " ", call_type.upper().lstrip("-").strip())


def _wilson(hits: int, total: int) -> tuple[float, float]:
    share = hits / total
    centre = (share + Z * Z / (2 * total)) / (1 + Z * Z / total)
    half = Z * math.sqrt(share * (1 - share) / total + Z * Z / (4 * total * total))
    return centre - half / (1 + Z * Z / total), centre + half / (1 + Z * Z / total)


@pytest.fixture(scope="module")
def real() -> dict[str, Counter[int]]:
    """Priorities of the real Seattle calls by initial call type (events counted once)."""
    shared_data = SHARED / "data"  # as the shared_data fixture, read once for the module
    if not (shared_data / "seattle_calls").exists():
        pytest.skip(f"real Seattle calls not found under {shared_data}")
    seen: set[str] = set()
    by_type: dict[str, Counter[int]] = {}
    for path in sorted((shared_data / "seattle_calls").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                event = row.get("CAD Event Number") or row["CAD.Event.Number"]
                initial = row.get("Initial Call Type") or row["Initial.Call.Type"]
                if event in seen:
                    continue
                seen.add(event)
                by_type.setdefault(_key(initial), Counter())[int(row["Priority"])] += 1
    return by_type


@pytest.fixture(scope="module")
def synthetic() -> dict[str, Counter[int]]:
    """Priorities of a synthetic Seattle of 100,000 calls by initial call type."""
    table = pa.concat_tables(
        batch.calls.select(["Initial Call Type", "Priority"])
        for batch in generate("seattle", CALLS, SEED)
    )
    by_type: dict[str, Counter[int]] = {}
    for initial, priority in zip(
        table.column("Initial Call Type").to_pylist(), table.column("Priority").to_pylist(),
        strict=True,
    ):
        by_type.setdefault(_key(initial), Counter())[priority] += 1
    return by_type


def _categories() -> dict[str, str]:
    return {
        _key(name): mapped.category
        for name, mapped in load_mapping("seattle", MAPPINGS_DIR).items()
        if mapped.category
    }


def _real_counts(real: dict[str, Counter[int]], code: str) -> Counter[int]:
    total: Counter[int] = Counter()
    for name in EXPORT_NAMES.get(code, (code,)):
        total.update(real.get(name, Counter()))
    return total


def _share(counts: Counter[int], levels: set[int]) -> float:
    return sum(counts[level] for level in levels) / sum(counts.values())


def test_crisis_codes_get_priority_1_about_as_often_as_real_seattle_calls(
    real: dict[str, Counter[int]], synthetic: dict[str, Counter[int]]
) -> None:
    categories = _categories()
    checked = []
    for code, counts in synthetic.items():
        if categories.get(code) not in {"Behavioral Health", "Statuses"} and code not in EXPORT_NAMES:
            continue
        reference = _real_counts(real, code)
        if sum(reference.values()) < 10 or reference[7] > 0:  # too few, or on-view codes
            continue
        low, high = _wilson(reference[1], sum(reference.values()))
        share = _share(counts, {1})
        checked.append(code)
        assert low <= share <= high, (
            f"{code}: {share:.0%} priority 1 in synthetic calls, real {reference[1]} of "
            f"{sum(reference.values())} (99% interval {low:.0%}-{high:.0%})"
        )
    assert "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS" in checked
    assert "OVERDOSE - DRUG RELATED CASUALTY" in checked


def test_behavioral_health_priority_1_share_stays_below_the_real_calls_bound(
    real: dict[str, Counter[int]], synthetic: dict[str, Counter[int]]
) -> None:
    # The bound: each Behavioral Health code's priority-1 share in the real calls, weighted
    # as the synthetic city mixes the codes, plus 5 points. The real files mix the codes
    # differently (nearly all "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", 5 of 71 priority 1,
    # against a few overdoses and suicides, nearly all priority 1), so the category's own
    # real share would only be a bound for a city of crisis calls alone.
    categories = _categories()
    codes = [code for code in synthetic if categories.get(code) == "Behavioral Health"]
    calls = {code: sum(synthetic[code].values()) for code in codes}
    total = sum(calls.values())
    assert total > 1_000
    bound = 0.0
    for code in codes:
        reference = _real_counts(real, code)
        assert sum(reference.values()) > 0, f"no real calls to compare {code} with"
        bound += calls[code] / total * _share(reference, {1})
    bound += 0.05
    priority_1 = sum(synthetic[code][1] for code in codes) / total
    mostly_2_3 = sum(synthetic[code][2] + synthetic[code][3] for code in codes) / total
    assert priority_1 < bound, f"{priority_1:.0%} priority 1, bound {bound:.0%}"
    assert mostly_2_3 > 0.5, f"only {mostly_2_3:.0%} of Behavioral Health calls are priority 2-3"
    crisis = synthetic["PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"]
    real_crisis = real["PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"]
    assert _share(crisis, {1}) < _wilson(real_crisis[1], sum(real_crisis.values()))[1]


def test_welfare_checks_are_mostly_priority_2_or_3(synthetic: dict[str, Counter[int]]) -> None:
    for code in ("SERVICE - WELFARE CHECK", "DOWN - CHECK FOR PERSON DOWN"):
        counts = synthetic[code]
        assert _share(counts, {1}) < 0.1, code
        assert _share(counts, {2, 3}) > 0.8, code


def test_violent_crime_in_progress_is_priority_1(
    real: dict[str, Counter[int]], synthetic: dict[str, Counter[int]]
) -> None:
    categories = _categories()
    in_progress = Counter[int]()
    for code, counts in synthetic.items():
        if categories.get(code) == "Violent Crime" and re.search(r"IP/JO|CRITICAL", code):
            in_progress.update(counts)
    real_critical = real["ASLT - CRITICAL (NO SHOOTINGS)"]
    assert _share(real_critical, {1}) > 0.9  # the reference: 45 of 45
    assert sum(in_progress.values()) > 1_000
    # On-view (7) aside, in-progress violent crime is answered at priority 1.
    answered = Counter({level: n for level, n in in_progress.items() if level != 7})
    assert _share(answered, {1}) > 0.8
