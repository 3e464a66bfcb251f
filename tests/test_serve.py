"""`coresponse serve` starts the real server (bjoern), which answers POST /api/triage over
HTTP and serves the rest of the app (pages, sign-in, static files) through Django."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CALL = {
    "city": "seattle",
    "call_type": "--CRISIS COMPLAINT - GENERAL",
    "remarks": "EDP yelling in the street, no weapons seen",
    "priority": 3,
    "source": "911",
    "received_at": "2025-03-01T14:15:00-08:00",
    "answers": {"weapon": False, "violence": False},
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(
    base: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 120
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"coresponse serve exited early:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"coresponse serve did not answer in {seconds:.0f} s:\n{log.read_text()}")


def wait_for_text(log: Path, text: str, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text():
            return True
        time.sleep(0.05)
    return False


def post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def start_server(tmp_path: Path, *options: str) -> tuple[str, subprocess.Popen[bytes], Path]:
    """``coresponse serve`` on a free loopback port with its own data directory and embedded
    database, in its own session (so master and workers can be stopped together), once it
    answers: its URL, its process and its log."""
    port = free_port()
    env = {**os.environ, "CORESPONSE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    coresponse = str(Path(sys.executable).with_name("coresponse"))
    command = [coresponse, "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, server, log)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        raise
    return base, server, log


def test_coresponse_serve_answers_a_triage_call_and_serves_the_pages_over_http(
    tmp_path: Path,
) -> None:
    base, server, log = start_server(tmp_path, "--workers", "1")
    try:
        status, decision = post(f"{base}/api/triage?protocol=civilian-first", CALL)
        # The access log line is written just after the answer is sent.
        access_logged = wait_for_text(log, "POST /api/triage")
        # The rest of the app goes through Django: a page with its sign-in form and CSRF
        # cookie, and a static file (whitenoise).
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=30) as sign_in:
            sign_in_status, sign_in_headers = sign_in.status, sign_in.headers
            sign_in_page = sign_in.read().decode()
        with urllib.request.urlopen(
            f"{base}/static/ninja/swagger-ui-bundle.js", timeout=30
        ) as asset:
            asset_status, asset_size = asset.status, len(asset.read())
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # a worker left behind

    assert status == 200
    # A crisis call in the team's hours, no weapon, no violence: the civilian team goes.
    assert decision["route"] == "civilian_crisis"
    assert decision["rules_fired"] == ["crisis-call-team-on-duty"]
    assert decision["protocol"] == "civilian-first"
    assert server.returncode is not None
    assert access_logged, log.read_text()
    assert sign_in_status == 200 and 'name="csrfmiddlewaretoken"' in sign_in_page
    assert "csrftoken=" in sign_in_headers["Set-Cookie"]
    assert sign_in_headers["X-Frame-Options"] == "DENY"
    assert asset_status == 200 and asset_size > 100_000
