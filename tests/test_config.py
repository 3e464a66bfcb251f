from __future__ import annotations

from pathlib import Path

import pytest

from coresponse import config


def test_a_boolean_that_is_neither_true_nor_false_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORESPONSE_DEBUG", "maybe")
    with pytest.raises(config.ConfigError, match="CORESPONSE_DEBUG"):
        config.env_bool("CORESPONSE_DEBUG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("no", False), ("0", False)])
def test_booleans_accept_the_usual_words(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("CORESPONSE_DEBUG", raw)
    assert config.env_bool("CORESPONSE_DEBUG", not expected) is expected


def test_a_whole_number_setting_names_itself_when_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORESPONSE_DB_CONN_MAX_AGE", "sixty")
    with pytest.raises(config.ConfigError, match="CORESPONSE_DB_CONN_MAX_AGE"):
        config.env_int("CORESPONSE_DB_CONN_MAX_AGE", 60)


def test_a_secret_can_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "key"
    secret.write_text("a-very-long-pseudonym-key-from-a-file\n")
    monkeypatch.setenv("CORESPONSE_PSEUDONYM_KEY_FILE", str(secret))
    assert config.pseudonym_key() == b"a-very-long-pseudonym-key-from-a-file"


def test_an_unreadable_secret_file_fails_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORESPONSE_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(config.ConfigError, match="CORESPONSE_SECRET_KEY_FILE"):
        config.secret_key()


def test_without_a_key_one_is_generated_once_and_reused(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORESPONSE_PSEUDONYM_KEY", raising=False)
    first = config.pseudonym_key()
    assert (data_dir / "pseudonym.key").stat().st_mode & 0o077 == 0
    assert config.pseudonym_key() == first


def test_a_short_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORESPONSE_PSEUDONYM_KEY", "short")
    with pytest.raises(config.ConfigError, match="at least 16"):
        config.pseudonym_key()
