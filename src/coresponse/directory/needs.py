"""The needs vocabulary that casework and the directory share.

It is the needs assessment's domains, so a worker who records "housing" in an assessment
finds housing services in one click. No Django here: the import maps text onto it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Need(StrEnum):
    HOUSING = "housing"
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    MEDICAL = "medical"
    FOOD = "food"
    INCOME_BENEFITS = "income_benefits"
    SAFETY = "safety"
    LEGAL = "legal"

    @property
    def label(self) -> str:
        return NEED_LABELS[self]


NEED_LABELS: dict[Need, str] = {
    Need.HOUSING: "Housing",
    Need.MENTAL_HEALTH: "Mental health",
    Need.SUBSTANCE_USE: "Substance use",
    Need.MEDICAL: "Medical",
    Need.FOOD: "Food",
    Need.INCOME_BENEFITS: "Income / benefits",
    Need.SAFETY: "Safety",
    Need.LEGAL: "Legal",
}


# Terms per need, case-insensitive, matched as whole words (a plural "s" or "es" allowed);
# a term ending in "*" matches any word that starts with it ("therap*": therapy, therapist).
# Phrases beat single words where one word alone misleads: "safety" alone would tag a
# food-hygiene course, so safety needs "domestic violence", "abuse" and the like.
NEED_TERMS: dict[Need, tuple[str, ...]] = {
    Need.HOUSING: (
        "homeless*", "housing", "shelter", "eviction", "rent assistance", "rental assistance",
        "tenant", "emergency accommodation", "hostel",
    ),
    Need.MENTAL_HEALTH: (
        "mental health", "mental illness", "counselling", "counseling", "therap*", "psychiatr*",
        "psycholog*", "crisis line", "suicid*", "depression", "anxiety", "trauma", "bereavement",
    ),
    Need.SUBSTANCE_USE: (
        "substance", "alcohol*", "drinking problem", "drug", "addiction", "detox*", "opioid",
        "naloxone", "al-anon", "alcoholics anonymous", "narcotics anonymous", "sober",
        "harm reduction", "needle exchange",
    ),
    Need.MEDICAL: (
        "medical", "clinic", "health care", "healthcare", "doctor", "nurse", "hospital",
        "dental", "prescription", "pharmac*", "primary care", "urgent care",
    ),
    Need.FOOD: (
        "food", "meal", "soup kitchen", "pantry", "pantries", "groceries", "lunch", "hunger", "hungry",
        "breakfast", "dinner",
    ),
    Need.INCOME_BENEFITS: (
        "benefits", "income support", "income assistance", "employment", "job*", "welfare", "cash assistance",
        "financial assistance", "snap", "food stamps", "unemployment", "disability allowance",
        "social security",
    ),
    Need.SAFETY: (
        "domestic violence", "domestic abuse", "abuse", "assault", "safe house", "safety plan",
        "protective order", "restraining order", "trafficking", "victim", "stalking",
    ),
    Need.LEGAL: (
        "legal", "lawyer", "attorney", "court", "expunge*", "immigration", "tenant rights",
        "public defender",
    ),
}



def _term_pattern(term: str) -> str:
    if term.endswith("*"):
        return re.escape(term[:-1])
    return re.escape(term) + r"(?:s|es)?\b"


_PATTERNS: dict[Need, re.Pattern[str]] = {
    need: re.compile(r"\b(?:" + "|".join(_term_pattern(t) for t in terms) + r")", re.IGNORECASE)
    for need, terms in NEED_TERMS.items()
}
_MARKUP = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class NeedMatch:
    need: Need
    source: str  # "taxonomy", "keyword" or "description", the strongest evidence found
    reason: str  # the text that matched, so an administrator can see why


def parse_need(text: str) -> Need:
    """A need from its value ("mental_health") or its label ("Mental health")."""
    cleaned = text.strip().lower().replace(" / ", "_").replace("/", "_").replace(" ", "_")
    try:
        return Need(cleaned)
    except ValueError:
        raise ValueError(
            f"unknown need {text!r}; expected one of {', '.join(n.value for n in Need)}"
        ) from None


def match_needs(
    *, taxonomy_terms: list[str], keywords: str, name: str, description: str
) -> list[NeedMatch]:
    """The needs a service meets, from the strongest evidence to the weakest.

    Taxonomy term names are looked at first, then the keywords, then the name and
    description (markup removed). Each need is tagged once, with the first evidence found.
    """
    sources = [
        *(("taxonomy", term) for term in taxonomy_terms),
        ("keyword", keywords),
        ("description", f"{name}\n{_MARKUP.sub(' ', description)}"),
    ]
    found: dict[Need, NeedMatch] = {}
    for source, text in sources:
        if not text:
            continue
        for need, pattern in _PATTERNS.items():
            if need in found:
                continue
            hit = pattern.search(text)
            if hit:
                found[need] = NeedMatch(need, source, _context(text, hit))
    return [found[need] for need in Need if need in found]


def _context(text: str, hit: re.Match[str]) -> str:
    start = max(0, hit.start() - 30)
    end = min(len(text), hit.end() + 30)
    snippet = " ".join(text[start:end].split())
    return f"matched {hit.group(0)!r} in \"…{snippet}…\""
