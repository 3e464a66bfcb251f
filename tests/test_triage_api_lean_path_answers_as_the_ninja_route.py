"""The lean POST /api/triage path (what `coresponse serve` runs) answers byte for byte as the
documented ninja route through Django's whole stack: the same status, body and headers for
valid calls, every kind of 422, a body that is not JSON, and an unknown protocol."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

from coresponse.web.fastpath import TriageFastPath
from tests.test_triage_api import CALL

REMARKS_FILE = (
    Path(__file__).resolve().parents[1] / "src/coresponse/triage/data/remarks_labelled.csv"
)
CALL_TYPES = [
    "--CRISIS COMPLAINT - GENERAL",
    "SERVICE - WELFARE CHECK",
    "--INTOX & LIQ VIOLS - INTOXICATED PERSON",
    "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
    "--DISTURBANCE - OTHER",
    "NO SUCH CODE",
]
PROTOCOLS = ["civilian-first", "co-responder", "counsellor-first"]

# Django's WSGI handler checks the database connection at the start of every request.
pytestmark = pytest.mark.django_db


class RecordingDjango:
    """Django's WSGI application, noting which requests reached it."""

    def __init__(self) -> None:
        self.application = get_wsgi_application()
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        return self.application(environ, start_response)


def send(
    application: Any,
    body: bytes,
    query: str = "",
    host: str = "127.0.0.1",
    path: str = "/api/triage",
) -> tuple[str, dict[str, str], bytes]:
    answered: list[tuple[str, list[tuple[str, str]]]] = []
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    response = application(environ, lambda status, headers: answered.append((status, headers)))
    content = b"".join(response)
    if hasattr(response, "close"):
        response.close()
    status, headers = answered[0]
    return status, dict(headers), content


def many_calls() -> list[tuple[bytes, str]]:
    """About two hundred realistic calls (real labelled remarks over several call types and
    protocols), then every way a call can be refused."""
    with REMARKS_FILE.open(encoding="utf-8", newline="") as remarks_file:
        remarks = [row["remarks"] for row in csv.DictReader(remarks_file)][:180]
    calls: list[tuple[bytes, str]] = []
    for index, remark in enumerate(remarks):
        call = {
            **CALL,
            "call_type": CALL_TYPES[index % len(CALL_TYPES)],
            "remarks": remark,
            "received_at": f"2025-03-{index % 28 + 1:02d}T{index % 24:02d}:15:00-08:00",
            "answers": {"weapon": [False, True, None][index % 3]},
        }
        if index % 4 == 0:
            call["repeat_address_calls"] = index % 7
        calls.append((json.dumps(call).encode(), f"protocol={PROTOCOLS[index % len(PROTOCOLS)]}"))
    refused = [
        {**CALL, "priority": "urgent"},
        {**CALL, "priority": 12},
        {**CALL, "answers": {"weapon": "perhaps"}},
        {**CALL, "answers": {"weapon": 0}},
        {**CALL, "answers": {"wepon": True}},
        {**CALL, "received_at": "tuesday"},
        {**CALL, "source": "pigeon"},
        {**CALL, "call_type": None},
        {**CALL, "unknown_field": 1},
        {"city": "seattle"},
        {**CALL, "city": "atlantis"},
    ]
    calls += [(json.dumps(call).encode(), "") for call in refused]
    calls += [
        (b"", ""),
        (b"{not json", ""),
        (b"[1, 2]", ""),
        (b"null", ""),
        (json.dumps(CALL).encode(), "protocol=nope"),
        (json.dumps(CALL).encode(), "protocol=/etc/passwd"),
        (json.dumps(CALL).encode(), "protocol="),
        (json.dumps(CALL).encode(), "protocol=nope&protocol=co-responder"),
        (json.dumps({**CALL, "priority": "urgent"}).encode(), "protocol=nope"),
    ]
    return calls


def test_the_lean_path_and_the_ninja_route_give_the_same_bytes_for_every_call() -> None:
    django = RecordingDjango()
    lean = TriageFastPath(django)
    statuses = set()
    for body, query in many_calls():
        through_django = send(django.application, body, query)
        through_lean_path = send(lean, body, query)
        assert through_lean_path == through_django, (body, query)
        statuses.add(through_django[0].split()[0])
    assert django.paths == []  # the lean path answered every one itself
    assert statuses == {"200", "400", "404", "422"}


def test_the_lean_answer_carries_the_security_headers() -> None:
    _status, headers, _body = send(TriageFastPath(RecordingDjango()), json.dumps(CALL).encode())
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Content-Type"] == "application/json; charset=utf-8"


def test_a_host_that_is_not_allowed_is_left_to_django_which_refuses_it() -> None:
    django = RecordingDjango()
    status, _headers, _body = send(
        TriageFastPath(django), json.dumps(CALL).encode(), host="evil.example"
    )
    assert status.startswith("400")
    assert django.paths == ["/api/triage"]


def test_every_other_request_goes_to_django() -> None:
    django = RecordingDjango()
    lean = TriageFastPath(django)
    send(lean, json.dumps(CALL).encode(), path="/api/triage/")
    send(lean, b"", path="/api/triage/protocols")
    assert django.paths == ["/api/triage/", "/api/triage/protocols"]


def test_a_deployment_that_redirects_to_https_gets_no_lean_path() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        django = RecordingDjango()
        status, _headers, _body = send(TriageFastPath(django), json.dumps(CALL).encode())
    assert status.startswith("301")
    assert django.paths == ["/api/triage"]
