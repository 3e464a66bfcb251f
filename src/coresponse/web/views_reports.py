"""The reports the analysis commands write, served as they are (they are standalone pages)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from coresponse.reports import default_replay_report_path


def replay_report_path() -> Path:
    """``CORESPONSE_REPLAY_REPORT`` in settings, else ``$CORESPONSE_DATA_DIR/reports/replay.html``."""
    configured = getattr(settings, "CORESPONSE_REPLAY_REPORT", None)
    return Path(configured) if configured else default_replay_report_path()


def replay_report(request: HttpRequest) -> HttpResponse:
    """The latest replay report inside the site's frame, or how to make one."""
    path = replay_report_path()
    return render(
        request,
        "web/replay_report.html",
        {"report_exists": path.exists(), "report_path": path},
    )


@xframe_options_sameorigin
def replay_report_document(request: HttpRequest) -> FileResponse:
    """The report file itself (it embeds its own scripts; the page above frames it)."""
    path = replay_report_path()
    if not path.exists():
        raise Http404("No replay report has been written yet.")
    return FileResponse(path.open("rb"), content_type="text/html; charset=utf-8")
