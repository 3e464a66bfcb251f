"""A live call as JSON (from the CAD, the API or the command line) made into ``CallFacts``.

The call's own code is mapped to the shared category and APCO code with the city's
call-type mapping; the remarks are read for signals. ``category`` and ``apco_code`` may
also be given in the call: they fill in what the mapping lacks (a code it has never
seen) but never overrule it. Every fault is reported with the field it is in, and all
faults of a call are reported at once.

Time: ``received_at`` is an ISO 8601 moment. Team hours are on the city's wall clock,
so a moment with an offset is turned into the city's time zone when the city has a CAD
profile (seattle, new_orleans, detroit), and otherwise read as the wall clock of the
offset it was sent with; a moment with no offset is taken as the city's wall clock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from coresponse.calltypes import MappedType, load_mapping
from coresponse.calltypes.mapping import MAPPINGS_DIR, MappingError, mapping_path, user_mappings_dir
from coresponse.triage.engine import CallFacts
from coresponse.triage.protocol import ANSWERS, SOURCES
from coresponse.triage.remarks import read_signals

CALL_FIELDS = {
    "city": "the city whose call-type codes the call uses (seattle, new_orleans, detroit, ...)",
    "call_type": "the city's own call-type code or text",
    "remarks": "the call-taker's free-text narrative",
    "priority": "priority as a whole number, 1 most urgent",
    "source": f"how the call came in: {', '.join(SOURCES)}",
    "received_at": "ISO 8601 time the call was received, e.g. 2025-03-01T22:15:00-08:00",
    "answers": "screening answers: name -> true, false or null (not asked)",
    "category": "the shared category, when the mapping does not know the call type",
    "apco_code": "the APCO incident code, when the mapping does not know the call type",
    "repeat_address_calls": "calls at the same address in the 12 months before",
    "event_id": "the CAD event number (kept in the decision log, not used to decide)",
}
MAX_PRIORITY = 9
MAX_REMARKS = 20_000


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


class InvalidCall(ValueError):
    """A call that cannot be triaged as sent; ``problems`` names every field at fault."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{problem.field}: {problem.message}" for problem in problems))


@lru_cache(maxsize=32)
def _mapping(city: str, versions: tuple[int, ...]) -> dict[str, MappedType]:
    return load_mapping(city)


def city_mapping(city: str) -> dict[str, MappedType]:
    """The city's call-type mapping (shipped rows overlaid by the user's), read again only
    when one of its files changes: a call costs two ``stat``s, not a read of the files."""
    versions = []
    for path in _mapping_files(city, *_data_dir_setting()):
        try:
            versions.append(os.stat(path).st_mtime_ns)
        except OSError:
            versions.append(0)
    return _mapping(city, tuple(versions))


def _data_dir_setting() -> tuple[str | None, str | None, str]:
    """What ``config.data_dir()`` depends on: the setting (or its file) and, for a relative
    folder, the working directory."""
    return os.environ.get("CORESPONSE_DATA_DIR"), os.environ.get("CORESPONSE_DATA_DIR_FILE"), os.getcwd()


@lru_cache(maxsize=64)
def _mapping_files(city: str, data_dir: str | None, data_dir_file: str | None, cwd: str) -> tuple[str, str]:
    # The user's folder is found (resolved, created) once per data-directory setting, not per call.
    return str(mapping_path(city, MAPPINGS_DIR)), str(mapping_path(city, user_mappings_dir()))


@lru_cache(maxsize=32)
def city_timezone(city: str) -> ZoneInfo | None:
    """The time zone of the city's CAD profile, if it has one."""
    from coresponse.cad.profile import ProfileError, available_profiles, load_profile

    if city not in available_profiles():
        return None
    try:
        return ZoneInfo(load_profile(city).timezone)
    except (ProfileError, ValueError):
        return None


def _text(call: dict[str, Any], name: str, problems: list[FieldProblem], *, required: bool = False) -> str | None:
    value = call.get(name)
    if value is None:
        if required:
            problems.append(FieldProblem(name, "is required"))
        return None
    if not isinstance(value, str):
        problems.append(FieldProblem(name, f"must be text, not {type(value).__name__}"))
        return None
    value = value.strip()
    if not value:
        if required:
            problems.append(FieldProblem(name, "is empty"))
        return None
    return value


