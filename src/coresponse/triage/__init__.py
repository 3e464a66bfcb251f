"""Triage: decide who goes to a call, by a protocol written as data.

``decide`` routes one call in microseconds (the live console and the API);
``compile`` turns the same protocol into one Ibis expression that routes millions of
historical calls on DuckDB or Spark. Both follow the same rules, including the engine's
safety check. ``compile`` is imported lazily so that the live path never loads Ibis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coresponse.triage.engine import CallFacts, Decision, decide
from coresponse.triage.protocol import (
    ANSWERS,
    ROUTES,
    SIGNALS,
    Protocol,
    ProtocolError,
    list_protocols,
    load_protocol,
)
from coresponse.triage.screening import questions_to_ask

if TYPE_CHECKING:
    from coresponse.triage.compiled import CompiledProtocol, compile

__all__ = [
    "ANSWERS",
    "ROUTES",
    "SIGNALS",
    "CallFacts",
    "CompiledProtocol",
    "Decision",
    "Protocol",
    "ProtocolError",
    "compile",
    "decide",
    "list_protocols",
    "load_protocol",
    "questions_to_ask",
]


def __getattr__(name: str) -> Any:
    if name in {"compile", "CompiledProtocol"}:
        from coresponse.triage import compiled

        return getattr(compiled, name)
    raise AttributeError(f"module 'coresponse.triage' has no attribute {name!r}")
