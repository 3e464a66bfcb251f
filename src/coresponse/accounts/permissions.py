"""Which roles a user holds. What each role may see is decided in ``casework.policy``, not here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from coresponse.accounts.roles import Role


def roles_of(user: Any) -> frozenset[Role]:
    """The roles of ``user``: none for an anonymous or inactive user.

    A superuser holds no role by being a superuser: clinical records are opened by
    role, and an administrator account is not a social worker.
    """
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_coresponse_roles", None)
    if cached is not None:
        return cached
    known = {role.value for role in Role}
    names = user.groups.values_list("name", flat=True)  # type: ignore[union-attr]
    roles = frozenset(Role(name) for name in names if name in known)
    user._coresponse_roles = roles  # type: ignore[union-attr]
    return roles


def has_role(user: Any, *roles: Role) -> bool:
    """True when ``user`` holds at least one of ``roles``."""
    return bool(roles_of(user) & set(roles))


def grant_role(user: Any, role: Role) -> None:
    """Put ``user`` in the group of ``role`` (the group is made if a fresh database lacks it)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    forget_roles(user)


def revoke_role(user: Any, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=role.value))
    forget_roles(user)


def forget_roles(user: Any) -> None:
    """Drop the per-object cache of roles after the user's groups change."""
    if hasattr(user, "_coresponse_roles"):
        del user._coresponse_roles
