"""Suggesting a category and an APCO code for call types, with a confidence to trust it by.

The suggester reads a call type three ways and adds up the evidence:

1. the text model: a logistic regression on word and character n-grams of the normalised
   text (abbreviations expanded), trained on labelled codebooks of other cities;
2. keyword rules (``data/rules.yaml``): what words such as "suicide", "alarm" or "warrant"
   mean in any city, added to the model's log-odds, so a codebook unlike the training ones
   is still read sensibly;
3. the city's own mapping: a call type an analyst labelled or a reviewer corrected is
   taken as it is (confidence 1), and corrections are also learned from, so similar codes
   improve too.

Confidence is the probability of the chosen category after the evidence is combined.
A code needs review when that is below ``review_below`` or when Behavioral Health is a
real possibility but was not chosen: a missed crisis call costs more than a second look.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from threadpoolctl import threadpool_limits

from coresponse.calltypes.mapping import MappedType
from coresponse.calltypes.normalise import normalise
from coresponse.calltypes.taxonomy import (
    BEHAVIORAL_HEALTH,
    categories,
    category_rules,
    suggest_apco,
)

REVIEW_BELOW = 0.7
# Inverse regularisation of the text model: lower keeps its probabilities modest, so
# keyword evidence can overrule it on vocabulary the training cities never used.
MODEL_C = 1.0
MODEL_SMOOTHING = 0.25
BEHAVIORAL_HEALTH_DOUBT = 0.15
# Mapping rows that are someone's decision, not a guess.
TRUSTED_SOURCES = frozenset({"analyst", "reviewed", "curated"})


@dataclass(frozen=True)
class LabelledType:
    """A call type with the category a person gave it; the suggester learns from these."""

    call_type: str
    category: str
    calls: int = 1
    # How much more this example counts than an analyst's label: a reviewer's correction is
    # the newest and most specific word on what a city's codes mean.
    emphasis: float = 1.0


@dataclass(frozen=True)
class Suggestion:
    call_type: str
    category: str
    apco_code: str | None
    confidence: float
    needs_review: bool
    runner_up: str | None
    basis: str  # "mapping" (the city's own decision) or "model"


class Suggester:
    """A trained suggester. Build it once and call ``suggest`` on any number of codes."""

    def __init__(
        self,
        examples: Sequence[LabelledType],
        *,
        known: Mapping[str, MappedType] | None = None,
        review_below: float = REVIEW_BELOW,
        use_rules: bool = True,
        regularisation: float = MODEL_C,
    ) -> None:
        if not examples:
            raise ValueError("the suggester needs at least one labelled call type to learn from")
        self.review_below = review_below
        self.use_rules = use_rules
        self.known = {
            key.strip(): value
            for key, value in (known or {}).items()
            if value.category and value.source in TRUSTED_SOURCES
        }
        self.categories = categories()
        self._index = {category: position for position, category in enumerate(self.categories)}
        unknown = sorted({example.category for example in examples} - set(self._index))
        if unknown:
            raise ValueError(f"training labels outside the taxonomy: {unknown}")
        texts = [normalise(example.call_type) for example in examples]
        labels = np.array([self._index[example.category] for example in examples])
        # Busier codes count for more, but only logarithmically: a rare code is still a code.
        weights = np.array(
            [
                example.emphasis * (1.0 + math.log10(1 + max(example.calls, 0)))
                for example in examples
            ]
        )
        self.features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                (
                    "characters",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        )
        matrix = self.features.fit_transform(texts)
        # One thread: on matrices this small, more threads only fight over the cores.
        self.model = LogisticRegression(C=regularisation, max_iter=1000, tol=1e-3)
        with threadpool_limits(1):
            self.model.fit(matrix, labels, sample_weight=weights)
        self._model_columns = [int(label) for label in self.model.classes_]

    def with_known(self, known: Mapping[str, MappedType]) -> Suggester:
        """The same trained model, taking ``known`` (a city's decided codes) as given."""
        other = copy.copy(self)
        other.known = {
            key.strip(): value
            for key, value in known.items()
            if value.category and value.source in TRUSTED_SOURCES
        }
        return other

    def _rule_evidence(self, normalised: Sequence[str]) -> np.ndarray:
        evidence = np.zeros((len(normalised), len(self.categories)))
        if not self.use_rules:
            return evidence
        for rule in category_rules():
            column = self._index[rule.category]
            for row, text in enumerate(normalised):
                if rule.matches(text):
                    evidence[row, column] += rule.weight
        return evidence

    def probabilities(self, call_types: Sequence[str]) -> np.ndarray:
        """One row per call type, one column per category (``self.categories``), summing to 1."""
        normalised = [normalise(call_type) for call_type in call_types]
        model_probabilities = self.model.predict_proba(self.features.transform(normalised))
        # Mixed with a quarter of the uniform distribution: no category is ruled out by the
        # text model alone (not even one the training data never saw), so strong keyword
        # evidence can still choose it.
        probabilities = np.zeros((len(normalised), len(self.categories)))
        probabilities[:, self._model_columns] = model_probabilities
        smoothed = (1.0 - MODEL_SMOOTHING) * probabilities + MODEL_SMOOTHING / len(self.categories)
        log_odds = np.log(smoothed)
        log_odds += self._rule_evidence(normalised)
        log_odds -= log_odds.max(axis=1, keepdims=True)
        exponentiated = np.exp(log_odds)
        result: np.ndarray = exponentiated / exponentiated.sum(axis=1, keepdims=True)
        return result

    def suggest(self, call_types: Sequence[str]) -> list[Suggestion]:
        unique = list(dict.fromkeys(call_types))
        to_model = [call_type for call_type in unique if call_type.strip() not in self.known]
        by_text: dict[str, Suggestion] = {}
        if to_model:
            table = self.probabilities(to_model)
            behavioral = self._index[BEHAVIORAL_HEALTH]
            for call_type, row in zip(to_model, table, strict=True):
                order = np.argsort(row)[::-1]
                best, second = int(order[0]), int(order[1])
                confidence = float(row[best])
                doubt_about_crisis = (
                    best != behavioral and row[behavioral] >= BEHAVIORAL_HEALTH_DOUBT
                )
                by_text[call_type] = Suggestion(
                    call_type=call_type,
                    category=self.categories[best],
                    apco_code=suggest_apco(normalise(call_type)),
                    confidence=round(confidence, 4),
                    needs_review=bool(confidence < self.review_below or doubt_about_crisis),
                    runner_up=self.categories[second],
                    basis="model",
                )
        for call_type in unique:
            mapped = self.known.get(call_type.strip())
            if mapped is not None and mapped.category is not None:
                by_text[call_type] = Suggestion(
                    call_type=call_type,
                    category=mapped.category,
                    apco_code=mapped.apco_code or suggest_apco(normalise(call_type)),
                    confidence=1.0,
                    needs_review=False,
                    runner_up=None,
                    basis="mapping",
                )
        return [by_text[call_type] for call_type in call_types]


def unique_examples(examples: Iterable[LabelledType]) -> list[LabelledType]:
    """One example per (text, category), with the calls added up."""
    totals: dict[tuple[str, str], int] = {}
    for example in examples:
        key = (example.call_type, example.category)
        totals[key] = totals.get(key, 0) + example.calls
    return [
        LabelledType(call_type=text, category=category, calls=calls)
        for (text, category), calls in totals.items()
    ]
