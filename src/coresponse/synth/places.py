"""Where calls come from and who makes them: beats, addresses, and the people who call.

Addresses have heavy-tailed weights (a shelter, a corner store and a few homes account for
many calls), and so do callers: a small pool of people who call again and again (the
people a police social worker comes to know) sits beside a large pool of one-off callers.
Person fields are obviously fictional: surnames made of nature words, phone numbers in
area code 555, which no real line has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FIRST_NAMES: tuple[str, ...] = (
    "ALEX", "JORDAN", "TAYLOR", "MORGAN", "CASEY", "RILEY", "JAMIE", "AVERY", "QUINN", "ROWAN",
    "SAM", "DREW", "ROBIN", "SKYLER", "DANA", "LEE", "KERRY", "JESSE", "REESE", "BLAKE",
    "MARIA", "JAMES", "LINDA", "ROBERT", "PATRICIA", "MICHAEL", "BARBARA", "DAVID", "SUSAN",
    "WILLIAM", "KAREN", "JOSEPH", "NANCY", "CHARLES", "BETTY", "THOMAS", "SANDRA", "DANIEL",
    "ASHLEY", "KEVIN", "DONNA", "BRIAN", "CAROL", "GEORGE", "MICHELLE", "EDWARD", "EMILY",
    "RONALD", "AMANDA", "ANTHONY", "MELISSA", "KENNETH", "DEBORAH", "ANDRE", "TANYA", "LUIS",
)
# Surnames nobody is likely to carry: made of nature words, so a reader sees at once that
# the people are not real.
_SURNAME_STARTS: tuple[str, ...] = (
    "ASH", "BRAMBLE", "COBBLE", "FERN", "THISTLE", "QUILL", "MOSS", "BRACKEN", "HEATHER",
    "WILLOW", "SORREL", "TANSY", "NETTLE", "MARSH", "RUSH", "SEDGE", "HAZEL", "ALDER",
)
_SURNAME_ENDS: tuple[str, ...] = (
    "WOOD", "BY", "DOWN", "FEATHER", "GROVE", "FIELD", "BROOK", "LEA", "COMBE", "WICK",
)
SURNAMES: tuple[str, ...] = tuple(start + end for start in _SURNAME_STARTS for end in _SURNAME_ENDS)


@dataclass(frozen=True)
class Beat:
    precinct: str
    sector: str
    beat: str
    latitude: float
    longitude: float
    weight: float
    radius: float  # degrees of latitude/longitude spread around the centre


@dataclass(frozen=True)
class Addresses:
    """The city's pool of call locations; index arrays address into every field."""

    beat: np.ndarray  # index into the city's beats
    block: np.ndarray  # hundreds block number
    street: np.ndarray  # index into the city's streets
    latitude: np.ndarray
    longitude: np.ndarray
    cumulative: np.ndarray  # cumulative call weights, for searchsorted draws

    def draw(self, uniform: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.cumulative, uniform, side="right")
        return np.minimum(index, len(self.cumulative) - 1)


def build_addresses(
    rng: np.random.Generator, beats: tuple[Beat, ...], street_count: int, size: int
) -> Addresses:
    beat_weights = np.array([beat.weight for beat in beats])
    beat_index = rng.choice(len(beats), size=size, p=beat_weights / beat_weights.sum())
    latitude = np.array([beat.latitude for beat in beats])[beat_index]
    longitude = np.array([beat.longitude for beat in beats])[beat_index]
    radius = np.array([beat.radius for beat in beats])[beat_index]
    # A heavy tail: a lognormal weight per address, so a few places get many calls.
    weights = rng.lognormal(0.0, 1.4, size=size)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return Addresses(
        beat=beat_index,
        block=rng.integers(1, 120, size=size),
        street=rng.integers(0, street_count, size=size),
        latitude=np.round(latitude + rng.normal(0.0, radius), 6),
        longitude=np.round(longitude + rng.normal(0.0, radius * 1.4), 6),
        cumulative=cumulative,
    )


@dataclass(frozen=True)
class Callers:
    """Frequent callers (index < ``frequent``) and one-off callers (the rest)."""

    frequent: int
    occasional: int
    cumulative: np.ndarray  # call weights of the frequent callers
    home: np.ndarray  # each frequent caller's address index

    def draw_frequent(self, uniform: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.cumulative, uniform, side="right")
        return np.minimum(index, self.frequent - 1)


def build_callers(rng: np.random.Generator, calls: int, addresses: Addresses) -> Callers:
    # About one frequent caller per hundred calls, with lognormal call rates: across a
    # city-year about one in thirteen of them calls 20 or more times.
    frequent = max(10, calls // 100)
    weights = rng.lognormal(0.0, 1.5, size=frequent)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return Callers(
        frequent=frequent,
        occasional=max(100, calls),
        cumulative=cumulative,
        home=addresses.draw(rng.random(frequent)),
    )


def _mix(values: np.ndarray, salt: int) -> np.ndarray:
    """A 64-bit hash (splitmix64) of each value: person fields derived from a person's id."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64((0x9E3779B97F4A7C15 * (salt + 1)) % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed: np.ndarray = z ^ (z >> np.uint64(31))
    return mixed


_PHONES = 8_000_000
_PHONE_STEP = 2_654_435_761 % _PHONES  # coprime with 8,000,000, so the map is one-to-one
_FIRST = pa.array(FIRST_NAMES)
_LAST = pa.array(SURNAMES)
# Born 1940-2005.
_BIRTH_DATES = pa.array(
    np.datetime_as_string(np.arange("1940-01-01", "2006-01-01", dtype="datetime64[D]"))
)
_INITIALS = pa.array([chr(code) for code in range(ord("A"), ord("Z") + 1)])


def person_fields(person: np.ndarray, seed: int) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Name ("LAST, FIRST M"), date of birth (YYYY-MM-DD) and phone of each person id.

    The same id always gives the same fields; ``-1`` (no caller) gives nulls.
    """
    missing = person < 0
    key = np.where(missing, 0, person).astype(np.uint64) + np.uint64(seed % 2**32 << 32)
    first = pc.take(_FIRST, pa.array((_mix(key, 1) % len(FIRST_NAMES)).astype(np.int64)))
    last = pc.take(_LAST, pa.array((_mix(key, 2) % len(SURNAMES)).astype(np.int64)))
    initial = pc.take(_INITIALS, pa.array((_mix(key, 3) % 26).astype(np.int64)))
    name = pc.binary_join_element_wise(
        pc.binary_join_element_wise(last, first, ", "), initial, " "
    )
    # Born 1940-2006: days since 1940-01-01.
    dob = pc.take(_BIRTH_DATES, pa.array((_mix(key, 4) % len(_BIRTH_DATES)).astype(np.int64)))
    # A bijection of the person id onto 8,000,000 numbers: no two people share a phone
    # (while ids stay below that, i.e. up to about eight million calls).
    offset = int(_mix(np.array([seed % 2**32], dtype=np.uint64), 5)[0] % _PHONES)
    digits = ((np.where(missing, 0, person).astype(np.int64) * _PHONE_STEP + offset) % _PHONES)
    exchange = pc.cast(pa.array(200 + digits // 10_000), pa.string())
    line = pc.utf8_lpad(pc.cast(pa.array(digits % 10_000), pa.string()), 4, "0")
    phone = pc.binary_join_element_wise("(555) ", exchange, "-", line, "")
    mask = pa.array(missing)
    nulls = pa.nulls(len(person), pa.string())
    return (
        pc.if_else(mask, nulls, name),
        pc.if_else(mask, nulls, dob),
        pc.if_else(mask, nulls, phone),
    )
