"""A city's call-type mapping: its own code beside the shared ``category`` and ``apco_code``.

Two places hold mappings, and the user's wins:

- ``mappings/<city>.csv`` inside the package: the curated mappings shipped with CoResponse
  (analysts' labels, blanks filled by the suggester and marked ``suggested``);
- ``$CORESPONSE_DATA_DIR/calltypes/mappings/<city>.csv``: the user's own rows, written by
  ``coresponse calltypes review`` and ``curate``, or edited by hand. An installed package's
  files are never edited in place; a row here replaces the shipped row of the same call type.

Columns: ``call_type, category, apco_code, source, calls, confidence``; only ``call_type``
is required. ``source`` says whose decision a row is: ``analyst`` (a labelled codebook),
``reviewed`` (a correction or confirmation in review), or ``suggested`` (the suggester's guess).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coresponse.calltypes.taxonomy import apco_code_set, canonical_category
from coresponse.config import data_dir

MAPPINGS_DIR = Path(__file__).with_name("mappings")
MAPPING_COLUMNS = ("call_type", "category", "apco_code", "source", "calls", "confidence")
SOURCES = frozenset({"analyst", "reviewed", "suggested", "curated"})


class MappingError(ValueError):
    """A mapping file cannot be used; the message names the file, line and field."""


@dataclass(frozen=True)
class MappedType:
    call_type: str
    category: str | None
    apco_code: str | None
    source: str


@dataclass(frozen=True)
class MappingRow:
    """One row of a mapping file, with what ``MappedType`` leaves out."""

    mapped: MappedType
    calls: int | None = None
    confidence: float | None = None


_CITY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def mapping_path(city: str, directory: Path | None = None) -> Path:
    if not _CITY_NAME.match(city):
        raise MappingError(
            f"city {city!r}: use lower-case letters, digits, '_' or '-' (e.g. new_orleans)"
        )
    return (directory or MAPPINGS_DIR) / f"{city}.csv"


def user_mappings_dir() -> Path:
    """Where the user's mappings live: ``$CORESPONSE_DATA_DIR/calltypes/mappings``."""
    return data_dir() / "calltypes" / "mappings"


def read_mapping_file(path: Path) -> dict[str, MappingRow]:
    """Every row of one mapping file, keyed by call type, checked as it is read.

    A category outside the taxonomy, an unknown APCO code, a blank call type or a call type
    listed twice is an error naming the line: a mapping is the city's decision, and a
    silently skipped row would change what the import counts.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MappingError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise MappingError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x})"
        ) from error
    if not text.strip():
        return {}
    # strict: a quote never closed is an error, not one call type swallowing the rows after it
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise MappingError(f"{path}, line 1: not readable CSV ({error})") from error
    if "call_type" not in fieldnames:
        raise MappingError(f"{path}: no call_type column (columns: {', '.join(fieldnames)})")
    rows: dict[str, MappingRow] = {}
    first_line: dict[str, int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise MappingError(
                f"{path}, line {reader.line_num}: not readable CSV ({error}); "
                "is a quote on this line or above never closed?"
            ) from error
        line_number = reader.line_num  # the row's last physical line (a row is usually one)
        where = f"{path}, line {line_number}"
        if None in row:
            raise MappingError(f"{where}: more fields than the header has columns")
        call_type = (row.get("call_type") or "").strip()
        if not call_type:
            raise MappingError(f"{where}, field call_type: blank")
        if call_type in rows:
            raise MappingError(
                f"{where}, field call_type: {call_type!r} is already mapped on line {first_line[call_type]}"
            )
        category_text = (row.get("category") or "").strip()
        category = canonical_category(category_text) if category_text else None
        if category_text and category is None:
            raise MappingError(
                f"{where}, field category: {category_text!r} is not one of the shared categories"
            )
        apco_code = (row.get("apco_code") or "").strip() or None
        if apco_code is not None and apco_code not in apco_code_set():
            raise MappingError(
                f"{where}, field apco_code: {apco_code!r} is not an APCO incident type"
            )
        source = (row.get("source") or "").strip() or "curated"
        if source not in SOURCES:
            raise MappingError(f"{where}, field source: {source!r} is not one of {sorted(SOURCES)}")
        rows[call_type] = MappingRow(
            mapped=MappedType(
                call_type=call_type, category=category, apco_code=apco_code, source=source
            ),
            calls=_optional_int(row.get("calls"), where),
            confidence=_optional_float(row.get("confidence"), where),
        )
        first_line[call_type] = line_number
    return rows


def _optional_int(value: str | None, where: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(float(value))
    except ValueError as error:
        raise MappingError(f"{where}, field calls: {value!r} is not a number") from error


def _optional_float(value: str | None, where: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError as error:
        raise MappingError(f"{where}, field confidence: {value!r} is not a number") from error


def load_mapping_rows(city: str, directory: Path | None = None) -> dict[str, MappingRow]:
    """The city's mapping rows: the shipped file overlaid by the user's, or one directory's."""
    if directory is not None:
        path = mapping_path(city, directory)
        return read_mapping_file(path) if path.exists() else {}
    rows: dict[str, MappingRow] = {}
    for folder in (MAPPINGS_DIR, user_mappings_dir()):
        path = mapping_path(city, folder)
        if path.exists():
            rows.update(read_mapping_file(path))
    return rows


def load_mapping(city: str, directory: Path | None = None) -> dict[str, MappedType]:
    """The city's mapping keyed by call type; empty when the city has none yet.

    Without ``directory``, the user's rows (``user_mappings_dir()``) replace the shipped
    rows of the same call type.
    """
    return {key: row.mapped for key, row in load_mapping_rows(city, directory).items()}


def write_mapping_file(path: Path, rows: Iterable[MappingRow]) -> Path:
    """Write rows (sorted by call type) atomically, so a crash never leaves half a mapping."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows, key=lambda row: row.mapped.call_type)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(MAPPING_COLUMNS)
            for row in ordered:
                writer.writerow(
                    [
                        row.mapped.call_type,
                        row.mapped.category or "",
                        row.mapped.apco_code or "",
                        row.mapped.source,
                        "" if row.calls is None else row.calls,
                        "" if row.confidence is None else f"{row.confidence:.4f}",
                    ]
                )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_rows(city: str, rows: Iterable[MappingRow], directory: Path | None = None) -> Path:
    """Merge rows into the city's mapping in ``directory`` (default: the user's mappings)."""
    path = mapping_path(city, directory or user_mappings_dir())
    existing = read_mapping_file(path) if path.exists() else {}
    for row in rows:
        existing[row.mapped.call_type] = row
    return write_mapping_file(path, existing.values())
