"""Importing Open Referral's HSDS 1.1 sample package (../shared/data/hsds_sample)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coresponse.directory.hsds import import_package
from coresponse.directory.models import (
    ImportRun,
    Location,
    Organization,
    Phone,
    QuarantinedRow,
    Service,
    ServiceAtLocation,
)

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def sample(shared_data: Path) -> Path:
    return shared_data / "hsds_sample"


def test_sample_package_loads_every_row_and_reconciles(sample: Path) -> None:
    report = import_package(sample, clock=lambda: NOON)

    assert report.reconciled
    assert report.problems == []
    assert {name: c.rows for name, c in report.counts.items()} == {
        "organization": 10,
        "service": 13,
        "location": 10,
        "service_at_location": 13,
        "phone": 5,
    }
    assert Organization.objects.count() == 10
    assert Service.objects.count() == 13
    assert Location.objects.count() == 10
    assert ServiceAtLocation.objects.count() == 13
    assert Phone.objects.count() == 5
    assert QuarantinedRow.objects.count() == 0


def test_sample_values_arrive_typed(sample: Path) -> None:
    import_package(sample, clock=lambda: NOON)

    sanctuary = Organization.objects.get(pk="1899600a-649c-11e6-8b77-86f30ca893d3")
    assert sanctuary.name == "Sanctuary Example City"
    assert sanctuary.year_incorporated == 1997
    highland = Location.objects.get(pk="30b83ee0-64a1-11e6-8b77-86f30ca893d3")
    assert (highland.latitude, highland.longitude) == (39.428192, -119.897426)
    assert Phone.objects.get(pk="3733e828-58e5-4ff5-9dc6-ae24f92a0f56").extension == "42"
    assert Service.objects.get(name="Food Safety Program").status == Service.Status.INACTIVE


def test_tables_the_directory_does_not_model_are_reported_not_dropped(sample: Path) -> None:
    report = import_package(sample, clock=lambda: NOON)

    # metadata.csv is in the folder but not in datapackage.json, and is no directory table.
    assert report.skipped_tables == {"metadata.csv": 131}
    assert ImportRun.objects.get().skipped_tables == {"metadata.csv": 131}


def test_sample_services_get_need_tags_from_their_descriptions(sample: Path) -> None:
    import_package(sample, clock=lambda: NOON)

    def needs(name: str) -> list[str]:
        return Service.objects.get(name=name).needs

    assert needs("Never Homeless Helpline") == ["housing"]
    assert needs("Al-Anon Family Group") == ["substance_use"]
    assert needs("The City's Kitchen") == ["food"]
    assert needs("Bubbles at The Cross") == []
    tag = Service.objects.get(name="Never Homeless Helpline").need_tags.get()
    assert tag.source == "description"
    assert "Homeless" in tag.reason


def test_import_run_keeps_its_counts_and_times(sample: Path) -> None:
    import_package(sample, clock=lambda: NOON)

    run = ImportRun.objects.get()
    assert run.started_at == NOON
    assert run.finished_at == NOON
    assert run.counts["service"]["created"] == 13
    assert run.source.endswith("hsds_sample")
