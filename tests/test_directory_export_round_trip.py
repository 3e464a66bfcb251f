"""Export writes a valid HSDS tabular package, and importing it gives back the same
directory: import(export(x)) == x."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from coresponse.directory.hsds import TABLES, export_package, import_package
from coresponse.directory.models import ImportRun, Organization, Service, ServiceNeed, Taxonomy

pytestmark = pytest.mark.django_db

CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def snapshot() -> dict[str, Any]:
    """Everything the directory holds, in plain values."""
    state: dict[str, Any] = {}
    for table in TABLES:
        names = [c.name for c in table.loaded]
        state[table.resource] = sorted(
            table.model._default_manager.values_list(*names), key=repr
        )
    state["need_tags"] = sorted(
        ServiceNeed.objects.values_list("service_id", "need", "source", "reason")
    )
    state["locked"] = sorted(
        Service.objects.filter(needs_locked=True).values_list("pk", flat=True)
    )
    return state


def wipe() -> None:
    Organization.objects.all().delete()
    Taxonomy.objects.all().delete()
    ImportRun.objects.all().delete()


@pytest.fixture
def directory(shared_data: Path) -> dict[str, Any]:
    import_package(shared_data / "hsds_sample", clock=lambda: NOON)
    import_package(CITY, clock=lambda: NOON)
    # An administrator's hand-edited tags, which no text rule would give.
    shelter = Service.objects.get(pk="svc-shelter")
    shelter.need_tags.all().delete()
    shelter.need_tags.create(need="housing", source="admin", reason="set by supervisor")
    shelter.need_tags.create(need="safety", source="admin", reason="DV beds held back")
    shelter.needs_locked = True
    shelter.save()
    return snapshot()


def test_import_of_an_export_gives_back_the_same_directory(
    directory: dict[str, Any], tmp_path: Path
) -> None:
    export_package(tmp_path / "out")
    wipe()
    assert Service.objects.count() == 0

    report = import_package(tmp_path / "out", clock=lambda: NOON)

    assert report.problems == []
    assert report.reconciled
    assert snapshot() == directory


def test_export_writes_every_table_with_a_datapackage(
    directory: dict[str, Any], tmp_path: Path
) -> None:
    written = export_package(tmp_path)

    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [t.resource for t in TABLES]
    for resource in descriptor["resources"]:
        with (tmp_path / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header, *records = list(csv.reader(handle))
        rows = [dict(zip(header, record, strict=True)) for record in records]
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields]
        assert resource["schema"]["primaryKey"] == "id"
        required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
        for row in rows:
            assert all(row[name] for name in required), (resource["name"], row)
        assert written[resource["path"]] == len(rows)
    assert written["services.csv"] == 20
    assert written["regular_schedules.csv"] == 7


def test_hand_edited_need_tags_travel_as_their_own_vocabulary(
    directory: dict[str, Any], tmp_path: Path
) -> None:
    export_package(tmp_path)

    with (tmp_path / "services_taxonomy.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["service_id"] == "svc-shelter"]
    assert sorted((r["taxonomy_id"], r["taxonomy_detail"]) for r in rows) == [
        ("need-housing", "set by supervisor"),
        ("need-safety", "DV beds held back"),
    ]
    with (tmp_path / "taxonomy.csv").open(encoding="utf-8") as handle:
        vocabularies = {r["id"]: r["vocabulary"] for r in csv.DictReader(handle)}
    assert vocabularies["need-safety"] == "coresponse-needs"


def test_exporting_twice_writes_identical_files(
    directory: dict[str, Any], tmp_path: Path
) -> None:
    export_package(tmp_path / "first")
    import_package(tmp_path / "first", clock=lambda: NOON)
    export_package(tmp_path / "second")

    for table in TABLES:
        first = (tmp_path / "first" / table.path).read_bytes()
        assert first == (tmp_path / "second" / table.path).read_bytes(), table.path
