"""Each codebook entry is read as the situation it describes, whatever a city calls it."""

from __future__ import annotations

import pytest

from coresponse.synth.codebook import load_codebook
from coresponse.synth.kinds import KIND_NAMES, kind_of, onview_share


@pytest.mark.parametrize(
    ("call_type", "category", "kind"),
    [
        ("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "Behavioral Health", "behavioral"),
        ("SUICIDE - IP/JO SUICIDAL PERSON AND ATTEMPTS", "Behavioral Health", "suicide"),
        ("MENTAL VIOLENT NOT ARMED", "Behavioral Health", "behavioral"),
        ("MENTAL PATIENT", "Behavioral Health", "behavioral"),
        # "(NO SHOOTINGS)" says what the code is not.
        ("ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)", "Violent Crime", "assault"),
        ("ASLT - IP/JO - PERSON SHOT OR SHOT AT", "Violent Crime", "shots"),
        ("ASSIST PUBLIC - NO WELFARE CHK OR DV ORDER SER...", "Assisting the Public", "other"),
        ("ONE DOWN/DRUG OD", "Behavioral Health", "overdose"),
        ("SERVICE - WELFARE CHECK", "Statuses", "welfare"),
        ("DIST - DV - NO ASLT", "Domestic Violence", "domestic"),
        ("BURGLAR ALARM, SILEN", "Alarms", "alarm"),
        ("PREMISE CHECK, OFFICER INITIATED ONVIEW ONLY", "Statuses", "proactive"),
        ("SOMETHING NEW", "Drugs", "drugs"),
        ("SOMETHING NEW", "", "other"),
    ],
)
def test_call_type_is_read_as_its_kind(call_type: str, category: str, kind: str) -> None:
    assert kind_of(call_type, category) == kind


def test_officer_started_codes_are_onview() -> None:
    assert onview_share("TRAFFIC STOP - OFFICER INITIATED ONVIEW", "traffic") > 0.9
    assert onview_share("TRAFFIC STOP", "traffic") > 0.9
    assert onview_share("SUICIDE THREAT", "suicide") < 0.1


@pytest.mark.parametrize("city", ["seattle", "new_orleans", "detroit"])
def test_every_code_of_every_codebook_has_a_kind(city: str) -> None:
    codebook = load_codebook(city)
    for table in (codebook.initial, codebook.final):
        assert len(table.names) == len(table.kinds) > 100
        assert {KIND_NAMES[k] for k in table.kinds} >= {"behavioral", "assault", "traffic"}
        assert abs(table.probabilities.sum() - 1) < 1e-9


def test_unknown_city_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="seattle, new_orleans, detroit"):
        load_codebook("gotham")
