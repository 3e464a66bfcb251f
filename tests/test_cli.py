"""The one command: every sub-command loads, has help with an example, and is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coresponse.cli import COMMANDS, main

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    context = click.Context(main)

    def walk(prefix: str, command: click.Command) -> None:
        found.append((prefix, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None, f"{prefix} {name} does not load"
                walk(f"{prefix} {name}", sub)

    for name in COMMANDS:
        command = main.get_command(context, name)
        assert command is not None, f"coresponse {name} does not load"
        walk(f"coresponse {name}", command)
    return found


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=lambda value: str(value))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    if isinstance(command, click.Group):
        return
    assert command.help and "Example" in command.help, f"{name} has no example in its help"


def test_every_command_is_documented() -> None:
    documented = "\n".join(path.read_text(encoding="utf-8") for path in DOCS.glob("*.md"))
    missing = [name for name, command in _all_commands() if name not in documented]
    assert not missing, f"not in docs/*.md: {missing}"
