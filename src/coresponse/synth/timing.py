"""When calls happen and how long each step takes.

Calls per day follow the day of the week and a seasonal swing (summer busier); within a
day, the hour follows the city's clock (quiet at 5 a.m., busiest late afternoon, weekend
nights busier). Queue, travel and on-scene times are lognormal, faster for urgent calls.
Times are epoch seconds (UTC); a day's hours are laid out from its local midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WEEKDAY_HOURS = np.array([3.2, 2.5, 2.0, 1.6, 1.4, 1.6, 2.3, 3.2, 3.9, 4.2, 4.4, 4.6, 4.8, 4.9,
                          5.0, 5.2, 5.4, 5.5, 5.3, 5.0, 4.7, 4.4, 4.0, 3.6])
WEEKEND_HOURS = np.array([4.6, 4.2, 3.8, 2.7, 1.9, 1.6, 1.9, 2.4, 3.0, 3.6, 4.0, 4.3, 4.6, 4.7,
                          4.8, 4.9, 5.0, 5.1, 5.0, 4.9, 4.8, 4.7, 4.6, 4.5])
# Monday .. Sunday.
WEEKDAY_VOLUME = np.array([0.98, 0.97, 0.98, 1.0, 1.07, 1.04, 0.96])

# Medians by urgency 1..4, seconds: call received to unit dispatched, dispatched to arrived.
# Received-to-arrived medians then come out near those of the real Seattle calls in
# shared/data/seattle_calls (about 6, 28, 39 and 50 minutes for priorities 1-4).
QUEUE_MEDIAN = np.array([90.0, 1200.0, 1700.0, 2400.0])
TRAVEL_MEDIAN = np.array([240.0, 420.0, 600.0, 720.0])


@dataclass(frozen=True)
class Calendar:
    """The days of the synthetic period with their local midnights and call counts."""

    days: list[date]
    midnight_utc: np.ndarray  # epoch seconds of each day's local midnight, and the day after
    weekday: np.ndarray  # 0 = Monday
    year: np.ndarray
    month: np.ndarray
    calls: np.ndarray  # calls on each day


def make_calendar(
    rng: np.random.Generator, start: date, days: int, calls: int, timezone: str
) -> Calendar:
    zone = ZoneInfo(timezone)
    dates = [start + timedelta(days=offset) for offset in range(days)]
    midnight = np.array(
        [int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
         for day in [*dates, start + timedelta(days=days)]],
        dtype=np.int64,
    )
    weekday = np.array([day.weekday() for day in dates])
    day_of_year = np.array([day.timetuple().tm_yday for day in dates])
    seasonal = 1.0 + 0.07 * np.cos(2 * np.pi * (day_of_year - 196) / 365.25)
    weights = WEEKDAY_VOLUME[weekday] * seasonal
    counts = rng.multinomial(calls, weights / weights.sum())
    return Calendar(
        days=dates,
        midnight_utc=midnight,
        weekday=weekday,
        year=np.array([day.year for day in dates]),
        month=np.array([day.month for day in dates]),
        calls=counts,
    )


_HOURS = np.stack([WEEKDAY_HOURS / WEEKDAY_HOURS.sum(), WEEKEND_HOURS / WEEKEND_HOURS.sum()])
_HOUR_CUMULATIVE = np.cumsum(_HOURS, axis=1)


def received_times(
    rng: np.random.Generator, calendar: Calendar, day: np.ndarray
) -> np.ndarray:
    """Epoch seconds of each call on the given days, following the local hour profile."""
    weekend = (calendar.weekday[day] >= 5).astype(np.int64)
    uniform = rng.random(len(day))
    hour = np.empty(len(day), dtype=np.int64)
    for profile in (0, 1):
        chosen = weekend == profile
        hour[chosen] = np.searchsorted(_HOUR_CUMULATIVE[profile], uniform[chosen], side="right")
    hour = np.minimum(hour, 23)
    seconds = hour * 3600 + rng.integers(0, 3600, size=len(day))
    # Days when the clocks change last 23 or 25 hours: stretch the day to fit, so a call
    # never spills into the next local day.
    length = calendar.midnight_utc[day + 1] - calendar.midnight_utc[day]
    seconds = seconds * length // 86_400
    times: np.ndarray = calendar.midnight_utc[day] + seconds
    return times


def lognormal(rng: np.random.Generator, median: np.ndarray, sigma: float) -> np.ndarray:
    """One lognormal draw per median: most near it, a long tail of slow ones."""
    draws: np.ndarray = median * np.exp(sigma * rng.standard_normal(len(median)))
    return draws


class WallClock:
    """Epoch seconds to a city's clock text, fast.

    Arrow's strftime costs microseconds a value; a city-year has only a few hundred dates
    and 86,400 times of day, so both are formatted once and looked up. The zone's offset
    is taken per UTC hour (US zones change offset on the hour), over the period plus a
    margin for calls cleared after it ends.
    """

    MARGIN_DAYS = 60

    def __init__(self, timezone: str, start: date, days: int, date_format: str,
                 time_format: str) -> None:
        zone = ZoneInfo(timezone)
        first_day = start - timedelta(days=2)
        span = days + self.MARGIN_DAYS + 4
        self.first_midnight = int(
            datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC).timestamp()
        )
        self.offsets = np.array(
            [
                int(_utc(self.first_midnight + 3600 * hour).astimezone(zone).utcoffset().total_seconds())  # type: ignore[union-attr]
                for hour in range(span * 24)
            ],
            dtype=np.int64,
        )
        self.dates = pa.array([(first_day + timedelta(days=n)).strftime(date_format)
                               for n in range(span)])
        midnight = datetime(2000, 1, 1)
        self.times = pa.array([(midnight + timedelta(seconds=s)).strftime(time_format)
                               for s in range(86_400)])

    def text(self, seconds: np.ndarray) -> pa.Array:
        """The clock text of each instant; NaN gives null."""
        missing = np.isnan(seconds) if seconds.dtype.kind == "f" else np.zeros(len(seconds), bool)
        instants = np.where(missing, self.first_midnight, np.nan_to_num(seconds)).astype(np.int64)
        hour = np.clip((instants - self.first_midnight) // 3600, 0, len(self.offsets) - 1)
        local = instants + self.offsets[hour] - self.first_midnight
        day = np.clip(local // 86_400, 0, len(self.dates) - 1)
        second = np.clip(local - day * 86_400, 0, 86_399)
        joined = pc.binary_join_element_wise(
            pc.take(self.dates, pa.array(day)), pc.take(self.times, pa.array(second)), " "
        )
        if missing.any():
            return pc.if_else(pa.array(missing), pa.nulls(len(seconds), pa.string()), joined)
        return joined


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
