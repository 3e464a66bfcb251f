"""Bad rows never crash an import and never disappear: each is quarantined with its file,
row, field and reason, and the good rows beside it are loaded."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from coresponse.directory.hsds import PackageError, import_package
from coresponse.directory.models import Organization, QuarantinedRow, RegularSchedule, Service

pytestmark = pytest.mark.django_db

BAD = Path(__file__).parent / "data" / "hsds" / "bad"
CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def test_each_bad_row_is_quarantined_with_file_row_field_and_reason() -> None:
    report = import_package(BAD, clock=lambda: NOON)

    found = {(p.file, p.row, p.field): p.reason for p in QuarantinedRow.objects.all()}
    assert found == {
        ("organizations.csv", 3, "name"): "is required by the package schema but empty",
        ("organizations.csv", 4, "email"): "'not-an-email' is not an e-mail address",
        ("organizations.csv", 5, "id"): "'org-good' appears more than once but must be unique",
        ("organizations.csv", 6, "year_incorporated"): "'nineteen' is not a valid date (%Y)",
        ("services.csv", 3, "organization_id"):
            "no organization 'org-missing' in the package or the directory",
        ("services.csv", 4, "organization_id"):
            "no organization 'org-noname' in the package or the directory",
        ("services.csv", 5, "status"):
            "'maybe' is not one of active, inactive, defunct, temporarily closed",
        ("services.csv", 6, "(row)"): "1 more values than the header has columns",
        ("locations.csv", 3, "latitude"): "123.4 is above 90",
        ("phones.csv", 3, "extension"): "'ext 4' is not a valid number",
        ("regular_schedules.csv", 3, "weekday"): "'9' is not a weekday (1 = Monday ... 7 = Sunday)",
        ("regular_schedules.csv", 4, "opens_at"): "'9am' is not a valid time",
    }
    assert len(report.problems) == 12


def test_good_rows_beside_bad_ones_are_loaded() -> None:
    import_package(BAD, clock=lambda: NOON)

    assert list(Organization.objects.values_list("pk", flat=True)) == ["org-good"]
    assert Organization.objects.get().name == "Good Org"  # the first of the duplicated ids
    assert list(Service.objects.values_list("pk", flat=True)) == ["svc-good"]
    assert list(RegularSchedule.objects.values_list("pk", flat=True)) == ["rs-good"]


def test_quarantined_row_keeps_the_whole_record() -> None:
    import_package(BAD, clock=lambda: NOON)

    row = QuarantinedRow.objects.get(file="locations.csv", row=3)
    assert row.record == {
        "id": "loc-lat",
        "organization_id": "org-good",
        "name": "Off the map",
        "alternate_name": "",
        "description": "",
        "transportation": "",
        "latitude": "123.4",
        "longitude": "-122.3",
    }


def test_row_pointing_at_a_quarantined_row_is_quarantined_too() -> None:
    import_package(BAD, clock=lambda: NOON)

    child = QuarantinedRow.objects.get(record__id="svc-ofbad")
    assert child.field == "organization_id"
    assert not Service.objects.filter(pk="svc-ofbad").exists()


def test_counts_reconcile_with_quarantined_rows() -> None:
    report = import_package(BAD, clock=lambda: NOON)

    assert report.reconciled
    organization = report.counts["organization"]
    assert (organization.rows, organization.created, organization.quarantined) == (5, 1, 4)
    assert report.skipped_tables == {"notes.csv": 1}


def test_row_with_several_problems_names_each_field(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("id,name\norg-a,A\n", encoding="utf-8")
    (tmp_path / "locations.csv").write_text(
        "id,organization_id,latitude,longitude\nloc-a,org-zz,91,181\n", encoding="utf-8"
    )
    import_package(tmp_path, clock=lambda: NOON)

    problem = QuarantinedRow.objects.get()
    assert problem.field == "latitude, longitude"
    assert problem.reason == "latitude: 91 is above 90; longitude: 181 is above 180"


def test_file_named_in_datapackage_but_missing_is_a_package_error(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "organization", "path": "orgs.csv"}]}),
        encoding="utf-8",
    )
    with pytest.raises(PackageError, match="orgs.csv, which is missing"):
        import_package(tmp_path, clock=lambda: NOON)


def test_folder_without_hsds_tables_is_a_package_error(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("id\n1\n", encoding="utf-8")
    with pytest.raises(PackageError, match="no HSDS table files"):
        import_package(tmp_path, clock=lambda: NOON)


def test_file_that_is_not_utf8_is_a_package_error_naming_the_file(tmp_path: Path) -> None:
    shutil.copy(CITY / "organizations.csv", tmp_path / "organizations.csv")
    (tmp_path / "services.csv").write_bytes("id,name\nsvc,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(PackageError, match="services.csv: not UTF-8"):
        import_package(tmp_path, clock=lambda: NOON)
    assert not Organization.objects.exists()  # one transaction: nothing half-loaded


def test_resources_named_in_the_plural_are_still_recognised(tmp_path: Path) -> None:
    shutil.copy(CITY / "organizations.csv", tmp_path / "orgs.csv")
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "organizations", "path": "orgs.csv"}]}),
        encoding="utf-8",
    )
    report = import_package(tmp_path, clock=lambda: NOON)

    assert report.counts["organization"].created == 3
    assert report.skipped_tables == {}


def test_two_files_for_one_table_is_a_package_error(tmp_path: Path) -> None:
    shutil.copy(CITY / "organizations.csv", tmp_path / "a.csv")
    shutil.copy(CITY / "organizations.csv", tmp_path / "b.csv")
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "organization", "path": "a.csv"},
                                  {"name": "organizations", "path": "b.csv"}]}),
        encoding="utf-8",
    )
    with pytest.raises(PackageError, match=r"two resources hold the organization table \(a.csv and b.csv\)"):
        import_package(tmp_path, clock=lambda: NOON)
