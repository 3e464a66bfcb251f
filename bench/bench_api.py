"""``POST /api/triage`` under load: the real server (``coresponse serve``: bjoern, one
single-threaded worker per core, the lean triage path in front of Django) driven by ``wrk``
with 50 connections over loopback, beside the floor of the same server and Django stack,
``GET /api/health``.
Target (issue 4): p99 latency of 20 ms or less.

Each request is a realistic call (a Seattle code, a time, some screening answers) with one
of about two hundred real remarks from the labelled set (``remarks_labelled.csv``), read at
bench time and spread over the call types of ``CALLS``; the Lua script cycles through them,
so no cache gains from repeated bodies and the mapping, the remarks reader and different
rules are exercised. Unpaced, ``wrk`` keeps 50 connections busy (a closed loop: the next
request leaves as soon as the last is answered), so by Little's law the mean latency is
50 / throughput, and p99 measures the machine's capacity as much as one request. Paced, each
of the 50 clients waits ``PAUSE_MS`` on average between calls (``delay()`` in the script,
drawn between 0 and twice that so the clients do not move in lockstep; Debian's wrk has no
fixed rate), which measures a request when the server is not saturated. The server's
CPU time per request (from /proc) is reported too: on a shared machine it moves less than
latency does.

Needs ``wrk`` (Debian: ``apt-get install -y wrk``); the benchmark does not install it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

CONNECTIONS = 50
BODY_COUNT = 200
THREADS = 2
TARGET_P99_MS = 20.0
PROTOCOL = "civilian-first"
STARTUP_TIMEOUT_S = 120.0
ROOT = Path(__file__).resolve().parents[1]
REMARKS_FILE = ROOT / "src/coresponse/triage/data/remarks_labelled.csv"
# The paced runs: each client waits this long on average after an answer before its next call.
PAUSE_MS = 500

# Calls as the CAD sends them; codes from the shipped Seattle mapping.
CALLS: list[dict[str, Any]] = [
    {
        "city": "seattle",
        "call_type": "--CRISIS COMPLAINT - GENERAL",
        "remarks": "RP STATES MALE YELLING AT TRAFFIC, EDP, NO WEAPONS SEEN. KNOWN TO MHP.",
        "priority": 3,
        "source": "911",
        "received_at": "2025-03-01T22:15:00-08:00",
        "answers": {"weapon": False, "violence": None, "self_harm_imminent": False},
        "event_id": "2025-00012345",
    },
    {
        "city": "seattle",
        "call_type": "SERVICE - WELFARE CHECK",
        "remarks": "daughter has not heard from elderly mother in 3 days, lives alone",
        "priority": 4,
        "source": "non_emergency",
        "received_at": "2025-03-02T10:40:00-08:00",
        "answers": {"weapon": False, "violence": False, "medical_emergency": None},
        "repeat_address_calls": 1,
    },
    {
        "city": "seattle",
        "call_type": "--INTOX & LIQ VIOLS - INTOXICATED PERSON",
        "remarks": "sub passed out on bus bench, ETOH, breathing, unk if injured",
        "priority": 3,
        "source": "911",
        "received_at": "2025-03-02T02:05:00-08:00",
        "answers": {"intoxication": True, "medical_emergency": False},
    },
    {
        "city": "seattle",
        "call_type": "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS",
        "remarks": "caller's brother making SI statements, has a knife in the kitchen, not violent",
        "priority": 2,
        "source": "911",
        "received_at": "2025-03-03T18:30:00-08:00",
        "answers": {"weapon": True, "self_harm_imminent": True, "violence": False},
    },
    {
        "city": "seattle",
        "call_type": "--DISTURBANCE - OTHER",
        "remarks": "man sleeping in doorway of business, refusing to leave, no threats",
        "priority": 4,
        "source": "non_emergency",
        "received_at": "2025-03-04T08:10:00-08:00",
        "answers": {"weapon": False, "violence": False, "crime_in_progress": False},
        "repeat_address_calls": 4,
    },
]

# Cycles through the calls; ``done`` prints the figures as one JSON line (latency in us).
LUA_TEMPLATE = """
local bodies = {BODIES}
local requests = {}
local i = 0
-- Each request is formatted once per wrk thread, not once per send: wrk shares the cores.
init = function(args)
  math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16) % 100000)
  for index, body in ipairs(bodies) do
    requests[index] = wrk.format("{METHOD}", nil, {["Content-Type"] = "application/json"}, body)
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
{DELAY}
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
    .. '"timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %f}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def request_bodies(count: int = BODY_COUNT) -> list[str]:
    """``count`` calls: the ``CALLS`` in turn, each with the next real remark of the labelled
    set in place of its own (so every body differs)."""
    with REMARKS_FILE.open(encoding="utf-8", newline="") as remarks_file:
        remarks = [row["remarks"] for row in csv.DictReader(remarks_file) if row["remarks"].strip()]
    if len(remarks) < count:
        raise RuntimeError(
            f"{REMARKS_FILE} has {len(remarks)} remarks, fewer than the {count} needed"
        )
    return [
        json.dumps({**CALLS[index % len(CALLS)], "remarks": remark})
        for index, remark in enumerate(remarks[:count])
    ]


