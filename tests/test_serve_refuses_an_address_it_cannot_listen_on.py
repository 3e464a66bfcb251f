"""`coresponse serve` on an address it cannot listen on says so in one line, naming the
address, instead of a traceback after loading the app."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from coresponse.cli import main


def test_an_ipv6_host_is_refused_naming_the_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "::1", "--port", "8125"])
    assert result.exit_code == 2
    assert "--host" in result.output and "'::1' is not an IPv4 address" in result.output
    assert "Traceback" not in result.output


def test_a_port_in_use_is_refused_naming_it() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--host", "127.0.0.1", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
