"""Assessment forms as data: parse a definition, check a set of answers, score them.

A definition (YAML in ``casework/forms/`` or a programme's own file) has a slug, a version,
questions and a scoring rule. Two scoring kinds exist:

``levels``
    ordered ``rules``, first match wins, each naming the questions whose "yes" sets its
    level (``any_yes``); ``default`` when none matches. The C-SSRS screener uses this.
``needs``
    every choice question tagged with a ``need`` whose answer is in ``flag`` is an unmet
    need; those in ``urgent`` are urgent. The needs assessment uses this.

Each question has a data class (the form's, unless it names its own): substance-use
questions are 42 CFR Part 2 data, free text is a note. No Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coresponse.casework.errors import FormError

FORMS_DIR = Path(__file__).with_name("forms")
QUESTION_TYPES = frozenset({"yes_no", "choice", "text", "number"})
DATA_CLASSES = frozenset({"contact_details", "assessment_results", "substance_use", "notes"})
YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    data_class: str
    options: tuple[str, ...] = ()
    required: bool = True
    ask_if: Mapping[str, str] = field(default_factory=dict)
    need: str | None = None

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        return all(answers.get(other) == wanted for other, wanted in self.ask_if.items())


@dataclass(frozen=True)
class FormSpec:
    slug: str
    version: int
    title: str
    questions: tuple[Question, ...]
    scoring: Mapping[str, Any]
    raw: Mapping[str, Any]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def data_classes_answered(self, answers: Mapping[str, Any]) -> frozenset[str]:
        return frozenset(q.data_class for q in self.questions if answers.get(q.id) not in (None, ""))


@dataclass(frozen=True)
class Scored:
    level: str
    result: dict[str, Any]


def parse(definition: Mapping[str, Any], *, source: str = "form") -> FormSpec:
    """A checked ``FormSpec``; ``FormError`` names the source and the field at fault."""

    def fail(where: str, why: str) -> FormError:
        return FormError(f"{source}: {where}: {why}")

    if not isinstance(definition, Mapping):
        raise fail("(top)", "a form definition is a mapping")
    for key in ("slug", "version", "title", "questions", "scoring"):
        if key not in definition:
            raise fail(key, "is missing")
    slug, version = definition["slug"], definition["version"]
    if not isinstance(slug, str) or not slug.replace("-", "").replace("_", "").isalnum():
        raise fail("slug", f"{slug!r} must be letters, digits, - and _")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("version", f"{version!r} must be a whole number from 1")
    form_class = definition.get("data_class", "assessment_results")
    if form_class not in DATA_CLASSES:
        raise fail("data_class", f"{form_class!r} is not one of {sorted(DATA_CLASSES)}")
    raw_questions = definition["questions"]
    if not isinstance(raw_questions, list) or not raw_questions:
        raise fail("questions", "must be a non-empty list")
    questions: list[Question] = []
    seen: set[str] = set()
    for index, item in enumerate(raw_questions, start=1):
        where = f"questions[{index}]"
        if not isinstance(item, Mapping):
            raise fail(where, "must be a mapping")
        qid = item.get("id")
        if not isinstance(qid, str) or not qid:
            raise fail(f"{where}.id", "is missing")
        if qid in seen:
            raise fail(f"{where}.id", f"{qid!r} appears twice")
        seen.add(qid)
        qtype = item.get("type")
        if qtype not in QUESTION_TYPES:
            raise fail(f"{where}.type", f"{qtype!r} is not one of {sorted(QUESTION_TYPES)}")
        options = tuple(str(o) for o in item.get("options") or ())
        if qtype == "choice" and not options:
            raise fail(f"{where}.options", "a choice question needs options")
        if qtype == "yes_no":
            options = YES_NO
        data_class = item.get("data_class", form_class)
        if data_class not in DATA_CLASSES:
            raise fail(f"{where}.data_class", f"{data_class!r} is not one of {sorted(DATA_CLASSES)}")
        ask_if = {str(k): str(v) for k, v in (item.get("ask_if") or {}).items()}
        for other in ask_if:
            if other not in seen or other == qid:
                raise fail(f"{where}.ask_if", f"names {other!r}, which is not an earlier question")
        questions.append(
            Question(
                id=qid,
                text=str(item.get("text", qid)),
                type=qtype,
                data_class=data_class,
                options=options,
                required=bool(item.get("required", True)),
                ask_if=ask_if,
                need=item.get("need"),
            )
        )
    spec = FormSpec(
        slug=slug,
        version=version,
        title=str(definition["title"]),
        questions=tuple(questions),
        scoring=definition["scoring"],
        raw=definition,
    )
    _check_scoring(spec, fail)
    return spec


def _check_scoring(spec: FormSpec, fail: Any) -> None:
    scoring = spec.scoring
    if not isinstance(scoring, Mapping):
        raise fail("scoring", "must be a mapping")
    kind = scoring.get("kind")
    ids = {q.id for q in spec.questions}
    if kind == "levels":
        levels = scoring.get("levels") or []
        if scoring.get("default") not in levels:
            raise fail("scoring.default", "must be one of scoring.levels")
        for index, rule in enumerate(scoring.get("rules") or [], start=1):
            if rule.get("level") not in levels:
                raise fail(f"scoring.rules[{index}].level", f"{rule.get('level')!r} is not a level")
            unknown = set(rule.get("any_yes") or []) - ids
            if unknown:
                raise fail(f"scoring.rules[{index}].any_yes", f"unknown questions {sorted(unknown)}")
    elif kind == "needs":
        if not scoring.get("flag"):
            raise fail("scoring.flag", "lists the answers that mean an unmet need")
    else:
        raise fail("scoring.kind", f"{kind!r} is not 'levels' or 'needs'")


def load(path: Path) -> FormSpec:
    """Read and check one YAML form definition."""
    try:
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FormError(f"{path}: cannot be read: {error}") from error
    return parse(definition, source=str(path))


def builtin_forms() -> list[FormSpec]:
    """The forms that ship with CoResponse (C-SSRS screener, needs assessment)."""
    return [load(path) for path in sorted(FORMS_DIR.glob("*.yaml"))]


def check_answers(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers, cleaned; ``FormError`` names the first question at fault.

    Unknown questions, answers outside a question's options, a missing answer to a
    required question that is asked, and an answer to a question that is not asked
    (its condition is false) are all refused.
    """
    ids = {q.id for q in spec.questions}
    unknown = sorted(set(answers) - ids)
    if unknown:
        raise FormError(f"{spec.slug} v{spec.version}: unknown questions {unknown}")
    clean: dict[str, Any] = {}
    for question in spec.questions:
        value = answers.get(question.id)
        if isinstance(value, str):
            value = value.strip()
        asked = question.is_asked(clean)
        if not asked:
            if value not in (None, ""):
                raise FormError(f"{spec.slug}: {question.id}: answered, but not asked given the earlier answers")
            continue
        if value in (None, ""):
            if question.required:
                raise FormError(f"{spec.slug}: {question.id}: an answer is required")
            continue
        if question.type in ("yes_no", "choice"):
            if isinstance(value, bool) and question.type == "yes_no":
                value = "yes" if value else "no"
            if value not in question.options:
                raise FormError(f"{spec.slug}: {question.id}: {value!r} is not one of {list(question.options)}")
        elif question.type == "number":
            try:
                value = float(value)
            except (TypeError, ValueError) as error:
                raise FormError(f"{spec.slug}: {question.id}: {value!r} is not a number") from error
        else:
            value = str(value)
        clean[question.id] = value
    return clean


def score(spec: FormSpec, answers: Mapping[str, Any]) -> Scored:
    """The form's result for answers already passed through ``check_answers``."""
    scoring = spec.scoring
    if scoring["kind"] == "levels":
        for rule in scoring.get("rules") or []:
            matched = [qid for qid in rule.get("any_yes") or [] if answers.get(qid) == "yes"]
            if matched:
                return Scored(level=rule["level"], result={"level": rule["level"], "because": matched})
        return Scored(level=scoring["default"], result={"level": scoring["default"], "because": []})
    flag = set(scoring.get("flag") or [])
    urgent_answers = set(scoring.get("urgent") or [])
    needs = [q.need or q.id for q in spec.questions if q.type == "choice" and answers.get(q.id) in flag]
    urgent = [q.need or q.id for q in spec.questions if q.type == "choice" and answers.get(q.id) in urgent_answers]
    level = "urgent" if urgent else ("needs" if needs else "none")
    return Scored(level=level, result={"unmet_needs": needs, "urgent_needs": urgent})
