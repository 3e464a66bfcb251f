"""`coresponse directory import` and `export` from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.cli import main
from coresponse.directory.models import QuarantinedRow, Service

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "hsds"


def test_import_prints_counts_and_reconciles() -> None:
    result = CliRunner().invoke(main, ["directory", "import", str(DATA / "city")])

    assert result.exit_code == 0, result.output
    assert "service_at_location" in result.output
    assert "Counts reconcile." in result.output
    assert Service.objects.count() == 7


def test_import_lists_bad_rows_and_writes_them_all_to_a_report(tmp_path: Path) -> None:
    report = tmp_path / "bad_rows.csv"
    result = CliRunner().invoke(
        main, ["directory", "import", str(DATA / "bad"), "--report", str(report)]
    )

    assert result.exit_code == 0, result.output
    assert "12 rows quarantined" in result.output
    assert "notes.csv: 1 rows not loaded" in result.output
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == QuarantinedRow.objects.count() == 12
    assert rows[0]["file"] == "organizations.csv" and rows[0]["row"] == "3"


def test_strict_import_fails_when_rows_were_quarantined() -> None:
    result = CliRunner().invoke(main, ["directory", "import", str(DATA / "bad"), "--strict"])

    assert result.exit_code == 2


def test_unreadable_package_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["directory", "import", str(tmp_path)])

    assert result.exit_code == 1
    assert "datapackage.json: not valid JSON" in result.output


def test_export_writes_a_package_and_will_not_overwrite_one_unasked(tmp_path: Path) -> None:
    CliRunner().invoke(main, ["directory", "import", str(DATA / "city")])
    out = tmp_path / "export"

    first = CliRunner().invoke(main, ["directory", "export", str(out)])
    again = CliRunner().invoke(main, ["directory", "export", str(out)])
    forced = CliRunner().invoke(main, ["directory", "export", str(out), "--overwrite"])

    assert first.exit_code == 0, first.output
    assert (out / "datapackage.json").exists()
    assert "services.csv" in first.output
    assert again.exit_code == 1 and "--overwrite" in again.output
    assert forced.exit_code == 0
