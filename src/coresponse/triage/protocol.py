"""Triage protocols: versioned YAML files read into plain, validated dataclasses.

A protocol is data, not code: a programme's staff write it, a council reads it, an
auditor checks it. Loading refuses anything it cannot read exactly and says where, as
``file:line: what is wrong``. The file's SHA-256 is kept as ``content_hash`` so every
decision can say precisely which text decided it.

The condition language (see docs/triage.md) has two-valued leaves: a leaf about a value
that is missing (an answer not asked, a call type with no category, an unknown time) is
simply false, except ``is: null``, which asks exactly that. ``not`` negates that result.
Both evaluators (``engine`` for one call, ``compiled`` for a table) follow this rule.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

ROUTES = ("police", "co_response", "civilian_crisis", "ems", "crisis_line", "referral_only")
ANSWERS = (
    "weapon",
    "violence",
    "threat_to_others",
    "self_harm_imminent",
    "medical_emergency",
    "intoxication",
    "crime_in_progress",
    "requests_police",
    "known_to_social_worker",
)
SIGNALS = ("weapon", "violence", "threat", "self_harm", "intoxication", "medical", "mental_health")
SOURCES = ("911", "non_emergency", "officer_initiated", "alarm", "other")

# Plain fields of a call a condition may compare; answers and signals are addressed by name.
TEXT_FIELDS = ("category", "apco_code", "call_type", "source")
NUMBER_FIELDS = ("priority", "repeat_address_calls")
FIELDS = TEXT_FIELDS + NUMBER_FIELDS

# The answers the engine's safety check reads, with the words used when a protocol has none.
SAFETY_QUESTIONS = {
    "weapon": "Does anyone there have a weapon, or has anyone mentioned one?",
    "violence": "Is anyone being violent, or threatening violence, right now?",
    "crime_in_progress": "Is a crime happening right now?",
}

PROTOCOLS_DIR = Path(__file__).with_name("protocols")


class ProtocolError(ValueError):
    """A protocol file that cannot be used; the message starts with ``file:line:``."""


# --- the condition language -------------------------------------------------------------


@dataclass(frozen=True)
class FieldEquals:
    field: str
    value: str | int


@dataclass(frozen=True)
class FieldIn:
    field: str
    values: tuple[str | int, ...]


@dataclass(frozen=True)
class FieldIs:
    """``is: null`` on a plain field: true exactly when the call lacks that value."""

    field: str


@dataclass(frozen=True)
class AnswerIs:
    answer: str
    state: bool | None  # None: the question was not asked (missing or null)


@dataclass(frozen=True)
class SignalIs:
    signal: str
    state: bool | None  # None: no remarks were read


@dataclass(frozen=True)
class PriorityAtMost:
    priority: int


@dataclass(frozen=True)
class WithinTeamHours:
    team: str


@dataclass(frozen=True)
class RepeatAddressAtLeast:
    calls: int


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = (
    FieldEquals
    | FieldIn
    | FieldIs
    | AnswerIs
    | SignalIs
    | PriorityAtMost
    | WithinTeamHours
    | RepeatAddressAtLeast
    | AllOf
    | AnyOf
    | Not
)


def condition_inputs(condition: Condition) -> set[str]:
    """The inputs a condition reads, named as in a protocol's ``inputs`` list."""
    match condition:
        case FieldEquals(field=name) | FieldIn(field=name) | FieldIs(field=name):
            return {name}
        case AnswerIs(answer=answer):
            return {f"answers.{answer}"}
        case SignalIs(signal=signal):
            return {f"signals.{signal}"}
        case PriorityAtMost():
            return {"priority"}
        case WithinTeamHours():
            return {"local_time"}
        case RepeatAddressAtLeast():
            return {"repeat_address_calls"}
        case AllOf(conditions=items) | AnyOf(conditions=items):
            return set().union(*(condition_inputs(item) for item in items))
        case Not(condition=inner):
            return condition_inputs(inner)
    raise TypeError(f"not a condition: {condition!r}")


# --- the protocol -----------------------------------------------------------------------


