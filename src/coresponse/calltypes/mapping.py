"""Reading a city's curated call-type mapping (``mappings/<city>.csv``).

The mapping keeps the city's own code beside the shared ``category`` and ``apco_code``;
``source`` says whether a row is an analyst's label, a reviewed correction, or a suggestion.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MAPPINGS_DIR = Path(__file__).with_name("mappings")


@dataclass(frozen=True)
class MappedType:
    call_type: str
    category: str | None
    apco_code: str | None
    source: str


def mapping_path(city: str, directory: Path | None = None) -> Path:
    return (directory or MAPPINGS_DIR) / f"{city}.csv"


def load_mapping(city: str, directory: Path | None = None) -> dict[str, MappedType]:
    """The city's mapping keyed by call type; empty when the city has none yet."""
    path = mapping_path(city, directory)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["call_type"]: MappedType(
                call_type=row["call_type"],
                category=row.get("category") or None,
                apco_code=row.get("apco_code") or None,
                source=row.get("source") or "curated",
            )
            for row in csv.DictReader(handle)
        }
