"""Import and export of Open Referral HSDS 1.1 tabular data packages.

A package is a folder of CSV files, one per HSDS table, usually with a ``datapackage.json``
that names each table's file and gives its schema. Import rules:

- HSDS ids are the keys: a row whose id exists updates that record, so importing the same
  package twice changes nothing the second time. Records absent from a package are left
  alone (a package may be partial); delete them through the admin.
- Each row is checked against the package's own schema where it has one (required, type,
  format, enum, pattern, unique) and then against the directory's rules (the fields it
  needs, numbers in range, references to records that exist). A row that fails is not
  loaded; it is kept whole in the quarantine table with its file, row, field and reason.
  Row numbers count CSV records with the header as row 1, so row 2 is the first record.
- Counts reconcile: for every table, rows read = created + updated + unchanged +
  quarantined (+ rows that carried need tags, see below).
- Tables the directory does not model (metadata, contact, program...) are not loaded; they
  are listed in the run with their row counts, never dropped unannounced. So are columns
  it does not model.
- After loading, each service's need tags are worked out from its taxonomy terms, keywords,
  name and description (see ``needs.match_needs``), unless an administrator has edited
  them by hand (``Service.needs_locked``).

Hand-edited need tags travel in packages as the taxonomy vocabulary ``coresponse-needs``:
export writes them as taxonomy and service_taxonomy rows, import reads those rows back as
locked need tags rather than as ordinary taxonomy terms. That is what makes
``import(export(x)) == x`` hold for them too.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from coresponse.directory.models import (
    Eligibility,
    ImportRun,
    Location,
    Organization,
    Phone,
    PhysicalAddress,
    QuarantinedRow,
    RegularSchedule,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    ServiceTaxonomy,
    Taxonomy,
)
from coresponse.directory.needs import Need, match_needs, parse_need

NEEDS_VOCABULARY = "coresponse-needs"
DATAPACKAGE = "datapackage.json"


class PackageError(Exception):
    """The package as a whole cannot be read: a missing file, bad JSON, bad encoding."""


@dataclass(frozen=True)
class Column:
    name: str  # the HSDS field name, which is also the model's attribute name
    kind: str = "string"  # string | integer | number | time | weekday | year
    required: bool = False
    references: str | None = None  # the HSDS table a foreign key points at
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    derived: bool = False  # written on export for readers, ignored on import


@dataclass(frozen=True)
class Table:
    resource: str  # the HSDS table name
    path: str  # the file name this directory writes
    model: type[models.Model]
    columns: tuple[Column, ...]
    other_paths: tuple[str, ...] = ()  # other names the file goes by in the wild

    @property
    def loaded(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.derived)


def _id() -> Column:
    return Column("id", required=True)


# In load order: a table comes after every table it references.
TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        "organizations.csv",
        Organization,
        (
            _id(),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("email"),
            Column("url"),
            Column("tax_status"),
            Column("tax_id"),
            Column("year_incorporated", "year"),
            Column("legal_status"),
        ),
        ("organization.csv",),
    ),
    Table(
        "taxonomy",
        "taxonomy.csv",
        Taxonomy,
        (
            _id(),
            Column("name", required=True),
            Column("parent_id", references="taxonomy"),
            Column("parent_name", derived=True),
            Column("vocabulary"),
        ),
        ("taxonomies.csv",),
    ),
    Table(
        "service",
        "services.csv",
        Service,
        (
            _id(),
            Column("organization_id", required=True, references="organization"),
            Column("program_id"),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("url"),
            Column("email"),
            Column("status", required=True, choices=tuple(Service.Status.values)),
            Column("interpretation_services"),
            Column("application_process"),
            Column("wait_time"),
            Column("fees"),
            Column("accreditations"),
            Column("licenses"),
            Column("taxonomy_ids"),
            Column("keywords"),
        ),
        ("service.csv",),
    ),
    Table(
        "service_taxonomy",
        "services_taxonomy.csv",
        ServiceTaxonomy,
        (
            _id(),
            Column("service_id", required=True, references="service"),
            Column("taxonomy_id", required=True, references="taxonomy"),
            Column("taxonomy_detail"),
        ),
        ("service_taxonomy.csv",),
    ),
    Table(
        "location",
        "locations.csv",
        Location,
        (
            _id(),
            Column("organization_id", references="organization"),
            Column("name"),
            Column("alternate_name"),
            Column("description"),
            Column("transportation"),
            Column("latitude", "number", minimum=-90, maximum=90),
            Column("longitude", "number", minimum=-180, maximum=180),
        ),
        ("location.csv",),
    ),
    Table(
        "physical_address",
        "physical_addresses.csv",
        PhysicalAddress,
        (
            _id(),
            Column("location_id", required=True, references="location"),
            Column("attention"),
            Column("address_1", required=True),
            Column("address_2"),
            Column("address_3"),
            Column("address_4"),
            Column("city", required=True),
            Column("region"),
            Column("state_province", required=True),
            Column("postal_code", required=True),
            Column("country", required=True),
        ),
        ("physical_address.csv",),
    ),
    Table(
        "service_at_location",
        "services_at_location.csv",
        ServiceAtLocation,
        (
            _id(),
            Column("service_id", required=True, references="service"),
            Column("location_id", required=True, references="location"),
            Column("description"),
        ),
        ("service_at_location.csv",),
    ),
    Table(
        "phone",
        "phones.csv",
        Phone,
        (
            _id(),
            Column("location_id", references="location"),
            Column("service_id", references="service"),
            Column("organization_id", references="organization"),
            Column("contact_id"),
            Column("service_at_location_id", references="service_at_location"),
            Column("number", required=True),
            Column("extension"),
            Column("type"),
            Column("language"),
            Column("description"),
            Column("department"),
        ),
        ("phone.csv",),
    ),
    Table(
        "regular_schedule",
        "regular_schedules.csv",
        RegularSchedule,
        (
            _id(),
            Column("service_id", references="service"),
            Column("location_id", references="location"),
            Column("service_at_location_id", references="service_at_location"),
            Column("weekday", "weekday", required=True),
            Column("opens_at", "time", required=True),
            Column("closes_at", "time", required=True),
        ),
        ("regular_schedule.csv",),
    ),
    Table(
        "eligibility",
        "eligibility.csv",
        Eligibility,
        (
            _id(),
            Column("service_id", required=True, references="service"),
            Column("eligibility", required=True),
        ),
        ("eligibilities.csv",),
    ),
)
TABLES_BY_RESOURCE = {table.resource: table for table in TABLES}


# ---------------------------------------------------------------- reading a package


@dataclass
class Resource:
    table: Table | None  # None: a table the directory does not model
    name: str
    path: Path
    schema: dict[str, Any] | None


@dataclass
class Package:
    root: Path
    descriptor: dict[str, Any] | None
    resources: list[Resource]


def _table_named(resource: str, file_name: str) -> Table | None:
    """The table a datapackage resource holds: by HSDS name, else by its plural or file name."""
    if resource in TABLES_BY_RESOURCE:
        return TABLES_BY_RESOURCE[resource]
    for table in TABLES:
        names = {table.path, f"{table.resource}.csv", *table.other_paths}
        if f"{resource}.csv" in names or file_name in names:
            return table
    return None


def open_package(path: Path) -> Package:
    """A package from a folder (with or without datapackage.json) or a datapackage.json."""
    path = Path(path)
    if path.is_file():
        if path.suffix != ".json":
            raise PackageError(f"{path}: expected a folder or a {DATAPACKAGE}, got a file")
        root, descriptor_path = path.parent, path
    elif path.is_dir():
        root, descriptor_path = path, path / DATAPACKAGE
    else:
        raise PackageError(f"{path}: no such file or folder")

    if descriptor_path.exists():
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise PackageError(f"{descriptor_path}: not valid JSON ({error})") from error
        resources = []
        for position, entry in enumerate(descriptor.get("resources", []), start=1):
            name = entry.get("name")
            relative = entry.get("path")
            if not name or not isinstance(relative, str):
                raise PackageError(
                    f"{descriptor_path}: resource {position} needs a name and a single path"
                )
            file = root / relative
            if not file.exists():
                raise PackageError(f"{descriptor_path}: resource {name!r} names {relative}, which is missing")
            resources.append(
                Resource(_table_named(name, file.name), name, file, entry.get("schema"))
            )
        seen: dict[str, Path] = {}
        for resource in resources:
            if resource.table is None:
                continue
            if resource.table.resource in seen:
                raise PackageError(
                    f"{descriptor_path}: two resources hold the {resource.table.resource} table "
                    f"({seen[resource.table.resource].name} and {resource.path.name})"
                )
            seen[resource.table.resource] = resource.path
        # CSV files beside the descriptor that it does not list are reported, not ignored.
        listed = {r.path.resolve() for r in resources}
        for file in sorted(root.glob("*.csv")):
            if file.resolve() not in listed:
                resources.append(Resource(None, file.stem, file, None))
        return Package(root, descriptor, resources)

    resources = []
    claimed: set[Path] = set()
    for table in TABLES:
        for candidate in (table.path, f"{table.resource}.csv", *table.other_paths):
            if (root / candidate).exists():
                resources.append(Resource(table, table.resource, root / candidate, None))
                claimed.add(root / candidate)
                break
    for file in sorted(root.glob("*.csv")):
        if file not in claimed:
            resources.append(Resource(None, file.stem, file, None))
    if not any(r.table for r in resources):
        raise PackageError(f"{root}: no {DATAPACKAGE} and no HSDS table files found")
    return Package(root, None, resources)


def _records(resource: Resource) -> Iterator[tuple[int, dict[str, str | None], list[str]]]:
    """(row number, values by header, surplus values) for each CSV record."""
    try:
        with resource.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, restkey="\0surplus")
            for number, record in enumerate(reader, start=2):
                surplus = record.pop("\0surplus", None) or []  # type: ignore[call-overload]
                yield number, record, list(surplus)
    except UnicodeDecodeError as error:
        raise PackageError(f"{resource.path.name}: not UTF-8 text ({error})") from error
    except csv.Error as error:
        raise PackageError(f"{resource.path.name}: unreadable CSV ({error})") from error


def _header(resource: Resource) -> list[str]:
    try:
        with resource.path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError as error:
        raise PackageError(f"{resource.path.name}: not UTF-8 text ({error})") from error


# ---------------------------------------------------------------- checking values


class FieldProblem(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon", "mo"),
            ("tuesday", "tue", "tu"),
            ("wednesday", "wed", "we"),
            ("thursday", "thu", "th"),
            ("friday", "fri", "fr"),
            ("saturday", "sat", "sa"),
            ("sunday", "sun", "su"),
        ),
        start=1,
    )
    for name in names
}


def _check_schema_field(spec: dict[str, Any], value: str, seen: set[str]) -> None:
    """Table Schema checks for one value, as the package's own datapackage.json states them."""
    name = spec.get("name", "?")
    constraints = spec.get("constraints") or {}
    if value == "":
        if constraints.get("required"):
            raise FieldProblem(name, "is required by the package schema but empty")
        return
    kind = spec.get("type", "string")
    fmt = spec.get("format")
    if fmt == "any" and kind in {"date", "time", "datetime"}:
        return  # Table Schema: any parseable form; the directory's own checks still apply
    try:
        if kind == "integer":
            number: float = int(value)
        elif kind == "number":
            number = float(value)
        elif kind == "date":
            pattern = fmt if isinstance(fmt, str) and "%" in fmt else "%Y-%m-%d"
            dt.datetime.strptime(value, pattern)
        elif kind == "time":
            _parse_time(value)
        elif kind == "datetime":
            dt.datetime.fromisoformat(value)
        elif kind == "boolean" and value.lower() not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValueError("not true or false")
    except ValueError:
        raise FieldProblem(name, f"{value!r} is not a valid {kind}" + (f" ({fmt})" if fmt else "")) from None
    if kind == "string":
        if fmt == "email" and not _EMAIL.match(value):
            raise FieldProblem(name, f"{value!r} is not an e-mail address")
        if fmt in {"uri", "url"} and not _URI.match(value):
            raise FieldProblem(name, f"{value!r} is not a URL")
        if fmt == "uuid":
            try:
                uuid.UUID(value)
            except ValueError:
                raise FieldProblem(name, f"{value!r} is not a UUID") from None
    if "enum" in constraints and value not in [str(v) for v in constraints["enum"]]:
        raise FieldProblem(name, f"{value!r} is not one of {constraints['enum']}")
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        raise FieldProblem(name, f"{value!r} does not match {constraints['pattern']!r}")
    if "maxLength" in constraints and len(value) > int(constraints["maxLength"]):
        raise FieldProblem(name, f"longer than {constraints['maxLength']} characters")
    if kind in {"integer", "number"}:
        if "minimum" in constraints and number < float(constraints["minimum"]):
            raise FieldProblem(name, f"{value} is below the minimum {constraints['minimum']}")
        if "maximum" in constraints and number > float(constraints["maximum"]):
            raise FieldProblem(name, f"{value} is above the maximum {constraints['maximum']}")
    if constraints.get("unique"):
        if value in seen:
            raise FieldProblem(name, f"{value!r} appears more than once but must be unique")
        seen.add(value)


