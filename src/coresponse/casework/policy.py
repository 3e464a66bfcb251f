"""Who may read and write which part of a client's record: the one place that decides.

Social workers' notes, assessments and substance-use information are not police records.
Police officers, dispatchers and call-takers see that a person has a social worker (and
whom to call) and the safety note, nothing else. Analysts see pseudonymised aggregates
only. Supervisors read everything social workers do, and the audit trail. Administrators
run accounts and assessment forms, not clinical records. Anyone else sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from coresponse.accounts.permissions import roles_of
from coresponse.accounts.roles import Role
from coresponse.casework.errors import AccessDenied


class Record(StrEnum):
    """The parts of a client's record, as the policy sees them."""

    IDENTITY = "identity"  # pseudonymous id and the name the person uses
    SAFETY = "safety"  # the safety note, and whether (and which) social worker to call
    CONTACT_DETAILS = "contact_details"
    CALLS = "calls"  # the calls linked to the client
    CASE = "case"
    ENCOUNTER = "encounter"  # outcome fields of contacts
    NOTES = "notes"  # free-text notes of encounters and assessments
    ASSESSMENT = "assessment"
    SUBSTANCE_USE = "substance_use"  # 42 CFR Part 2
    REFERRAL = "referral"
    CONSENT = "consent"
    FOLLOW_UP = "follow_up"
    AUDIT_TRAIL = "audit_trail"
    AGGREGATES = "aggregates"  # counts without ids
    FORMS = "forms"  # assessment form definitions


class Access(StrEnum):
    READ = "read"
    WRITE = "write"


R = frozenset({Access.READ})
RW = frozenset({Access.READ, Access.WRITE})
CLINICAL = (
    Record.IDENTITY,
    Record.SAFETY,
    Record.CONTACT_DETAILS,
    Record.CALLS,
    Record.CASE,
    Record.ENCOUNTER,
    Record.NOTES,
    Record.ASSESSMENT,
    Record.SUBSTANCE_USE,
    Record.REFERRAL,
    Record.CONSENT,
    Record.FOLLOW_UP,
)
FRONTLINE = {Record.IDENTITY: R, Record.SAFETY: R}

MATRIX: dict[Role, dict[Record, frozenset[Access]]] = {
    Role.CALL_TAKER: dict(FRONTLINE),
    Role.DISPATCHER: dict(FRONTLINE),
    Role.POLICE_OFFICER: dict(FRONTLINE),
    Role.SOCIAL_WORKER: {**{record: RW for record in CLINICAL}, Record.AGGREGATES: R, Record.FORMS: R},
    Role.SUPERVISOR: {
        **{record: RW for record in CLINICAL},
        Record.AUDIT_TRAIL: R,
        Record.AGGREGATES: R,
        Record.FORMS: R,
    },
    Role.ANALYST: {Record.AGGREGATES: R},
    Role.ADMINISTRATOR: {Record.FORMS: RW},
}


def allowed(roles: Iterable[Role], record: Record, access: Access = Access.READ) -> bool:
    """True when any of ``roles`` grants ``access`` to ``record``; no role grants nothing."""
    return any(access in MATRIX.get(role, {}).get(record, frozenset()) for role in roles)


def can(user: Any, record: Record, access: Access = Access.READ) -> bool:
    return allowed(roles_of(user), record, access)


def require(user: Any, record: Record, access: Access = Access.READ) -> None:
    """Raise AccessDenied unless ``user`` may ``access`` ``record``."""
    if not can(user, record, access):
        name = user.get_username() if getattr(user, "is_authenticated", False) else "anonymous"
        raise AccessDenied(f"{name} may not {access} {record}")


def visible(user: Any) -> frozenset[Record]:
    """Every part of a client's record ``user`` may read (what a page may show)."""
    roles = roles_of(user)
    return frozenset(record for record in Record if allowed(roles, record, Access.READ))
