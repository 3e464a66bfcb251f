"""``coresponse serve`` and ``coresponse manage``: the Django side of the command."""

from __future__ import annotations

import gc
import multiprocessing
from typing import Any

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="IPv4 address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="Worker processes, each answering one request at a time (default: one per CPU core).",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log every request to standard output.",
)
def serve(host: str, port: int, workers: int | None, access_log: bool) -> None:
    """Run the web app with bjoern, one single-threaded worker per core (never Django's
    development server).

    The embedded SQLite database is created and migrated on first use. The triage
    protocols, call-type mappings and the remarks reader are loaded once, before the
    workers are forked, so no request pays for them. ``POST /api/triage`` takes the lean
    path (coresponse.web.fastpath); every other request goes through Django.

    \b
    Example:
      coresponse serve --host 0.0.0.0 --port 8000
    """
    _check_can_listen(host, port)
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.web.fastlog import AccessLog
    from coresponse.web.fastpath import application_with_fast_path
    from coresponse.web.fastserver import serve_forever

    application: Any = application_with_fast_path()
    if access_log:
        application = AccessLog(application)
    _warm()
    # Requests are CPU-bound Python: one worker per core answers them one after the other;
    # more workers than cores only add switching.
    worker_count = workers or multiprocessing.cpu_count()
    click.echo(f"CoResponse is serving on http://{host}:{port}/ ({worker_count} workers)")
    # Everything loaded so far lives as long as the workers: the collector need never scan
    # it again, and untouched pages stay shared between the forked workers.
    gc.collect()
    gc.freeze()
    serve_forever(application, host=host, port=port, workers=worker_count, announce=click.echo)


def _check_can_listen(host: str, port: int) -> None:
    """Fail at once, in one line, where the server could not listen (an IPv6 or unknown
    address, a port in use or reserved), before the database and the app are loaded."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except socket.gaierror as error:
        raise click.BadParameter(
            f"{host!r} is not an IPv4 address or a name this machine resolves to one ({error.strerror})",
            param_hint="--host",
        ) from error
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from error


def _warm() -> None:
    """Load, in the master process, what the first request of each worker would otherwise
    load (seconds: URL patterns, protocols, mappings, the remarks reader); the workers are
    forked with it. The caches still check the files, so an edited protocol is read again."""
    from django.urls import get_resolver

    from coresponse.web.api_triage import warm

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    warm()


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def manage(arguments: tuple[str, ...]) -> None:
    """Pass ARGUMENTS to Django's management commands.

    \b
    Example:
      coresponse manage createsuperuser
      coresponse manage migrate
    """
    from django.core.management import execute_from_command_line

    from coresponse.web.bootstrap import setup_django

    wants_migrate = bool(arguments) and arguments[0] in {"migrate", "makemigrations", "sqlmigrate"}
    setup_django(migrate=not wants_migrate and bool(arguments))
    execute_from_command_line(["coresponse manage", *arguments])
