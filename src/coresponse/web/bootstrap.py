"""Start Django from the command line, creating and migrating the embedded database on first use."""

from __future__ import annotations

import os


def setup_django(*, migrate: bool = False) -> None:
    """Configure Django; with ``migrate``, apply any migration not yet applied.

    Migrating on start keeps the promise that a fresh checkout needs no set-up
    step: the first ``coresponse serve`` creates the SQLite file.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coresponse.web.settings")
    import django

    django.setup()
    if migrate and pending_migrations():
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
