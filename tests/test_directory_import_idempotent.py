"""HSDS ids are the keys: importing the same package again changes nothing, and a changed
row updates its record in place."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from coresponse.directory.hsds import import_package
from coresponse.directory.models import (
    ImportRun,
    Organization,
    RegularSchedule,
    Service,
    ServiceNeed,
)

pytestmark = pytest.mark.django_db

CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def test_second_import_of_the_same_package_changes_nothing() -> None:
    import_package(CITY, clock=lambda: NOON)
    tags_before = list(ServiceNeed.objects.values_list("pk", "service_id", "need", "reason"))

    second = import_package(CITY, clock=lambda: NOON)

    assert second.reconciled
    for name, counts in second.counts.items():
        assert counts.created == counts.updated == counts.quarantined == 0, name
        assert counts.unchanged == counts.rows, name
    assert second.services_retagged == 0
    assert list(ServiceNeed.objects.values_list("pk", "service_id", "need", "reason")) == tags_before
    assert Service.objects.count() == 7
    assert ImportRun.objects.count() == 2


def test_changed_row_updates_its_record_in_place(tmp_path: Path) -> None:
    import_package(CITY, clock=lambda: NOON)
    package = tmp_path / "city"
    shutil.copytree(CITY, package)
    services = package / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8").replace("Hot meals for anyone", "Hot meals and groceries for anyone"),
        encoding="utf-8",
    )
    schedules = package / "regular_schedules.csv"
    schedules.write_text(
        schedules.read_text(encoding="utf-8").replace("1,09:00:00,17:00:00", "1,08:30:00,17:00:00"),
        encoding="utf-8",
    )

    report = import_package(package, clock=lambda: NOON)

    assert report.counts["service"].updated == 1
    assert report.counts["service"].unchanged == 6
    assert report.counts["regular_schedule"].updated == 1
    assert Service.objects.get(pk="svc-meals").description.startswith("Hot meals and groceries")
    assert RegularSchedule.objects.get(pk="rs-clinic-mon").opens_at == dt.time(8, 30)


def test_records_absent_from_a_later_package_are_kept(tmp_path: Path) -> None:
    import_package(CITY, clock=lambda: NOON)
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "organizations.csv").write_text(
        "id,name\norg-new,A New Organisation\n", encoding="utf-8"
    )

    import_package(partial, clock=lambda: NOON)

    assert Organization.objects.count() == 4
    assert Service.objects.count() == 7


def test_reimport_recomputes_tags_when_a_description_changes(tmp_path: Path) -> None:
    import_package(CITY, clock=lambda: NOON)
    package = tmp_path / "city"
    shutil.copytree(CITY, package)
    services = package / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8").replace("Talk with someone.", "Talk with someone; help with benefits claims."),
        encoding="utf-8",
    )

    report = import_package(package, clock=lambda: NOON)

    assert report.services_retagged == 1
    assert Service.objects.get(pk="svc-counsel").needs == ["income_benefits", "mental_health"]
