"""`coresponse serve` logs one line per request: when, who, what was asked, the status and
how long the app took; a request whose app fails is logged as 500."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from coresponse.web.fastlog import AccessLog

LINE = re.compile(
    r'^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] 10\.0\.0\.7 - "POST /api/triage HTTP/1\.1" (\d{3}) \d+\.\d{3}$'
)


def environ() -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/triage",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "wsgi.input": io.BytesIO(b""),
    }


def noting(statuses: list[str]) -> Any:
    """A WSGI ``start_response`` that notes the status."""

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        statuses.append(status)

    return start_response


def log_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_request_is_logged_with_its_status(tmp_path: Path) -> None:
    def unprocessable(environ: Any, start_response: Any) -> list[bytes]:
        start_response("422 Unprocessable Entity", [("Content-Type", "application/json")])
        return [b"{}"]

    log = tmp_path / "access.log"
    with log.open("wb") as output:
        answered: list[str] = []
        body = AccessLog(unprocessable, descriptor=output.fileno())(environ(), noting(answered))
    assert list(body) == [b"{}"] and answered == ["422 Unprocessable Entity"]
    [line] = log_lines(log)
    match = LINE.match(line)
    assert match, line
    assert match.group(1) == "422"


def test_a_failing_app_is_logged_as_500_and_its_error_still_raised(tmp_path: Path) -> None:
    def broken(environ: Any, start_response: Any) -> list[bytes]:
        raise RuntimeError("protocol file unreadable")

    log = tmp_path / "access.log"
    with log.open("wb") as output, pytest.raises(RuntimeError):
        AccessLog(broken, descriptor=output.fileno())(environ(), noting([]))
    [line] = log_lines(log)
    match = LINE.match(line)
    assert match, line
    assert match.group(1) == "500"
