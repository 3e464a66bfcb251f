"""A broken patterns file is refused with a message naming the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.triage.remarks import (
    PATTERNS_PATH,
    SIGNALS,
    RemarkPatternError,
    load_patterns,
    read_patterns,
)

# "| " would be a space left by YAML folding at the start of an alternative.
FORBIDDEN_CONSTRUCTS = ("(?=", "(?!", "(?<=", "(?<!", "\\s", "\\w", "\\d", "| ")


def test_shipped_patterns_load_with_every_signal() -> None:
    patterns = load_patterns()
    assert tuple(patterns.signals) == SIGNALS


def test_shipped_patterns_avoid_constructs_that_differ_between_engines() -> None:
    patterns = load_patterns()
    sources = [signal.terms for signal in patterns.signals.values()]
    sources += [signal.removal for signal in patterns.signals.values()]
    sources += [pattern for pattern, _ in patterns.normalise]
    found = sorted({construct for source in sources for construct in FORBIDDEN_CONSTRUCTS if construct in source})
    assert found == []


def test_bad_regex_names_file_and_signal(tmp_path: Path) -> None:
    broken = tmp_path / "patterns.yaml"
    broken.write_text(PATTERNS_PATH.read_text(encoding="utf-8").replace("weapons?|wpns?|weaps?|", "weapons?|wpns(|weaps?|", 1))
    with pytest.raises(RemarkPatternError, match=r"patterns\.yaml: signals\.weapon"):
        load_patterns(broken)


def test_missing_signal_is_named(tmp_path: Path) -> None:
    text = PATTERNS_PATH.read_text(encoding="utf-8").replace("  medical:\n", "  medicine:\n", 1)
    broken = tmp_path / "patterns.yaml"
    broken.write_text(text)
    with pytest.raises(RemarkPatternError, match=r"missing \['medical'\], unknown \['medicine'\]"):
        load_patterns(broken)


def test_a_patterns_file_can_be_passed_to_the_reader(tmp_path: Path) -> None:
    text = PATTERNS_PATH.read_text(encoding="utf-8").replace("weapons?|wpns?|weaps?|", "weapons?|wpns?|weaps?|trebuchet|", 1)
    custom = tmp_path / "patterns.yaml"
    custom.write_text(text)
    assert read_patterns("subj has a trebuchet", load_patterns(custom)).weapon is True
    assert read_patterns("subj has a trebuchet").weapon is False


def _exclusion_blocks() -> list[tuple[str, list[str]]]:
    """Each signal's folded ``exclude`` block, as the lines written in the file."""
    import yaml

    text = PATTERNS_PATH.read_text(encoding="utf-8")
    lines = text.split("\n")
    root = yaml.compose(text)
    signals = next(value for key, value in root.value if key.value == "signals")
    blocks = []
    for name, signal in signals.value:
        for key, value in signal.value:
            if key.value == "exclude" and isinstance(value, yaml.ScalarNode):
                # The block starts on the line after its ">-" and ends where the next key starts.
                written = lines[value.start_mark.line + 1 : value.end_mark.line]
                blocks.append((name.value, [line.strip() for line in written]))
    return blocks


def test_each_line_of_an_exclusion_block_but_the_last_ends_with_a_bar() -> None:
    # Exclusions are written one or more whole alternatives a line. A line that does not end
    # with "|" is silently joined to the next by YAML folding into one alternative that
    # matches neither; a blank line puts a newline into the regex.
    blocks = _exclusion_blocks()
    assert {name for name, _ in blocks} >= {"weapon", "violence", "medical"}
    for name, written in blocks:
        content = [line for line in written if not line.startswith("#")]
        while content and not content[-1]:
            content.pop()
        assert "" not in content, f"{name}: a blank line inside its exclude block"
        unended = [line for line in content[:-1] if not line.endswith("|")]
        assert unended == [], f"{name}: {unended[0][:60]!r} does not end with '|'"
