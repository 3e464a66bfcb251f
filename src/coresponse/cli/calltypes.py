"""``coresponse calltypes``: map a city's call types onto the shared categories and APCO codes."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.prompt import Prompt
from rich.table import Table

if TYPE_CHECKING:
    from coresponse.calltypes.review import ReviewItem

OUTPUT_COLUMNS = ("category", "apco_code", "confidence", "needs_review")


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


# Options several sub-commands share, defined once so their meaning cannot drift apart.
count_column_option = click.option(
    "--count-column",
    default=None,
    help="Column with the number of calls (default: 'count', or the one column named count*).",
)
mapping_dir_option = click.option(
    "--mapping-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Mappings folder instead of $CORESPONSE_DATA_DIR/calltypes/mappings.",
)

@click.group()
def calltypes() -> None:
    """Map call types onto the shared categories and APCO codes: suggest, review, curate.

    \b
    Example:
      coresponse calltypes suggest codebook.csv --out suggested.csv --city springfield
      coresponse calltypes review suggested.csv --city springfield
    """


@calltypes.command()
@click.argument("codebook", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV to write: every input row and column, plus the suggestion.",
)
@click.option(
    "--city", default=None, help="Use this city's mapping: its decided codes are taken as they are."
)
@count_column_option
@mapping_dir_option
def suggest(
    codebook: Path, out: Path, city: str | None, count_column: str | None, mapping_dir: Path | None
) -> None:
    """Suggest a category, an APCO code and a confidence for every call type of CODEBOOK.

    CODEBOOK is a CSV with a call_type column and, optionally, a count column (calls of
    that type). The output has every input row and column plus category, apco_code,
    confidence (0-1) and needs_review (true/false). It works offline, on codebooks of
    cities it has never seen.

    \b
    Example:
      coresponse calltypes suggest codebook.csv --out suggested.csv
      coresponse calltypes suggest codebook.csv --out suggested.csv --city springfield
    """
    from coresponse.calltypes.codebook import CodebookError, read_codebook
    from coresponse.calltypes.mapping import MappingError
    from coresponse.calltypes.training import suggester_for

    console = Console(stderr=True)
    try:
        book = read_codebook(codebook, count_column=count_column)
        note = book.duplicate_note()
        if note:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
        with console.status("training the suggester"):
            suggester = suggester_for(city, mapping_dir=mapping_dir)
        with console.status(f"suggesting {len(book.rows)} rows"):
            suggestions = suggester.suggest([row.call_type for row in book.rows])
    except (CodebookError, MappingError) as error:
        raise _fail(error) from error

    renamed = {column: f"input_{column}" for column in book.columns if column in OUTPUT_COLUMNS}
    if renamed:
        console.print(
            f"[yellow]note:[/yellow] the input already has {', '.join(renamed)}; kept as "
            f"{', '.join(renamed.values())}",
            highlight=False,
        )
    header = [renamed.get(column, column) for column in book.columns] + list(OUTPUT_COLUMNS)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row, suggestion in zip(book.rows, suggestions, strict=True):
            writer.writerow(
                [row.values.get(column, "") for column in book.columns]
                + [
                    suggestion.category,
                    suggestion.apco_code or "",
                    f"{suggestion.confidence:.4f}",
                    "true" if suggestion.needs_review else "false",
                ]
            )
    _suggest_summary(book.rows, suggestions, out)


def _suggest_summary(rows: Sequence[object], suggestions: Sequence[object], out: Path) -> None:
    from coresponse.calltypes.codebook import CodebookRow
    from coresponse.calltypes.suggest import Suggestion

    console = Console()
    volume: dict[str, int] = {}
    distinct: dict[str, Suggestion] = {}
    for row, suggestion in zip(rows, suggestions, strict=True):
        assert isinstance(row, CodebookRow) and isinstance(suggestion, Suggestion)
        volume[row.call_type] = volume.get(row.call_type, 0) + (
            row.calls if row.calls is not None else 1
        )
        distinct[row.call_type] = suggestion
    total = sum(volume.values()) or 1
    by_category: dict[str, int] = {}
    for call_type, suggestion in distinct.items():
        by_category[suggestion.category] = (
            by_category.get(suggestion.category, 0) + volume[call_type]
        )
    table = Table(title="suggested categories by calls", title_justify="left")
    table.add_column("category")
    table.add_column("codes", justify="right")
    table.add_column("calls", justify="right")
    for category, calls in sorted(by_category.items(), key=lambda item: -item[1]):
        codes = sum(1 for suggestion in distinct.values() if suggestion.category == category)
        table.add_row(category, str(codes), f"{calls / total:.1%}")
    console.print(table)
    flagged = [call_type for call_type, suggestion in distinct.items() if suggestion.needs_review]
    from_mapping = sum(1 for suggestion in distinct.values() if suggestion.basis == "mapping")
    console.print(
        f"{len(rows)} rows, {len(distinct)} distinct call types ({from_mapping} from the city's mapping); "
        f"{len(flagged)} need review, covering {sum(volume[c] for c in flagged) / total:.1%} of calls.",
        highlight=False,
    )
    console.print(
        f"written to {out}; next: coresponse calltypes review {out} --city NAME", highlight=False
    )


@calltypes.command()
@click.argument("suggestions", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--city",
    default=None,
    help="City whose mapping receives the corrections (needed to save them).",
)
@click.option(
    "--accept-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="CSV of corrections (call_type, category[, apco_code]) to save without prompting.",
)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Codes to show (and to ask about, when interactive).",
)
@count_column_option
@mapping_dir_option
@click.option(
    "--no-input", is_flag=True, help="Never prompt: show the queue and save only --accept-file."
)
@click.option(
    "--ask",
    is_flag=True,
    help="Prompt even when standard input is not a terminal (answers piped in, one a line).",
)
def review(
    suggestions: Path,
    city: str | None,
    accept_file: Path | None,
    limit: int,
    count_column: str | None,
    mapping_dir: Path | None,
    no_input: bool,
    ask: bool,
) -> None:
    """Show the review queue of SUGGESTIONS and save corrections to the city's mapping.

    The queue puts first the codes with the most calls the suggester may have wrong
    (calls x (1 - confidence)), and says how much of the calls the top codes cover.
    Corrections come from --accept-file, or from prompts when run in a terminal (Enter
    keeps the suggestion, a number picks another category, s skips, q stops). They are
    saved as reviewed rows of the city's mapping, which the next suggestions use.

    \b
    Example:
      coresponse calltypes review suggested.csv --city springfield
      coresponse calltypes review suggested.csv --city springfield --accept-file corrections.csv
    """
    from coresponse.calltypes.codebook import CodebookError
    from coresponse.calltypes.mapping import MappingError, save_rows
    from coresponse.calltypes.review import (
        Correction,
        coverage,
        read_corrections,
        read_suggestions,
        review_queue,
        reviewed_rows,
    )
    from coresponse.calltypes.taxonomy import categories

    console = Console()
    try:
        items = read_suggestions(suggestions, count_column=count_column)
        corrections = read_corrections(accept_file) if accept_file else []
    except (CodebookError, MappingError) as error:
        raise _fail(error) from error
    if corrections and city is None:
        raise click.UsageError("--city is needed to save corrections to a city's mapping")
    queue = review_queue(items)
    flagged = [item for item in queue if item.needs_review]
    total_calls = sum(item.calls for item in queue) or 1
    console.print(
        f"{len(queue)} call types, {sum(item.calls for item in queue)} calls; {len(flagged)} flagged "
        f"for review, covering {sum(item.calls for item in flagged) / total_calls:.1%} of calls.",
        highlight=False,
    )
    for step in coverage(queue):
        console.print(
            f"reviewing the top {step.codes} codes covers {step.calls_share:.1%} of calls "
            f"and {step.doubt_share:.1%} of the doubt",
            highlight=False,
        )
    table = Table(title=f"review queue (top {min(limit, len(queue))})", title_justify="left")
    for column, justify in (
        ("#", "right"),
        ("call type", "left"),
        ("calls", "right"),
        ("suggested", "left"),
        ("confidence", "right"),
        ("review", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for position, item in enumerate(queue[:limit], start=1):
        table.add_row(
            str(position),
            item.call_type,
            str(item.calls),
            item.category,
            f"{item.confidence:.2f}",
            "yes" if item.needs_review else "",
        )
    console.print(table)

    interactive = not accept_file and not no_input and (ask or sys.stdin.isatty())
    if interactive:
        if city is None:
            raise click.UsageError("--city is needed to save what you review")
        names = categories()
        console.print(
            "categories: "
            + "; ".join(f"{number} {name}" for number, name in enumerate(names, start=1)),
            highlight=False,
        )
        for item in queue[:limit]:
            answer = _ask(console, item, len(names))
            if answer == "q":
                break
            if answer == "s":
                continue
            chosen = item.category if answer == "" else names[int(answer) - 1]
            corrections.append(Correction(item.call_type, chosen, item.apco_code, 0))
    if not corrections:
        if city is not None and not interactive:
            console.print(
                "no corrections given (use --accept-file, or run in a terminal to be asked)"
            )
        return
    assert city is not None
    known = {item.call_type for item in items}
    outside = [
        correction.call_type for correction in corrections if correction.call_type not in known
    ]
    try:
        path = save_rows(city, reviewed_rows(corrections, items), mapping_dir)
    except MappingError as error:
        raise _fail(error) from error
    changed = sum(
        1
        for correction in corrections
        if any(
            item.call_type == correction.call_type and item.category != correction.category
            for item in items
        )
    )
    console.print(
        f"saved {len(corrections)} reviewed call types ({changed} changed category) to {path}",
        highlight=False,
    )
    if outside:
        console.print(
            f"[yellow]note:[/yellow] {len(outside)} corrected call type(s) are not in {suggestions} "
            f"and were saved all the same: {', '.join(repr(text) for text in outside[:5])}",
            highlight=False,
        )


def _ask(console: Console, item: ReviewItem, choices: int) -> str:
    """One reviewer answer, asked again until valid: "" keeps, 1-N changes, s skips, q stops."""
    while True:
        answer = Prompt.ask(
            f"[bold]{item.call_type}[/bold] ({item.calls} calls) -> {item.category} "
            f"({item.confidence:.2f}). Enter keeps, 1-{choices} changes, s skips, q stops",
            default="",
            show_default=False,
            console=console,
        )
        answer = answer.strip().lower()
        if answer in {"", "s", "q"} or (answer.isdigit() and 1 <= int(answer) <= choices):
            return answer
        console.print(f"[yellow]{answer!r} is not a choice[/yellow]")


@calltypes.command()
@click.argument("codebook", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--city", required=True, help="The city the codebook belongs to, e.g. new_orleans.")
@count_column_option
@click.option(
    "--mapping-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write here instead of $CORESPONSE_DATA_DIR/calltypes/mappings.",
)
def curate(codebook: Path, city: str, count_column: str | None, mapping_dir: Path | None) -> None:
    """Build the city's mapping from a codebook an analyst labelled (call_type, category).

    Analysts' labels are kept (source analyst); blank ones are filled by the suggester and
    marked suggested, with their confidence, for review. The mapping is written to the
    user's mappings folder, where it replaces the shipped rows of the same call types.

    \b
    Example:
      coresponse calltypes curate labelled_codebook.csv --city springfield
    """
    from coresponse.calltypes.codebook import CodebookError, read_codebook
    from coresponse.calltypes.curate import curate as build
    from coresponse.calltypes.mapping import (
        MappingError,
        mapping_path,
        read_mapping_file,
        user_mappings_dir,
        write_mapping_file,
    )

    console = Console()
    try:
        book = read_codebook(codebook, count_column=count_column)
        note = book.duplicate_note()
        if note:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
        result = build(book, city=city, mapping_dir=mapping_dir)
        target = mapping_path(city, mapping_dir or user_mappings_dir())
        # A reviewer's decision outranks the codebook it came from: keep reviewed rows.
        rows = {row.mapped.call_type: row for row in result.rows}
        if target.exists():
            for key, row in read_mapping_file(target).items():
                if row.mapped.source == "reviewed" or key not in rows:
                    rows[key] = row
        path = write_mapping_file(target, rows.values())
    except (CodebookError, MappingError) as error:
        raise _fail(error) from error
    for conflict in result.conflicts:
        console.print(f"[yellow]conflicting labels:[/yellow] {conflict}", highlight=False)
    console.print(
        f"{len(result.rows)} call types: {result.labelled} labelled by the analyst, "
        f"{result.suggested} suggested (review them: source=suggested); written to {path}",
        highlight=False,
    )
