"""The shared taxonomy: the 22 categories, the APCO incident codes, and the keyword evidence.

All of it is data shipped in ``data/`` (categories.csv, apco.yaml, rules.yaml), read once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

BEHAVIORAL_HEALTH = "Behavioral Health"


def _data_text(name: str) -> str:
    return (
        resources.files("coresponse.calltypes").joinpath(f"data/{name}").read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def categories() -> tuple[str, ...]:
    """The shared categories, in the order of ``data/categories.csv``."""
    rows = csv.DictReader(io.StringIO(_data_text("categories.csv")))
    return tuple(row["category"].strip() for row in rows if row["category"].strip())


@dataclass(frozen=True)
class ApcoCode:
    code: str
    description: str
    patterns: tuple[re.Pattern[str], ...]


# libyaml's loader where PyYAML was built with it (ten times faster), else the pure-Python one.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def _apco_table() -> dict[str, Any]:
    table: dict[str, Any] = yaml.load(_data_text("apco.yaml"), Loader=_SAFE_LOADER)
    return table


@lru_cache(maxsize=1)
def apco_codes() -> tuple[ApcoCode, ...]:
    """Every APCO code we know, the suggestible ones first, in the order they are tried."""
    table = _apco_table()
    known = tuple(
        ApcoCode(
            code=str(entry["code"]),
            description=str(entry["description"]),
            patterns=tuple(re.compile(pattern) for pattern in entry.get("patterns", [])),
        )
        for entry in table["codes"]
    )
    others = tuple(
        ApcoCode(code=str(code), description="", patterns=()) for code in table["other_codes"]
    )
    return known + others


@lru_cache(maxsize=1)
def apco_code_set() -> frozenset[str]:
    """The codes alone, without compiling the suggestion patterns (a protocol check needs only
    these, and compiling the patterns cost a replay 0.15 s of its 1 s)."""
    table = _apco_table()
    return frozenset(str(entry["code"]) for entry in table["codes"]) | frozenset(
        str(code) for code in table["other_codes"]
    )


def suggest_apco(normalised: str) -> str | None:
    """The first APCO code whose pattern matches the normalised call type, if any."""
    for code in apco_codes():
        if any(pattern.search(normalised) for pattern in code.patterns):
            return code.code
    return None


@dataclass(frozen=True)
class CategoryRule:
    category: str
    weight: float
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, normalised: str) -> bool:
        return any(pattern.search(normalised) for pattern in self.patterns)


@lru_cache(maxsize=1)
def category_rules() -> tuple[CategoryRule, ...]:
    table: dict[str, Any] = yaml.safe_load(_data_text("rules.yaml"))
    names = set(categories())
    rules = []
    for entry in table["rules"]:
        if entry["category"] not in names:
            raise ValueError(f"rules.yaml names an unknown category {entry['category']!r}")
        rules.append(
            CategoryRule(
                category=entry["category"],
                weight=float(entry["weight"]),
                patterns=tuple(re.compile(pattern) for pattern in entry["patterns"]),
            )
        )
    return tuple(rules)


def canonical_category(value: str) -> str | None:
    """The category spelled as in the taxonomy, matching case and spacing loosely; else None."""
    wanted = " ".join(value.split()).casefold()
    for category in categories():
        if category.casefold() == wanted:
            return category
    return None
