"""``coresponse audit``: check the hash chain of the audit log."""

from __future__ import annotations

import click


@click.group()
def audit() -> None:
    """The append-only audit log of every read and write of a person's record."""


@audit.command("verify")
def verify() -> None:
    """Walk the hash chain and report OK, or the first entry that was changed or removed.

    Exits with status 1 when the chain is broken, so a cron job or monitor can alert.

    \b
    Example:
      coresponse audit verify
    """
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.audit import log

    result = log.verify()
    click.echo(result.summary())
    if not result.ok:
        raise SystemExit(1)