def _lua_script(method: str, bodies: list[str], pause_ms: int = 0) -> str:
    for body in bodies:
        if "]==]" in body:
            raise ValueError("a request body may not contain ]==] (it closes the Lua string)")
    quoted = ", ".join(f"[==[{body}]==]" for body in bodies)  # Lua long strings: no escapes
    # wrk waits ``delay()`` ms before a connection's next request: a client's think time,
    # drawn between 0 and twice the pause. A fixed pause keeps the 50 clients in lockstep
    # (they all start at once), so every call arrives in a burst of 50 and waits behind it.
    pause = f"delay = function() return math.random(0, {2 * pause_ms}) end" if pause_ms else ""
    return (
        LUA_TEMPLATE.replace("{METHOD}", method)
        .replace("{BODIES}", "{" + quoted + "}")
        .replace("{DELAY}", pause)
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return bytes(response.read())


def _post_json(url: str, payload: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            result: dict[str, Any] = json.loads(response.read())
            return result
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"POST {url} answered {error.code}: {error.read()[:2000]!r}") from error


class Server:
    """A running ``coresponse serve``: its URL and the CPU time its processes have used."""

    def __init__(self, base: str, process: subprocess.Popen[bytes]) -> None:
        self.base = base
        self.process = process

    def cpu_seconds(self) -> float:
        """User + system CPU of the master and every worker (all in the server's session),
        from /proc; 0 where /proc is missing. Workers that exited are not counted."""
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total = 0
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = entry.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:  # the session id (the server leads its own)
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


@contextmanager
def running_server(options: tuple[str, ...] = ()) -> Iterator[Server]:
    """``coresponse serve`` on a free loopback port with its own data directory; yields it
    once ``/api/health`` answers, and always stops it (and its workers)."""
    coresponse = Path(sys.executable).with_name("coresponse")
    with tempfile.TemporaryDirectory(prefix="coresponse-bench-api-") as folder:
        port = free_port()
        env = {**os.environ, "CORESPONSE_DATA_DIR": folder}
        env.pop("DATABASE_URL", None)  # the embedded SQLite in the temporary folder
        command = [str(coresponse), "serve", "--host", "127.0.0.1", "--port", str(port), *options]
        log_path = Path(folder) / "server.log"
        with log_path.open("wb") as log:
            # Its own session, so the master and its workers can be stopped together.
            server = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_for_health(base, server, log_path)
                yield Server(base, server)
            finally:
                _stop(server)


def _wait_for_health(base: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"coresponse serve exited with {server.returncode} before answering:\n{_tail(log_path)}"
            )
        try:
            _get(f"{base}/api/health")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"coresponse serve did not answer {base}/api/health in {STARTUP_TIMEOUT_S:.0f} s:\n{_tail(log_path)}"
    )


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's master (a graceful stop of its workers), then SIGKILL to the
    whole process group if it is still there after 15 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(server.pid, signal.SIGKILL)  # any worker left behind; the group is ours alone
    server.wait()


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            "bench api needs the load tool wrk: install it with `sudo apt-get install -y wrk`"
        )
    return found


