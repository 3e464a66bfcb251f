"""The header links to the casework pages only for roles that may open them (no link to a 403)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.personas import personas  # noqa: F401  (fixture)

OUTREACH = 'href="/casework/repeat-callers/"'
CASEWORK = 'href="/casework/"'


def header_of(user: Any) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    html = client.get("/directory/").content.decode()
    return html.split("</header>", 1)[0]


@pytest.mark.django_db
def test_each_linked_casework_page_opens_for_the_role_and_hidden_ones_are_refused(
    personas: dict[str, Any],  # noqa: F811
) -> None:
    for name, user in personas.items():
        header = header_of(user)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for link, url in ((CASEWORK, "/casework/"), (OUTREACH, "/casework/repeat-callers/")):
            status = client.get(url).status_code
            if link in header:
                assert status == 200, f"{name} is offered {url} but gets {status}"
            else:
                assert status == 403, f"{name} may open {url} ({status}) but is not offered it"


@pytest.mark.django_db
def test_a_visitor_who_has_not_signed_in_is_offered_casework_to_sign_in() -> None:
    header = header_of(None)
    assert CASEWORK in header and OUTREACH not in header
