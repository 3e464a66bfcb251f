"""The shipped mappings cover every code of the three shared codebooks, keeping the analysts' labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coresponse.calltypes import load_mapping
from coresponse.calltypes.taxonomy import apco_code_set, categories

CITIES = ("seattle", "new_orleans", "detroit")


def _codebook(shared_data: Path, city: str) -> list[dict[str, str]]:
    with (shared_data / "calltypes" / f"{city}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("city", CITIES)
def test_every_code_of_the_codebook_is_mapped(shared_data: Path, city: str, data_dir: Path) -> None:
    mapping = load_mapping(city)
    codes = {row["call_type"].strip() for row in _codebook(shared_data, city)}
    assert codes <= set(mapping), sorted(codes - set(mapping))[:5]
    assert all(mapped.category in categories() for mapped in mapping.values())
    assert all(
        mapped.apco_code is None or mapped.apco_code in apco_code_set()
        for mapped in mapping.values()
    )


@pytest.mark.parametrize("city", CITIES)
def test_analyst_labels_are_kept_and_blanks_are_marked_suggested(
    shared_data: Path, city: str, data_dir: Path
) -> None:
    mapping = load_mapping(city)
    labelled: dict[str, set[str]] = {}
    for row in _codebook(shared_data, city):
        if row["category"].strip():
            labelled.setdefault(row["call_type"].strip(), set()).add(row["category"].strip())
    for call_type, labels in labelled.items():
        assert mapping[call_type].source == "analyst"
        assert mapping[call_type].category in labels
    blanks = {row["call_type"].strip() for row in _codebook(shared_data, city)} - set(labelled)
    assert blanks, "each shared codebook has codes the analyst left blank"
    assert all(mapping[call_type].source == "suggested" for call_type in blanks)


def test_crisis_codes_carry_a_crisis_apco_code(data_dir: Path) -> None:
    seattle = load_mapping("seattle")
    assert seattle["SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS"].apco_code in {
        "SUICIDE",
        "SUICTHRT",
    }
    assert seattle["PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"].apco_code == "EDP"
    assert seattle["SERVICE - WELFARE CHECK"].apco_code == "WELFARE"
    assert load_mapping("new_orleans")["MENTAL PATIENT"].apco_code == "EDP"
