"""Settings read from the environment, shared by the CLI, the pure core and the web app.

Every helper fails fast: a value that cannot be what it claims to be raises
``ConfigError`` naming the variable, at start-up rather than on first use.
Secrets may come from ``NAME_FILE`` (a path whose content is the value), so they
need not sit in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """A setting in the environment has a value that cannot be used."""


def env_str(name: str, default: str | None = None) -> str | None:
    """The value of ``name``, or of the file named by ``name_FILE``, or ``default``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(f"{name}_FILE={file_name!r} cannot be read: {error}") from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is neither true nor false (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded SQLite and DuckDB files live (``CORESPONSE_DATA_DIR``, default ./var)."""
    path = Path(env_str("CORESPONSE_DATA_DIR") or "var").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def calls_store_path() -> Path:
    """The embedded DuckDB store of historical CAD calls."""
    return data_dir() / "calls.duckdb"


def _generated_secret(name: str, file_name: str) -> str:
    """A secret kept in the data directory, made on first use and reused afterwards.

    A fresh checkout then runs with no configuration and still has no secret
    written in the source, and repeat runs hash people the same way.
    """
    path = data_dir() / file_name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    import secrets  # only when a key is generated: the CLI imports this module at start-up

    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value, encoding="utf-8")
    return value


def pseudonym_key() -> bytes:
    """The key of the keyed hash that replaces names and phone numbers in imported CAD data.

    ``CORESPONSE_PSEUDONYM_KEY`` (or ``_FILE``); without it, a key is generated once
    into the data directory. Changing the key changes every pseudonym.
    """
    value = env_str("CORESPONSE_PSEUDONYM_KEY") or _generated_secret(
        "CORESPONSE_PSEUDONYM_KEY", "pseudonym.key"
    )
    if len(value) < 16:
        raise ConfigError("CORESPONSE_PSEUDONYM_KEY must be at least 16 characters long")
    return value.encode("utf-8")


def secret_key() -> str:
    """Django's secret key: ``CORESPONSE_SECRET_KEY`` (or ``_FILE``), else one generated once."""
    value = env_str("CORESPONSE_SECRET_KEY") or _generated_secret(
        "CORESPONSE_SECRET_KEY", "secret.key"
    )
    if len(value) < 32:
        raise ConfigError("CORESPONSE_SECRET_KEY must be at least 32 characters long")
    return value
