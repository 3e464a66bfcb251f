"""The one ``coresponse`` command. Sub-commands load their modules only when run,
so ``coresponse --help`` stays fast however heavy the libraries behind them are."""

from __future__ import annotations

import importlib
from typing import Any

import click

from coresponse import __version__
from coresponse.config import ConfigError

# name -> ("module:attribute", one-line help). Each module owns its own command or group.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("coresponse.cli.web:serve", "Run the web app with a production server."),
    "manage": ("coresponse.cli.web:manage", "Run a Django management command."),
    "cad": ("coresponse.cli.cad:cad", "Import a city's CAD export; list quarantined rows; summarise the store."),
    "synth": ("coresponse.cli.synth:synth", "Write a synthetic city's calls in its own export format."),
    "calltypes": ("coresponse.cli.calltypes:calltypes", "Map call types to shared categories: suggest, review, curate."),
    "directory": ("coresponse.cli.directory:directory", "Import and export the service directory (HSDS)."),
    "casework": ("coresponse.cli.casework:casework", "Repeat callers, enrolment and demo casework."),
    "audit": ("coresponse.cli.audit:audit", "Verify the hash-chained audit log."),
    "triage": ("coresponse.cli.triage:triage", "Decide who goes to a call by a triage protocol; list protocols and questions."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target[0].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        # A setting with a value that cannot be used is the user's to fix: one line naming it.
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise click.ClickException(str(error)) from error

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coresponse")
def main(**_: Any) -> None:
    """CoResponse: send the right responder to every crisis call, and show what it changed.

    \b
    Example:
      coresponse synth --city seattle --calls 100000 --seed 1 --out var/seattle.csv
      coresponse cad import var/seattle.csv --profile seattle
      coresponse serve --port 8000
    """
