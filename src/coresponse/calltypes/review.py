"""The review queue: which suggested codes an analyst should look at first, and corrections.

A code's place in the queue is its expected number of wrongly mapped calls,
``calls x (1 - confidence)``: a busy code the suggester doubts comes first, a rare code or a
sure one last. Reviewing from the top therefore covers the most call volume and the most
doubt for the fewest codes. Corrections (and confirmations) become ``reviewed`` rows of the
city's mapping, which the suggester takes as given and learns from next time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coresponse.calltypes.codebook import CodebookError, decode_utf8, read_codebook
from coresponse.calltypes.mapping import MappedType, MappingRow
from coresponse.calltypes.taxonomy import apco_code_set, canonical_category

COVERAGE_STEPS = (5, 10, 25, 50, 100, 250)


@dataclass(frozen=True)
class ReviewItem:
    call_type: str
    category: str
    apco_code: str | None
    confidence: float
    needs_review: bool
    calls: int
    lines: tuple[int, ...]

    @property
    def doubt(self) -> float:
        """Expected calls mapped wrongly: the volume the suggester is unsure of."""
        return self.calls * (1.0 - self.confidence)


@dataclass(frozen=True)
class Coverage:
    codes: int
    calls_share: float
    doubt_share: float


@dataclass(frozen=True)
class Correction:
    call_type: str
    category: str
    apco_code: str | None
    line: int


def read_suggestions(path: Path, *, count_column: str | None = None) -> list[ReviewItem]:
    """The output of ``calltypes suggest`` (or any CSV with call_type, category, confidence).

    Rows of the same call type are one item with their calls added up.
    """
    codebook = read_codebook(path, count_column=count_column)
    missing = [column for column in ("category", "confidence") if column not in codebook.columns]
    if missing:
        raise CodebookError(
            f"{path}, line 1: no {' or '.join(missing)} column; review reads the output of "
            "`coresponse calltypes suggest`"
        )
    items: dict[str, ReviewItem] = {}
    for row in codebook.rows:
        where = f"{path}, line {row.line}"
        category = canonical_category(row.values.get("category", ""))
        if category is None:
            raise CodebookError(
                f"{where}, field category: {row.values.get('category')!r} is not a shared category"
            )
        try:
            confidence = float(row.values.get("confidence", ""))
        except ValueError as error:
            raise CodebookError(
                f"{where}, field confidence: {row.values.get('confidence')!r} is not a number"
            ) from error
        if not 0.0 <= confidence <= 1.0:
            raise CodebookError(f"{where}, field confidence: {confidence} is not between 0 and 1")
        needs_review = row.values.get("needs_review", "").strip().lower() in {"true", "1", "yes"}
        calls = row.calls if row.calls is not None else 1
        previous = items.get(row.call_type)
        if previous is None:
            items[row.call_type] = ReviewItem(
                call_type=row.call_type,
                category=category,
                apco_code=row.values.get("apco_code", "").strip() or None,
                confidence=confidence,
                needs_review=needs_review,
                calls=calls,
                lines=(row.line,),
            )
        else:
            items[row.call_type] = ReviewItem(
                call_type=previous.call_type,
                category=previous.category,
                apco_code=previous.apco_code,
                confidence=min(previous.confidence, confidence),
                needs_review=previous.needs_review or needs_review,
                calls=previous.calls + calls,
                lines=(*previous.lines, row.line),
            )
    return list(items.values())


def review_queue(items: Iterable[ReviewItem]) -> list[ReviewItem]:
    """Most expected wrong calls first; ties go to the busier code, then the text."""
    return sorted(items, key=lambda item: (-item.doubt, -item.calls, item.call_type))


def coverage(queue: Sequence[ReviewItem], steps: Iterable[int] = COVERAGE_STEPS) -> list[Coverage]:
    """For each K in ``steps`` smaller than the queue, the share of calls and of doubt covered."""
    total_calls = sum(item.calls for item in queue) or 1
    total_doubt = sum(item.doubt for item in queue) or 1.0
    result = []
    for codes in steps:
        if codes >= len(queue):
            break
        top = queue[:codes]
        result.append(
            Coverage(
                codes=codes,
                calls_share=sum(item.calls for item in top) / total_calls,
                doubt_share=sum(item.doubt for item in top) / total_doubt,
            )
        )
    return result


def read_corrections(path: Path) -> list[Correction]:
    """Corrections from a CSV with call_type and category (and optionally apco_code).

    Every row must be usable: a blank call type, a category outside the taxonomy or an
    unknown APCO code is an error naming the line, never a silently skipped correction.
    """
    text = decode_utf8(path)
    if not text.strip():
        raise CodebookError(f"{path}: the file is empty; it needs call_type and category columns")
    reader = csv.DictReader(text.splitlines())
    columns = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [column for column in ("call_type", "category") if column not in columns]
    if missing:
        raise CodebookError(
            f"{path}, line 1: no {' or '.join(missing)} column; columns are: {', '.join(columns)}"
        )
    corrections: list[Correction] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        call_type = (row.get("call_type") or "").strip()
        category_text = (row.get("category") or "").strip()
        apco_code = (row.get("apco_code") or "").strip() or None
        category = canonical_category(category_text)
        if not call_type:
            problems.append(f"line {line}, field call_type: blank")
        elif call_type in seen:
            problems.append(
                f"line {line}, field call_type: {call_type!r} is already corrected on line {seen[call_type]}"
            )
        if category is None:
            problems.append(
                f"line {line}, field category: {category_text!r} is not a shared category"
            )
        if apco_code is not None and apco_code not in apco_code_set():
            problems.append(
                f"line {line}, field apco_code: {apco_code!r} is not an APCO incident type"
            )
        if call_type and category is not None and call_type not in seen:
            corrections.append(
                Correction(call_type=call_type, category=category, apco_code=apco_code, line=line)
            )
        seen.setdefault(call_type, line)
    if problems:
        raise CodebookError(
            f"{path}: " + "; ".join(problems[:10]) + (" ..." if len(problems) > 10 else "")
        )
    return corrections


def reviewed_rows(
    corrections: Iterable[Correction], items: Iterable[ReviewItem]
) -> list[MappingRow]:
    """Mapping rows for corrections, carrying the calls the review input gave each code."""
    calls = {item.call_type: item.calls for item in items}
    return [
        MappingRow(
            mapped=MappedType(
                call_type=correction.call_type,
                category=correction.category,
                apco_code=correction.apco_code,
                source="reviewed",
            ),
            calls=calls.get(correction.call_type),
            confidence=1.0,
        )
        for correction in corrections
    ]