def _parse_time(value: str) -> dt.time:
    text = value.strip()
    try:
        if ":" in text and len(text) <= 8:
            parsed = dt.time.fromisoformat(text)
            if parsed.tzinfo is None:
                return parsed
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a time (HH:MM or HH:MM:SS)")


def _convert(column: Column, raw: str) -> Any:
    """A CSV value as the model stores it; FieldProblem when it cannot be."""
    value = raw if column.kind == "string" else raw.strip()
    if value == "":
        if column.required:
            raise FieldProblem(column.name, "is required but empty")
        return None if column.kind != "string" or column.references else ""
    if column.kind == "string":
        if column.references:
            return value.strip()
        if column.choices and value not in column.choices:
            raise FieldProblem(
                column.name, f"{value!r} is not one of {', '.join(column.choices)}"
            )
        if column.name == "id" and len(value) > 128:
            raise FieldProblem(column.name, "ids are at most 128 characters")
        return value
    try:
        if column.kind == "number":
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError
        elif column.kind in {"integer", "year"}:
            number = int(value)
        elif column.kind == "time":
            return _parse_time(value)
        elif column.kind == "weekday":
            if value.lower() in _WEEKDAYS:
                return _WEEKDAYS[value.lower()]
            number = int(value)
            if not 1 <= number <= 7:
                raise FieldProblem(column.name, f"{value!r} is not a weekday (1 = Monday ... 7 = Sunday)")
            return number
        else:  # pragma: no cover - a programming error in TABLES
            raise AssertionError(column.kind)
    except FieldProblem:
        raise
    except ValueError:
        raise FieldProblem(column.name, f"{value!r} is not a valid {column.kind}") from None
    if column.kind == "year" and not 1000 <= number <= 9999:
        raise FieldProblem(column.name, f"{value!r} is not a four-digit year")
    if column.minimum is not None and number < column.minimum:
        raise FieldProblem(column.name, f"{value} is below {column.minimum:g}")
    if column.maximum is not None and number > column.maximum:
        raise FieldProblem(column.name, f"{value} is above {column.maximum:g}")
    return number


