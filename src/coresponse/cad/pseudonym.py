"""Keyed hashes that replace names and phone numbers, so repeat callers can be counted unread.

The hash is HMAC-SHA256 under ``coresponse.config.pseudonym_key()`` of a normalised value:

- a person is ``name|date of birth``: the name lower-cased with runs of white space (space,
  tab, line feed, carriage return, vertical tab, form feed) folded to one space and the ends
  trimmed; the date of birth as YYYY-MM-DD when it reads as a date
  (YYYY-MM-DD or MM/DD/YYYY), else as written, else empty;
- a phone number is its digits only, with a leading US country code 1 dropped from 11 digits.

The import computes the same HMAC inside DuckDB (``hmac_sql``), from SHA-256 alone, so a
million calls hash at columnar speed; ``person_key`` and ``phone_key`` are the reference the
tests hold the SQL to. The plain values are never written anywhere: in a quarantined row's
``raw`` each person value is ``[redacted:<first 8 hex of its keyed hash>]`` (``redacted_sql``),
and a malformed line from a file with person columns is withheld whole
(``MALFORMED_LINE_WITHHELD``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

BLOCK_SIZE = 64  # SHA-256's block size, in bytes (RFC 2104)
MARKER_HEX = 8  # hex digits of the keyed hash a redacted value shows
MALFORMED_LINE_WITHHELD = (
    "[redacted: malformed line {line} is withheld whole, as it may hold a caller's name, "
    "date of birth or phone and cannot be split into columns reliably; "
    "read line {line} of the source file]"
)
WHITESPACE = re.compile(r"[ \t\n\x0b\f\r]+")


def normalise_name(name: str | None) -> str | None:
    if name is None:
        return None
    folded = WHITESPACE.sub(" ", name).strip(" ").lower()
    return folded or None


def normalise_dob(dob: str | None) -> str:
    if dob is None or not dob.strip():
        return ""
    text = dob.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return text


def normalise_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    digits = re.sub(r"[^0-9]", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits or None


def keyed_hash(message: str, key: bytes) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def person_key(name: str | None, dob: str | None, key: bytes) -> str | None:
    """The pseudonym of a person; None when there is no name."""
    folded = normalise_name(name)
    if folded is None:
        return None
    return keyed_hash(f"{folded}|{normalise_dob(dob)}", key)


def phone_key(phone: str | None, key: bytes) -> str | None:
    digits = normalise_phone(phone)
    return None if digits is None else keyed_hash(digits, key)


def _pads(key: bytes) -> tuple[str, str]:
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK_SIZE, b"\x00")
    inner = bytes(byte ^ 0x36 for byte in key)
    outer = bytes(byte ^ 0x5C for byte in key)
    return inner.hex(), outer.hex()


def hmac_sql(message_sql: str, key: bytes) -> str:
    """A DuckDB expression for HMAC-SHA256 (hex) of the VARCHAR expression ``message_sql``."""
    inner, outer = _pads(key)
    return f"sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode({message_sql}))))"


def name_sql(column_sql: str) -> str:
    # The regular expression runs only on names that hold more than single spaces: most do not.
    odd = " OR ".join(
        [f"contains({column_sql}, '  ')"]
        + [f"contains({column_sql}, chr({code}))" for code in (9, 10, 11, 12, 13)]
    )
    folded = f"CASE WHEN {odd} THEN regexp_replace({column_sql}, '[ \\t\\n\\x0B\\f\\r]+', ' ', 'g') ELSE {column_sql} END"
    return f"nullif(lower(trim({folded})), '')"


def dob_sql(column_sql: str) -> str:
    text = f"trim({column_sql})"
    parsed = f"try_strptime({text}, ['%Y-%m-%d', '%m/%d/%Y'])"
    slow = f"coalesce(strftime({parsed}, '%Y-%m-%d'), {text}, '')"
    # Already YYYY-MM-DD (the common case): no parse and reformat needed.
    return (
        f"CASE WHEN strlen({text}) = 10 AND {text}[5] = '-' AND {text}[8] = '-' "
        f"AND try_cast({text} AS DATE) IS NOT NULL THEN {text} ELSE {slow} END"
    )


def phone_sql(column_sql: str) -> str:
    digits = f"regexp_replace({column_sql}, '[^0-9]', '', 'g')"
    return (
        f"nullif(CASE WHEN length({digits}) = 11 AND starts_with({digits}, '1') "
        f"THEN substr({digits}, 2) ELSE {digits} END, '')"
    )


def redacted(value: str | None, value_key: str | None) -> str | None:
    """What a quarantined row's raw shows for a person value: a marker, never the value.

    Empty (or only white space) stays as it is; a value shows the first hex digits of its
    keyed hash (enough to tell two values apart, or to find the person's calls by key), or
    ``[redacted]`` when it has no key (a phone with no digits).
    """
    if value is None or not value.strip(" \t\n\r\x0b\x0c"):
        return value
    return f"[redacted:{value_key[:MARKER_HEX]}]" if value_key else "[redacted]"


def redacted_sql(column_sql: str, key_sql: str) -> str:
    """``redacted`` in DuckDB: ``column_sql`` is the value as text, ``key_sql`` its keyed hash."""
    return (
        f"CASE WHEN {column_sql} IS NULL OR trim({column_sql}, ' \t\n\r\x0b\x0c') = '' "
        f"THEN {column_sql} "
        f"WHEN {key_sql} IS NULL THEN '[redacted]' "
        f"ELSE '[redacted:' || left({key_sql}, {MARKER_HEX}) || ']' END"
    )
