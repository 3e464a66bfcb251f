"""What the suggester learns from, and building one for a city.

It learns from every mapping row that is a person's decision: the analysts' labels in the
shipped mappings and the corrections in the user's mappings (of any city, since a
correction to "MENTAL SUBJECT" in one city teaches something about the next). For the
city being suggested, its own decided rows are also taken as they are.
"""

from __future__ import annotations

from pathlib import Path

from coresponse.calltypes.mapping import (
    MAPPINGS_DIR,
    MappingRow,
    mapping_path,
    read_mapping_file,
    user_mappings_dir,
)
from coresponse.calltypes.suggest import TRUSTED_SOURCES, LabelledType, Suggester

REVIEWED_EMPHASIS = 5.0


def _trusted(rows: dict[str, MappingRow]) -> list[LabelledType]:
    return [
        LabelledType(
            call_type=key,
            category=row.mapped.category,
            calls=row.calls or 1,
            emphasis=REVIEWED_EMPHASIS if row.mapped.source == "reviewed" else 1.0,
        )
        for key, row in rows.items()
        if row.mapped.category and row.mapped.source in TRUSTED_SOURCES
    ]


def city_rows(city: str, mapping_dir: Path | None = None) -> dict[str, MappingRow]:
    """The shipped rows of ``city`` overlaid by the user's (or ``mapping_dir``'s) rows."""
    rows: dict[str, MappingRow] = {}
    for folder in (MAPPINGS_DIR, mapping_dir or user_mappings_dir()):
        path = mapping_path(city, folder)
        if path.exists():
            rows.update(read_mapping_file(path))
    return rows


def training_examples(
    *, exclude_city: str | None = None, mapping_dir: Path | None = None
) -> list[LabelledType]:
    """Decided rows of every city's mapping, the user's rows replacing shipped ones.

    ``exclude_city`` leaves that city's rows out, e.g. while its own mapping is being built.
    """
    user = mapping_dir or user_mappings_dir()
    cities = {path.stem for path in MAPPINGS_DIR.glob("*.csv")}
    if user.exists():
        cities |= {path.stem for path in user.glob("*.csv")}
    examples: list[LabelledType] = []
    for city in sorted(cities - {exclude_city}):
        examples.extend(_trusted(city_rows(city, mapping_dir)))
    return examples


def _fingerprint(folders: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    files = []
    for folder in dict.fromkeys(folders):
        if folder.exists():
            for path in sorted(folder.glob("*.csv")):
                status = path.stat()
                files.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(files)


# Trained suggesters by the mapping files they learned from: a process that suggests
# several times (the web app, a test run) trains once until a mapping file changes.
_TRAINED: dict[tuple[tuple[str, int, int], ...], Suggester] = {}


def suggester_for(city: str | None, *, mapping_dir: Path | None = None) -> Suggester:
    """A suggester trained on every decided mapping row, knowing ``city``'s own decisions."""
    learned_from = _fingerprint((MAPPINGS_DIR, mapping_dir or user_mappings_dir()))
    trained = _TRAINED.get(learned_from)
    if trained is None:
        trained = Suggester(training_examples(mapping_dir=mapping_dir))
        _TRAINED.clear()
        _TRAINED[learned_from] = trained
    known = {key: row.mapped for key, row in city_rows(city, mapping_dir).items()} if city else {}
    return trained.with_known(known)
