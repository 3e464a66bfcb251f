"""Stopping `coresponse serve` (SIGTERM to its master) lets a worker finish the request it is
answering: a call being decided during a restart is answered, not cut."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import urllib.request
from pathlib import Path

from tests.test_serve import free_port, wait_for_text

# A master with one worker whose app answers once it has said it started, a moment later.
SERVER = textwrap.dedent(
    """
    import sys, time
    from coresponse.web.fastserver import serve_forever

    def slow(environ, start_response):
        print("answering", flush=True)
        time.sleep(0.5)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"answered in full"]

    serve_forever(slow, host="127.0.0.1", port=int(sys.argv[1]), workers=1, announce=print)
    """
)


def test_a_request_in_progress_is_answered_when_the_server_is_stopped(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    answers: list[bytes] = []
    try:
        assert wait_for_text(log, "workers:"), log.read_text()
        client = threading.Thread(
            target=lambda: answers.append(
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
            )
        )
        client.start()
        assert wait_for_text(log, "answering"), log.read_text()
        server.send_signal(signal.SIGTERM)
        client.join(timeout=15)
        server.wait(timeout=15)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    assert answers == [b"answered in full"], log.read_text()
    assert server.returncode == 0
