"""The server behind ``coresponse serve``: bjoern's C event loop, one per worker process,
forked from a master that loaded the app.

Every request here is CPU-bound Python, so a worker runs one at a time whatever its threads
(the GIL). A server that parses HTTP on other threads (gunicorn's gthread, granian) hands
each request from thread to thread and lets requests of one worker take turns on the GIL;
on two cores shared with the load, that handing and taking turns is what set the triage
p99 (docs/benchmarks.md). bjoern parses HTTP in C on the worker's only thread and runs the
app in between: requests are answered in the order they came, one after the other.

The master listens, forks the workers (which inherit the socket and everything loaded),
starts a new worker when one dies, and stops them all on SIGTERM or SIGINT: each finishes
the request it is answering (a second signal stops them at once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

# A worker that dies this soon after it started is not restarted at once (a broken app
# would otherwise be forked again in a tight loop).
RESTART_PAUSE_S = 1.0


def serve_forever(
    application: Any, *, host: str, port: int, workers: int, announce: Callable[[str], None]
) -> None:
    """Serve ``application`` (WSGI) on ``host:port`` with ``workers`` processes until
    SIGTERM or SIGINT; returns once every worker has exited."""
    import bjoern

    bjoern.listen(application, host, port)
    started: dict[int, float] = {}  # worker pid -> when it started
    stopping = False

    def start_worker() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: serve until stopped, never return into the master's code
            # bjoern stops its loop on SIGINT between requests, so the one being answered is
            # finished; SIGTERM (the master's second try) ends the worker at once.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            code = 0
            try:
                bjoern.run()
            except KeyboardInterrupt:
                pass
            except BaseException as error:  # reported, then the worker ends
                sys.stderr.write(f"worker {os.getpid()} failed: {error!r}\n")
                code = 1
            finally:
                os._exit(code)
        started[pid] = time.monotonic()

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        # A second signal (say Ctrl-C twice) stops the workers at once.
        worker_signal = signal.SIGTERM if stopping else signal.SIGINT
        stopping = True
        for pid in list(started):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, worker_signal)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start_worker()
    announce(f"workers: {', '.join(str(pid) for pid in started)}")
    while started:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        began = started.pop(pid, None)
        if stopping or began is None:
            continue
        announce(f"worker {pid} exited ({_exit_reason(status)}); starting another")
        if time.monotonic() - began < RESTART_PAUSE_S:
            time.sleep(RESTART_PAUSE_S)
        if not stopping:
            start_worker()


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"code {os.WEXITSTATUS(status)}"
