"""The access log of ``coresponse serve``: one line per request on standard output.

bjoern writes none. The line is written with one ``os.write`` and no lock, the time of day
formatted once a second: 3.6 us of CPU a request, where Python's ``logging`` (a record, a
``datetime``, a handler lock), as granian used it, took 15 us, and under load its handler
lock was where a worker's threads queued (py-spy, docs/benchmarks.md). The line is written
when the application returns, before the body is sent.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class AccessLog:
    """A WSGI application that writes a line per request of ``application`` to a file
    descriptor (standard output unless told):
    ``[2025-03-01 22:15:00 +0000] 127.0.0.1 - "POST /api/triage HTTP/1.1" 200 1.234``
    (the milliseconds the application took)."""

    def __init__(self, application: WSGIApplication, *, descriptor: int = 1) -> None:
        self.application = application
        self.descriptor = descriptor
        self._second = -1
        self._stamp = ""

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        statuses: list[str] = []

        def noting_status(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            statuses.append(status)
            return start_response(status, headers, exc_info)

        try:
            return self.application(environ, noting_status)
        finally:
            status = statuses[-1].split(" ", 1)[0] if statuses else "500"
            took_ms = (time.perf_counter() - started) * 1000
            line = (
                f"[{self._time_stamp()}] {environ.get('REMOTE_ADDR', '-')} - "
                f'"{environ.get("REQUEST_METHOD", "")} {environ.get("PATH_INFO", "")} '
                f'{environ.get("SERVER_PROTOCOL", "")}" {status} {took_ms:.3f}\n'
            )
            with contextlib.suppress(OSError):  # a closed log must not fail the request
                os.write(self.descriptor, line.encode("utf-8", "replace"))

    def _time_stamp(self) -> str:
        # Threads may race here; either writes the same text for the same second.
        now = int(time.time())
        if now != self._second:
            self._stamp = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(now))
            self._second = now
        return self._stamp
