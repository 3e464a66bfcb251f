"""A user's mapping overrides the shipped one, and a broken mapping file is named, not skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.calltypes import load_mapping
from coresponse.calltypes.mapping import MappingError, user_mappings_dir


def test_user_mapping_replaces_the_shipped_row_of_the_same_call_type(data_dir: Path) -> None:
    folder = user_mappings_dir()
    folder.mkdir(parents=True)
    (folder / "seattle.csv").write_text(
        "call_type,category,apco_code,source\n"
        "SERVICE - WELFARE CHECK,Behavioral Health,WELFARE,reviewed\n",
        encoding="utf-8",
    )
    mapping = load_mapping("seattle")
    assert mapping["SERVICE - WELFARE CHECK"].category == "Behavioral Health"
    assert mapping["SERVICE - WELFARE CHECK"].source == "reviewed"
    # Rows the user did not touch still come from the shipped mapping.
    assert mapping["PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"].category == "Behavioral Health"


def test_city_without_a_mapping_has_an_empty_one(data_dir: Path) -> None:
    assert load_mapping("springfield") == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("call_type,category\nNOISE,Loud Things\n", "line 2, field category: 'Loud Things'"),
        (
            "call_type,category\nNOISE,Alarms\nNOISE,Fire\n",
            "line 3, field call_type: 'NOISE' is already mapped on line 2",
        ),
        ("call_type,category,apco_code\nNOISE,Alarms,NOPE\n", "field apco_code: 'NOPE'"),
        ("category\nAlarms\n", "no call_type column"),
    ],
)
def test_broken_mapping_file_is_reported_with_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "springfield.csv").write_text(content, encoding="utf-8")
    with pytest.raises(MappingError) as raised:
        load_mapping("springfield", tmp_path)
    assert message in str(raised.value)
    assert "springfield.csv" in str(raised.value)


def test_city_name_cannot_reach_outside_the_mappings_folder(tmp_path: Path) -> None:
    with pytest.raises(MappingError):
        load_mapping("../etc/passwd", tmp_path)
