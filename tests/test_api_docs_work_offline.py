"""/api/docs loads Swagger UI from our own static files, not a CDN the machine may not reach."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_api_docs_page_uses_only_local_scripts_and_styles_that_are_served(client: Client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert any("swagger-ui-bundle" in asset for asset in assets), html
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not served by this app"
        assert client.get(asset).status_code == 200, asset