# ---------------------------------------------------------------- importing


@dataclass
class TableCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    need_tags: int = 0  # rows of the coresponse-needs vocabulary, loaded as need tags
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        accounted = self.created + self.updated + self.unchanged + self.quarantined + self.need_tags
        return self.rows == accounted

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "need_tags": self.need_tags,
            "ignored_columns": self.ignored_columns,
        }


@dataclass
class ImportReport:
    run: ImportRun
    counts: dict[str, TableCounts]
    skipped_tables: dict[str, int]  # file name -> rows, for tables not modelled
    problems: list[QuarantinedRow]
    services_retagged: int

    @property
    def reconciled(self) -> bool:
        return all(c.reconciled for c in self.counts.values())


def import_package(
    path: Path,
    *,
    clock: Callable[[], dt.datetime],
    on_table: Callable[[str], None] | None = None,
) -> ImportReport:
    """Load an HSDS package into the directory, in one transaction; see the module docstring."""
    package = open_package(path)
    with transaction.atomic():
        run = ImportRun.objects.create(source=str(Path(path).resolve()), started_at=clock())
        counts: dict[str, TableCounts] = {}
        skipped: dict[str, int] = {}
        problems: list[QuarantinedRow] = []
        need_taxonomy: dict[str, Need] = {}
        explicit_needs: dict[str, dict[Need, str]] = {}
        by_resource = {r.table.resource: r for r in package.resources if r.table}
        for resource in package.resources:
            if resource.table is None:
                skipped[resource.path.name] = sum(1 for _ in _records(resource))
        for table in TABLES:
            found = by_resource.get(table.resource)
            if found is None:
                continue
            if on_table:
                on_table(table.resource)
            counts[table.resource] = _load_table(
                table,
                found,
                run=run,
                problems=problems,
                need_taxonomy=need_taxonomy,
                explicit_needs=explicit_needs,
            )
        retagged = _tag_services(
            [r for r in by_resource.values() if r.table and r.table.resource == "service"],
            explicit_needs,
        )
        # In file order, then row order, whichever check found the problem.
        order = {r.path.name: i for i, r in enumerate(package.resources)}
        problems.sort(key=lambda p: (order.get(p.file, len(order)), p.row))
        QuarantinedRow.objects.bulk_create(problems)
        run.counts = {name: c.as_dict() for name, c in counts.items()}
        run.skipped_tables = skipped
        run.finished_at = clock()
        run.save()
    return ImportReport(run, counts, skipped, problems, retagged)


