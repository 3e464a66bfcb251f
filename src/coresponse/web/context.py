from __future__ import annotations

from django.http import HttpRequest

from coresponse import __version__


def site(request: HttpRequest) -> dict[str, str]:
    return {"version": __version__}
