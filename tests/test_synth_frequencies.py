"""Call types follow each city's real codebook: a statistical check with a fixed seed."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from scipy.stats import chisquare

from coresponse.synth.codebook import SOURCE_FIELDS
from coresponse.synth.generate import generate

CALLS = 40_000
TYPE_COLUMNS = {
    "seattle": ("Initial Call Type", "Final Call Type"),
    "new_orleans": ("InitialTypeText", "TypeText"),
    "detroit": ("calldescription", "calldescription"),
}


def _codebook_shares(shared_data: Path, city: str, source_field: str) -> dict[str, float]:
    counts: Counter[str] = Counter()
    with (shared_data / "calltypes" / f"{city}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["source_field"] == source_field:
                counts[row["call_type"]] += int(row["count_2014_2018"])
    total = sum(counts.values())
    return {name: count / total for name, count in counts.items()}


def _calls(city: str) -> pa.Table:
    return pa.concat_tables(batch.calls for batch in generate(city, CALLS, 2024, days=365))


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return {city: _calls(city) for city in TYPE_COLUMNS}


@pytest.mark.parametrize("city", list(TYPE_COLUMNS))
@pytest.mark.parametrize("side", [0, 1], ids=["initial", "final"])
def test_call_types_match_the_codebook_frequencies(
    shared_data: Path, tables: dict[str, pa.Table], city: str, side: int
) -> None:
    expected = _codebook_shares(shared_data, city, SOURCE_FIELDS[city][side])
    seen = Counter(tables[city].column(TYPE_COLUMNS[city][side]).to_pylist())
    assert set(seen) <= set(expected), "a call type that is not in the codebook"
    # Chi-square on the 25 most frequent codes plus "the rest", which must not reject
    # at 0.1% with 40,000 calls; and a small total-variation distance over all codes.
    top = sorted(expected, key=expected.__getitem__, reverse=True)[:25]
    observed = [seen[name] for name in top] + [CALLS - sum(seen[name] for name in top)]
    shares = np.array([expected[name] for name in top] + [1 - sum(expected[n] for n in top)])
    result = chisquare(observed, shares * CALLS)
    assert result.pvalue > 0.001, f"{city} call types differ from the codebook (p={result.pvalue:.2g})"
    distance = 0.5 * sum(abs(seen[name] / CALLS - share) for name, share in expected.items())
    assert distance < 0.05


def _real_crisis_outcomes(shared_data: Path) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for path in sorted((shared_data / "seattle_calls").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                initial = row.get("Initial Call Type") or row.get("Initial.Call.Type") or ""
                final = row.get("Final Call Type") or row.get("Final.Call.Type") or ""
                if initial == "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS":
                    outcomes["--" + final.lstrip("-")] += 1
    return outcomes


def test_a_crisis_call_closes_as_real_crisis_calls_do(
    shared_data: Path, tables: dict[str, pa.Table]
) -> None:
    calls = tables["seattle"].select(["Initial Call Type", "Final Call Type"]).to_pylist()
    crisis = Counter(row["Final Call Type"] for row in calls
                     if row["Initial Call Type"] == "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS")
    real = _real_crisis_outcomes(shared_data)
    assert sum(crisis.values()) > 100 and sum(real.values()) > 30
    assert crisis.most_common(1)[0][0] == real.most_common(1)[0][0] == "--CRISIS COMPLAINT - GENERAL"
    # Often closed as something else, as real crisis calls are.
    others = 1 - crisis["--CRISIS COMPLAINT - GENERAL"] / sum(crisis.values())
    assert 0.15 < others < 0.6
    share = {name: count / sum(crisis.values()) for name, count in crisis.items()}
    real_share = {name: count / sum(real.values()) for name, count in real.items()}
    distance = 0.5 * sum(abs(share.get(n, 0) - real_share.get(n, 0)) for n in share.keys() | real_share.keys())
    assert distance < 0.3


def test_new_orleans_mostly_keeps_the_initial_type(tables: dict[str, pa.Table]) -> None:
    calls = tables["new_orleans"].select(["InitialTypeText", "TypeText"]).to_pylist()
    same = sum(row["InitialTypeText"] == row["TypeText"] for row in calls) / len(calls)
    assert 0.5 < same < 0.98
