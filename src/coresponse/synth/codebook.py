"""A city's real call-type codebook and dispositions, as the synthetic city samples them.

Initial and final call types each keep their real frequencies (``count_2014_2018``).
They are drawn as a pair: the joint distribution is the one closest to "the final type
says the same as the initial one" (same words, same kind, same category, or a move real
calls make, such as a crisis call closed as a disturbance), blended towards the pairs
counted in real calls where we have them (Seattle), whose two margins are exactly the
codebook's, found by iterative proportional fitting (Sinkhorn).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from coresponse.synth.kinds import (
    KIND_NAMES,
    KINDS,
    fact_chances,
    is_in_progress,
    kind_of,
    onview_share,
    urgency_of,
)
from coresponse.synth.remarks import opening_group

DATA = Path(__file__).with_name("data")

# The codebook's source_field for each city's initial and final type (Detroit has one).
SOURCE_FIELDS: dict[str, tuple[str, str]] = {
    "seattle": ("Initial Call Type", "Final Call Type"),
    "new_orleans": ("InitialTypeText", "TypeText"),
    "detroit": ("Call Description", "Call Description"),
}
DISPOSITION_CITY = {"seattle": "Seattle", "new_orleans": "New Orleans"}

# Moves between kinds that real calls make between first report and closing.
_PLAUSIBLE_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        ("behavioral", "disturbance"), ("behavioral", "welfare"), ("behavioral", "other"),
        ("suicide", "behavioral"), ("suicide", "welfare"), ("welfare", "behavioral"),
        ("welfare", "medical"), ("welfare", "other"), ("disturbance", "behavioral"),
        ("disturbance", "assault"), ("disturbance", "domestic"), ("disturbance", "other"),
        ("suspicious", "disturbance"), ("suspicious", "property"), ("suspicious", "other"),
        ("assault", "disturbance"), ("domestic", "disturbance"), ("shots", "disturbance"),
        ("shots", "assault"), ("weapon", "disturbance"), ("weapon", "assault"),
        ("intoxication", "disturbance"), ("intoxication", "medical"), ("overdose", "medical"),
        ("medical", "welfare"), ("threat", "disturbance"), ("alarm", "property"),
        ("traffic", "property"), ("other", "disturbance"), ("other", "other"),
    }
)
_CALIBRATED_KINDS = ("behavioral", "suicide", "welfare", "overdose", "intoxication")
_STOP_WORDS = frozenset({"OR", "AND", "THE", "OF", "IN", "TO", "NO", "NOT", "ON", "WITH", "INCL",
                         "INCLUDES", "IP", "JO", "ETC", "ALL"})
# Dispositions that are not outcomes of a call.
_NOT_OUTCOMES = re.compile(r"^-$|NOT CURRENTLY USED|^TEST |TEST INCIDENT|SYS DOWN|^UNKNOWN$", re.I)


@dataclass(frozen=True)
class TypeTable:
    """One side of a codebook (initial or final types) with each code's behaviour."""

    names: tuple[str, ...]
    categories: tuple[str, ...]
    probabilities: np.ndarray  # sums to 1
    kinds: np.ndarray  # index into KIND_NAMES
    onview: np.ndarray  # share of calls an officer starts
    in_progress: np.ndarray  # bool
    # Row k: cumulative chance of urgency 1..4 for type k, offset by k (see draw_rows).
    urgency: np.ndarray
    facts: np.ndarray  # (types x FACTS) chance of each fact
    openings: np.ndarray  # index into remarks.OPENING_GROUPS


@dataclass(frozen=True)
class Dispositions:
    names: tuple[str, ...]
    categories: tuple[str, ...]
    # Row k (one per kind, plus a last row for calls no unit reached): cumulative
    # probabilities offset by k, so one searchsorted draws every call's disposition.
    cumulative: np.ndarray


@dataclass(frozen=True)
class Codebook:
    city: str
    initial: TypeTable
    final: TypeTable
    # Row i: cumulative P(final | initial i) offset by i (see draw_rows).
    final_given_initial: np.ndarray | None
    dispositions: Dispositions | None


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.upper().lstrip("-").strip())


