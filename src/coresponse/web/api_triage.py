"""``POST /api/triage`` and ``GET /api/triage/protocols``: the live triage decision over HTTP.

The view stays thin: the call is checked and turned into facts by ``triage.calls``, decided
by ``triage.decide``; this module only documents the shapes and turns domain errors into
HTTP status codes (422 naming the field, 404 for an unknown protocol). ``answer_triage`` does
all of it from the request's bytes to the answer's bytes, so that the lean WSGI path in
``web.fastpath`` (what ``coresponse serve`` runs) and the ninja route give the same answers.

The shapes are plain pydantic models, not ``ninja.Schema``: a ``Schema`` validates through
Django-ORM-aware wrappers (twice when it forbids extra fields), which cost more than the
whole decision; nothing here is read from the ORM. The body is validated straight from
bytes (``model_validate_json``) and the decision written straight to bytes.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.openapi.schema import REF_TEMPLATE as SCHEMA_REF
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coresponse.calltypes.mapping import MAPPINGS_DIR, MappingError
from coresponse.triage import ProtocolError, decide, list_protocols, load_protocol
from coresponse.triage.calls import InvalidCall, call_facts, city_mapping, city_timezone
from coresponse.triage.remarks import read_signals

router = Router(tags=["triage"])

Route = Literal["police", "co_response", "civilian_crisis", "ems", "crisis_line", "referral_only"]
Source = Literal["911", "non_emergency", "officer_initiated", "alarm", "other"]


class Answers(BaseModel):
    """The caller's answers to the screening questions; leave one out, or null, when not asked."""

    weapon: bool | None = Field(None, description="a weapon present or mentioned")
    violence: bool | None = Field(None, description="violence in progress or threatened")
    threat_to_others: bool | None = Field(None, description="the person is a danger to others")
    self_harm_imminent: bool | None = Field(None, description="imminent self-harm, with the means")
    medical_emergency: bool | None = Field(
        None, description="someone hurt, unconscious, not breathing"
    )
    intoxication: bool | None = Field(None, description="drink or drugs involved")
    crime_in_progress: bool | None = Field(None, description="a crime happening now")
    requests_police: bool | None = Field(None, description="the caller asks for police")
    known_to_social_worker: bool | None = Field(
        None, description="the person already has a social worker"
    )

    # strict: a safety answer is JSON true, false or null. Lax pydantic would read "no", "off",
    # 0 or "1" as booleans, which `coresponse triage decide` (triage.calls) refuses.
    model_config = ConfigDict(extra="forbid", strict=True)


class CallIn(BaseModel):
    """A call as the CAD or the console sends it. Unknown fields are refused."""

    city: str = Field(..., description="whose call-type codes the call uses", examples=["seattle"])
    call_type: str = Field(
        ..., description="the city's own call-type code", examples=["--CRISIS COMPLAINT - GENERAL"]
    )
    remarks: str | None = Field(None, description="the call-taker's narrative; read for signals")
    priority: int | None = Field(None, ge=0, le=9, description="1 is the most urgent")
    source: Source | None = None
    received_at: str | None = Field(
        None,
        description="ISO 8601, e.g. 2025-03-01T22:15:00-08:00",
        examples=["2025-03-01T22:15:00-08:00"],
    )
    answers: Answers | None = None
    category: str | None = Field(
        None, description="shared category, if the mapping lacks the call type"
    )
    apco_code: str | None = Field(None, description="APCO code, if the mapping lacks the call type")
    repeat_address_calls: int | None = Field(
        None, ge=0, description="calls at the address in the past 12 months"
    )
    event_id: str | None = Field(None, description="the CAD event number")

    model_config = ConfigDict(extra="forbid")


class QuestionOut(BaseModel):
    answer: str
    ask: str


class DecisionOut(BaseModel):
    route: Route
    priority: int | None
    reasons: list[str] = Field(..., description="plain-language reasons, deciding rule first")
    rules_fired: list[str] = Field(..., description="the deciding rule, then any safety override")
    protocol: str
    protocol_version: str
    protocol_hash: str = Field(..., description="SHA-256 of the protocol file that decided")
    questions_to_ask: list[QuestionOut] = Field(
        ..., description="questions still worth asking, in order"
    )
    remarks_signals: dict[str, str] = Field(
        default_factory=dict,
        description="the remarks signals that fired, each with what fired it: the phrase the "
        "patterns matched, or 'learned (...): ' and the words the learned model weighed",
    )


class ProtocolOut(BaseModel):
    name: str
    version: str
    title: str
    protocol_hash: str
    sources: list[str]
    rules: list[str]
    questions: list[QuestionOut]


class FieldErrorOut(BaseModel):
    loc: list[str]
    msg: str
    type: str


class ErrorsOut(BaseModel):
    detail: list[FieldErrorOut]


class ProtocolChoice(BaseModel):
    protocol: str = Field("civilian-first", description="a shipped protocol's name")


JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class TriageAnswer:
    """What ``POST /api/triage`` answers: an HTTP status and its JSON body, already encoded."""

    status: int
    body: bytes