@dataclass(frozen=True)
class TeamHours:
    """A team's daily hours on the city's wall clock, ``start`` included, ``end`` excluded.

    A window that ends before it starts runs over midnight (19:00-03:00)."""

    team: str
    start_minute: int
    end_minute: int

    def covers(self, minute_of_day: int) -> bool:
        if self.start_minute <= self.end_minute:
            return self.start_minute <= minute_of_day < self.end_minute
        return minute_of_day >= self.start_minute or minute_of_day < self.end_minute

    def describe(self) -> str:
        def clock(minute: int) -> str:
            return f"{minute // 60:02d}:{minute % 60:02d}"

        return f"{clock(self.start_minute)}-{clock(self.end_minute)}"


@dataclass(frozen=True)
class Question:
    answer: str
    text: str


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition | None  # None only for the default route, which always applies
    route: str
    reason: str
    priority: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Protocol:
    name: str
    version: str
    title: str
    sources: tuple[str, ...]
    inputs: tuple[str, ...]
    team_hours: dict[str, TeamHours]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    default: Rule
    content_hash: str
    path: Path | None = None
    notes: str = ""
    # What the engine compiles from the rules. Not an init field, so ``dataclasses.replace``
    # (a protocol with other rules) starts with an empty cache instead of sharing this one.
    _cache: dict[str, Any] = field(
        default_factory=dict, init=False, compare=False, repr=False, hash=False
    )


# --- loading ----------------------------------------------------------------------------

INPUT_NAMES = (
    *FIELDS,
    "local_time",
    *(f"answers.{answer}" for answer in ANSWERS),
    *(f"signals.{signal}" for signal in SIGNALS),
)
TOP_KEYS = {
    "name",
    "version",
    "title",
    "sources",
    "notes",
    "inputs",
    "team_hours",
    "questions",
    "rules",
    "default",
}
RULE_KEYS = {"id", "when", "route", "reason", "priority"}