def _tokens(text: str) -> frozenset[str]:
    return frozenset(
        word for word in re.findall(r"[A-Z]{2,}", text.upper()) if word not in _STOP_WORDS
    )


def _read_codebook(city: str) -> list[dict[str, str]]:
    with (DATA / f"{city}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _type_table(rows: list[dict[str, str]], source_field: str) -> TypeTable:
    counts: dict[str, int] = {}
    categories: dict[str, str] = {}
    for row in rows:
        if row["source_field"] != source_field:
            continue
        name = row["call_type"]
        # The codebook lists a few codes twice (two spellings folded to one); add them up.
        counts[name] = counts.get(name, 0) + int(row["count_2014_2018"])
        categories.setdefault(name, row["category"] or "")
    names = tuple(sorted(counts, key=lambda name: (-counts[name], name)))
    weights = np.array([counts[name] for name in names], dtype=np.float64)
    kinds = [kind_of(name, categories[name]) for name in names]
    return TypeTable(
        names=names,
        categories=tuple(categories[name] for name in names),
        probabilities=weights / weights.sum(),
        kinds=np.array([KIND_NAMES.index(kind) for kind in kinds], dtype=np.int16),
        onview=np.array([onview_share(name, kind) for name, kind in zip(names, kinds, strict=True)]),
        in_progress=np.array([is_in_progress(name) for name in names]),
        urgency=cumulative_rows(
            np.array([urgency_of(name, kind) for name, kind in zip(names, kinds, strict=True)])
        ),
        facts=np.array([fact_chances(name, kind) for name, kind in zip(names, kinds, strict=True)]),
        openings=np.array(
            [opening_group(name, kind) for name, kind in zip(names, kinds, strict=True)],
            dtype=np.int64,
        ),
    )


def _code_key(text: str) -> str:
    """Codes compared without dashes, spaces and punctuation, which extracts mangle."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _observed_pairs(city: str) -> dict[tuple[str, str], int]:
    """(initial, final) pairs counted in the city's real calls, where we have some."""
    path = DATA / f"{city}_pairs.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (_code_key(row["initial_call_type"]), _code_key(row["final_call_type"])): int(row["calls"])
            for row in csv.DictReader(handle)
        }


def _affinity(initial: TypeTable, final: TypeTable) -> np.ndarray:
    """How well each final type fits each initial type (log-scale)."""
    initial_text = [_normalised(name) for name in initial.names]
    final_text = [_normalised(name) for name in final.names]
    initial_tokens = [_tokens(text) for text in initial_text]
    final_tokens = [_tokens(text) for text in final_text]
    score = np.zeros((len(initial.names), len(final.names)))
    for i, text in enumerate(initial_text):
        kind_i = KIND_NAMES[initial.kinds[i]]
        for f, other in enumerate(final_text):
            kind_f = KIND_NAMES[final.kinds[f]]
            value = 0.0
            if text == other:
                value += 8.0
            if kind_i == kind_f:
                value += 3.0
            elif (kind_i, kind_f) in _PLAUSIBLE_MOVES:
                value += 1.5
            if initial.categories[i] and initial.categories[i] == final.categories[f]:
                value += 1.5
            union = initial_tokens[i] | final_tokens[f]
            if union:
                value += 4.0 * len(initial_tokens[i] & final_tokens[f]) / len(union)
            score[i, f] = value
    return score


def _with_observed(
    kernel: np.ndarray,
    initial: TypeTable,
    final: TypeTable,
    observed: dict[tuple[str, str], int],
) -> np.ndarray:
    """Each initial type's row, blended towards what real calls of that type closed as.

    The more real calls of a type were seen, the more their outcomes count: weight
    n / (n + 20) for n calls.
    """
    rows = kernel / kernel.sum(axis=1, keepdims=True)
    initial_index = {_code_key(name): i for i, name in enumerate(initial.names)}
    final_index = {_code_key(name): f for f, name in enumerate(final.names)}
    seen = np.zeros_like(rows)
    for (initial_key, final_key), calls in observed.items():
        i, f = initial_index.get(initial_key), final_index.get(final_key)
        if i is not None and f is not None:
            seen[i, f] += calls
    # Only for the crisis-like kinds, whose outcomes the code's words predict worst; the
    # sample (a few neighbourhoods) is too small to re-route the city's big codes.
    crisis = np.isin(initial.kinds, [KIND_NAMES.index(kind) for kind in _CALIBRATED_KINDS])
    seen[~crisis] = 0.0
    counts = seen.sum(axis=1, keepdims=True)
    weight = counts / (counts + 20.0)
    empirical = np.divide(seen, counts, out=np.zeros_like(seen), where=counts > 0)
    blended: np.ndarray = (1 - weight) * rows + weight * empirical
    return blended


