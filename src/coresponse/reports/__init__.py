"""Reports for people who do not run the command line: standalone HTML pages with charts.

Every report is one file that works offline (the charting libraries are embedded, never
fetched), so it can be mailed to a council clerk or served by the web app as it is.
"""

from __future__ import annotations

from pathlib import Path

from coresponse import config


def reports_dir() -> Path:
    """Where reports the web app serves are written: ``$CORESPONSE_DATA_DIR/reports``."""
    return config.data_dir() / "reports"


def default_replay_report_path() -> Path:
    """The replay report the web app shows (``make demo-data`` writes it there)."""
    return reports_dir() / "replay.html"
