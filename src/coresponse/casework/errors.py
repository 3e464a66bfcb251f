"""Domain errors of casework; only the web layer turns them into HTTP status codes."""

from __future__ import annotations


class CaseworkError(Exception):
    """Base of every casework rule that refused an action."""


class InvalidTransition(CaseworkError):
    """A lifecycle move that is not allowed from the record's current status."""


class ConsentRequired(CaseworkError):
    """Personal data would leave the programme without a consent that covers it."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class AccessDenied(CaseworkError):
    """The user's roles do not allow this read or write (see casework.policy)."""


class FormError(CaseworkError):
    """An assessment form definition or a set of answers does not fit the rules."""


class InvalidRecord(CaseworkError):
    """A record whose fields contradict each other (cleared before arrival, ...)."""
