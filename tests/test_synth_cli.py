"""`coresponse synth` writes the file and its facts, and refuses bad arguments clearly."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main


def test_synth_writes_calls_and_facts_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "nola.csv"
    result = CliRunner().invoke(
        main,
        ["synth", "--city", "new_orleans", "--calls", "800", "--seed", "4", "--out", str(out),
         "--start", "2024-07-01", "--days", "7"],
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "nola.csv.facts.parquet").exists()
    assert "800" in result.output
    assert "07/01/2024" in result.output  # the first call, on the city's clock
    assert len(out.read_text(encoding="utf-8").splitlines()) == 801


def test_synth_refuses_an_output_that_is_neither_csv_nor_parquet(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["synth", "--city", "seattle", "--calls", "10", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert ".csv or .parquet" in result.output
    assert not list(tmp_path.iterdir())


def test_synth_refuses_an_unknown_city_and_zero_calls(tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["synth", "--city", "gotham", "--calls", "5", "--out", str(tmp_path / "a.csv")])
    assert unknown.exit_code == 2 and "gotham" in unknown.output
    empty = runner.invoke(main, ["synth", "--city", "seattle", "--calls", "0", "--out", str(tmp_path / "a.csv")])
    assert empty.exit_code == 2 and "--calls" in empty.output
