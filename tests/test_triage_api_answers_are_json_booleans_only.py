"""POST /api/triage takes a screening answer only as JSON true, false or null, like the CLI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coresponse.triage.calls import InvalidCall, call_facts

CALL = {"city": "seattle", "call_type": "--CRISIS COMPLAINT - GENERAL", "priority": 3}


@pytest.mark.parametrize("loose", ["no", "yes", "false", 0, 1, "0"])
def test_a_loose_answer_is_refused_with_422_naming_it_as_the_cli_refuses_it(loose: Any) -> None:
    body = {**CALL, "answers": {"weapon": loose, "violence": False}}
    response = Client(HTTP_HOST="127.0.0.1").post(
        "/api/triage", data=body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert ["body", "call", "answers", "weapon"] in [e["loc"] for e in response.json()["detail"]]
    with pytest.raises(InvalidCall):
        call_facts(body)


@pytest.mark.parametrize("answer", [True, False, None])
def test_true_false_and_null_answers_are_taken(answer: bool | None) -> None:
    body = {**CALL, "answers": {"weapon": answer}}
    response = Client(HTTP_HOST="127.0.0.1").post(
        "/api/triage", data=body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
