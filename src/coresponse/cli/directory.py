"""``coresponse directory``: import and export the service directory as Open Referral HSDS."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

# Bad rows shown on screen; --report writes all of them.
SHOWN_PROBLEMS = 20


@click.group()
def directory() -> None:
    """The service directory (Open Referral HSDS): import and export tabular packages."""


@directory.command("import")
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every quarantined row to this CSV file.",
)
@click.option("--strict", is_flag=True, help="Exit with status 2 when any row was quarantined.")
def import_(package: Path, report: Path | None, strict: bool) -> None:
    """Load an HSDS tabular package (a folder or its datapackage.json) into the directory.

    HSDS ids are the keys, so importing the same package again changes nothing. Rows that
    break the package's schema or the directory's rules are kept in the quarantine table
    (see the Import runs page in the admin) and listed with file, row, field and reason.

    \b
    Example:
      coresponse directory import ../shared/data/hsds_sample
      coresponse directory import export/datapackage.json --report bad_rows.csv
    """
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.directory.hsds import PackageError, import_package

    console = Console()
    try:
        with console.status("Importing…") as status:
            result = import_package(
                package,
                clock=lambda: dt.datetime.now(dt.UTC),
                on_table=lambda name: status.update(f"Importing {name}…"),
            )
    except PackageError as error:
        raise click.ClickException(str(error)) from error

    summary = Table(title=f"HSDS import from {package}")
    for heading in ("table", "rows", "created", "updated", "same", "quarantined", "tags"):
        if heading == "table":
            summary.add_column(heading, no_wrap=True, min_width=19)
        else:
            summary.add_column(heading, justify="right", no_wrap=True)
    for name, counts in result.counts.items():
        summary.add_row(
            name,
            *(
                str(v)
                for v in (
                    counts.rows,
                    counts.created,
                    counts.updated,
                    counts.unchanged,
                    counts.quarantined,
                    counts.need_tags,
                )
            ),
        )
    console.print(summary)
    console.print("same: already in the directory as it is; tags: rows carrying need tags")
    for name, counts in result.counts.items():
        if counts.ignored_columns:
            console.print(f"[yellow]{name}: columns not loaded: {', '.join(counts.ignored_columns)}")
    for file, rows in result.skipped_tables.items():
        console.print(f"[yellow]{file}: {rows} rows not loaded (not a table the directory models)")
    console.print(f"Need tags recomputed for {result.services_retagged} services.")
    console.print(
        "Counts reconcile." if result.reconciled else "[red]Counts do not reconcile: a bug, please report."
    )

    if result.problems:
        bad = Table(title=f"{len(result.problems)} rows quarantined (import run {result.run.pk})")
        for heading in ("file", "row", "field", "reason"):
            bad.add_column(heading)
        for problem in result.problems[:SHOWN_PROBLEMS]:
            bad.add_row(problem.file, str(problem.row), problem.field, problem.reason)
        console.print(bad)
        if len(result.problems) > SHOWN_PROBLEMS:
            console.print(f"… and {len(result.problems) - SHOWN_PROBLEMS} more (use --report).")
    if report is not None:
        with report.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "row", "field", "reason", "record"])
            for problem in result.problems:
                writer.writerow(
                    [problem.file, problem.row, problem.field, problem.reason, json.dumps(problem.record)]
                )
        console.print(f"Quarantined rows written to {report}.")
    if strict and result.problems:
        raise SystemExit(2)


@directory.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace a package already in the folder.")
def export(folder: Path, overwrite: bool) -> None:
    """Write the whole directory as an HSDS tabular package: CSV files and datapackage.json.

    Importing the package gives back the same directory, need tags edited by hand included.

    \b
    Example:
      coresponse directory export var/hsds_export
    """
    if (folder / "datapackage.json").exists() and not overwrite:
        raise click.ClickException(f"{folder} already holds a package; pass --overwrite to replace it")
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.directory.hsds import export_package

    written = export_package(folder)
    console = Console()
    summary = Table(title=f"HSDS export to {folder}")
    summary.add_column("file")
    summary.add_column("rows", justify="right")
    for file, rows in written.items():
        summary.add_row(file, str(rows))
    console.print(summary)
