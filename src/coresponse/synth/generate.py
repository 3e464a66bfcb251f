"""Generating a synthetic city's calls, chunk by chunk, and writing them out.

The period is cut into runs of whole days of about ``chunk_size`` calls; each chunk has its
own random stream derived from the seed and its position, so the output is the same bytes
for the same arguments, memory stays bounded by the chunk, and event numbers follow time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from coresponse.synth.cities import (
    CITIES,
    SOURCE_911,
    SOURCE_ALARM,
    SOURCE_IN_PERSON,
    SOURCE_ONVIEW,
    SOURCE_PHONE,
    SOURCE_TEXT,
    Batch,
    City,
    Context,
)
from coresponse.synth.codebook import Codebook, draw_rows, load_codebook
from coresponse.synth.kinds import FACTS, KIND_NAMES, KINDS
from coresponse.synth.places import (
    Addresses,
    Callers,
    build_addresses,
    build_callers,
    person_fields,
)
from coresponse.synth.remarks import write_remarks
from coresponse.synth.timing import (
    QUEUE_MEDIAN,
    TRAVEL_MEDIAN,
    Calendar,
    WallClock,
    lognormal,
    make_calendar,
    received_times,
)

DEFAULT_START = date(2024, 1, 1)
DEFAULT_DAYS = 365
DEFAULT_CHUNK = 100_000
EVENT_ID_COLUMN = {"seattle": "CAD Event Number", "new_orleans": "NOPD_Item", "detroit": "incident_id"}

# Share of 911 (rather than non-emergency line) calls by urgency 1..4.
_SHARE_911 = np.array([0.92, 0.78, 0.58, 0.42])
_ALARM = KIND_NAMES.index("alarm")
_KIND_NEGATIONS = np.array(
    [[KINDS[kind].negations.get(fact, 0.0) for fact in FACTS]
     for kind in KIND_NAMES]
)
_KIND_REPEAT = np.array([KINDS[kind].repeat for kind in KIND_NAMES])
_KIND_ON_SCENE = np.array([KINDS[kind].on_scene_minutes * 60.0 for kind in KIND_NAMES])
_REQUESTS_POLICE = FACTS.index("requests_police")


class SynthError(ValueError):
    """The arguments cannot make a synthetic city."""


@dataclass(frozen=True)
class SynthBatch:
    """One chunk: the calls in the city's export format, and the facts behind their remarks."""

    calls: pa.Table
    facts: pa.Table


@dataclass(frozen=True)
class SynthSummary:
    city: str
    calls: int
    path: Path
    facts_path: Path
    seconds: float
    first_call: str
    last_call: str


def _check(city: str, calls: int, days: int, chunk_size: int) -> City:
    if city not in CITIES:
        raise SynthError(f"unknown city {city!r}; choose one of {', '.join(CITIES)}")
    if calls < 1:
        raise SynthError(f"--calls must be at least 1, not {calls}")
    if days < 1:
        raise SynthError(f"--days must be at least 1, not {days}")
    if chunk_size < 1:
        raise SynthError(f"chunk size must be at least 1, not {chunk_size}")
    return CITIES[city]


def _rng(seed: int, city: str, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, list(CITIES).index(city), stream]))


@dataclass(frozen=True)
class _Run:
    """What stays fixed while one city is generated: its codebook, calendar, places, people."""

    city: str
    seed: int
    spec: City
    context: Context
    calendar: Calendar
    addresses: Addresses
    callers: Callers
    initial_cumulative: np.ndarray

    @property
    def codebook(self) -> Codebook:
        return self.context.codebook