def run_wrk(
    server: Server,
    path: str,
    method: str,
    bodies: list[str],
    seconds: int,
    folder: Path,
    pause_ms: int = 0,
) -> dict[str, Any]:
    """Loads the server's ``path`` with ``CONNECTIONS`` connections for ``seconds`` (each
    waiting ``pause_ms`` after a response before its next request); the figures in ms,
    and the server's CPU time per request."""
    url = server.base + path
    cpu_before = server.cpu_seconds()
    script = folder / f"{method.lower()}-{pause_ms}.lua"
    script.write_text(_lua_script(method, bodies, pause_ms), encoding="utf-8")
    command = [
        wrk_path(),
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
        url,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    cpu = server.cpu_seconds() - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    figures_line = next(
        (line for line in done.stdout.splitlines() if line.startswith('{"requests"')), None
    )
    if figures_line is None:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}")
    raw = json.loads(figures_line)
    if raw["non_2xx"] or raw["socket_errors"] or raw["timeouts"]:
        raise RuntimeError(
            f"{method} {url}: {raw['non_2xx']} non-2xx responses, {raw['socket_errors']} socket errors, "
            f"{raw['timeouts']} timeouts out of {raw['requests']} requests:\n{done.stdout}"
        )
    return {
        "requests": raw["requests"],
        "requests_per_s": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
        "server_cpu_ms_per_request": cpu * 1000 / raw["requests"] if raw["requests"] else None,
    }


def in_process_cpu_ms(requests: int) -> dict[str, float]:
    """CPU ms per request in this process, no server and no socket: through what ``coresponse
    serve`` runs (the lean triage path in front of Django), and through Django's WSGI handler
    alone (the ninja route): the request path's own cost, which a busy machine inflates less
    than latency. Call in a fresh process (it sets up Django on a temporary data directory)."""
    import io

    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.web.fastpath import application_with_fast_path

    served = application_with_fast_path()
    django_alone = served.django_application
    bodies = [body.encode() for body in request_bodies()]

    def call(application: Any, method: str, path: str, query: str = "", body: bytes = b"") -> None:
        statuses: list[str] = []
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        response = application(environ, lambda status, headers: statuses.append(status))
        b"".join(response)
        if hasattr(response, "close"):
            response.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{method} {path}: {statuses[0]}")

    def per_request(send: Any) -> float:
        for index in range(50):  # warm
            send(index)
        started = time.process_time()
        for index in range(requests):
            send(index)
        return (time.process_time() - started) * 1000 / requests

    query = f"protocol={PROTOCOL}"
    return {
        "triage": per_request(
            lambda i: call(served, "POST", "/api/triage", query, bodies[i % len(bodies)])
        ),
        "triage_through_django": per_request(
            lambda i: call(django_alone, "POST", "/api/triage", query, bodies[i % len(bodies)])
        ),
        "health": per_request(lambda i: call(served, "GET", "/api/health")),
    }


