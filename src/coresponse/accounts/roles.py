"""The roles of the people who use CoResponse. No Django here, so the policy can name them anywhere.

Each role is a Django group of the same name (created by the accounts data migration);
a user holds a role by being in its group.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CALL_TAKER = "call_taker"
    DISPATCHER = "dispatcher"
    POLICE_OFFICER = "police_officer"
    SOCIAL_WORKER = "social_worker"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ALL_ROLES: tuple[Role, ...] = tuple(Role)