def _load_table(
    table: Table,
    resource: Resource,
    *,
    run: ImportRun,
    problems: list[QuarantinedRow],
    need_taxonomy: dict[str, Need],
    explicit_needs: dict[str, dict[Need, str]],
) -> TableCounts:
    counts = TableCounts()
    loaded = table.loaded
    header = _header(resource)
    known = {c.name for c in table.columns}
    counts.ignored_columns = [name for name in header if name not in known]
    schema_fields = {
        spec["name"]: spec for spec in (resource.schema or {}).get("fields", []) if "name" in spec
    }
    unique_seen: dict[str, set[str]] = {name: set() for name in schema_fields}
    candidates: list[tuple[int, dict[str, Any], dict[str, str | None]]] = []
    ids_in_file: set[str] = set()
    id_cache: dict[str, set[str]] = {}

    def known_ids(resource_name: str) -> set[str]:
        # Tables load in reference order, so what a table points at is already saved.
        if resource_name not in id_cache:
            model = TABLES_BY_RESOURCE[resource_name].model
            id_cache[resource_name] = set(model._default_manager.values_list("pk", flat=True))
        return id_cache[resource_name]

    def quarantine(number: int, record: dict[str, str | None], found: list[FieldProblem]) -> None:
        counts.quarantined += 1
        problems.append(
            QuarantinedRow(
                run=run,
                file=resource.path.name,
                row=number,
                field=", ".join(dict.fromkeys(p.field for p in found)),
                reason=found[0].reason if len(found) == 1 else "; ".join(map(str, found)),
                record={k: v for k, v in record.items() if k is not None},
            )
        )

    for number, record, surplus in _records(resource):
        counts.rows += 1
        found: list[FieldProblem] = []
        if surplus:
            found.append(FieldProblem("(row)", f"{len(surplus)} more values than the header has columns"))
        if any(v is None for v in record.values()):
            found.append(FieldProblem("(row)", "fewer values than the header has columns"))
        for name, spec in schema_fields.items():
            raw = record.get(name)
            if raw is None and name not in header:
                if (spec.get("constraints") or {}).get("required"):
                    found.append(FieldProblem(name, "is required by the package schema but the column is missing"))
                continue
            try:
                _check_schema_field(spec, raw or "", unique_seen[name])
            except FieldProblem as problem:
                found.append(problem)
        values: dict[str, Any] = {}
        for column in loaded:
            try:
                values[column.name] = _convert(column, record.get(column.name) or "")
            except FieldProblem as problem:
                if not any(p.field == column.name for p in found):
                    found.append(problem)
        if not found and values["id"] in ids_in_file:
            found.append(FieldProblem("id", f"{values['id']!r} appears more than once in the file"))
        if found:
            quarantine(number, record, found)
            continue
        ids_in_file.add(values["id"])
        candidates.append((number, values, record))

    if table.resource == "taxonomy":
        # Need tags travel as a taxonomy vocabulary; they become tags, not taxonomy terms.
        kept = []
        for number, values, record in candidates:
            if values.get("vocabulary") == NEEDS_VOCABULARY:
                try:
                    need_taxonomy[values["id"]] = parse_need(values["name"])
                    counts.need_tags += 1
                except ValueError as error:
                    quarantine(number, record, [FieldProblem("name", str(error))])
                continue
            kept.append((number, values, record))
        candidates = kept
    elif table.resource == "service_taxonomy":
        kept = []
        for number, values, record in candidates:
            need = need_taxonomy.get(values["taxonomy_id"])
            if need is None:
                kept.append((number, values, record))
                continue
            if values["service_id"] not in known_ids("service"):
                quarantine(number, record, [FieldProblem("service_id", f"no service {values['service_id']!r} in the package or the directory")])
                continue
            explicit_needs.setdefault(values["service_id"], {})[need] = (
                values["taxonomy_detail"] or "from the package's coresponse-needs tags"
            )
            counts.need_tags += 1
        candidates = kept

    # References: to a record already in the directory, or one accepted above (for a table
    # that points at itself, a row accepted in this same file).
    self_ids = {values["id"] for _, values, _ in candidates}
    accepted: list[dict[str, Any]] = []
    for number, values, record in candidates:
        found = []
        for column in loaded:
            target = values.get(column.name)
            if not column.references or target in (None, ""):
                continue
            if column.references == table.resource and target in self_ids:
                continue
            if target not in known_ids(column.references):
                found.append(
                    FieldProblem(
                        column.name,
                        f"no {column.references} {target!r} in the package or the directory",
                    )
                )
        if found:
            quarantine(number, record, found)
        else:
            accepted.append(values)

    _save(table, accepted, counts)
    return counts