class _Reader:
    """Turns composed YAML nodes into Python values, keeping node marks for error messages."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.constructor = SafeConstructor()

    def error(self, node: Node, message: str) -> ProtocolError:
        return ProtocolError(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.error(node, f"{what} must be a mapping (key: value)")
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, f"a key in {what}")
            if not isinstance(key, str):
                raise self.error(key_node, f"keys in {what} must be words, not {key!r}")
            if key in found:
                raise self.error(key_node, f"{key!r} appears twice in {what}")
            found[key] = (key_node, value_node)
        return found

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.error(node, f"{what} must be a list")
        return list(node.value)

    def scalar(self, node: Node, what: str) -> Any:
        if not isinstance(node, ScalarNode):
            raise self.error(node, f"{what} must be a single value")
        return self.constructor.construct_object(node, deep=True)

    def text(self, node: Node, what: str) -> str:
        value = self.scalar(node, what)
        if isinstance(value, bool) or value is None:
            raise self.error(node, f"{what} must be text, not {value!r}")
        text = str(value).strip()
        if not text:
            raise self.error(node, f"{what} is empty")
        return text

    def whole_number(self, node: Node, what: str) -> int:
        value = self.scalar(node, what)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(node, f"{what} must be a whole number, not {value!r}")
        return value

    def unknown_keys(
        self, entries: dict[str, tuple[Node, Node]], allowed: set[str], what: str
    ) -> None:
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                raise self.error(
                    key_node,
                    f"unknown key {key!r} in {what} (expected one of: {', '.join(sorted(allowed))})",
                )


def _clock_minute(reader: _Reader, node: Node, what: str) -> int:
    value = reader.scalar(node, what)
    # YAML 1.1 reads an unquoted 07:00 as the sexagesimal number 420: accept both spellings.
    if isinstance(value, int) and not isinstance(value, bool):
        minute = value
    elif isinstance(value, str) and len(value.split(":")) == 2:
        hours, minutes = value.split(":")
        if not (hours.isdigit() and minutes.isdigit()):
            raise reader.error(node, f"{what} must be a time of day like 07:00, not {value!r}")
        minute = int(hours) * 60 + int(minutes)
        if int(minutes) >= 60:
            raise reader.error(node, f"{what} must be a time of day like 07:00, not {value!r}")
    else:
        raise reader.error(node, f"{what} must be a time of day like 07:00, not {value!r}")
    if not 0 <= minute <= 24 * 60:
        raise reader.error(node, f"{what} must be between 00:00 and 24:00")
    return minute


def _read_state(reader: _Reader, node: Node, what: str) -> bool | None:
    value = reader.scalar(node, what)
    if value is None or isinstance(value, bool):
        return value
    raise reader.error(node, f"{what} must be true, false or null, not {value!r}")


def _read_condition(reader: _Reader, node: Node, team_hours: dict[str, TeamHours]) -> Condition:
    entries = reader.mapping(node, "a condition")
    keys = set(entries)

    def value(key: str) -> Node:
        return entries[key][1]

    def only(*allowed: str) -> None:
        reader.unknown_keys(entries, set(allowed), f"a {allowed[0]!r} condition")

    if keys & {"all", "any"}:
        word = "all" if "all" in keys else "any"
        only(word)
        items = reader.sequence(value(word), f"'{word}'")
        if not items:
            raise reader.error(value(word), f"'{word}' needs at least one condition")
        conditions = tuple(_read_condition(reader, item, team_hours) for item in items)
        return AllOf(conditions) if word == "all" else AnyOf(conditions)
    if "not" in keys:
        only("not")
        return Not(_read_condition(reader, value("not"), team_hours))
    if "answer" in keys:
        only("answer", "is")
        answer = reader.text(value("answer"), "'answer'")
        if answer not in ANSWERS:
            raise reader.error(
                value("answer"),
                f"unknown answer {answer!r} (expected one of: {', '.join(ANSWERS)})",
            )
        if "is" not in keys:
            raise reader.error(
                node, "an 'answer' condition needs 'is: true', 'is: false' or 'is: null'"
            )
        return AnswerIs(answer, _read_state(reader, value("is"), "'is'"))
    if "signal" in keys:
        only("signal", "is")
        signal = reader.text(value("signal"), "'signal'")
        if signal not in SIGNALS:
            raise reader.error(
                value("signal"),
                f"unknown signal {signal!r} (expected one of: {', '.join(SIGNALS)})",
            )
        if "is" not in keys:
            raise reader.error(
                node, "a 'signal' condition needs 'is: true', 'is: false' or 'is: null'"
            )
        return SignalIs(signal, _read_state(reader, value("is"), "'is'"))
    if "field" in keys:
        only("field", "equals", "in", "is")
        name = reader.text(value("field"), "'field'")
        if name not in FIELDS:
            raise reader.error(
                value("field"), f"unknown field {name!r} (expected one of: {', '.join(FIELDS)})"
            )
        tests = keys & {"equals", "in", "is"}
        if len(tests) != 1:
            raise reader.error(
                node, "a 'field' condition needs exactly one of 'equals', 'in' or 'is: null'"
            )
        test = tests.pop()
        if test == "is":
            if reader.scalar(value("is"), "'is'") is not None:
                raise reader.error(
                    value("is"), "on a field, only 'is: null' is allowed (use 'equals' or 'in')"
                )
            return FieldIs(name)
        if test == "equals":
            return FieldEquals(name, _field_value(reader, value("equals"), name))
        items = reader.sequence(value("in"), "'in'")
        if not items:
            raise reader.error(value("in"), "'in' needs at least one value")
        return FieldIn(name, tuple(_field_value(reader, item, name) for item in items))
    if "priority_at_most" in keys:
        only("priority_at_most")
        return PriorityAtMost(reader.whole_number(value("priority_at_most"), "'priority_at_most'"))
    if "repeat_address_at_least" in keys:
        only("repeat_address_at_least")
        calls = reader.whole_number(value("repeat_address_at_least"), "'repeat_address_at_least'")
        if calls < 0:
            raise reader.error(
                value("repeat_address_at_least"), "'repeat_address_at_least' cannot be negative"
            )
        return RepeatAddressAtLeast(calls)
    if "within_team_hours" in keys:
        only("within_team_hours")
        team = reader.text(value("within_team_hours"), "'within_team_hours'")
        if team not in team_hours:
            known = ", ".join(team_hours) or "none are defined"
            raise reader.error(
                value("within_team_hours"), f"no team_hours for team {team!r} ({known})"
            )
        return WithinTeamHours(team)
    raise reader.error(
        node,
        "a condition must be one of: all, any, not, answer, signal, field, priority_at_most, "
        f"repeat_address_at_least, within_team_hours (found: {', '.join(sorted(keys)) or 'nothing'})",
    )


def _field_value(reader: _Reader, node: Node, name: str) -> str | int:
    if name in NUMBER_FIELDS:
        return reader.whole_number(node, f"a value of {name!r}")
    value = reader.text(node, f"a value of {name!r}")
    # A misspelt category or code would silently never match: refuse it at load time.
    if name == "category" and value not in _known_categories():
        raise reader.error(
            node, f"unknown category {value!r} (expected one of: {', '.join(_known_categories())})"
        )
    if name == "apco_code" and value not in _known_apco_codes():
        raise reader.error(
            node, f"unknown APCO code {value!r} (see shared/standards/eido/apco.yaml)"
        )
    if name == "source" and value not in SOURCES:
        raise reader.error(
            node, f"unknown source {value!r} (expected one of: {', '.join(SOURCES)})"
        )
    return value


@lru_cache(maxsize=1)
def _known_categories() -> tuple[str, ...]:
    from coresponse.calltypes.taxonomy import categories

    return categories()


@lru_cache(maxsize=1)
def _known_apco_codes() -> frozenset[str]:
    from coresponse.calltypes.taxonomy import apco_code_set

    return apco_code_set()


def _read_rule(
    reader: _Reader, node: Node, team_hours: dict[str, TeamHours], *, is_default: bool
) -> Rule:
    what = "the default" if is_default else "a rule"
    entries = reader.mapping(node, what)
    allowed = {"route", "reason", "priority"} if is_default else RULE_KEYS
    reader.unknown_keys(entries, allowed, what)
    required = ("route", "reason") if is_default else ("id", "when", "route", "reason")
    for key in required:
        if key not in entries:
            raise reader.error(node, f"{what} needs '{key}'")
    rule_id = "default" if is_default else reader.text(entries["id"][1], "a rule's 'id'")
    route = reader.text(entries["route"][1], f"the route of {rule_id!r}")
    if route not in ROUTES:
        raise reader.error(
            entries["route"][1], f"unknown route {route!r} (expected one of: {', '.join(ROUTES)})"
        )
    priority = None
    if "priority" in entries:
        priority = reader.whole_number(entries["priority"][1], f"the priority of {rule_id!r}")
    when = None if is_default else _read_condition(reader, entries["when"][1], team_hours)
    return Rule(
        id=rule_id,
        when=when,
        route=route,
        reason=reader.text(entries["reason"][1], f"the reason of {rule_id!r}"),
        priority=priority,
        line=node.start_mark.line + 1,
    )


def parse_protocol(text: str, *, path: str = "<protocol>") -> Protocol:
    """Read a protocol from YAML text; ``path`` names it in error messages."""
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ProtocolError(
            f"{path}:{line}: not valid YAML: {error.problem or error.context}"
        ) from error
    if root is None:
        raise ProtocolError(f"{path}:1: the file is empty")
    top = reader.mapping(root, "the protocol")
    reader.unknown_keys(top, TOP_KEYS, "the protocol")
    for key in ("name", "version", "sources", "inputs", "rules", "default"):
        if key not in top:
            raise reader.error(root, f"the protocol needs '{key}'")

    def node(key: str) -> Node:
        return top[key][1]

    name = reader.text(node("name"), "'name'")
    version = reader.text(node("version"), "'version'")
    sources = tuple(
        reader.text(item, "a source") for item in reader.sequence(node("sources"), "'sources'")
    )
    if not sources:
        raise reader.error(node("sources"), "'sources' must cite at least one published criterion")

    inputs: list[str] = []
    for item in reader.sequence(node("inputs"), "'inputs'"):
        input_name = reader.text(item, "an input")
        if input_name not in INPUT_NAMES:
            raise reader.error(
                item, f"unknown input {input_name!r} (expected one of: {', '.join(INPUT_NAMES)})"
            )
        inputs.append(input_name)

    team_hours: dict[str, TeamHours] = {}
    if "team_hours" in top:
        for team, (team_key, team_node) in reader.mapping(
            node("team_hours"), "'team_hours'"
        ).items():
            hours = reader.mapping(team_node, f"the hours of {team!r}")
            reader.unknown_keys(hours, {"start", "end"}, f"the hours of {team!r}")
            if set(hours) != {"start", "end"}:
                raise reader.error(team_key, f"the hours of {team!r} need 'start' and 'end'")
            start = _clock_minute(reader, hours["start"][1], f"the start of {team!r}")
            end = _clock_minute(reader, hours["end"][1], f"the end of {team!r}")
            team_hours[team] = TeamHours(team, start % (24 * 60), end % (24 * 60) or 24 * 60)

    questions: list[Question] = []
    if "questions" in top:
        for item in reader.sequence(node("questions"), "'questions'"):
            entries = reader.mapping(item, "a question")
            reader.unknown_keys(entries, {"answer", "ask"}, "a question")
            if set(entries) != {"answer", "ask"}:
                raise reader.error(
                    item, "a question needs 'answer' (which answer it fills) and 'ask' (the words)"
                )
            answer = reader.text(entries["answer"][1], "a question's 'answer'")
            if answer not in ANSWERS:
                raise reader.error(
                    entries["answer"][1],
                    f"unknown answer {answer!r} (expected one of: {', '.join(ANSWERS)})",
                )
            if any(question.answer == answer for question in questions):
                raise reader.error(item, f"the question for {answer!r} is asked twice")
            questions.append(Question(answer, reader.text(entries["ask"][1], "a question's 'ask'")))

    # The engine's safety check reads these answers whatever the protocol says, so the
    # call-taker is always offered them, first, in standard words unless the protocol has its own.
    listed = {question.answer for question in questions}
    questions[:0] = [
        Question(answer, SAFETY_QUESTIONS[answer])
        for answer in SAFETY_QUESTIONS
        if answer not in listed
    ]

    rules: list[Rule] = []
    for item in reader.sequence(node("rules"), "'rules'"):
        rule = _read_rule(reader, item, team_hours, is_default=False)
        if rule.id in {"default"} or rule.id.startswith("safety:"):
            raise reader.error(item, f"the rule id {rule.id!r} is reserved")
        if any(existing.id == rule.id for existing in rules):
            raise reader.error(item, f"the rule id {rule.id!r} is used twice")
        assert rule.when is not None
        undeclared = sorted(condition_inputs(rule.when) - set(inputs))
        if undeclared:
            raise reader.error(
                item,
                f"rule {rule.id!r} reads {', '.join(undeclared)}, which 'inputs' does not list",
            )
        rules.append(rule)
    default = _read_rule(reader, node("default"), team_hours, is_default=True)

    asked = {question.answer for question in questions}
    for input_name in inputs:
        answer = input_name.removeprefix("answers.")
        if input_name.startswith("answers.") and answer not in asked:
            raise reader.error(
                node("inputs"), f"{input_name} is an input but no question in 'questions' asks it"
            )

    return Protocol(
        name=name,
        version=version,
        title=reader.text(node("title"), "'title'") if "title" in top else name,
        sources=sources,
        inputs=tuple(inputs),
        team_hours=team_hours,
        questions=tuple(questions),
        rules=tuple(rules),
        default=default,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        notes=reader.text(node("notes"), "'notes'") if "notes" in top else "",
    )


def list_protocols() -> list[str]:
    """The names of the protocols shipped with CoResponse.

    The folder is listed again only when it changes (adding, removing or renaming a file
    changes its modification time), so the API can check a name on every request."""
    try:
        version = os.stat(PROTOCOLS_DIR).st_mtime_ns
    except OSError:
        version = -1
    return list(_shipped_names(version))


@lru_cache(maxsize=4)
def _shipped_names(folder_mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in PROTOCOLS_DIR.glob("*.yaml")))


@lru_cache(maxsize=1)
def _shipped_dir_resolved() -> Path:
    return PROTOCOLS_DIR.resolve()


def protocol_path(name_or_path: str | Path) -> Path:
    """A shipped protocol's file, or the file given."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    shipped = PROTOCOLS_DIR / f"{name_or_path}.yaml"
    if not shipped.exists():
        raise ProtocolError(
            f"no protocol named {str(name_or_path)!r} (shipped: {', '.join(list_protocols())}; or give a .yaml file)"
        )
    return shipped


def load_protocol(name_or_path: str | Path) -> Protocol:
    """A shipped protocol by name (``civilian-first``) or any protocol file by path.

    The result is cached while the file is unchanged, so the live console and the API
    read each protocol once: a request costs a ``stat`` of the file, and a changed file
    (another modification time or size) is read again."""
    path = protocol_path(name_or_path)
    # Resolving a path costs a system call per component; the shipped folder is resolved once.
    path = _shipped_dir_resolved() / path.name if path.parent == PROTOCOLS_DIR else path.resolve()
    try:
        stat = os.stat(path)
    except OSError as error:
        raise ProtocolError(f"{path}: cannot be read: {error}") from error
    return _load_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Protocol:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProtocolError(f"{path}:1: cannot be read: {error}") from error
    return replace(parse_protocol(text, path=str(path)), path=path)