def _in_process_figures(requests: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="coresponse-bench-api-") as folder:
        env = {**os.environ, "CORESPONSE_DATA_DIR": folder}
        env.pop("DATABASE_URL", None)
        code = (
            f"import json, bench.bench_api as b; print(json.dumps(b.in_process_cpu_ms({requests})))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"in-process measurement failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(quick: bool) -> dict[str, Any]:
    seconds = 5 if quick else 30
    console = Console()
    wrk_path()
    bodies = request_bodies()
    triage_path = f"/api/triage?protocol={PROTOCOL}"
    load_before = os.getloadavg()[0]
    in_process = _in_process_figures(500 if quick else 3000)
    with (
        running_server() as server,
        tempfile.TemporaryDirectory(prefix="coresponse-wrk-") as folder,
    ):
        scratch = Path(folder)
        # Each call is checked once by hand: a load test of 422s would measure nothing.
        routes = Counter(
            _post_json(server.base + triage_path, json.loads(body))["route"] for body in bodies
        )
        # Every worker and connection warmed before measuring; not counted.
        run_wrk(server, triage_path, "POST", bodies, 1, scratch)
        run_wrk(server, "/api/health", "GET", [""], 1, scratch)
        triage = run_wrk(server, triage_path, "POST", bodies, seconds, scratch)
        health = run_wrk(server, "/api/health", "GET", [""], seconds, scratch)
        paced_triage = run_wrk(server, triage_path, "POST", bodies, seconds, scratch, PAUSE_MS)
        paced_health = run_wrk(server, "/api/health", "GET", [""], seconds, scratch, PAUSE_MS)

    table = Table(
        title=(
            f"coresponse serve under wrk: {CONNECTIONS} connections, {seconds} s each, loopback, "
            f"{os.cpu_count()} cores (load average {load_before:.1f} before)"
        )
    )
    columns = ("endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req")
    for column in columns:
        table.add_column(column, justify="left" if column == "endpoint" else "right")

    def cpu(figures: dict[str, Any]) -> str:
        value = figures["server_cpu_ms_per_request"]
        return "" if value is None else f"{value:.2f}"

    paced = ", paced"
    rows = (
        ("triage", triage),
        ("health (floor)", health),
        (f"triage{paced}", paced_triage),
        (f"health{paced}", paced_health),
    )
    for name, figures in rows:
        table.add_row(
            name,
            f"{figures['requests_per_s']:,.0f}",
            f"{figures['p50_ms']:.1f}",
            f"{figures['p90_ms']:.1f}",
            f"{figures['p99_ms']:.1f}",
            f"{figures['max_ms']:.1f}",
            cpu(figures),
        )
    ratios = {
        "requests_per_s": triage["requests_per_s"] / health["requests_per_s"],
        "p50": triage["p50_ms"] / health["p50_ms"],
        "p90": triage["p90_ms"] / health["p90_ms"],
        "p99": triage["p99_ms"] / health["p99_ms"],
    }
    cpu_ratio = (
        triage["server_cpu_ms_per_request"] / health["server_cpu_ms_per_request"]
        if triage["server_cpu_ms_per_request"] and health["server_cpu_ms_per_request"]
        else None
    )
    table.add_row(
        "triage / health",
        f"{ratios['requests_per_s']:.2f}x",
        f"{ratios['p50']:.2f}x",
        f"{ratios['p90']:.2f}x",
        f"{ratios['p99']:.2f}x",
        "",
        "" if cpu_ratio is None else f"{cpu_ratio:.2f}x",
    )
    table.add_row(
        f"triage / health{paced}",
        f"{paced_triage['requests_per_s'] / paced_health['requests_per_s']:.2f}x",
        f"{paced_triage['p50_ms'] / paced_health['p50_ms']:.2f}x",
        f"{paced_triage['p90_ms'] / paced_health['p90_ms']:.2f}x",
        f"{paced_triage['p99_ms'] / paced_health['p99_ms']:.2f}x",
        "",
        "",
    )
    console.print(table)
    console.print(
        f"in process (no server): triage {in_process['triage']:.2f} ms CPU per request by the lean "
        f"path, {in_process['triage_through_django']:.2f} ms through Django and ninja; health "
        f"{in_process['health']:.2f} ms"
    )
    console.print(
        f"[dim]triage: POST {triage_path} ({len(bodies)} calls in turn, each with its own real "
        f"remarks); health: GET /api/health. "
        f"Unpaced, every connection sends its next request as soon as the last is answered, so "
        f"latency ~ {CONNECTIONS} / requests per second (queueing); paced, each of the {CONNECTIONS} "
        f"clients waits 0 to {2 * PAUSE_MS} ms (on average {PAUSE_MS}) between calls.[/dim]"
    )
    met = triage["p99_ms"] <= TARGET_P99_MS
    paced_met = paced_triage["p99_ms"] <= TARGET_P99_MS
    console.print(
        f"triage p99 {triage['p99_ms']:.1f} ms unpaced, {paced_triage['p99_ms']:.1f} ms paced: target "
        f"{TARGET_P99_MS:.0f} ms or less "
        + ("[green]met[/green]" if met else "[red]not met[/red]")
        + " unpaced, "
        + ("[green]met[/green]" if paced_met else "[red]not met[/red]")
        + f" paced; p99 / target {triage['p99_ms'] / TARGET_P99_MS:.2f}x unpaced, "
        f"{paced_triage['p99_ms'] / TARGET_P99_MS:.2f}x paced; routes of the {len(bodies)} calls: "
        + ", ".join(f"{route} {count}" for route, count in routes.most_common())
    )
    return {
        "connections": CONNECTIONS,
        "seconds": seconds,
        "protocol": PROTOCOL,
        "load_average_before": load_before,
        "in_process_cpu_ms_per_request": in_process,
        "triage": triage,
        "health": health,
        "pause_ms": PAUSE_MS,
        "paced_triage": paced_triage,
        "paced_health": paced_health,
        "paced_target_met": paced_met,
        "ratios": ratios,
        "cpu_ratio": cpu_ratio,
        "target_p99_ms": TARGET_P99_MS,
        "target_met": met,
        "p99_over_target": triage["p99_ms"] / TARGET_P99_MS,
        "paced_p99_over_target": paced_triage["p99_ms"] / TARGET_P99_MS,
        "routes": dict(routes),
    }
