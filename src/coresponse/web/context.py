from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from coresponse import __version__


def site(request: HttpRequest) -> dict[str, Any]:
    """The version, and which casework links the navigation offers this user.

    A link to a page the user's role is refused (403) is noise, so the header shows
    "Casework" only to roles with a casework home and "Repeat callers" only to roles that
    may enrol. The checks are callables: templates call them only when a page shows the
    header, so API and JSON responses never pay for the role lookup.
    """
    user = getattr(request, "user", None)

    def may_open_casework() -> bool:
        if user is None or not user.is_authenticated:
            return True  # the link leads to the sign-in page
        from coresponse.casework.policy import Record, can

        return any(can(user, record) for record in (Record.CASE, Record.SAFETY, Record.AGGREGATES))

    def may_open_outreach() -> bool:
        if user is None or not user.is_authenticated:
            return False
        from coresponse.casework.policy import Access, Record, can

        return can(user, Record.CASE, Access.WRITE)

    nav: dict[str, Callable[[], bool]] = {
        "casework": may_open_casework,
        "outreach": may_open_outreach,
    }
    return {"version": __version__, "nav": nav}
