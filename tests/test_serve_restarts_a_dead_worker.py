"""`coresponse serve` starts another worker when one dies, and SIGTERM stops every worker."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
import urllib.request
from pathlib import Path

from tests.test_serve import start_server, wait_for_text


def worker_pids(log: Path) -> list[int]:
    found = re.search(r"^workers: ([\d, ]+)$", log.read_text(), re.MULTILINE)
    return [int(pid) for pid in found.group(1).split(", ")] if found else []


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_replaced_and_sigterm_stops_them_all(tmp_path: Path) -> None:
    base, server, log = start_server(tmp_path, "--workers", "2", "--no-access-log")
    try:
        first, second = worker_pids(log)
        os.kill(first, signal.SIGKILL)
        replaced = wait_for_text(log, f"worker {first} exited (signal SIGKILL); starting another")
        for _ in range(10):  # whichever worker takes each connection, it answers
            with urllib.request.urlopen(f"{base}/api/health", timeout=10) as response:
                assert response.status == 200
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        deadline = time.monotonic() + 10
        while is_running(second) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    assert replaced, log.read_text()
    assert server.returncode == 0
    assert not is_running(second)
