"""The landing page: what the loaded CAD data holds, in real figures."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coresponse.analytics.overview import overview


def landing(request: HttpRequest) -> HttpResponse:
    summary = overview(settings.CORESPONSE_CALLS_STORE)
    return render(request, "web/landing.html", {"summary": summary})
