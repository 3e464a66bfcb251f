"""Signing in lands a worker on their casework home; a wrong password does not."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role


@pytest.fixture
def sam(db: None, settings: object) -> object:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    user = get_user_model().objects.create_user(username="sam", password="a long passphrase")
    grant_role(user, Role.SOCIAL_WORKER)
    return user


def test_signing_in_goes_to_the_casework_home(sam: object) -> None:
    browser = Browser()

    response = browser.post("/accounts/login/", {"username": "sam", "password": "a long passphrase"})

    assert response.status_code == 302
    assert response["Location"] == "/casework/"
    assert browser.get("/casework/").status_code == 200


def test_signing_in_returns_to_the_page_asked_for(sam: object) -> None:
    response = Browser().post("/accounts/login/?next=/casework/repeat-callers/",
                              {"username": "sam", "password": "a long passphrase",
                               "next": "/casework/repeat-callers/"})

    assert response["Location"] == "/casework/repeat-callers/"


def test_a_wrong_password_stays_on_the_sign_in_page(sam: object) -> None:
    page = Browser().post("/accounts/login/", {"username": "sam", "password": "wrong"})

    assert page.status_code == 200
    assert "Please enter a correct username and password" in page.content.decode()


def test_signing_out_needs_a_post_and_ends_the_session(sam: object) -> None:
    browser = Browser()
    browser.force_login(sam)

    response = browser.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert browser.get("/casework/").status_code == 302
