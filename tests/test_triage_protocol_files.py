"""Protocol files are checked on loading; every fault names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.triage import ProtocolError, list_protocols, load_protocol
from coresponse.triage.protocol import parse_protocol

GOOD = """\
name: test
version: "2"
sources: [a source]
inputs: [category, local_time, answers.intoxication]
team_hours:
  civilian: {start: "07:00", end: "23:00"}
questions:
  - {answer: intoxication, ask: "Has the person been drinking?"}
rules:
  - id: drunk
    when:
      all:
        - {answer: intoxication, is: true}
        - {within_team_hours: civilian}
    route: civilian_crisis
    reason: Intoxicated, team on duty.
default:
  route: police
  reason: Otherwise police.
"""


def test_the_three_shipped_protocols_load_and_cite_their_sources() -> None:
    assert list_protocols() == ["civilian-first", "co-responder", "counsellor-first"]
    for name in list_protocols():
        protocol = load_protocol(name)
        assert protocol.name == name
        assert protocol.sources and all(len(source) > 40 for source in protocol.sources)
        assert len(protocol.content_hash) == 64


def test_the_content_hash_changes_with_the_text() -> None:
    first = parse_protocol(GOOD)
    second = parse_protocol(GOOD.replace("Otherwise police.", "Otherwise, police."))
    assert first.content_hash != second.content_hash


def test_safety_questions_are_offered_first_when_a_protocol_leaves_them_out() -> None:
    protocol = parse_protocol(GOOD)
    assert [question.answer for question in protocol.questions] == [
        "weapon",
        "violence",
        "crime_in_progress",
        "intoxication",
    ]


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("route: civilian_crisis", "route: social_worker"), 15, "unknown route 'social_worker'"),
        (("{answer: intoxication, is: true}", "{answer: drunk, is: true}"), 13, "unknown answer 'drunk'"),
        (("{answer: intoxication, is: true}", "{answer: intoxication, is: yes please}"), 13, "true, false or null"),
        (("{within_team_hours: civilian}", "{within_team_hours: night}"), 14, "no team_hours for team 'night'"),
        (("inputs: [category, local_time, answers.intoxication]", "inputs: [category, answers.intoxication]"), 10, "local_time"),
        (("id: drunk", "id: safety:drunk"), 10, "reserved"),
        (('start: "07:00"', 'start: "7 am"'), 6, "time of day"),
        (("    reason: Intoxicated, team on duty.\n", ""), 10, "needs 'reason'"),
        (("version: \"2\"", "version: \"2\"\nversion: \"3\""), 3, "appears twice"),
        (("when:\n      all:", "when:\n      every:"), 12, "a condition must be one of"),
        (("sources: [a source]", "sources: [a source]\nsauces: [x]"), 4, "unknown key 'sauces'"),
        (("rules:", "rules: [\n"), 11, "not valid YAML"),
    ],
)
def test_a_faulty_protocol_is_refused_with_file_and_line(
    tmp_path: Path, change: tuple[str, str], line: int, words: str
) -> None:
    assert change[0] in GOOD
    path = tmp_path / "faulty.yaml"
    path.write_text(GOOD.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ProtocolError) as raised:
        load_protocol(path)
    message = str(raised.value)
    assert message.startswith(f"{path.resolve()}:"), message
    assert words in message, message
    assert f":{line}:" in message, message


def test_a_misspelt_category_is_refused_rather_than_never_matching() -> None:
    text = GOOD.replace("{answer: intoxication, is: true}", "{field: category, equals: Behavioural Health}")
    with pytest.raises(ProtocolError, match="unknown category 'Behavioural Health'"):
        parse_protocol(text)


def test_an_unknown_protocol_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProtocolError, match="civilian-first"):
        load_protocol("no-such-protocol")
