"""`coresponse cad import`, `cad quarantine` and `cad summary` from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main

DATA = Path(__file__).parent / "data" / "cad"


def _with_unmapped_call_type(folder: Path) -> Path:
    """The bad-rows file with a call type no shipped mapping holds (they grow over time)."""
    path = folder / "seattle_bad_rows.csv"
    text = (DATA / "seattle_bad_rows.csv").read_bytes()  # bytes: one line is not UTF-8
    path.write_bytes(text.replace(b",DISTURBANCE,", b",ZZ TEST CALL TYPE,"))
    return path


def test_import_prints_reconciled_counts_and_reasons(data_dir: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["cad", "import", str(_with_unmapped_call_type(data_dir)), "--profile", "seattle"]
    )
    assert result.exit_code == 0, result.output
    assert "reconciled for every file" in result.output
    assert "wrong_field_count" in result.output
    assert "ZZ TEST CALL TYPE" in result.output  # unmapped call type, with its volume
    assert (data_dir / "calls.duckdb").exists()  # the default store in CORESPONSE_DATA_DIR


def test_quarantine_lists_the_rows_with_line_and_reason(data_dir: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    store = data_dir / "elsewhere.duckdb"
    runner.invoke(
        main,
        [
            "cad",
            "import",
            str(DATA / "seattle_bad_rows.csv"),
            "--profile",
            "seattle",
            "--into",
            str(store),
        ],
    )
    result = runner.invoke(main, ["cad", "quarantine", "--into", str(store)])
    assert result.exit_code == 0, result.output
    assert "13/45/2023 99:00:00 PM" in result.output
    assert "missing event id" in result.output


def test_summary_shows_calls_per_city(data_dir: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    for profile, name in (("seattle", "seattle_calls.csv"), ("detroit", "detroit_calls.csv")):
        runner.invoke(main, ["cad", "import", str(DATA / name), "--profile", profile])
    result = runner.invoke(main, ["cad", "summary"])
    assert result.exit_code == 0, result.output
    assert "seattle" in result.output and "detroit" in result.output
    assert "2023-12-31" in result.output


def test_wrong_profile_exits_with_the_missing_columns(data_dir: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["cad", "import", str(DATA / "detroit_calls.csv"), "--profile", "new_orleans"]
    )
    assert result.exit_code == 1
    assert "NOPD_Item" in result.output and "TimeCreate" in result.output


def test_profile_can_be_a_yaml_path_and_the_city_overridden(data_dir: Path, tmp_path: Path) -> None:
    profile = Path(__file__).parents[1] / "src" / "coresponse" / "cad" / "profiles" / "seattle.yaml"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main,
        [
            "cad",
            "import",
            str(DATA / "seattle_calls.csv"),
            "--profile",
            str(profile),
            "--city",
            "tacoma",
        ],
        terminal_width=160,
    )
    assert result.exit_code == 0, result.output
    assert "tacoma" in result.output


def test_unknown_profile_is_a_clear_error(data_dir: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["cad", "import", str(DATA / "seattle_calls.csv"), "--profile", "atlantis"]
    )
    assert result.exit_code == 1
    assert "no profile named 'atlantis'" in result.output


def test_bad_memory_limit_is_a_clear_error(data_dir: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main,
        [
            "cad",
            "import",
            str(DATA / "seattle_calls.csv"),
            "--profile",
            "seattle",
            "--memory-limit",
            "lots",
        ],
    )
    assert result.exit_code == 1
    assert "memory limit 'lots'" in result.output
