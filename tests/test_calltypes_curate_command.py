"""``coresponse calltypes curate``: a labelled codebook becomes the city's mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.calltypes import load_mapping
from coresponse.calltypes.mapping import load_mapping_rows, user_mappings_dir
from coresponse.cli import main

LABELLED = """source_field,call_type,count,category
Initial,DOMESTIC DISTURBANCE,700,Domestic Violence
Final,DOMESTIC DISTURBANCE,300,Complaints/Environmental Conditions
Initial,BURGLAR ALARM,900,alarms
Initial,MENTAL SUBJECT,400,
Initial,SUICIDE THREAT,50,Behavioral Health
"""


def _curate(tmp_path: Path, content: str) -> tuple[int, str]:
    source = tmp_path / "labelled.csv"
    source.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["calltypes", "curate", str(source), "--city", "springfield"])
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.slow
def test_labels_are_kept_blanks_suggested_and_conflicts_reported(
    tmp_path: Path, data_dir: Path
) -> None:
    code, output = _curate(tmp_path, LABELLED)
    assert code == 0, output
    rows = load_mapping_rows("springfield")
    assert set(rows) == {
        "DOMESTIC DISTURBANCE",
        "BURGLAR ALARM",
        "MENTAL SUBJECT",
        "SUICIDE THREAT",
    }
    # The label with more calls wins, and the analyst is told about the other one.
    assert rows["DOMESTIC DISTURBANCE"].mapped.category == "Domestic Violence"
    assert "conflicting labels: 'DOMESTIC DISTURBANCE'" in output
    assert rows["BURGLAR ALARM"].mapped.category == "Alarms"  # spelling of the label normalised
    assert rows["BURGLAR ALARM"].mapped.source == "analyst"
    assert rows["BURGLAR ALARM"].calls == 900
    assert rows["MENTAL SUBJECT"].mapped.source == "suggested"
    assert rows["MENTAL SUBJECT"].mapped.category == "Behavioral Health"
    assert rows["MENTAL SUBJECT"].confidence is not None and rows["MENTAL SUBJECT"].confidence < 1
    assert "3 labelled by the analyst, 1 suggested" in output


@pytest.mark.slow
def test_curating_again_keeps_what_a_reviewer_decided(tmp_path: Path, data_dir: Path) -> None:
    folder = user_mappings_dir()
    folder.mkdir(parents=True)
    (folder / "springfield.csv").write_text(
        "call_type,category,source\nBURGLAR ALARM,Property Crime,reviewed\n", encoding="utf-8"
    )
    code, output = _curate(tmp_path, LABELLED)
    assert code == 0, output
    assert load_mapping("springfield")["BURGLAR ALARM"].category == "Property Crime"


def test_label_outside_the_taxonomy_is_refused_with_its_line(
    tmp_path: Path, data_dir: Path
) -> None:
    code, output = _curate(tmp_path, "call_type,category\nNOISE,Loud Things\n")
    assert code != 0
    assert "line 2, field category: 'Loud Things' is not a shared category" in output
    assert not (user_mappings_dir() / "springfield.csv").exists()


def test_codebook_without_labels_is_refused(tmp_path: Path, data_dir: Path) -> None:
    code, output = _curate(tmp_path, "call_type,count\nNOISE,3\n")
    assert code != 0
    assert "no category column" in output
