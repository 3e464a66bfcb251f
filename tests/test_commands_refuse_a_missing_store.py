"""Commands that read the calls store name a store that does not exist instead of reporting nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main


def test_link_calls_with_a_missing_store_fails_naming_the_path(data_dir: Path) -> None:
    missing = data_dir / "mistyped.duckdb"
    result = CliRunner().invoke(main, ["casework", "link-calls", "--store", str(missing)])
    assert result.exit_code == 1
    assert "no call store at" in result.output and "mistyped.duckdb" in result.output
    assert "linked" not in result.output
    assert not missing.exists()


def test_cad_quarantine_with_a_missing_store_fails_naming_the_path(data_dir: Path) -> None:
    missing = data_dir / "mistyped.duckdb"
    result = CliRunner().invoke(main, ["cad", "quarantine", "--into", str(missing)])
    assert result.exit_code == 1
    assert "no calls store at" in result.output and "mistyped.duckdb" in result.output
    assert "No quarantined rows" not in result.output
    assert not missing.exists()