def _save(table: Table, rows: list[dict[str, Any]], counts: TableCounts) -> None:
    model = table.model
    names = [c.name for c in table.loaded]
    existing = model._default_manager.in_bulk([row["id"] for row in rows])
    create, update = [], []
    for row in rows:
        current = existing.get(row["id"])
        if current is None:
            create.append(model(**row))
        elif all(getattr(current, name) == row[name] for name in names):
            counts.unchanged += 1
        else:
            for name in names:
                setattr(current, name, row[name])
            update.append(current)
    if table.resource == "taxonomy":
        # A term may name a parent further down the file: create without parents first.
        parents = {obj.pk: obj.parent_id for obj in create}  # type: ignore[attr-defined]
        for obj in create:
            obj.parent_id = None  # type: ignore[attr-defined]
        model._default_manager.bulk_create(create, batch_size=500)
        for obj in create:
            obj.parent_id = parents[obj.pk]  # type: ignore[attr-defined]
        model._default_manager.bulk_update(create, ["parent_id"], batch_size=500)
    else:
        model._default_manager.bulk_create(create, batch_size=500)
    fields = [model._meta.get_field(name).name for name in names if name != "id"]
    if update:
        model._default_manager.bulk_update(update, fields, batch_size=500)
    counts.created += len(create)
    counts.updated += len(update)


