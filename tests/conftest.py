"""Shared fixtures. Every test run gets its own data directory, so nothing touches ./var."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Settings read CORESPONSE_DATA_DIR at import, before any fixture runs.
os.environ.setdefault("CORESPONSE_DATA_DIR", tempfile.mkdtemp(prefix="coresponse-test-"))

import pytest  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_data() -> Path:
    """The project's shared real data (../shared/data), beside the checkout."""
    path = SHARED / "data"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh CORESPONSE_DATA_DIR for one test."""
    monkeypatch.setenv("CORESPONSE_DATA_DIR", str(tmp_path))
    return tmp_path