def _sinkhorn(kernel: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The joint distribution proportional to ``kernel`` with the given margins."""
    u = np.ones(len(rows))
    v = np.ones(len(columns))
    for _ in range(2000):
        u = rows / (kernel @ v)
        v = columns / (kernel.T @ u)
        if np.abs(u * (kernel @ v) - rows).sum() < 1e-10:
            break
    joint: np.ndarray = u[:, None] * kernel * v[None, :]
    return joint


def cumulative_rows(matrix: np.ndarray) -> np.ndarray:
    """Row-normalised cumulative sums, row k offset by k, flattened (see ``draw_rows``)."""
    totals = matrix.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    cumulative = np.cumsum(matrix / totals, axis=1)
    cumulative[:, -1] = 1.0
    offsets = np.arange(matrix.shape[0], dtype=np.float64)[:, None]
    flat: np.ndarray = (cumulative + offsets).ravel()
    return flat


def draw_rows(cumulative: np.ndarray, rows: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """For each call, a column drawn from its row's distribution: one vectorised search."""
    width = cumulative.size // max(1, int(cumulative[-1] + 0.5))
    positions = np.searchsorted(cumulative, rows + uniform * (1 - 1e-12), side="right")
    columns = positions - rows.astype(np.int64) * width
    return np.minimum(columns, width - 1)


def _dispositions(city: str, kinds_count: int) -> Dispositions | None:
    label = DISPOSITION_CITY.get(city)
    if label is None:
        return None
    with (DATA / "dispositions.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            row for row in csv.DictReader(handle)
            if row["City"] == label and not _NOT_OUTCOMES.search(row["Field1"].strip())
        ]
    names = tuple(row["Field1"].strip() for row in rows)
    categories = tuple(row["Category"].strip() for row in rows)
    counts = np.array([float(row["Count"]) for row in rows])
    matrix = np.empty((kinds_count + 1, len(names)))
    for index, kind in enumerate(KIND_NAMES):
        multipliers = KINDS[kind].dispositions
        matrix[index] = counts * np.array([multipliers.get(cat, 1.0) for cat in categories])
    # Calls no unit reached end cancelled, unlocated or unfounded.
    not_reached = {"Cancellation/Withdrawn": 30.0, "Location Error": 8.0, "Unfounded": 4.0,
                   "Repeat": 6.0}
    matrix[kinds_count] = counts * np.array([not_reached.get(cat, 0.02) for cat in categories])
    return Dispositions(names, categories, cumulative_rows(matrix))


@cache
def load_codebook(city: str) -> Codebook:
    """The city's codebook, ready to sample. Cities: seattle, new_orleans, detroit."""
    if city not in SOURCE_FIELDS:
        raise ValueError(f"unknown city {city!r}; choose one of {', '.join(SOURCE_FIELDS)}")
    rows = _read_codebook(city)
    initial_field, final_field = SOURCE_FIELDS[city]
    initial = _type_table(rows, initial_field)
    if initial_field == final_field:
        final = initial
        pairing = None
    else:
        final = _type_table(rows, final_field)
        kernel = _with_observed(
            np.exp(1.6 * _affinity(initial, final)), initial, final, _observed_pairs(city)
        )
        joint = _sinkhorn(kernel, initial.probabilities, final.probabilities)
        pairing = cumulative_rows(joint)
    return Codebook(city, initial, final, pairing, _dispositions(city, len(KIND_NAMES)))
