"""Finding a service for a person: by need, by place and by whether it is open now.

Rules:
- Only active services are found unless ``include_inactive`` is set.
- Place is either a point (latitude, longitude), ranked by straight-line distance to the
  service's nearest location and cut at ``radius_km`` when given, or an area: a postcode
  (matched ignoring case and spaces; a partial postcode such as "SW1A" matches its start)
  or a neighbourhood / city name (the HSDS address's region or city). A service with no
  location that has coordinates cannot be found by point.
- "Open now" reads the weekly schedules in the directory's time zone at an injected
  instant, which must carry a time zone. For each place a service is offered, the schedule
  of the service at that place wins, then the service's own, then the location's. A
  closing time earlier than the opening time runs past midnight; equal times mean open
  all day. A service with no schedule at all is "hours not known": never shown as open.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q

from coresponse.directory.models import Location, PhysicalAddress, RegularSchedule, Service
from coresponse.directory.needs import Need

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Hours:
    weekday: int  # ISO: 1 = Monday ... 7 = Sunday
    opens_at: dt.time
    closes_at: dt.time


def is_open(hours: Iterable[Hours], local: dt.datetime) -> bool:
    """Whether any of the weekly opening hours covers the local wall-clock time."""
    day, time = local.isoweekday(), local.time().replace(tzinfo=None)
    yesterday = 7 if day == 1 else day - 1
    for entry in hours:
        if entry.opens_at == entry.closes_at:
            if entry.weekday == day:
                return True
        elif entry.opens_at < entry.closes_at:
            if entry.weekday == day and entry.opens_at <= time < entry.closes_at:
                return True
        else:  # past midnight: the evening of its own day and the small hours of the next
            if entry.weekday == day and time >= entry.opens_at:
                return True
            if entry.weekday == yesterday and time < entry.closes_at:
                return True
    return False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError(f"({self.latitude}, {self.longitude}) is not a latitude, longitude")

    @classmethod
    def parse(cls, text: str) -> Point:
        """A point from "47.61, -122.33"."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 2:
            raise ValueError(f"{text!r} is not 'latitude, longitude'")
        try:
            return cls(float(parts[0]), float(parts[1]))
        except ValueError:
            raise ValueError(f"{text!r} is not 'latitude, longitude'") from None


@dataclass(frozen=True)
class Query:
    need: Need | None = None
    text: str = ""
    near: Point | None = None
    radius_km: float | None = None
    area: str = ""
    open_now: bool = False
    include_inactive: bool = False


@dataclass(frozen=True)
class Result:
    service: Service
    location: Location | None  # the nearest location when searching by point, else the first
    distance_km: float | None
    open_now: bool | None  # None: no opening hours recorded

    @property
    def needs(self) -> list[str]:
        return self.service.needs


def search(query: Query, *, now: dt.datetime, time_zone: ZoneInfo) -> list[Result]:
    """Services matching every part of the query: nearest first by point, else by name."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("search needs a time-zone-aware 'now'")
    services = Service.objects.select_related("organization").prefetch_related(
        "need_tags",
        "locations__addresses",
        "locations__phones",
        "schedules",
        "serviceatlocation_set__schedules",
        "serviceatlocation_set__location__schedules",
        "phones",
        "organization__phones",
        "eligibility",
    )
    if not query.include_inactive:
        services = services.filter(status=Service.Status.ACTIVE)
    if query.need is not None:
        services = services.filter(need_tags__need=query.need.value)
    if query.text.strip():
        for word in query.text.split():
            services = services.filter(
                Q(name__icontains=word)
                | Q(alternate_name__icontains=word)
                | Q(description__icontains=word)
                | Q(organization__name__icontains=word)
            )
    if query.area.strip():
        services = services.filter(_area_filter(query.area)).distinct()
    if query.near is not None and query.radius_km is not None:
        services = services.filter(_bounding_box(query.near, query.radius_km)).distinct()

    local = now.astimezone(time_zone)
    results: list[Result] = []
    for service in services.distinct():
        located = [loc for loc in service.locations.all() if _in_area(loc, query.area)]
        nearest, distance = _nearest(located, query.near)
        if query.near is not None:
            if distance is None:
                continue
            if query.radius_km is not None and distance > query.radius_km:
                continue
        open_flag = _open_now(service, local)
        if query.open_now and not open_flag:
            continue
        results.append(
            Result(service, nearest or (located[0] if located else None), distance, open_flag)
        )
    if query.near is not None:
        results.sort(key=lambda r: (r.distance_km or 0.0, r.service.name))
    else:
        results.sort(key=lambda r: (r.service.name.lower(), r.service.pk))
    return results


def _normal_postcode(text: str) -> str:
    return "".join(text.split()).upper()


def _address_matches(area: str, postal_code: str, region: str, city: str) -> bool:
    wanted = area.strip().lower()
    postcode = _normal_postcode(area)
    if postcode and _normal_postcode(postal_code).startswith(postcode):
        return True
    return wanted in (region.strip().lower(), city.strip().lower())


def _area_filter(area: str) -> Q:
    # Matched in Python so postcodes compare without spaces on every database; a city's
    # address table is small enough to read whole.
    addresses = PhysicalAddress.objects.values_list("location_id", "postal_code", "region", "city")
    located = {loc for loc, *fields in addresses if _address_matches(area, *fields)}
    return Q(locations__in=located)


def _in_area(location: Location, area: str) -> bool:
    if not area.strip():
        return True
    return any(
        _address_matches(area, a.postal_code, a.region, a.city) for a in location.addresses.all()
    )


def _bounding_box(point: Point, radius_km: float) -> Q:
    # A cheap database pre-filter; the exact distance is checked in Python afterwards.
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(point.latitude)), 1e-6)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    box = Q(
        locations__latitude__gte=point.latitude - dlat,
        locations__latitude__lte=point.latitude + dlat,
    )
    if point.longitude - dlon >= -180 and point.longitude + dlon <= 180:
        box &= Q(
            locations__longitude__gte=point.longitude - dlon,
            locations__longitude__lte=point.longitude + dlon,
        )
    return box


def _nearest(
    locations: Sequence[Location], point: Point | None
) -> tuple[Location | None, float | None]:
    if point is None:
        return None, None
    best: tuple[Location | None, float | None] = (None, None)
    for location in locations:
        if location.latitude is None or location.longitude is None:
            continue
        distance = distance_km(
            point.latitude, point.longitude, location.latitude, location.longitude
        )
        if best[1] is None or distance < best[1]:
            best = (location, distance)
    return best


def _hours(schedules: Iterable[RegularSchedule]) -> list[Hours]:
    return [Hours(s.weekday, s.opens_at, s.closes_at) for s in schedules]


def service_hours(service: Service) -> list[list[Hours]]:
    """The weekly hours that apply to a service, one list per place it is offered."""
    schedules = list(service.schedules.all())
    own = _hours(s for s in schedules if s.location_id is None and s.service_at_location_id is None)
    places = []
    for offered in service.serviceatlocation_set.all():
        # HSDS allows "this service at this place" as service_id + location_id too.
        specific = _hours(offered.schedules.all()) or _hours(
            s for s in schedules if s.location_id == offered.location_id
        )
        of_place = _hours(
            s for s in offered.location.schedules.all()
            if s.service_id is None and s.service_at_location_id is None
        )
        places.append(specific or own or of_place)
    if not places and own:
        places.append(own)
    return [hours for hours in places if hours]


def _open_now(service: Service, local: dt.datetime) -> bool | None:
    places = service_hours(service)
    if not places:
        return None
    return any(is_open(hours, local) for hours in places)
