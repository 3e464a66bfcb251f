"""The same arguments give the same bytes; another seed gives another city."""

from __future__ import annotations

from pathlib import Path

import pytest

from coresponse.synth.generate import facts_path_for, write


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_same_arguments_write_the_same_bytes(tmp_path: Path, suffix: str) -> None:
    first = write("seattle", 4000, 11, tmp_path / f"a{suffix}", days=20, chunk_size=1500)
    second = write("seattle", 4000, 11, tmp_path / f"b{suffix}", days=20, chunk_size=1500)
    assert first.calls == second.calls == 4000
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.facts_path.read_bytes() == second.facts_path.read_bytes()


def test_another_seed_writes_another_city(tmp_path: Path) -> None:
    one = write("detroit", 2000, 1, tmp_path / "one.csv", days=10)
    two = write("detroit", 2000, 2, tmp_path / "two.csv", days=10)
    assert one.path.read_bytes() != two.path.read_bytes()


def test_facts_file_sits_beside_the_calls_file(tmp_path: Path) -> None:
    summary = write("new_orleans", 500, 3, tmp_path / "calls.csv", days=5)
    assert summary.facts_path == facts_path_for(tmp_path / "calls.csv")
    assert summary.facts_path.name == "calls.csv.facts.parquet"
    assert summary.facts_path.exists()
    assert not list(tmp_path.glob("*.partial"))
