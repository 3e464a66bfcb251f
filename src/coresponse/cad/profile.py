"""City export profiles: how one city's CAD export maps onto the normalised ``calls`` table.

A profile is a YAML file (format in docs/cad.md). Loading validates everything a typo could
break (unknown keys, a field that is not a calls column, a time zone that does not exist, a
source value outside the shared vocabulary) and raises ``ProfileError`` saying which key of
which file is wrong, before any data is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from coresponse.cad.schema import CALLS_COLUMNS

PROFILES_DIR = Path(__file__).with_name("profiles")

SOURCES = ("911", "non_emergency", "officer_initiated", "alarm", "other")
PERSON_FIELDS = ("caller_name", "caller_dob", "caller_phone")
# Filled by the import itself, never from a source column.
DERIVED_FIELDS = frozenset(
    {
        "city",
        "received_local",
        "time_known",
        "category",
        "apco_code",
        "final_category",
        "priority_raw",
        "source_raw",
        "person_key",
        "phone_key",
        "import_id",
        "source_file",
        "source_line",
    }
)
CALLS_TYPES = {column.name: column.sql_type.split()[0] for column in CALLS_COLUMNS}
MAPPABLE_FIELDS = tuple(
    [name for name in CALLS_TYPES if name not in DERIVED_FIELDS] + list(PERSON_FIELDS)
)
TIME_FIELDS = tuple(
    name
    for name, sql_type in CALLS_TYPES.items()
    if sql_type == "TIMESTAMP" and name not in DERIVED_FIELDS
)
ALWAYS_REQUIRED = ("event_id", "received_at")
DURATION_UNITS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}

_TOP_KEYS = {
    "city",
    "timezone",
    "description",
    "encoding",
    "delimiter",
    "times",
    "durations",
    "columns",
    "required",
    "source_values",
    "source_default",
    "priority",
    "location",
    "ignore",
}


class ProfileError(ValueError):
    """A profile cannot be used: the message names the file and the key at fault."""


def header_key(name: str) -> str:
    """Header matching ignores case and every non-alphanumeric character.

    "CAD Event Number", "CAD.Event.Number" and "cad_event_number" are the same column.
    """
    return re.sub(r"[^0-9a-z]", "", name.lower())


@dataclass(frozen=True)
class Durations:
    """Times given as durations after ``received_at`` (Detroit publishes minutes)."""

    unit_seconds: float
    fields: dict[str, tuple[str, ...]]  # calls field -> source columns summed


@dataclass(frozen=True)
class Profile:
    name: str
    city: str
    timezone: str
    columns: dict[str, tuple[str, ...]]  # calls or person field -> source column alternatives
    datetime_formats: tuple[str, ...]
    date_formats: tuple[str, ...] = ()
    times_in_utc: bool = False
    durations: Durations | None = None
    required: tuple[str, ...] = ALWAYS_REQUIRED
    source_values: dict[str, str] = field(default_factory=dict)
    source_default: str = "other"
    priority_pattern: str = r"(\d+)"
    point_column: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    encoding: str = "utf-8"
    delimiter: str = ","
    description: str = ""
    path: Path | None = None

    @property
    def formats_have_offset(self) -> bool:
        return any("%z" in fmt or "%Z" in fmt for fmt in self.datetime_formats)

    def source_columns(self) -> set[str]:
        """Header keys of every column the profile can use."""
        names = [name for alternatives in self.columns.values() for name in alternatives]
        names += list(self.point_column) + list(self.ignore)
        if self.durations:
            names += [name for columns in self.durations.fields.values() for name in columns]
        return {header_key(name) for name in names}


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILES_DIR.glob("*.yaml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (``seattle``) or any profile YAML file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        path = candidate
    else:
        path = PROFILES_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ProfileError(
                f"no profile named {str(name_or_path)!r}: use one of "
                f"{', '.join(available_profiles())} or a path to a YAML file"
            )
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"profile {path} cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise ProfileError(f"profile {path} is not valid YAML: {error}") from error
    return parse_profile(document, name=path.stem, path=path)


def parse_profile(document: Any, *, name: str, path: Path | None = None) -> Profile:
    where = str(path or name)

    def fail(key: str, problem: str) -> ProfileError:
        return ProfileError(f"profile {where}: {key}: {problem}")

    if not isinstance(document, dict):
        raise ProfileError(f"profile {where}: must be a mapping of keys to values")
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise fail(", ".join(unknown), f"unknown key(s); allowed: {', '.join(sorted(_TOP_KEYS))}")

    city = _text(document, "city", fail)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", city):
        raise fail("city", f"{city!r} must be lower-case letters, digits and _ (e.g. new_orleans)")
    timezone = _text(document, "timezone", fail)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise fail(
            "timezone", f"{timezone!r} is not an IANA time zone (e.g. America/Chicago)"
        ) from error

    columns = _columns(document.get("columns"), fail)

    times = document.get("times") or {}
    if not isinstance(times, dict):
        raise fail("times", "must be a mapping with formats, date_formats, values_in")
    bad_time_keys = sorted(set(times) - {"formats", "date_formats", "values_in"})
    if bad_time_keys:
        raise fail(
            f"times.{bad_time_keys[0]}", "unknown key; allowed: formats, date_formats, values_in"
        )
    datetime_formats = _string_list(times.get("formats"), "times.formats", fail)
    if not datetime_formats:
        raise fail(
            "times.formats", "give at least one strptime format, e.g. '%m/%d/%Y %I:%M:%S %p'"
        )
    date_formats = _string_list(times.get("date_formats"), "times.date_formats", fail)
    with_offset = ["%z" in fmt or "%Z" in fmt for fmt in datetime_formats]
    if any(with_offset) and not all(with_offset):
        raise fail("times.formats", "either every format has a UTC offset (%z) or none has")
    for fmt in (*datetime_formats, *date_formats):
        if "%" not in fmt:
            raise fail("times.formats", f"{fmt!r} is not a strptime format (no % directive)")
    values_in = times.get("values_in", "local")
    if values_in not in {"local", "utc"}:
        raise fail("times.values_in", f"{values_in!r} must be local or utc")

    durations = _durations(document.get("durations"), fail)

    required = tuple(_string_list(document.get("required"), "required", fail)) or ALWAYS_REQUIRED
    for wanted in required:
        if wanted not in MAPPABLE_FIELDS:
            raise fail("required", f"{wanted!r} is not a field that a column can fill")
    for wanted in ALWAYS_REQUIRED:
        if wanted not in required:
            required = (*required, wanted)
    point_column = tuple(
        _string_list((document.get("location") or {}).get("point"), "location.point", fail)
    )
    for wanted in required:
        if wanted not in columns and not (durations and wanted in durations.fields):
            raise fail("required", f"{wanted!r} is required but no column maps to it")

    raw_sources = document.get("source_values") or {}
    if not isinstance(raw_sources, dict):
        raise fail(
            "source_values", "must map the city's source values to one of " + ", ".join(SOURCES)
        )
    source_values: dict[str, str] = {}
    for raw, target in raw_sources.items():
        if str(target) not in SOURCES:
            raise fail(f"source_values.{raw}", f"{target!r} must be one of {', '.join(SOURCES)}")
        source_values[str(raw).strip().upper()] = str(target)
    source_default = str(document.get("source_default", "other"))
    if source_default not in SOURCES:
        raise fail("source_default", f"{source_default!r} must be one of {', '.join(SOURCES)}")

    priority = document.get("priority") or {}
    if not isinstance(priority, dict) or set(priority) - {"pattern"}:
        raise fail("priority", "must be a mapping with one key, pattern (a regex with one group)")
    priority_pattern = str(priority.get("pattern", r"(\d+)"))
    try:
        if re.compile(priority_pattern).groups != 1:
            raise fail("priority.pattern", f"{priority_pattern!r} must have exactly one (group)")
    except re.error as error:
        raise fail(
            "priority.pattern", f"{priority_pattern!r} is not a regular expression: {error}"
        ) from error

    encoding = str(document.get("encoding", "utf-8")).lower()
    if encoding not in {"utf-8", "utf8", "latin-1", "latin1", "utf-16"}:
        raise fail("encoding", f"{encoding!r}: use utf-8, latin-1 or utf-16")
    delimiter = str(document.get("delimiter", ","))
    if len(delimiter) != 1:
        raise fail("delimiter", f"{delimiter!r} must be one character")

    return Profile(
        name=name,
        city=city,
        timezone=timezone,
        columns=columns,
        datetime_formats=tuple(datetime_formats),
        date_formats=tuple(date_formats),
        times_in_utc=values_in == "utc",
        durations=durations,
        required=required,
        source_values=source_values,
        source_default=source_default,
        priority_pattern=priority_pattern,
        point_column=point_column,
        ignore=tuple(_string_list(document.get("ignore"), "ignore", fail)),
        encoding=encoding,
        delimiter=delimiter,
        description=str(document.get("description", "")),
        path=path,
    )


def with_overrides(
    profile: Profile, *, city: str | None = None, timezone: str | None = None
) -> Profile:
    """The profile with another city or zone (the generic profile is used this way)."""
    document: dict[str, Any] = {}
    if city is not None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", city):
            raise ProfileError(
                f"city {city!r} must be lower-case letters, digits and _ (e.g. new_orleans)"
            )
        document["city"] = city
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ProfileError(
                f"timezone {timezone!r} is not an IANA time zone (e.g. America/Chicago)"
            ) from error
        document["timezone"] = timezone
    return replace(profile, **document)


def _text(document: dict[str, Any], key: str, fail: Any) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(key, "is missing or empty")
    return value.strip()


def _string_list(value: Any, key: str, fail: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return [str(item) for item in value]
    raise fail(key, "must be a string or a list of strings")


def _columns(value: Any, fail: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not value:
        raise fail(
            "columns", "must map calls fields (event_id, received_at, ...) to source columns"
        )
    columns: dict[str, tuple[str, ...]] = {}
    for target, sources in value.items():
        if target not in MAPPABLE_FIELDS:
            raise fail(
                f"columns.{target}",
                f"not a field a column can fill; the fields are {', '.join(MAPPABLE_FIELDS)}",
            )
        alternatives = _string_list(sources, f"columns.{target}", fail)
        if not alternatives:
            raise fail(f"columns.{target}", "names no source column")
        columns[target] = tuple(alternatives)
    return columns


def _durations(value: Any, fail: Any) -> Durations | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"unit", "fields"}:
        raise fail("durations", "must be a mapping with unit and fields")
    unit = str(value.get("unit", "minutes"))
    if unit not in DURATION_UNITS:
        raise fail("durations.unit", f"{unit!r} must be one of {', '.join(DURATION_UNITS)}")
    raw_fields = value.get("fields")
    if not isinstance(raw_fields, dict) or not raw_fields:
        raise fail("durations.fields", "must map time fields to the duration columns added up")
    fields: dict[str, tuple[str, ...]] = {}
    for target, sources in raw_fields.items():
        if target not in TIME_FIELDS or target == "received_at":
            raise fail(
                f"durations.fields.{target}", "must be dispatched_at, arrived_at or cleared_at"
            )
        fields[target] = tuple(_string_list(sources, f"durations.fields.{target}", fail))
    return Durations(unit_seconds=DURATION_UNITS[unit], fields=fields)
