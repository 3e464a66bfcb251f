"""A codebook with a quote never closed is refused at its line; rows keep their physical lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.calltypes.codebook import CodebookError, read_codebook


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unclosed_quote_is_an_error_at_its_line_not_rows_swallowed(tmp_path: Path) -> None:
    path = write(tmp_path, 'call_type,count\nSUICIDE,3\n"WELFARE CHECK,4\nMENTAL,5\n')
    with pytest.raises(CodebookError, match=r"codebook\.csv, line 3: .*never closed"):
        read_codebook(path)


def test_text_after_a_closing_quote_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'call_type,count\n"WELFARE" CHECK,4\n')
    with pytest.raises(CodebookError, match=r"line 2: not readable CSV"):
        read_codebook(path)


def test_lines_after_a_multi_line_field_and_a_blank_line_are_counted_as_in_the_file(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'call_type,count\n"PERSON\nDOWN",3\n\nWELFARE,4\n,5\n')
    with pytest.raises(CodebookError, match=r"blank on line\(s\) 6\b"):
        read_codebook(path)
    path = write(tmp_path, 'call_type,count\n"PERSON\nDOWN",3\n\nWELFARE,4\n')
    codebook = read_codebook(path)
    assert [(row.line, row.call_type, row.calls) for row in codebook.rows] == [
        (2, "PERSON\nDOWN", 3),
        (5, "WELFARE", 4),
    ]