def answer_triage(body: bytes, protocol_name: str) -> TriageAnswer:
    """The one implementation of ``POST /api/triage``, called by the documented ninja route
    and by the lean WSGI path (``web.fastpath``) alike, so the two cannot drift apart.

    The body is checked first (400 if it is not JSON, 422 naming each field that is wrong,
    with ``loc`` starting ``["body", "call"]`` as django-ninja words it), then the protocol
    (404 unless it is a shipped one; 500 if a shipped file is broken), then the call's
    facts (422 naming the field), and only then is it decided.
    """
    if not body:
        return _field_errors(
            [{"type": "missing", "loc": ["body", "call"], "msg": "Field required"}]
        )
    try:
        call = CallIn.model_validate_json(body)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False)
        if any(problem["type"] == "json_invalid" for problem in problems):
            return _detail(400, "Cannot parse request body")
        return _field_errors([_ninja_worded(problem) for problem in problems])
    if protocol_name not in list_protocols():
        # Only shipped protocols over HTTP: a client must not make the server read any file path.
        return _detail(
            404, f"no protocol named {protocol_name!r} (shipped: {', '.join(list_protocols())})"
        )
    try:
        protocol = load_protocol(protocol_name)
    except ProtocolError as error:  # a broken file on the server is the server's fault
        return _detail(500, str(error))
    try:
        facts = call_facts(call.model_dump(exclude_unset=True))
    except InvalidCall as error:
        return _field_errors(
            [
                {
                    "loc": ["body", "call", *problem.field.split(".")],
                    "msg": problem.message,
                    "type": "value_error",
                }
                for problem in error.problems
            ]
        )
    decision = DecisionOut.model_validate(decide(protocol, facts).to_dict())
    return TriageAnswer(200, decision.__pydantic_serializer__.to_json(decision))


def _ninja_worded(problem: Any) -> dict[str, Any]:
    """A pydantic error as django-ninja reported it: located in the body's ``call``, with
    any exception in its context turned into text."""
    worded = dict(problem)
    worded["loc"] = ["body", "call", *problem["loc"]]
    context = worded.get("ctx")
    if context and isinstance(context.get("error"), Exception):
        worded["ctx"] = {**context, "error": str(context["error"])}
    return worded


def _field_errors(problems: list[dict[str, Any]]) -> TriageAnswer:
    return TriageAnswer(422, json.dumps({"detail": problems}, separators=(",", ":")).encode())


def _detail(status: int, message: str) -> TriageAnswer:
    return TriageAnswer(status, json.dumps({"detail": message}, separators=(",", ":")).encode())


def call_schemas() -> dict[str, Any]:
    """The JSON schemas of ``CallIn`` and what it holds, for the OpenAPI components: the route
    reads its body itself (see ``answer_triage``), so ninja does not find them on its own."""
    schema = CallIn.model_json_schema(
        ref_template=SCHEMA_REF, schema_generator=NinjaGenerateJsonSchema
    )
    return {**schema.pop("$defs", {}), "CallIn": schema}


@router.post(
    "",
    response={200: DecisionOut, 400: dict, 404: dict, 422: ErrorsOut},
    summary="Decide who goes to a call",
    description=(
        "Routes one call by a triage protocol: police, co_response, civilian_crisis, ems, "
        "crisis_line or referral_only, with the reasons, the rules that fired and the "
        "screening questions still worth asking. A weapon, violence or a crime in progress "
        "never goes to a route without an officer. Invalid input gets 422 naming the field."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": SCHEMA_REF.format(model="CallIn")}}
            },
            "required": True,
        }
    },
)
def triage_call(request: HttpRequest, choice: Query[ProtocolChoice]) -> HttpResponse:
    answer = answer_triage(request.body, choice.protocol)
    return HttpResponse(answer.body, status=answer.status, content_type=JSON_CONTENT_TYPE)


@router.get("/protocols", response=list[ProtocolOut], summary="The shipped triage protocols")
def protocols(request: HttpRequest) -> list[dict[str, Any]]:
    shipped = [load_protocol(name) for name in list_protocols()]
    return [
        {
            "name": protocol.name,
            "version": protocol.version,
            "title": protocol.title,
            "protocol_hash": protocol.content_hash,
            "sources": list(protocol.sources),
            "rules": [rule.id for rule in protocol.rules],
            "questions": [{"answer": q.answer, "ask": q.text} for q in protocol.questions],
        }
        for protocol in shipped
    ]


def warm() -> None:
    """Load what a triage request needs (the shipped protocols, every shipped city's
    call-type mapping and time zone, the remarks reader) so that no request pays for it."""
    for name in list_protocols():
        with contextlib.suppress(ProtocolError):  # a broken file is reported per request
            load_protocol(name)
    for path in sorted(MAPPINGS_DIR.glob("*.csv")):
        with contextlib.suppress(MappingError):
            city_mapping(path.stem)
        city_timezone(path.stem)
    read_signals("warm up")
