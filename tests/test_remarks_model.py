"""The learned model beside the patterns: how it is combined, scored, trained, stored and chosen."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coresponse.cli import main
from coresponse.config import ConfigError
from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, normalise, read_patterns, read_signals
from coresponse.triage.remarks_model import (
    BLIND_SPLITS,
    FUNCTION_WORDS,
    MODEL_PATH,
    MODEL_SETTING,
    PATTERNS_TUNED_SPLITS,
    PRECISION_TARGET,
    RECALL_TARGET,
    LabelledRemark,
    RemarksModel,
    RemarksModelError,
    default_model,
    features,
    load_model,
    model_path,
    read_labelled,
    rows_digest,
    train,
)


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


SHIPPED = load_model(MODEL_PATH)


@pytest.fixture(scope="module")
def small_model(
    labelled: list[dict[str, str]],
) -> tuple[RemarksModel, object, list[LabelledRemark]]:
    """A model trained on every third row that is not blind: quick, and real text."""
    rows = [
        LabelledRemark(
            remarks=row["remarks"],
            labels={name: row[name] == "1" for name in SIGNALS},
            reader_tuned=row["split"] in PATTERNS_TUNED_SPLITS,
        )
        for index, row in enumerate(labelled)
        if row["split"] not in BLIND_SPLITS and index % 3 == 0
    ]
    model, report = train(rows)
    return model, report, rows


def test_weapon_and_violence_fire_wherever_the_patterns_do_and_the_other_five_only_where_they_do(
    labelled: list[dict[str, str]],
) -> None:
    for row in labelled[::4]:
        alone = read_patterns(row["remarks"]).as_dict()
        combined = read_signals(row["remarks"], model=SHIPPED).as_dict()
        for name in ("weapon", "violence"):
            assert combined[name] >= alone[name], (row["remarks"], name)
        for name in ("threat", "self_harm", "intoxication", "medical"):
            assert combined[name] <= alone[name], (row["remarks"], name)
        # Every self-harm is a mental-health indicator, whatever the model says of the latter.
        assert combined["mental_health"] >= combined["self_harm"], row["remarks"]


def test_a_signal_only_the_model_found_says_so_and_names_the_words(
    labelled: list[dict[str, str]],
) -> None:
    found = [
        (row["remarks"], signals)
        for row in labelled
        if not read_patterns(row["remarks"]).weapon
        and (signals := read_signals(row["remarks"], model=SHIPPED)).weapon
    ]
    assert found, "the model adds no weapon anywhere in the labelled set"
    text, signals = found[0]
    evidence = signals.evidence["weapon"]
    assert evidence.startswith("learned (weapon or violence): ")
    words = evidence.split(": ", 1)[1].split(", ")
    assert words and all(word in normalise(text) for word in words)


def test_the_evidence_leaves_out_function_words_unless_nothing_else_pushed() -> None:
    clean = normalise("dude pulled out his tool on me")
    words = SHIPPED.strongest(clean, "weapon")
    assert words and not set(words) & FUNCTION_WORDS
    # Only function words push: they are named rather than nothing.
    pushing = [
        word for word in sorted(FUNCTION_WORDS) if SHIPPED.strongest(word, "weapon") == [word]
    ]
    assert pushing, "no function word pushes weapon at all"
    assert SHIPPED.strongest(pushing[0], "weapon") == [pushing[0]]


def test_the_score_is_sklearns_tfidf_logistic_regression(
    small_model: tuple[RemarksModel, object, list[LabelledRemark]],
) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    model, _, rows = small_model
    vocabulary = model.fragments
    vectoriser = TfidfVectorizer(analyzer=features, vocabulary=vocabulary, sublinear_tf=True)
    vectoriser.fit([normalise(row.remarks) for row in rows[:10]])
    vectoriser.idf_ = model.idf
    texts = [normalise(row.remarks) for row in rows[:200]] + ["", "zzzz qqqq", "knife knife knife"]
    expected = vectoriser.transform(texts) @ model.weights
    for text, row in zip(texts, expected, strict=True):
        scores = model.scores(text)
        for index, name in enumerate(SIGNALS):
            assert scores[name] == pytest.approx(model.signals[name].bias + row[index], abs=1e-9)
    assert np.isfinite(model.idf).all()


def test_thresholds_meet_their_targets_out_of_fold(
    small_model: tuple[RemarksModel, object, list[LabelledRemark]],
) -> None:
    model, report, _ = small_model
    figures = report.figures  # type: ignore[attr-defined]
    for name in ("weapon", "violence"):
        assert model.signals[name].mode == "either"
        assert figures[name]["combined"]["recall"] >= RECALL_TARGET or not figures[name]["target_met"]
        assert figures[name]["combined"]["recall"] >= figures[name]["reader"]["recall"]
    for name in ("threat", "self_harm", "intoxication", "medical", "mental_health"):
        assert model.signals[name].mode == "both"
        if figures[name]["target_met"]:
            assert figures[name]["combined"]["precision"] >= PRECISION_TARGET


def test_training_twice_gives_the_same_model_and_a_saved_model_reads_back_the_same(
    small_model: tuple[RemarksModel, object, list[LabelledRemark]], tmp_path: Path
) -> None:
    model, _, rows = small_model
    again, _ = train(rows)
    assert again.digest == model.digest
    path = tmp_path / "model.json"
    model.save(path)
    loaded = load_model(path)
    for row in rows[:100]:
        clean = normalise(row.remarks)
        assert loaded.votes(clean) == model.votes(clean)
        assert loaded.scores(clean) == pytest.approx(model.scores(clean), abs=1e-9)


def test_the_shipped_model_was_trained_on_the_labelled_set_as_it_is_now_and_never_on_blind_rows() -> (
    None
):
    rows = read_labelled(LABELLED_PATH, reader_tuned=PATTERNS_TUNED_SPLITS, exclude=BLIND_SPLITS)
    shipped = load_model(MODEL_PATH).trained_on
    assert shipped["remarks"] == len(rows)
    assert shipped["remarks_digest"] == rows_digest(rows), "retrain it: make remarks-model"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot be read as a remarks model"),
        ('{"format": "something-else"}', "not a remarks model"),
        ('{"format": "coresponse-remarks-model/1", "signals": ["weapon"]}', "trained for signals"),
        (
            '{"format": "coresponse-remarks-model/1", "signals": '
            + json.dumps(list(SIGNALS))
            + ', "models": {}}',
            "malformed",
        ),
    ],
)
def test_a_broken_model_file_is_refused_naming_it(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "model.json"
    path.write_text(content)
    with pytest.raises(RemarksModelError, match=message) as error:
        load_model(path)
    assert str(path) in str(error.value)


def test_the_shipped_model_is_on_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch, labelled: list[dict[str, str]]
) -> None:
    monkeypatch.delenv(MODEL_SETTING, raising=False)
    default_model.cache_clear()
    try:
        assert model_path() == MODEL_PATH
        assert default_model() is not None and default_model().digest == SHIPPED.digest  # type: ignore[union-attr]
        for value in ("off", "OFF", " off "):
            monkeypatch.setenv(MODEL_SETTING, value)
            default_model.cache_clear()
            assert model_path() is None and default_model() is None
            for row in labelled[::20]:
                assert read_signals(row["remarks"]) == read_patterns(row["remarks"])
    finally:
        default_model.cache_clear()


def test_the_shipped_model_or_a_citys_own_is_used_when_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(MODEL_SETTING, "shipped")
    assert model_path() == MODEL_PATH
    monkeypatch.setenv(MODEL_SETTING, str(tmp_path / "ours.json"))
    assert model_path() == tmp_path / "ours.json"
    default_model.cache_clear()
    try:
        with pytest.raises(ConfigError, match=f"{MODEL_SETTING}: .*ours.json"):
            default_model()
    finally:
        default_model.cache_clear()


def _write_labelled(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["remarks", *SIGNALS, "split"])
        writer.writeheader()
        writer.writerows(rows)


def test_train_remarks_writes_a_model_the_reader_can_use(
    labelled: list[dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "ours.csv"
    _write_labelled(
        source,
        [
            {
                "remarks": row["remarks"],
                **{name: row[name] for name in SIGNALS},
                "split": row["split"],
            }
            for row in labelled[::6]
        ],
    )
    out = tmp_path / "ours.json"
    result = CliRunner().invoke(
        main,
        ["triage", "train-remarks", str(source), "--out", str(out), "--exclude-split", "test4"],
    )
    assert result.exit_code == 0, result.output
    assert "weapon" in result.output and f"Model written to {out}" in result.output
    model = load_model(out)
    assert model.trained_on["remarks"] == sum(row["split"] != "test4" for row in labelled[::6])
    monkeypatch.setenv(MODEL_SETTING, str(out))
    default_model.cache_clear()
    try:
        assert default_model() is not None and default_model().digest == model.digest  # type: ignore[union-attr]
    finally:
        default_model.cache_clear()


def test_train_remarks_with_the_shipped_splits_holds_out_every_blind_split(
    labelled: list[dict[str, str]], tmp_path: Path
) -> None:
    sample = labelled[::5]
    source = tmp_path / "sample.csv"
    _write_labelled(
        source,
        [
            {"remarks": row["remarks"], **{n: row[n] for n in SIGNALS}, "split": row["split"]}
            for row in sample
        ],
    )
    out = tmp_path / "sample.json"
    result = CliRunner().invoke(
        main, ["triage", "train-remarks", str(source), "--out", str(out), "--shipped-splits"]
    )
    assert result.exit_code == 0, result.output
    trained_on = load_model(out).trained_on
    assert trained_on["remarks"] == sum(row["split"] not in BLIND_SPLITS for row in sample)
    assert trained_on["thresholds_chosen_on"] == sum(
        row["split"] not in BLIND_SPLITS + PATTERNS_TUNED_SPLITS for row in sample
    )


def test_train_remarks_refuses_a_file_with_a_bad_label_naming_the_row_and_field(
    tmp_path: Path,
) -> None:
    source = tmp_path / "ours.csv"
    good = {"remarks": "subj calm", **{name: "0" for name in SIGNALS}, "split": "a"}
    _write_labelled(source, [good, {**good, "remarks": "subj has a gun", "weapon": "yes"}])
    result = CliRunner().invoke(
        main, ["triage", "train-remarks", str(source), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code != 0
    assert f"{source}: row 3, weapon: 'yes' is not 0 or 1" in result.output
    assert not (tmp_path / "m.json").exists()


def test_train_remarks_refuses_a_file_without_the_signal_columns(tmp_path: Path) -> None:
    source = tmp_path / "ours.csv"
    source.write_text("remarks,weapon\nsubj calm,0\n")
    result = CliRunner().invoke(
        main, ["triage", "train-remarks", str(source), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code != 0
    assert "no column violence, threat" in result.output
