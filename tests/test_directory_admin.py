"""The directory is maintained through Django admin; need tags edited there are locked, so
a later import keeps them."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from coresponse.directory.hsds import import_package
from coresponse.directory.models import Service

pytestmark = pytest.mark.django_db

CITY = Path(__file__).parent / "data" / "hsds" / "city"
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


class FormFields(HTMLParser):
    """The values a browser would submit from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = "on"
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def change_form(client: Client, service_id: str) -> dict[str, str]:
    page = client.get(f"/admin/directory/service/{service_id}/change/")
    assert page.status_code == 200
    parser = FormFields()
    parser.feed(page.content.decode())
    return parser.values


def test_admin_adds_a_need_tag_and_locks_the_tags(admin_client: Client) -> None:
    import_package(CITY, clock=lambda: NOON)
    form = change_form(admin_client, "svc-shelter")
    assert form["need_tags-0-need"] == "housing"
    form["need_tags-1-need"] = "safety"

    saved = admin_client.post("/admin/directory/service/svc-shelter/change/", form)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    shelter = Service.objects.get(pk="svc-shelter")
    assert shelter.needs == ["housing", "safety"]
    assert shelter.needs_locked
    assert shelter.need_tags.get(need="safety").source == "admin"


def test_reimport_keeps_tags_an_administrator_edited(admin_client: Client) -> None:
    import_package(CITY, clock=lambda: NOON)
    form = change_form(admin_client, "svc-shelter")
    form["need_tags-0-DELETE"] = "on"
    form["need_tags-1-need"] = "safety"
    admin_client.post("/admin/directory/service/svc-shelter/change/", form)

    report = import_package(CITY, clock=lambda: NOON)

    assert Service.objects.get(pk="svc-shelter").needs == ["safety"]
    assert report.services_retagged == 0


def test_saving_a_service_without_touching_tags_leaves_them_computed(
    admin_client: Client,
) -> None:
    import_package(CITY, clock=lambda: NOON)
    form = change_form(admin_client, "svc-meals")
    form["fees"] = "Free"

    admin_client.post("/admin/directory/service/svc-meals/change/", form)

    meals = Service.objects.get(pk="svc-meals")
    assert meals.fees == "Free"
    assert not meals.needs_locked


def test_import_runs_and_their_quarantined_rows_are_listed(admin_client: Client) -> None:
    report = import_package(Path(__file__).parent / "data" / "hsds" / "bad", clock=lambda: NOON)

    page = admin_client.get(f"/admin/directory/importrun/{report.run.pk}/change/")

    assert page.status_code == 200
    assert "&#x27;9am&#x27; is not a valid time" in page.content.decode()
