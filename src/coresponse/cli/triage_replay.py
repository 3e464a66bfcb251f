"""``coresponse triage replay``: what a protocol would have done with every call in the store."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from coresponse.triage.replay import ReplayResult, RouteFigures

HOUR_BLOCKS = [(start, start + 3) for start in range(0, 24, 4)]


def _load_protocol(name: str, option: str) -> Any:
    from coresponse.triage import ProtocolError, load_protocol

    try:
        return load_protocol(name)
    except ProtocolError as error:
        raise click.BadParameter(str(error), param_hint=option) from error
    except (FileNotFoundError, KeyError, LookupError) as error:
        raise click.BadParameter(str(error), param_hint=option) from error


@click.command()
@click.option(
    "--calls",
    "calls_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The DuckDB calls store (default: calls.duckdb in CORESPONSE_DATA_DIR).",
)
@click.option(
    "--protocol",
    "protocol_name",
    required=True,
    help="A shipped protocol's name (civilian-first, co-responder, counsellor-first) or a .yaml file.",
)
@click.option("--compare", "compare_name", default=None, help="A second protocol, side by side.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report with charts to this HTML file (opens offline).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--city", default=None, help="Only this city's calls.")
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First day (local time), inclusive.",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day (local time), inclusive.",
)
@click.option(
    "--refresh-signals",
    is_flag=True,
    help="Read every call's remarks again instead of using the stored signals.",
)
@click.option(
    "--keep-signals",
    is_flag=True,
    help="Use the stored signals even if the remarks reader has changed since they were read.",
)
def replay(
    calls_path: Path | None,
    protocol_name: str,
    compare_name: str | None,
    html_path: Path | None,
    as_json: bool,
    city: str | None,
    start: datetime | None,
    end: datetime | None,
    refresh_signals: bool,
    keep_signals: bool,
) -> None:
    """Decide every historical call in the store by a protocol, and count where they go.

    Prints how many calls (and what share) each route takes, by category, hour of day
    and day of week, and the officer hours freed (time on scene from arrived/cleared
    where the data has it, category defaults otherwise). With --compare, both protocols
    side by side and a from -> to matrix of what moves. Remarks signals are read once
    per call and stored in the call_signals table, so later replays are fast.

    \b
    Example:
      coresponse triage replay --protocol civilian-first
      coresponse triage replay --calls var/calls.duckdb --protocol civilian-first \\
        --compare co-responder --html var/reports/replay.html
      coresponse triage replay --protocol counsellor-first --city seattle \\
        --from 2024-01-01 --to 2024-06-30 --json
    """
    import duckdb
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from coresponse import config
    from coresponse.triage.replay import ReplayError, ReplayFilters
    from coresponse.triage.replay import replay as replay_calls

    if refresh_signals and keep_signals:
        raise click.BadParameter("choose one of --refresh-signals and --keep-signals")
    if start and end and end < start:
        raise click.BadParameter(
            f"--to {end:%Y-%m-%d} is before --from {start:%Y-%m-%d}", param_hint="--to"
        )
    store = calls_path or config.calls_store_path()
    if not store.exists():
        raise click.ClickException(
            f"no calls store at {store}: import calls first with "
            "`coresponse cad import FILE --profile CITY`, or run `make demo-data`"
        )
    protocol = _load_protocol(protocol_name, "--protocol")
    compare = _load_protocol(compare_name, "--compare") if compare_name else None
    filters = ReplayFilters(
        city=city, start=start.date() if start else None, end=end.date() if end else None
    )
    errors = Console(stderr=True)
    started = time.perf_counter()
    try:
        connection = duckdb.connect(str(store))
    except duckdb.Error as error:
        raise click.ClickException(f"the calls store {store} cannot be opened: {error}") from error
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        ) as progress:
            task = progress.add_task("replaying", total=None)
            result = replay_calls(
                connection,
                protocol,
                compare=compare,
                filters=filters,
                rebuild_signals=refresh_signals,
                keep_signals=keep_signals,
                on_phase=lambda phase: progress.update(task, description=phase),
            )
    except ReplayError as error:
        raise click.ClickException(f"{store}: {error}") from error
    except duckdb.Error as error:
        raise click.ClickException(f"the replay failed on {store}: {error}") from error
    finally:
        connection.close()
    if html_path is not None:
        from coresponse.reports.replay import write_replay_report

        write_replay_report(result, html_path, store=str(store), generated_at=datetime.now(UTC))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    _summary(
        Console(), result, store=store, html_path=html_path, seconds=time.perf_counter() - started
    )


def _routes_used(result: ReplayResult) -> list[str]:
    figures = [result.primary, *([result.compare] if result.compare else [])]
    order = list(result.primary.routes)
    return [route for route in order if any(one.routes.get(route) for one in figures)] or order


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "-"


def _summary(
    console: Console, result: ReplayResult, *, store: Path, html_path: Path | None, seconds: float
) -> None:
    from rich.table import Table

    primary = result.primary
    routes = _routes_used(result)
    name = primary.protocol.name
    console.rule(
        f"{name} {primary.protocol.version} replayed over {result.calls:,} calls ({store})"
    )
    if result.calls == 0:
        console.print("[yellow]No calls matched: check --city, --from and --to.[/yellow]")
        return
    table = Table(title="Routes", title_justify="left")
    table.add_column("route")
    table.add_column(name, justify="right")
    table.add_column("share", justify="right")
    if result.compare:
        table.add_column(result.compare.protocol.name, justify="right")
        table.add_column("share", justify="right")
        table.add_column("change", justify="right")
    for route in routes:
        calls = primary.routes.get(route, 0)
        row = [route, f"{calls:,}", _share(calls, result.calls)]
        if result.compare:
            other = result.compare.routes.get(route, 0)
            row += [f"{other:,}", _share(other, result.calls), f"{other - calls:+,}"]
        table.add_row(*row)
    console.print(table)

    by_category = Table(
        title="By category (largest 8; share of each category's calls)", title_justify="left"
    )
    by_category.add_column("category")
    for route in routes:
        by_category.add_column(route, justify="right")
    for category, counts in list(primary.by_category.items())[:8]:
        total = sum(counts.values())
        by_category.add_row(category, *(_share(counts.get(route, 0), total) for route in routes))
    console.print(by_category)

    _by_time(console, primary, routes)
    if result.compare and result.moves:
        moves = Table(
            title=f"What moves: {name} (rows) -> {result.compare.protocol.name} (columns)",
            title_justify="left",
        )
        moves.add_column("from \\ to")
        for route in routes:
            moves.add_column(route, justify="right")
        for source in routes:
            moves.add_row(
                source, *(f"{result.moves[source].get(target, 0):,}" for target in routes)
            )
        console.print(moves)
    for figures in (primary, result.compare):
        if figures is None:
            continue
        hours = figures.officer_hours
        console.print(
            f"[bold]{figures.protocol.name}[/bold]: {hours.hours_freed:,.0f} officer hours freed "
            f"over {hours.calls_freed:,} calls sent no officer ({hours.method})."
        )
    signals = result.signals
    notes = []
    if signals.used:
        notes.append(
            f"signals: {signals.added:,} calls' remarks read now, {signals.calls_with_signals:,} with remarks in all"
            + (" (rebuilt)" if signals.rebuilt else "")
        )
    if result.hours_unknown:
        notes.append(
            f"{result.hours_unknown:,} calls have no time of day (a date-only export): no "
            "team-hours rule can apply to them, so they take the protocol's off-duty routes"
        )
    notes.append(f"{seconds:.1f} s")
    console.print("[dim]" + "; ".join(notes) + "[/dim]")
    if html_path is not None:
        console.print(f"Report with charts: {html_path}")


def _by_time(console: Console, figures: RouteFigures, routes: list[str]) -> None:
    from rich.table import Table

    table = Table(title="By hour of day and day of week (calls)", title_justify="left")
    table.add_column("when")
    for route in routes:
        table.add_column(route, justify="right")
    for first, last in HOUR_BLOCKS:
        counts = [
            sum(figures.by_hour[f"{hour:02d}"].get(route, 0) for hour in range(first, last + 1))
            for route in routes
        ]
        table.add_row(f"{first:02d}-{last:02d}h", *(f"{value:,}" for value in counts))
    table.add_section()
    for weekday, by_route in figures.by_weekday.items():
        table.add_row(weekday, *(f"{by_route.get(route, 0):,}" for route in routes))
    console.print(table)