def _tag_services(
    service_resources: list[Resource], explicit: dict[str, dict[Need, str]]
) -> int:
    """Recompute need tags for the services of the package; returns how many changed.

    Works in bulk (a few queries whatever the number of services), because a city's
    directory has thousands of services and this runs on every import.
    """
    ids: set[str] = set(explicit)
    for resource in service_resources:
        ids.update((record.get("id") or "").strip() for _, record, _ in _records(resource))
    term_names = dict(Taxonomy.objects.values_list("pk", "name"))
    linked: dict[str, list[str]] = {}
    for service_id, taxonomy_id in ServiceTaxonomy.objects.filter(
        service_id__in=ids
    ).values_list("service_id", "taxonomy_id"):
        linked.setdefault(service_id, []).append(term_names.get(taxonomy_id, ""))
    current: dict[str, dict[str, ServiceNeed]] = {}
    for tag in ServiceNeed.objects.filter(service_id__in=ids):
        current.setdefault(tag.service_id, {})[tag.need] = tag  # type: ignore[attr-defined]

    changed: set[str] = set()
    create: list[ServiceNeed] = []
    update: list[ServiceNeed] = []
    delete: list[int] = []
    lock: list[str] = []
    services = Service.objects.filter(pk__in=ids).only(
        "pk", "name", "description", "keywords", "taxonomy_ids", "needs_locked"
    )
    for service in services:
        wanted: dict[str, tuple[str, str]]
        if service.pk in explicit:
            wanted = {
                need.value: ("admin", reason[:500]) for need, reason in explicit[service.pk].items()
            }
            if not service.needs_locked:
                lock.append(service.pk)
        elif service.needs_locked:
            continue
        else:
            terms = linked.get(service.pk, []) + _free_taxonomy_terms(
                service.taxonomy_ids, term_names
            )
            wanted = {
                match.need.value: (match.source, match.reason[:500])
                for match in match_needs(
                    taxonomy_terms=terms,
                    keywords=service.keywords,
                    name=service.name,
                    description=service.description,
                )
            }
        have = current.get(service.pk, {})
        for need, tag in have.items():
            if need not in wanted:
                delete.append(tag.pk)
                changed.add(service.pk)
        for need, (source, reason) in wanted.items():
            tag = have.get(need)
            if tag is None:
                create.append(ServiceNeed(service=service, need=need, source=source, reason=reason))
                changed.add(service.pk)
            elif (tag.source, tag.reason) != (source, reason):
                tag.source, tag.reason = source, reason
                update.append(tag)
                changed.add(service.pk)
    ServiceNeed.objects.filter(pk__in=delete).delete()
    ServiceNeed.objects.bulk_create(create, batch_size=500)
    ServiceNeed.objects.bulk_update(update, ["source", "reason"], batch_size=500)
    Service.objects.filter(pk__in=lock).update(needs_locked=True)
    return len(changed)


