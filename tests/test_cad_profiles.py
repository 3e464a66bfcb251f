"""Profiles load with validation, and a broken profile says which key is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.cad.profile import (
    ProfileError,
    available_profiles,
    header_key,
    load_profile,
    with_overrides,
)


@pytest.mark.parametrize("name", ["seattle", "new_orleans", "detroit", "generic"])
def test_every_shipped_profile_loads(name: str) -> None:
    profile = load_profile(name)
    assert profile.name == name
    assert "event_id" in profile.required and "received_at" in profile.required
    assert name in available_profiles()


def test_profile_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "tacoma.yaml"
    path.write_text(
        "city: tacoma\ntimezone: America/Los_Angeles\ntimes: {formats: ['%Y-%m-%d %H:%M:%S']}\n"
        "columns: {event_id: id, received_at: when}\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert (profile.city, profile.columns["received_at"]) == ("tacoma", ("when",))


def test_header_matching_ignores_case_and_punctuation() -> None:
    assert (
        header_key("CAD Event Number")
        == header_key("CAD.Event.Number")
        == header_key("cad_event_number")
    )


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(body, encoding="utf-8")
    return path


BASE = "city: x\ntimezone: UTC\ntimes: {formats: ['%Y-%m-%d']}\ncolumns: {event_id: id, received_at: when}\n"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (BASE + "colums: {}\n", "colums"),
        (BASE.replace("timezone: UTC", "timezone: Mars/Olympus"), "timezone"),
        (BASE + "source_values: {ONVIEW: police}\n", "source_values.ONVIEW"),
        (BASE.replace("received_at: when", "received: when"), "columns.received"),
        (BASE.replace(", received_at: when", ""), "received_at"),
        (BASE.replace("['%Y-%m-%d']", "['YYYY-MM-DD']"), "times.formats"),
        (BASE + "priority: {pattern: '\\d+'}\n", "priority.pattern"),
        ("- just\n- a list\n", "mapping"),
    ],
)
def test_broken_profile_is_refused_naming_the_key(tmp_path: Path, body: str, named: str) -> None:
    with pytest.raises(ProfileError, match=named.replace(".", r"\.")) as caught:
        load_profile(_write(tmp_path, body))
    assert "broken.yaml" in str(caught.value)


def test_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match="seattle"):
        load_profile("atlantis")


def test_generic_profile_takes_another_city_and_zone() -> None:
    profile = with_overrides(load_profile("generic"), city="tacoma", timezone="America/Los_Angeles")
    assert (profile.city, profile.timezone) == ("tacoma", "America/Los_Angeles")
    with pytest.raises(ProfileError, match="time zone"):
        with_overrides(profile, timezone="Pacific Standard")
