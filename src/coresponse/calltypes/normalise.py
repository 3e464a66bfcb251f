"""Call-type text as the suggester reads it: lower case, codes stripped, shorthand spelled out.

Every city abbreviates its own way ("ASLT - IP/JO - DV", "DV A/B I/P-J/H",
"106B_Assault Shooting Past Wp"); spelling the shorthand out lets one model read them all.
The abbreviations are data (``data/abbreviations.yaml``), so a new city's shorthand is
added there, not in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

# A leading agency code such as "106B_", "10-96 " or "415E-": digits, optionally letters.
_LEADING_CODE = re.compile(r"^\s*\d+(?:-\d+)?[A-Z]{0,3}(?:[-_ .:]+|$)", re.IGNORECASE)
_UNDERSCORES = re.compile(r"_+")
_KEEP = re.compile(r"[^A-Za-z0-9/&\s]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Abbreviations:
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    tokens: dict[str, str]


@lru_cache(maxsize=1)
def abbreviations() -> Abbreviations:
    """The shipped abbreviation table, longest phrases first so "IP/JO" wins over "IP"."""
    text = (
        resources.files("coresponse.calltypes")
        .joinpath("data/abbreviations.yaml")
        .read_text(encoding="utf-8")
    )
    table = yaml.safe_load(text)
    phrases = sorted(table.get("phrases", {}).items(), key=lambda item: -len(item[0]))
    compiled = tuple(
        (re.compile(r"(?<![A-Z0-9])" + re.escape(key.upper()) + r"(?![A-Z0-9])"), f" {value} ")
        for key, value in phrases
    )
    tokens = {str(key).upper(): str(value) for key, value in table.get("tokens", {}).items()}
    return Abbreviations(phrases=compiled, tokens=tokens)


def _is_expanded(word: str) -> bool:
    return any(character.islower() for character in word)


@lru_cache(maxsize=65536)
def normalise(call_type: str) -> str:
    """The call type in lower case with agency codes dropped and abbreviations expanded.

    A leading numeric code ("106B_") is dropped because its numbering is the agency's own;
    a code that is the whole text is kept, so the text never becomes empty.
    """
    text = call_type.upper().strip()
    table = abbreviations()
    leading = _LEADING_CODE.match(text)
    # A code with a meaning of its own ("5150", a psychiatric hold) is a word, not a number.
    if leading and leading.group().strip(" -_.:") not in table.tokens:
        stripped = text[leading.end() :]
        if stripped.strip():
            text = stripped
    text = _UNDERSCORES.sub(" ", text)
    for pattern, expansion in table.phrases:
        text = pattern.sub(expansion, text)
    # "/" joins words ("PICKUP/TRANSPORT") as often as it abbreviates: split what remains.
    # Expansions are in lower case by now, so they are never expanded twice.
    text = _KEEP.sub(" ", text).replace("/", " ").replace("&", " and ")
    words = [word if _is_expanded(word) else table.tokens.get(word, word) for word in text.split()]
    return _SPACES.sub(" ", " ".join(words)).strip().lower()
