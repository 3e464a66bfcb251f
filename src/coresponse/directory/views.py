"""The directory search page. One view: the full page, or just the results for htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coresponse.directory.forms import SearchForm
from coresponse.directory.search import Result, search

# A page of cards a worker can scan on a tablet; past that, narrowing the search helps more.
RESULTS_SHOWN = 50


def directory_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[Result] | None = None
    if form.is_bound and form.is_valid():
        results = search(
            form.query(), now=timezone.now(), time_zone=timezone.get_default_timezone()
        )
    context = {
        "form": form,
        "results": results,
        "shown": results[:RESULTS_SHOWN] if results else [],
        "hidden": max(0, len(results) - RESULTS_SHOWN) if results else 0,
        "time_zone": timezone.get_default_timezone(),
    }
    template = (
        "directory/_results.html" if getattr(request, "htmx", False) else "directory/search.html"
    )
    return render(request, template, context)
