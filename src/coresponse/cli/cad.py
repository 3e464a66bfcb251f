"""``coresponse cad``: import a city's CAD export into the calls store, and look at what is there."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from coresponse import config

if TYPE_CHECKING:
    from coresponse.cad.ingest import ImportResult


def _store(into: Path | None) -> Path:
    return into if into is not None else config.calls_store_path()


@click.group()
def cad() -> None:
    """Import a city's CAD export and inspect the calls store.

    \b
    Example:
      coresponse cad import calls_2023.csv --profile seattle
      coresponse cad summary
    """


@cad.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--profile",
    "profile_name",
    required=True,
    help="A shipped profile (seattle, new_orleans, detroit, generic) or a path to a profile YAML.",
)
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The DuckDB store (default: calls.duckdb in CORESPONSE_DATA_DIR).",
)
@click.option("--city", default=None, help="Use this city name instead of the profile's.")
@click.option("--timezone", default=None, help="Use this IANA time zone instead of the profile's.")
@click.option(
    "--memory-limit",
    default="2GB",
    show_default=True,
    help="DuckDB's memory for the import; beyond it DuckDB spills to disk.",
)
def import_command(
    files: tuple[Path, ...],
    profile_name: str,
    into: Path | None,
    city: str | None,
    timezone: str | None,
    memory_limit: str,
) -> None:
    """Import CAD export FILES (CSV, with or without BOM, or Parquet) with a city profile.

    Rows that cannot be read go to the quarantine table with file, line, field and reason;
    the import never stops for a bad row, and stops at once when a file lacks a column the
    profile requires. Re-importing a file adds nothing twice (same city and event id).

    \b
    Example:
      coresponse cad import var/demo/seattle_calls.csv --profile seattle
      coresponse cad import export.csv --profile generic --city tacoma --timezone America/Los_Angeles
    """
    from coresponse.cad.ingest import ImportFailed, import_files
    from coresponse.cad.profile import ProfileError, load_profile, with_overrides

    console = Console()
    try:
        profile = with_overrides(load_profile(profile_name), city=city, timezone=timezone)
    except ProfileError as error:
        raise click.ClickException(str(error)) from error
    store = _store(into)
    key = config.pseudonym_key()
    results: list[ImportResult] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks: dict[Path, TaskID] = {
            path: progress.add_task(f"{path.name}: waiting", total=1.0) for path in files
        }

        def on_progress(path: Path, stage: str, fraction: float) -> None:
            progress.update(tasks[path], completed=fraction, description=f"{path.name}: {stage}")

        for path in files:
            try:
                results += import_files(
                    [path],
                    profile,
                    store=store,
                    key=key,
                    on_progress=on_progress,
                    memory_limit=memory_limit,
                )
            except ImportFailed as error:
                progress.stop()
                _print_summary(console, results, store)
                raise click.ClickException(str(error)) from error
    _print_summary(console, results, store)


def _when(value: object, *, day_only: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:%Y-%m-%d}" if day_only else f"{value:%Y-%m-%d %H:%M}"


def _print_summary(console: Console, results: list[ImportResult], store: Path) -> None:
    if not results:
        return
    # No vertical rules and one "days" column that may wrap: on an 80-column terminal (or a
    # pipe, which rich treats as 80 columns) the file name still gets room to be read.
    table = Table(title=f"Imported into {store}", box=box.SIMPLE_HEAD)
    table.add_column("file", overflow="fold", min_width=16)
    for heading in ("read", "loaded", "quarantined", "duplicates"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("days", min_width=13)
    for result in results:
        first = _when(result.first_received_local, day_only=True)
        last = _when(result.last_received_local, day_only=True)
        table.add_row(
            Path(result.source_file).name,
            f"{result.rows_read:,}",
            f"{result.rows_loaded:,}",
            f"{result.rows_quarantined:,}",
            f"{result.rows_duplicate:,}",
            f"{first} to {last}" if first else "",
        )
    if len(results) > 1:
        table.add_row(
            "all files",
            f"{sum(r.rows_read for r in results):,}",
            f"{sum(r.rows_loaded for r in results):,}",
            f"{sum(r.rows_quarantined for r in results):,}",
            f"{sum(r.rows_duplicate for r in results):,}",
            "",
            style="bold",
        )
    console.print(table)
    balanced = all(result.reconciles for result in results)
    console.print(
        "read = loaded + quarantined + duplicates: "
        + (
            "[green]reconciled for every file[/green]"
            if balanced
            else "[red]DOES NOT RECONCILE[/red]"
        )
        + f"; {sum(r.seconds for r in results):.1f} s in all"
        + f"   (local times, {results[0].city}; import ids: {', '.join(r.import_id for r in results)})"
    )
    for result in results:
        for warning in result.warnings:
            console.print(f"[yellow]warning[/yellow] {Path(result.source_file).name}: {warning}")

    reasons: dict[tuple[str, str], int] = {}
    for result in results:
        for kind, field, count in result.quarantine_reasons:
            reasons[(kind, field)] = reasons.get((kind, field), 0) + count
    if reasons:
        # The sentences go above the tables: a table's title is wrapped to the table's own
        # width, which for a narrow table broke them into a column of fragments.
        console.print("Top quarantine reasons (coresponse cad quarantine shows the rows):")
        reason_table = Table()
        reason_table.add_column("reason")
        reason_table.add_column("field")
        reason_table.add_column("rows", justify="right")
        for (kind, field), count in sorted(reasons.items(), key=lambda item: -item[1])[:8]:
            reason_table.add_row(kind, field, f"{count:,}")
        console.print(reason_table)

    unmapped: dict[str, int] = {}
    for result in results:
        for call_type, calls in result.unmapped_call_types:
            unmapped[call_type] = unmapped.get(call_type, 0) + calls
    unmapped_calls = sum(result.unmapped_calls for result in results)
    if unmapped_calls:
        loaded = sum(result.rows_loaded for result in results)
        codes = max(result.unmapped_codes for result in results)
        from coresponse.calltypes.mapping import user_mappings_dir

        mapping_file = user_mappings_dir() / f"{results[0].city}.csv"
        console.print(
            f"Unmapped call types: {unmapped_calls:,} of {loaded:,} calls loaded, "
            f"at least {codes:,} codes (map them in {mapping_file}, by hand or with "
            "coresponse calltypes suggest and review):"
        )
        unmapped_table = Table()
        unmapped_table.add_column("call type")
        unmapped_table.add_column("calls", justify="right")
        for call_type, calls in sorted(unmapped.items(), key=lambda item: -item[1])[:8]:
            unmapped_table.add_row(call_type, f"{calls:,}")
        console.print(unmapped_table)


@cad.command("quarantine")
@click.option(
    "--import", "import_id", default=None, help="An import id (default: the latest with bad rows)."
)
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows to show at most.",
)
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The DuckDB store.",
)
def quarantine_command(import_id: str | None, limit: int, into: Path | None) -> None:
    """List the rows an import set aside, with file, line, field and reason.

    \b
    Example:
      coresponse cad quarantine
      coresponse cad quarantine --import 20250101T120000-1a2b3c4d --limit 200
    """
    from coresponse.cad.store import quarantined_rows

    store = _store(into)
    if not store.exists():
        # "No quarantined rows" would read as a clean import for a mistyped --into.
        raise click.ClickException(
            f"no calls store at {store}: import calls first with "
            "`coresponse cad import FILE --profile CITY`"
        )
    rows = quarantined_rows(store, import_id=import_id, limit=limit)
    console = Console()
    if not rows:
        console.print("No quarantined rows" + (f" for import {import_id}." if import_id else "."))
        return
    table = Table(title=f"Quarantined rows of import {rows[0].import_id}")
    for heading in ("file", "line", "field", "reason", "raw row"):
        table.add_column(heading, overflow="fold")
    for row in rows:
        raw = (row.raw or "").replace("\n", "\\n")
        table.add_row(
            Path(row.source_file).name,
            str(row.source_line or ""),
            row.field or "(row)",
            row.reason,
            raw[:120] + ("…" if len(raw) > 120 else ""),
        )
    console.print(table)


@cad.command("summary")
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The DuckDB store.",
)
def summary_command(into: Path | None) -> None:
    """Calls per city with their date range, and the latest imports.

    \b
    Example:
      coresponse cad summary
    """
    from coresponse.cad.store import calls_by_city, recent_imports

    store = _store(into)
    console = Console()
    cities = calls_by_city(store)
    if not cities:
        console.print(f"No calls in {store} yet: run coresponse cad import FILE --profile CITY.")
        return
    table = Table(title=f"Calls in {store}")
    for heading in ("city", "calls", "first (local)", "last (local)", "date only"):
        table.add_column(heading, justify="right" if heading in {"calls", "date only"} else "left")
    for city in cities:
        table.add_row(
            city.city,
            f"{city.calls:,}",
            _when(city.first_received_local),
            _when(city.last_received_local),
            f"{city.time_unknown:,}",
        )
    console.print(table)
    # The import id (what `cad quarantine --import` takes) over its file name in one column
    # that folds: separate columns left both cut to "20261126T..." and "potential..." at 80
    # columns, and the files of one city often share a long prefix.
    imports = Table(title="Latest imports", box=box.SIMPLE_HEAD)
    imports.add_column("import / file", overflow="fold", min_width=24)
    imports.add_column("profile", overflow="fold")
    for heading in ("read", "loaded", "quarantined", "duplicates"):
        imports.add_column(heading, justify="right", no_wrap=True)
    for record in recent_imports(store, limit=10):
        imports.add_row(
            f"{record.import_id}\n{Path(record.source_file).name}",
            record.profile,
            f"{record.rows_read:,}",
            f"{record.rows_loaded:,}",
            f"{record.rows_quarantined:,}",
            f"{record.rows_duplicate:,}",
        )
    console.print(imports)
