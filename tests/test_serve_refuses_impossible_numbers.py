"""`coresponse serve` refuses a port or worker count that cannot work, before starting."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from coresponse.cli import main


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "0"], "--port"),
        (["--workers", "0"], "--workers"),
        (["--workers", "-1"], "--workers"),
    ],
)
def test_an_impossible_number_is_a_usage_error_naming_the_option(
    args: list[str], option: str
) -> None:
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
