"""The import summary names every file even at 80 columns (a pipe or a small terminal)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coresponse.cli import main

DATA = Path(__file__).parent / "data" / "cad"


def test_import_summary_at_80_columns_shows_each_file_name_and_its_counts(
    data_dir: Path,
) -> None:
    files = [DATA / "seattle_bad_rows.csv", DATA / "seattle_calls.csv"]
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["cad", "import", *map(str, files), "--profile", "seattle"]
    )
    assert result.exit_code == 0, result.output
    # The file's row starts with (at least the first 12 characters of) its name and carries
    # its counts and days; the progress lines above the table carry no dates.
    rows = [line.split() for line in result.output.splitlines() if "2023-" in line]
    for path in files:
        assert any(len(row[0]) >= 12 and path.name.startswith(row[0]) for row in rows), (
            result.output
        )
    assert "reconciled for every file" in result.output


def test_unmapped_call_types_line_names_the_users_mapping_file_unbroken(data_dir: Path) -> None:
    # A call type no shipped mapping holds (the shipped mappings grow over time).
    path = data_dir / "seattle_bad_rows.csv"
    text = (DATA / "seattle_bad_rows.csv").read_bytes()  # bytes: one line is not UTF-8
    path.write_bytes(text.replace(b",DISTURBANCE,", b",ZZ TEST CALL TYPE,"))
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["cad", "import", str(path), "--profile", "seattle"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # the console may wrap long lines at spaces
    assert "Unmapped call types:" in text
    assert str(data_dir / "calltypes" / "mappings" / "seattle.csv") in text.replace(" ", "")


def test_cad_summary_at_80_columns_shows_whole_import_ids_and_file_names(data_dir: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "80"})
    files = [DATA / "seattle_bad_rows.csv", DATA / "seattle_calls.csv"]
    runner.invoke(main, ["cad", "import", *map(str, files), "--profile", "seattle"])
    import duckdb

    with duckdb.connect(str(data_dir / "calls.duckdb"), read_only=True) as store:
        ids = [row[0] for row in store.execute("SELECT import_id FROM imports").fetchall()]
    result = runner.invoke(main, ["cad", "summary"])
    assert result.exit_code == 0, result.output
    words = result.output.split()
    assert len(ids) == 2 and all(import_id in words for import_id in ids), result.output
    joined = "".join(words)  # a folded file name is whole once the line breaks are gone
    for path in files:
        assert path.name in joined, result.output
