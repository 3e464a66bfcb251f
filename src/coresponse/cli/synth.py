"""``coresponse synth``: write a synthetic city's calls in that city's own export format."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click


@click.command()
@click.option(
    "--city",
    required=True,
    type=click.Choice(["seattle", "new_orleans", "detroit"]),
    help="Whose codebook, geography and export format to use.",
)
@click.option("--calls", required=True, type=click.IntRange(min=1), help="How many calls.")
@click.option("--seed", default=1, show_default=True, type=int,
              help="Random seed: the same arguments always give the same file.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.csv or FILE.parquet; the facts behind the remarks go to FILE.csv.facts.parquet.",
)
@click.option(
    "--start",
    default="2024-01-01",
    show_default=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day of the period (the city's local date).",
)
@click.option("--days", default=365, show_default=True, type=click.IntRange(min=1),
              help="Length of the period in days.")
@click.option("--chunk-size", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Calls generated at a time (bounds memory; part of what the seed means).")
def synth(
    city: str, calls: int, seed: int, out: Path, start: datetime, days: int, chunk_size: int
) -> None:
    """Write a synthetic city: CAD calls in CITY's own export format, with remarks.

    Call types follow the city's real codebook and frequencies; times follow the city's
    clock; a few people call again and again. The columns are the city's published ones
    plus the ones a CAD keeps inside (remarks, caller name, date of birth, phone), so
    `coresponse cad import --profile CITY` reads the file unchanged. The facts each remark
    was written from go to OUT.facts.parquet, keyed by event id.

    \b
    Example:
      coresponse synth --city seattle --calls 100000 --seed 1 --out var/seattle.csv
      coresponse synth --city detroit --calls 10000 --seed 7 --out var/detroit.parquet --days 30
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    from rich.table import Table

    from coresponse.synth.generate import SynthError, write

    console = Console(stderr=True)
    try:
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=console, transient=True,
        ) as progress:
            task = progress.add_task(f"synthesising {city}", total=calls)
            summary = write(
                city, calls, seed, out, start=start.date(), days=days, chunk_size=chunk_size,
                progress=lambda done: progress.advance(task, done),
            )
    except SynthError as error:
        raise click.UsageError(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error}") from error

    table = Table(title=f"synthetic {city}", show_header=False)
    table.add_row("calls", f"{summary.calls:,}")
    table.add_row("first call", summary.first_call)
    table.add_row("last call", summary.last_call)
    table.add_row("file", f"{summary.path} ({summary.path.stat().st_size / 1e6:,.1f} MB)")
    table.add_row("facts", str(summary.facts_path))
    rate = summary.calls / summary.seconds if summary.seconds else float("inf")
    table.add_row("time", f"{summary.seconds:.1f} s ({rate:,.0f} calls/s)")
    Console().print(table)