def generate(
    city: str,
    calls: int,
    seed: int,
    *,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[SynthBatch]:
    """The synthetic city's calls as Arrow tables, in time order, chunk by chunk.

    Deterministic: the same arguments give the same calls (``chunk_size`` included, since
    each chunk draws from its own stream).
    """
    spec = _check(city, calls, days, chunk_size)
    codebook = load_codebook(city)
    setup = _rng(seed, city, 0)
    calendar = make_calendar(setup, start, days, calls, spec.timezone)
    addresses = build_addresses(setup, spec.beats, len(spec.streets), max(200, calls // 15))
    callers = build_callers(setup, calls, addresses)
    clock = WallClock("UTC" if spec.utc else spec.timezone, start, days, spec.date_format,
                      spec.time_format)
    initial_cumulative = np.cumsum(codebook.initial.probabilities)
    initial_cumulative[-1] = 1.0
    run = _Run(
        city, seed, spec, Context(codebook, addresses, spec.beats, spec.streets, clock),
        calendar, addresses, callers, initial_cumulative,
    )
    counters: dict[int, int] = {}
    rows_done = 0
    for chunk, (first_day, last_day) in enumerate(_day_runs(calendar.calls, chunk_size), 1):
        size = int(calendar.calls[first_day:last_day].sum())
        if size == 0:
            continue
        batch = _chunk(run, _rng(seed, city, chunk), first_day, last_day, rows_done, counters)
        table = spec.to_table(batch, run.context)
        if tuple(table.column_names) != spec.all_columns:
            raise AssertionError(f"{city} columns drifted from the export format")
        event_id = table.column(EVENT_ID_COLUMN[city]).cast(pa.string())
        facts_table = pa.table(
            {"event_id": event_id, **{fact: batch.facts[:, i] for i, fact in enumerate(FACTS)}}
        )
        rows_done += size
        yield SynthBatch(table, facts_table)


def _day_runs(calls_per_day: np.ndarray, chunk_size: int) -> Iterator[tuple[int, int]]:
    """Runs of whole days holding at most ``chunk_size`` calls (or one busier day)."""
    first_day = 0
    days = len(calls_per_day)
    while first_day < days:
        last_day, size = first_day, 0
        while last_day < days and (size == 0 or size + calls_per_day[last_day] <= chunk_size):
            size += int(calls_per_day[last_day])
            last_day += 1
        yield first_day, last_day
        first_day = last_day


def _chunk(
    run: _Run,
    rng: np.random.Generator,
    first_day: int,
    last_day: int,
    rows_done: int,
    counters: dict[int, int],
) -> Batch:
    """The calls of days ``first_day`` to ``last_day`` (exclusive), drawn from ``rng``."""
    codebook = run.codebook
    calendar = run.calendar
    day = np.repeat(np.arange(first_day, last_day), calendar.calls[first_day:last_day])
    size = len(day)
    received = np.sort(received_times(rng, calendar, day), kind="stable")
    initial, final = _call_types(run, rng, size)
    kind = codebook.initial.kinds[initial].astype(np.int64)
    final_kind = codebook.final.kinds[final].astype(np.int64)
    onview = rng.random(size) < codebook.initial.onview[initial]
    # Urgency by code (kind, and whether the code is marked in progress or critical).
    urgency = 1 + draw_rows(codebook.initial.urgency, initial, rng.random(size))
    reclassified = 1 + draw_rows(codebook.final.urgency, final, rng.random(size))
    final_urgency = np.where(final_kind == kind, urgency, reclassified)
    source = _sources(rng, kind, urgency, onview)
    has_caller, person, address = _callers_and_places(run, rng, kind, onview, source)
    dispatched, arrived, cleared, not_reached = _intervals(rng, urgency, final_kind, onview)
    if codebook.dispositions is None:
        disposition = np.full(size, -1, dtype=np.int64)
    else:
        row = np.where(not_reached, len(KIND_NAMES), final_kind)
        disposition = draw_rows(codebook.dispositions.cumulative, row, rng.random(size))
    facts, negated = _facts(rng, codebook.initial.facts[initial], kind, onview, has_caller)
    remarks = write_remarks(rng, codebook.initial.openings[initial], onview, facts, negated)
    name, dob, phone = _person_fields(rng, person, has_caller, run.seed)
    year = calendar.year[day]
    month = calendar.month[day]
    sequence = _event_numbers(rng, run.spec.event_period, year, month, counters)
    return Batch(
        received=received, day=day, year=year, month=month, sequence=sequence,
        row=rows_done + np.arange(1, size + 1), initial=initial, final=final, kind=kind,
        final_kind=final_kind, onview=onview, urgency=urgency, final_urgency=final_urgency,
        source=source, address=address, person=person, dispatched=dispatched, arrived=arrived,
        cleared=cleared, disposition=disposition, facts=facts, remarks=remarks,
        caller_name=name, caller_dob=dob, caller_phone=phone, draw=rng.random(size),
    )


def _call_types(run: _Run, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Initial types at the codebook's frequencies, and final types given them."""
    initial = np.minimum(
        np.searchsorted(run.initial_cumulative, rng.random(size), side="right"),
        len(run.initial_cumulative) - 1,
    )
    if run.codebook.final_given_initial is None:
        return initial, initial
    return initial, draw_rows(run.codebook.final_given_initial, initial, rng.random(size))


def _sources(
    rng: np.random.Generator, kind: np.ndarray, urgency: np.ndarray, onview: np.ndarray
) -> np.ndarray:
    """Who started the call: urgent calls come mostly on 911, alarms from alarm companies."""
    size = len(kind)
    source = np.full(size, SOURCE_PHONE, dtype=np.int64)
    draw = rng.random(size)
    share = _SHARE_911[urgency - 1]
    source[draw < share] = SOURCE_911
    source[(draw >= share) & (draw < share + 0.005)] = SOURCE_TEXT
    source[(draw >= share + 0.005) & (draw < share + 0.025)] = SOURCE_IN_PERSON
    source[(kind == _ALARM) & (rng.random(size) < 0.85)] = SOURCE_ALARM
    source[onview] = SOURCE_ONVIEW
    return source


def _callers_and_places(
    run: _Run, rng: np.random.Generator, kind: np.ndarray, onview: np.ndarray, source: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether a caller is recorded, who (-1: nobody), and where the call is.

    Frequent callers call mostly about the kinds they are drawn to, mostly from home.
    """
    size = len(kind)
    has_caller = ~onview & (source != SOURCE_ALARM) & (rng.random(size) < 0.85)
    frequent = has_caller & (rng.random(size) < _KIND_REPEAT[kind])
    person = np.full(size, -1, dtype=np.int64)
    person[frequent] = run.callers.draw_frequent(rng.random(int(frequent.sum())))
    occasional = has_caller & ~frequent
    person[occasional] = run.callers.frequent + rng.integers(
        0, run.callers.occasional, size=int(occasional.sum())
    )
    address = run.addresses.draw(rng.random(size))
    at_home = frequent & (rng.random(size) < 0.7)
    address[at_home] = run.callers.home[person[at_home]]
    return has_caller, person, address


def _intervals(
    rng: np.random.Generator, urgency: np.ndarray, final_kind: np.ndarray, onview: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seconds from received to dispatched, arrived (NaN: never reached) and cleared."""
    size = len(urgency)
    queue = lognormal(rng, QUEUE_MEDIAN[urgency - 1], 0.9)
    travel = lognormal(rng, TRAVEL_MEDIAN[urgency - 1], 0.6)
    on_scene = lognormal(rng, _KIND_ON_SCENE[final_kind], 0.7)
    queue[onview] = 0.0
    travel[onview] = 0.0
    dispatched = np.round(queue)
    arrived = dispatched + np.round(travel)
    cleared = arrived + np.round(on_scene)
    not_reached = ~onview & (rng.random(size) < 0.07)
    arrived[not_reached] = np.nan
    cleared[not_reached] = dispatched[not_reached] + np.round(
        lognormal(rng, np.full(int(not_reached.sum()), 600.0), 0.5)
    )
    return dispatched, arrived, cleared, not_reached


def _facts(
    rng: np.random.Generator,
    chances: np.ndarray,
    kind: np.ndarray,
    onview: np.ndarray,
    has_caller: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Each call's facts (calls x FACTS), and which false ones its remark denies."""
    size = len(kind)
    # An officer's own stop or check says little; nobody asks for police on an alarm.
    chances = np.where(onview[:, None] & (chances < 1.0), chances * 0.3, chances)
    chances[~has_caller, _REQUESTS_POLICE] = 0.0
    facts = rng.random((size, len(FACTS))) < chances
    negated = ~facts & (rng.random((size, len(FACTS))) < _KIND_NEGATIONS[kind])
    negated[onview] = False
    negated[~has_caller, _REQUESTS_POLICE] = False
    return facts, negated


def _person_fields(
    rng: np.random.Generator, person: np.ndarray, has_caller: np.ndarray, seed: int
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Name, date of birth and phone; some callers give no name or no callback number."""
    size = len(person)
    name, dob, phone = person_fields(person, seed)
    anonymous = ~has_caller | (rng.random(size) < 0.05)
    no_phone = ~has_caller | (rng.random(size) < 0.1)
    return (
        pa.array(name.to_numpy(zero_copy_only=False), pa.string(), mask=anonymous),
        pa.array(dob.to_numpy(zero_copy_only=False), pa.string(), mask=anonymous),
        pa.array(phone.to_numpy(zero_copy_only=False), pa.string(), mask=no_phone),
    )


def _event_numbers(
    rng: np.random.Generator,
    period_kind: str,
    year: np.ndarray,
    month: np.ndarray,
    counters: dict[int, int],
) -> np.ndarray:
    """Running event numbers that restart each year or month (``counters`` carries them
    across chunks). Not every CAD event is published: numbers advance by 1-3."""
    if period_kind == "year":
        period = year
    elif period_kind == "month":
        period = year * 12 + month
    else:
        period = np.zeros(len(year), dtype=np.int64)
    steps = rng.integers(1, 4, size=len(year))
    sequence = np.empty(len(year), dtype=np.int64)
    for key in np.unique(period):
        chosen = period == key
        numbers = counters.get(int(key), 0) + np.cumsum(steps[chosen])
        sequence[chosen] = numbers
        counters[int(key)] = int(numbers[-1])
    return sequence


def facts_path_for(out: Path) -> Path:
    """Where the facts behind ``out``'s remarks go: ``<out>.facts.parquet``."""
    return out.with_name(out.name + ".facts.parquet")


def write(
    city: str,
    calls: int,
    seed: int,
    out: Path,
    *,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> SynthSummary:
    """Write the city to ``out`` (.csv or .parquet) and its facts to ``<out>.facts.parquet``.

    Files are written beside the target and renamed at the end, so a failed run never
    leaves half a file under the real name.
    """
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        raise SynthError(f"--out must end in .csv or .parquet, not {out.name!r}")
    _check(city, calls, days, chunk_size)
    out.parent.mkdir(parents=True, exist_ok=True)
    facts_out = facts_path_for(out)
    partial = out.with_name(out.name + ".partial")
    facts_partial = facts_out.with_name(facts_out.name + ".partial")
    started = time.perf_counter()
    written = 0
    first_call = last_call = ""
    calls_writer: pa_csv.CSVWriter | pq.ParquetWriter | None = None
    facts_writer: pq.ParquetWriter | None = None
    received_column = _received_column(city)
    try:
        try:
            for batch in generate(city, calls, seed, start=start, days=days, chunk_size=chunk_size):
                if calls_writer is None:
                    if suffix == ".csv":
                        calls_writer = pa_csv.CSVWriter(
                            partial, batch.calls.schema,
                            write_options=pa_csv.WriteOptions(quoting_style="needed"),
                        )
                    else:
                        calls_writer = pq.ParquetWriter(
                            partial, batch.calls.schema, compression="zstd"
                        )
                    facts_writer = pq.ParquetWriter(
                        facts_partial, batch.facts.schema, compression="zstd"
                    )
                    first_call = str(batch.calls.column(received_column)[0])
                assert facts_writer is not None
                calls_writer.write_table(batch.calls)
                facts_writer.write_table(batch.facts)
                last_call = str(batch.calls.column(received_column)[-1])
                written += batch.calls.num_rows
                if progress is not None:
                    progress(batch.calls.num_rows)
        finally:
            if calls_writer is not None:
                calls_writer.close()
            if facts_writer is not None:
                facts_writer.close()
    except BaseException:
        for path in (partial, facts_partial):
            path.unlink(missing_ok=True)
        raise
    os.replace(partial, out)
    os.replace(facts_partial, facts_out)
    return SynthSummary(city, written, out, facts_out, time.perf_counter() - started,
                        first_call, last_call)


def _received_column(city: str) -> str:
    return {"seattle": "Original Time Queued", "new_orleans": "TimeCreate",
            "detroit": "call_timestamp"}[city]