def _whole_number(value: Any, name: str, problems: list[FieldProblem], low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            problems.append(FieldProblem(name, f"must be a whole number, not {value!r}"))
            return None
    if not low <= value <= high:
        problems.append(FieldProblem(name, f"must be between {low} and {high}, not {value}"))
        return None
    return int(value)


def _local_time(value: Any, city: str | None, problems: list[FieldProblem]) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(FieldProblem("received_at", "must be an ISO 8601 date and time"))
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        problems.append(
            FieldProblem("received_at", f"{value!r} is not an ISO 8601 date and time (2025-03-01T22:15:00-08:00)")
        )
        return None
    if moment.tzinfo is not None:
        zone = city_timezone(city) if city else None
        if zone is not None:
            moment = moment.astimezone(zone)
        moment = moment.replace(tzinfo=None)
    return moment


def _answers(value: Any, problems: list[FieldProblem]) -> dict[str, bool | None]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(FieldProblem("answers", "must be an object of answer name -> true, false or null"))
        return {}
    answers: dict[str, bool | None] = {}
    for name, answer in value.items():
        if name not in ANSWERS:
            problems.append(FieldProblem(f"answers.{name}", f"is not a screening question ({', '.join(ANSWERS)})"))
        elif answer is not None and not isinstance(answer, bool):
            problems.append(FieldProblem(f"answers.{name}", f"must be true, false or null, not {answer!r}"))
        else:
            answers[name] = answer
    return answers


def call_facts(call: Any, *, strict: bool = True) -> CallFacts:
    """The facts of a call sent as a JSON object; raises ``InvalidCall`` naming every bad field.

    With ``strict`` (the default) a field the call format does not know is refused, so a
    misspelt field (``prority``) cannot silently leave the call without its priority.
    """
    if not isinstance(call, dict):
        raise InvalidCall([FieldProblem("call", "must be a JSON object")])
    problems: list[FieldProblem] = []
    if strict:
        problems += [
            FieldProblem(str(name), f"is not a call field (known: {', '.join(CALL_FIELDS)})")
            for name in call
            if name not in CALL_FIELDS
        ]
    city = _text(call, "city", problems, required=True)
    if city is not None:
        try:
            mapping_path(city)
        except MappingError as error:
            problems.append(FieldProblem("city", str(error)))
            city = None
    call_type = _text(call, "call_type", problems, required=True)
    remarks = call.get("remarks")
    if remarks is not None and not isinstance(remarks, str):
        problems.append(FieldProblem("remarks", "must be text"))
        remarks = None
    elif remarks is not None and len(remarks) > MAX_REMARKS:
        problems.append(FieldProblem("remarks", f"is longer than {MAX_REMARKS} characters"))
        remarks = None
    priority = _whole_number(call.get("priority"), "priority", problems, 0, MAX_PRIORITY)
    source = _text(call, "source", problems)
    if source is not None and source not in SOURCES:
        problems.append(FieldProblem("source", f"{source!r} is not one of {', '.join(SOURCES)}"))
        source = None
    local_time = _local_time(call.get("received_at"), city, problems)
    answers = _answers(call.get("answers"), problems)
    repeat = _whole_number(call.get("repeat_address_calls"), "repeat_address_calls", problems, 0, 1_000_000)
    given_category = _text(call, "category", problems)
    given_apco = _text(call, "apco_code", problems)
    _text(call, "event_id", problems)
    if problems:
        raise InvalidCall(problems)

    mapped = city_mapping(city).get(call_type) if city and call_type else None
    category = (mapped.category if mapped else None) or given_category
    apco_code = (mapped.apco_code if mapped else None) or given_apco
    read = read_signals(remarks) if remarks else None
    return CallFacts(
        call_type=call_type,
        category=category,
        apco_code=apco_code,
        priority=priority,
        source=source,
        local_time=local_time,
        answers=answers,
        signals=read.as_dict() if read else {},
        repeat_address_calls=repeat,
        signal_evidence=dict(read.evidence) if read else {},
    )