def _free_taxonomy_terms(taxonomy_ids: str, term_names: dict[str, str]) -> list[str]:
    """The service's free taxonomy_ids column: term names for ids we know, the text otherwise."""
    parts = [p.strip() for p in re.split(r"[,;|]", taxonomy_ids) if p.strip()]
    return [term_names.get(p, p) for p in parts]


# ---------------------------------------------------------------- exporting


_TABLE_SCHEMA_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "time": "time",
    "weekday": "integer",
    "year": "integer",
}


def _need_id(service_id: str, need: str) -> str:
    digest = hashlib.sha256(service_id.encode()).hexdigest()[:20]
    return f"need-{digest}-{need}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rows(table: Table) -> Iterable[list[str]]:
    names = [c.name for c in table.loaded]
    query = table.model._default_manager.order_by("pk")
    if table.resource == "taxonomy":
        for term in query.select_related("parent"):
            yield [_cell(term.id), _cell(term.name), _cell(term.parent_id),  # type: ignore[attr-defined]
                   _cell(term.parent.name if term.parent else ""), _cell(term.vocabulary)]  # type: ignore[attr-defined]
        if Service.objects.filter(needs_locked=True).exists():
            for need in Need:
                yield [f"need-{need.value}", need.value, "", "", NEEDS_VOCABULARY]
        return
    for values in query.values_list(*names):
        yield [_cell(v) for v in values]
    if table.resource == "service_taxonomy":
        tags = ServiceNeed.objects.filter(service__needs_locked=True).order_by("service_id", "need")
        for service_id, need, reason in tags.values_list("service_id", "need", "reason"):
            # taxonomy_detail carries the administrator's note on why the tag is there.
            yield [_need_id(service_id, need), service_id, f"need-{need}", reason]


def export_package(directory: Path) -> dict[str, int]:
    """Write the whole directory as an HSDS tabular package; returns rows written per file.

    Every modelled table is written, empty ones as a header line, with a datapackage.json
    whose schemas (types, required fields, keys) the import checks on the way back in.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    resources = []
    for table in TABLES:
        with (directory / table.path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in table.columns])
            count = 0
            for row in _rows(table):
                writer.writerow(row)
                count += 1
        written[table.path] = count
        resources.append(_resource_descriptor(table))
    descriptor = {
        "name": "coresponse_directory",
        "title": "CoResponse service directory",
        "profile": "tabular-data-package",
        "version": "1.1",
        "description": "Open Referral HSDS 1.1 tabular package exported by CoResponse.",
        "resources": resources,
    }
    (directory / DATAPACKAGE).write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    return written


def _resource_descriptor(table: Table) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        spec: dict[str, Any] = {"name": column.name, "type": _TABLE_SCHEMA_TYPES[column.kind]}
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.name == "id":
            constraints["unique"] = True
        if column.choices:
            constraints["enum"] = list(column.choices)
        if column.kind == "weekday":
            constraints.update(minimum=1, maximum=7)
        if column.minimum is not None:
            constraints["minimum"] = column.minimum
        if column.maximum is not None:
            constraints["maximum"] = column.maximum
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    foreign_keys = [
        {"fields": c.name, "reference": {"resource": c.references, "fields": "id"}}
        for c in table.columns
        if c.references
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": table.resource,
        "path": table.path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": schema,
    }
