"""Named personas for casework and access tests: one per role, and an outsider who should see nothing.

Import the fixtures into a test module (``from tests.personas import *``-style, by name);
each needs the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role
from coresponse.directory.models import Organization, Service

PERSONAS: dict[str, Role | None] = {
    "carla_call_taker": Role.CALL_TAKER,
    "dev_dispatcher": Role.DISPATCHER,
    "pat_police": Role.POLICE_OFFICER,
    "sam_social_worker": Role.SOCIAL_WORKER,
    "sue_supervisor": Role.SUPERVISOR,
    "ana_analyst": Role.ANALYST,
    "adam_admin": Role.ADMINISTRATOR,
    "olly_outsider": None,  # signed in, holds no role: must see nothing
}


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


def make_user(username: str, role: Role | None) -> Any:
    user = get_user_model().objects.create_user(username=username, password=None)  # no hashing: fast
    if role is not None:
        grant_role(user, role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2025, 3, 14, 9, 30, tzinfo=UTC))


@pytest.fixture
def personas(db: None) -> dict[str, Any]:
    return {name: make_user(name, role) for name, role in PERSONAS.items()}


@pytest.fixture
def social_worker(personas: dict[str, Any]) -> Any:
    return personas["sam_social_worker"]


@pytest.fixture
def service(db: None) -> Service:
    organization = Organization.objects.create(id="org-harbor", name="Harbor Housing")
    return Service.objects.create(id="svc-harbor-shelter", organization=organization, name="Harbor emergency shelter")


@pytest.fixture
def other_service(db: None) -> Service:
    organization = Organization.objects.create(id="org-lake", name="Lake Clinic")
    return Service.objects.create(id="svc-lake-clinic", organization=organization, name="Lake walk-in clinic")


@pytest.fixture
def new_client(social_worker: Any, clock: FrozenClock) -> Callable[..., Any]:
    from coresponse.casework import services

    def make(**fields: Any) -> Any:
        return services.create_client(by=social_worker, clock=clock, **fields)

    return make


def write_call_store(path: Any, calls: list[tuple[str, str, datetime, str | None, str | None]]) -> Any:
    """A DuckDB call store holding ``(city, event_id, received_at (naive UTC), person_key, address)`` rows."""
    import duckdb

    from coresponse.cad.schema import CALLS_COLUMNS, create_table_sql

    connection = duckdb.connect(str(path))
    connection.execute(create_table_sql("calls", CALLS_COLUMNS))
    connection.executemany(
        "INSERT INTO calls (city, event_id, received_at, person_key, address, call_type) VALUES (?, ?, ?, ?, ?, ?)",
        [(*row, "SERVICE - WELFARE CHECK") for row in calls],
    )
    connection.close()
    return path


def calls_over_days(person_key: str, end: datetime, days: list[int], *, address: str | None = None,
                    prefix: str = "") -> list[tuple[str, str, datetime, str | None, str | None]]:
    """One call per entry of ``days``, that many days before ``end`` (naive UTC)."""
    naive = end.replace(tzinfo=None)
    return [("seattle", f"{prefix or person_key[:4]}-{i}", naive - timedelta(days=d), person_key, address)
            for i, d in enumerate(days)]
