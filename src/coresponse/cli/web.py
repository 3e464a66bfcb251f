"""``coresponse serve`` and ``coresponse manage``: the Django side of the command."""

from __future__ import annotations

import multiprocessing
from typing import Any

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=None,
    type=int,
    help="Worker processes (default: 2 per CPU core, plus one).",
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the web app with gunicorn (never Django's development server).

    The embedded SQLite database is created and migrated on first use.

    \b
    Example:
      coresponse serve --host 0.0.0.0 --port 8000
    """
    from gunicorn.app.base import BaseApplication

    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    worker_count = workers or multiprocessing.cpu_count() * 2 + 1

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", worker_count)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self) -> Any:
            return application

    click.echo(f"CoResponse is serving on http://{host}:{port}/ ({worker_count} workers)")
    Server().run()


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
