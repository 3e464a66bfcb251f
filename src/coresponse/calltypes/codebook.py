"""Reading a city's codebook (a CSV of its call types) and checking it before any work.

A codebook has a ``call_type`` column and, optionally, the number of calls of each type
(``count``, or a single column whose name starts with ``count``, such as
``count_2014_2018``). Anything wrong is a ``CodebookError`` naming the file, line and field;
nothing is dropped. The same call type on several rows (Seattle lists a text once as an
initial and once as a final call type) is allowed and reported, not merged away.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_LISTED = 5


class CodebookError(ValueError):
    """The codebook cannot be read as given; the message says where and why."""


@dataclass(frozen=True)
class CodebookRow:
    line: int  # line number in the file, header is line 1
    call_type: str
    calls: int | None
    values: dict[str, str]


@dataclass
class Codebook:
    path: Path
    columns: list[str]
    rows: list[CodebookRow]
    count_column: str | None
    duplicates: dict[str, list[int]] = field(default_factory=dict)

    def volumes(self) -> dict[str, int]:
        """Calls per call type (added up over duplicate rows); 1 per row without counts."""
        totals: dict[str, int] = {}
        for row in self.rows:
            totals[row.call_type] = totals.get(row.call_type, 0) + (
                row.calls if row.calls is not None else 1
            )
        return totals

    def duplicate_note(self) -> str | None:
        """A sentence about call types listed on more than one row, or None."""
        if not self.duplicates:
            return None
        examples = "; ".join(
            f"{text!r} on lines {', '.join(map(str, lines))}"
            for text, lines in list(self.duplicates.items())[:MAX_LISTED]
        )
        return (
            f"{self.path}: {len(self.duplicates)} call type(s) appear on more than one row "
            f"({examples}{'; ...' if len(self.duplicates) > MAX_LISTED else ''}). Every row is kept "
            "and gets the same suggestion; their calls are added up for review."
        )


def decode_utf8(path: Path) -> str:
    """The file's text; a byte-order mark is allowed, any other non-UTF-8 byte is an error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise CodebookError(f"{path}: no such file") from error
    except OSError as error:
        raise CodebookError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise CodebookError(
            f"{path}, line {line}, byte {column}: not UTF-8 text (byte 0x{raw[error.start]:02x}); "
            "save the file as UTF-8 (in a spreadsheet: CSV UTF-8) and try again"
        ) from error


def pick_count_column(columns: list[str], wanted: str | None, path: Path) -> str | None:
    if wanted is not None:
        if wanted not in columns:
            raise CodebookError(
                f"{path}: no column {wanted!r} for call counts (columns: {', '.join(columns)})"
            )
        return wanted
    if "count" in columns:
        return "count"
    candidates = [column for column in columns if column.lower().startswith("count")]
    return candidates[0] if len(candidates) == 1 else None


def read_codebook(path: Path, *, count_column: str | None = None) -> Codebook:
    """The codebook's rows, each checked; raises ``CodebookError`` on the first kind of fault.

    Faults found in several rows are reported together (up to a few line numbers), so one
    run shows the analyst everything to fix.
    """
    text = decode_utf8(path)
    if not text.strip():
        raise CodebookError(
            f"{path}: the file is empty; it needs a header line with a call_type column"
        )
    # strict: a quote that is never closed is an error, not a field that swallows every
    # row after it; newline="" keeps line ends inside quoted fields as the file has them.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise CodebookError(f"{path}, line 1: the header is not readable CSV ({error})") from error
    columns = [name.strip() for name in (fieldnames or [])]
    reader.fieldnames = columns
    if "call_type" not in columns:
        near = [name for name in columns if name.lower().replace(" ", "_") == "call_type"]
        hint = f" (did you mean {near[0]!r}? rename it call_type)" if near else ""
        raise CodebookError(
            f"{path}, line 1: no call_type column{hint}; its columns are: {', '.join(columns)}"
        )
    counts_from = pick_count_column(columns, count_column, path)
    rows: list[CodebookRow] = []
    blank: list[int] = []
    bad_counts: list[str] = []
    ragged: list[int] = []
    seen: dict[str, list[int]] = {}
    for line, record in _records(reader, columns, path):
        if None in record:
            ragged.append(line)
            continue
        call_type = (record.get("call_type") or "").strip()
        if not call_type:
            blank.append(line)
            continue
        calls: int | None = None
        if counts_from is not None:
            raw_count = (record.get(counts_from) or "").strip().replace(",", "")
            if raw_count:
                try:
                    calls = int(float(raw_count))
                    if calls < 0:
                        raise ValueError
                except ValueError:
                    bad_counts.append(f"line {line} ({raw_count!r})")
        rows.append(
            CodebookRow(
                line=line,
                call_type=call_type,
                calls=calls,
                values={k: v or "" for k, v in record.items() if k is not None},
            )
        )
        seen.setdefault(call_type, []).append(line)
    problems = []
    if ragged:
        problems.append(f"more fields than the header has columns on line(s) {_lines(ragged)}")
    if blank:
        problems.append(f"field call_type is blank on line(s) {_lines(blank)}")
    if bad_counts:
        problems.append(
            f"field {counts_from} is not a whole number of calls on {', '.join(bad_counts[:MAX_LISTED])}"
        )
    if problems:
        raise CodebookError(f"{path}: " + "; ".join(problems))
    if not rows:
        raise CodebookError(f"{path}: the file has a header but no call types")
    duplicates = {text: lines for text, lines in seen.items() if len(lines) > 1}
    return Codebook(
        path=path, columns=columns, rows=rows, count_column=counts_from, duplicates=duplicates
    )


def _records(
    reader: csv.DictReader[str], columns: list[str], path: Path
) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """Each row as ``csv.DictReader`` makes it, with the physical line it starts on.

    A quoted field may span lines and blank lines are skipped, so the row's index is not its
    line; the underlying reader's ``line_num`` before each row is.
    """
    rows = reader.reader
    while True:
        end_of_previous = rows.line_num
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            hint = (
                "a quote opened on this line is never closed"
                if "end of data" in str(error)
                else "a quoted field must end at its closing quote"
            )
            raise CodebookError(
                f"{path}, line {end_of_previous + 1}: not readable CSV ({error}); {hint}"
            ) from error
        if not row:
            continue
        record: dict[str | None, Any] = dict(zip(columns, row, strict=False))
        if len(row) > len(columns):
            record[None] = row[len(columns) :]
        for name in columns[len(row) :]:
            record[name] = None
        yield end_of_previous + 1, record


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:MAX_LISTED])
    return shown + (f" and {len(numbers) - MAX_LISTED} more" if len(numbers) > MAX_LISTED else "")
