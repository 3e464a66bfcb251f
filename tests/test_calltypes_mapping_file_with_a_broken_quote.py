"""A mapping file whose quote is never closed is refused at its line, not read as fewer rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.calltypes import load_mapping
from coresponse.calltypes.mapping import MappingError


def test_a_quote_never_closed_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "springfield.csv").write_text(
        'call_type,category,source\nNOISE,Alarms,reviewed\n"FOO,Statuses,reviewed\n'
        "BAR,Statuses,reviewed\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match=r"springfield\.csv, line \d+: not readable CSV"):
        load_mapping("springfield", tmp_path)


def test_a_row_with_more_fields_than_the_header_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "springfield.csv").write_text(
        "call_type,category\nNOISE,Alarms\nFOO,Statuses,extra\n", encoding="utf-8"
    )
    with pytest.raises(MappingError, match=r"springfield\.csv, line 3: more fields"):
        load_mapping("springfield", tmp_path)


def test_blank_lines_do_not_shift_the_line_named(tmp_path: Path) -> None:
    (tmp_path / "springfield.csv").write_text(
        "call_type,category\n\nNOISE,Loud Things\n", encoding="utf-8"
    )
    with pytest.raises(MappingError, match=r"line 3, field category"):
        load_mapping("springfield", tmp_path)
