"""The casework and audit commands: outreach list, enrolment, demo seeding, chain verification."""

# ruff: noqa: F811  (pytest fixtures imported from tests.personas are named again as arguments)

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection

from coresponse.audit.models import AuditEntry
from coresponse.casework.models import Case, Client, Referral
from coresponse.cli import main
from tests.personas import calls_over_days, personas, write_call_store  # noqa: F401

AS_OF = datetime(2024, 12, 31, 12, 0)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    calls = []
    for number in range(12):
        calls += calls_over_days(f"person-key-{number:04d}", AS_OF, list(range(2, 2 + 3 * (number + 3), 3)))
    return write_call_store(tmp_path / "calls.duckdb", calls)


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_repeat_callers_prints_the_ranked_list_and_the_bands(store: Path) -> None:
    result = CliRunner().invoke(
        main, ["casework", "repeat-callers", "--store", str(store), "--limit", "3", "--as-of", "2024-12-31T12:00:00"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "person-key-0011" in result.output
    assert "14 calls in 12 months, last 2 days ago" in result.output
    assert "5+: 10, 10+: 5, 20+: 0, 40+: 0" in result.output


@pytest.mark.django_db
def test_enrol_opens_a_case_for_the_worker(store: Path, personas: dict[str, Any]) -> None:
    result = CliRunner().invoke(main, ["casework", "enrol", "person-key-0011", "--worker", "sam_social_worker",
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    case = Case.objects.get()
    assert case.owner.username == "sam_social_worker"
    assert case.client.public_id in result.output


@pytest.mark.django_db
def test_enrol_names_an_unknown_worker(store: Path) -> None:
    result = CliRunner().invoke(main, ["casework", "enrol", "person-key-0011", "--worker", "nobody",
                                       "--store", str(store)])
    assert result.exit_code != 0
    assert "no user named 'nobody'" in result.output


@pytest.mark.django_db
def test_seed_demo_makes_clients_with_a_year_of_work_once(store: Path, fast_passwords: None) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["casework", "seed-demo", "--store", str(store), "--clients", "8"])
    assert result.exit_code == 0, result.output
    assert Client.objects.count() == 8
    assert Case.objects.count() == 8
    assert Referral.objects.exists()
    assert "coresponse-demo" in result.output
    again = runner.invoke(main, ["casework", "seed-demo", "--store", str(store), "--clients", "8"])
    assert "already seeded" in again.output
    assert Client.objects.count() == 8
    verify = runner.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0
    assert verify.output.startswith("OK")


@pytest.mark.django_db
def test_audit_verify_fails_with_the_first_broken_entry(store: Path, personas: dict[str, Any]) -> None:
    CliRunner().invoke(main, ["casework", "enrol", "person-key-0011", "--worker", "sam_social_worker",
                              "--store", str(store)])
    assert AuditEntry.objects.count() >= 3
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET actor = %s WHERE seq = 2", ["mallory"])
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry #2" in result.output
