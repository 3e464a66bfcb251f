"""POST /api/triage decides a call over HTTP; bad input gets 422 naming the field."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

CALL = {
    "city": "seattle",
    "call_type": "--CRISIS COMPLAINT - GENERAL",
    "remarks": "EDP yelling in the street, no weapons",
    "priority": 3,
    "source": "911",
    "received_at": "2025-03-01T14:15:00-08:00",
    "answers": {"weapon": False, "violence": False},
}


@pytest.fixture
def dispatcher_console() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def post(client: Client, body: Any, query: str = "") -> Any:
    return client.post(f"/api/triage{query}", data=body, content_type="application/json")


def test_a_crisis_call_in_team_hours_goes_to_the_civilian_team(dispatcher_console: Client) -> None:
    response = post(dispatcher_console, CALL)
    assert response.status_code == 200
    decision = response.json()
    assert decision["route"] == "civilian_crisis"
    assert decision["protocol"] == "civilian-first"
    assert decision["rules_fired"] == ["crisis-call-team-on-duty"]
    assert decision["reasons"] and len(decision["protocol_hash"]) == 64
    assert {question["answer"] for question in decision["questions_to_ask"]} >= {"threat_to_others"}


def test_the_protocol_is_chosen_by_name(dispatcher_console: Client) -> None:
    decision = post(dispatcher_console, CALL, "?protocol=counsellor-first").json()
    assert decision["protocol"] == "counsellor-first"
    assert decision["route"] == "crisis_line"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priority": "urgent"}, ["body", "call", "priority"]),
        ({"answers": {"weapon": "perhaps"}}, ["body", "call", "answers", "weapon"]),
        ({"answers": {"wepon": True}}, ["body", "call", "answers", "wepon"]),
        ({"received_at": "tuesday"}, ["body", "call", "received_at"]),
        ({"source": "pigeon"}, ["body", "call", "source"]),
        ({"call_type": None}, ["body", "call", "call_type"]),
    ],
)
def test_invalid_input_gets_422_naming_the_field(
    dispatcher_console: Client, change: dict[str, Any], field: list[str]
) -> None:
    response = post(dispatcher_console, {**CALL, **change})
    assert response.status_code == 422
    assert field in [error["loc"] for error in response.json()["detail"]]


def test_an_unknown_protocol_is_404_and_a_path_is_never_read(dispatcher_console: Client) -> None:
    assert post(dispatcher_console, CALL, "?protocol=nope").status_code == 404
    assert post(dispatcher_console, CALL, "?protocol=/etc/passwd").status_code == 404


def test_the_protocols_are_listed(dispatcher_console: Client) -> None:
    listed = dispatcher_console.get("/api/triage/protocols").json()
    assert [protocol["name"] for protocol in listed] == [
        "civilian-first",
        "co-responder",
        "counsellor-first",
    ]


def test_the_triage_call_is_documented_in_openapi(dispatcher_console: Client) -> None:
    schema = dispatcher_console.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/triage"]["post"]
    assert {"200", "422"} <= set(operation["responses"])
    assert "answers" in schema["components"]["schemas"]["CallIn"]["properties"]
    # The route reads its body itself (one function for it and the lean path); the body is
    # still documented, with every schema it refers to.
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/CallIn"}
    answers = schema["components"]["schemas"]["CallIn"]["properties"]["answers"]
    referred = {
        ref.rsplit("/", 1)[1] for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(answers))
    }
    assert referred and referred <= set(schema["components"]["schemas"])
