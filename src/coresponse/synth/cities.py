"""The three cities: their geography, and their export formats (see docs/synth.md).

Each city writes its own columns in its own order, time format and zone, then the
columns a CAD holds but cities do not publish (``INTERNAL_COLUMNS``). Beat and sector
centres are approximate (from the cities' public maps); they only need to put calls in
the right part of town.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from coresponse.synth.codebook import Codebook
from coresponse.synth.places import Addresses, Beat
from coresponse.synth.timing import WallClock

INTERNAL_COLUMNS: tuple[str, ...] = ("remarks", "caller_name", "caller_dob", "caller_phone")

# Sources, as codes in the generated batch.
SOURCE_911, SOURCE_PHONE, SOURCE_ONVIEW, SOURCE_ALARM, SOURCE_TEXT, SOURCE_IN_PERSON = range(6)


@dataclass
class Batch:
    """One chunk of generated calls, column-wise, in received order.

    Offsets are seconds after ``received`` (NaN when the step never happened).
    """

    received: np.ndarray  # epoch seconds, UTC
    day: np.ndarray  # index into the calendar
    year: np.ndarray  # local year and month of the call (event numbers restart by them)
    month: np.ndarray
    sequence: np.ndarray  # running number within the city's numbering period
    row: np.ndarray  # running number over the whole file, from 1
    initial: np.ndarray
    final: np.ndarray
    kind: np.ndarray
    final_kind: np.ndarray
    onview: np.ndarray
    urgency: np.ndarray  # 1..4, as first classified
    final_urgency: np.ndarray  # after the response: differs when the final type's kind does
    source: np.ndarray
    address: np.ndarray
    person: np.ndarray  # -1: no caller recorded
    dispatched: np.ndarray
    arrived: np.ndarray
    cleared: np.ndarray
    disposition: np.ndarray  # -1: the city publishes none
    facts: np.ndarray  # (calls x FACTS) bool
    remarks: pa.Array
    caller_name: pa.Array
    caller_dob: pa.Array
    caller_phone: pa.Array
    draw: np.ndarray  # a uniform number per call, for a city's own small choices


@dataclass(frozen=True)
class Context:
    codebook: Codebook
    addresses: Addresses
    beats: tuple[Beat, ...]
    streets: tuple[str, ...]
    clock: WallClock


@dataclass(frozen=True)
class City:
    name: str
    timezone: str
    columns: tuple[str, ...]  # the export's own columns, in order
    internal: tuple[str, ...]  # the internal columns appended after them
    beats: tuple[Beat, ...]
    streets: tuple[str, ...]
    event_period: str  # "year", "month" or "file": when the event number restarts
    date_format: str  # strftime formats of the export's times
    time_format: str
    utc: bool  # times written in UTC rather than on the city's clock
    to_table: Callable[[Batch, Context], pa.Table]

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + self.internal


# --- shared helpers -------------------------------------------------------------------

def _local_text(batch: Batch, offset: np.ndarray | None, context: Context) -> pa.Array:
    """The city's clock text of ``received`` (+ ``offset`` seconds; NaN gives null)."""
    seconds = batch.received.astype(np.float64) if offset is None else batch.received + offset
    return context.clock.text(seconds)


def _take(values: tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pc.take(pa.array(values, pa.string()), pa.array(index.astype(np.int64)))


def _text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _beat_field(context: Context, index: np.ndarray, field: str) -> pa.Array:
    values = tuple(getattr(beat, field) for beat in context.beats)
    return _take(values, context.addresses.beat[index])


def _internal(batch: Batch) -> dict[str, pa.Array]:
    return {
        "remarks": batch.remarks,
        "caller_name": batch.caller_name,
        "caller_dob": batch.caller_dob,
        "caller_phone": batch.caller_phone,
    }


@cache
def _short_codes(names: tuple[str, ...], known: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A short code per type: the city's code where known, otherwise letters of its words.

    A name cut short by an old CAD ("SIMPLE CRIMINAL DAMA") gets the code of the full name.
    """
    codes = dict(known)
    used = set(codes.values())
    for name in sorted(names, key=lambda text: (-len(text), text)):
        if name in codes:
            continue
        # New Orleans' older CAD cut type texts at 20 characters.
        longer = next((full for full in codes if full.startswith(name)), None)
        if longer is not None and len(name) >= 19:
            codes[name] = codes[longer]
            continue
        words = re.findall(r"[A-Z]+", name.upper())
        letters = (words[0][:4] if len(words) == 1 else "".join(w[0] for w in words[:4])) or "X"
        code, suffix = letters, 2
        while code in used:
            code, suffix = f"{letters}{suffix}", suffix + 1
        used.add(code)
        codes[name] = code
    return codes


# --- Seattle ----------------------------------------------------------------------------

_SEATTLE_SECTORS: tuple[tuple[str, str, str, float, float, float], ...] = (
    ("NORTH", "B", "BOY", 47.668, -122.385, 1.0), ("NORTH", "J", "JOHN", 47.690, -122.355, 1.0),
    ("NORTH", "L", "LINCOLN", 47.715, -122.300, 1.0), ("NORTH", "N", "NORA", 47.710, -122.335, 1.2),
    ("NORTH", "U", "UNION", 47.662, -122.312, 1.2), ("EAST", "C", "CHARLIE", 47.625, -122.295, 1.0),
    ("EAST", "E", "EDWARD", 47.617, -122.318, 1.8), ("EAST", "G", "GEORGE", 47.603, -122.302, 1.0),
    ("WEST", "D", "DAVID", 47.617, -122.345, 1.8), ("WEST", "K", "KING", 47.600, -122.330, 1.8),
    ("WEST", "M", "MARY", 47.610, -122.338, 1.8), ("WEST", "Q", "QUEEN", 47.638, -122.372, 1.0),
    ("SOUTH", "O", "OCEAN", 47.560, -122.325, 1.0), ("SOUTH", "R", "ROBERT", 47.560, -122.288, 1.2),
    ("SOUTH", "S", "SAM", 47.522, -122.270, 1.0),
    ("SOUTHWEST", "F", "FRANK", 47.535, -122.352, 1.0),
    ("SOUTHWEST", "W", "WILLIAM", 47.565, -122.388, 1.0),
)
_BEAT_OFFSETS = ((0.007, -0.006), (-0.004, 0.007), (-0.006, -0.005), (0.003, 0.004))


def _seattle_beats() -> tuple[Beat, ...]:
    return tuple(
        Beat(precinct, sector_name, f"{letter}{number + 1}", lat + dlat, lon + dlon,
             weight, 0.004)
        for precinct, letter, sector_name, lat, lon, weight in _SEATTLE_SECTORS
        for number, (dlat, dlon) in enumerate(_BEAT_OFFSETS[:3])
    )


SEATTLE_SOURCES = (
    "911", "TELEPHONE OTHER, NOT 911", "ONVIEW", "ALARM CALL (NOT POLICE ALARM)", "TEXT MESSAGE",
    "IN PERSON COMPLAINT",
)
SEATTLE_STREETS = (
    "E PINE ST", "E PIKE ST", "3RD AVE", "RAINIER AVE S", "AURORA AVE N", "15TH AVE NE",
    "MARTIN LUTHER KING JR WAY S", "CALIFORNIA AVE SW", "NW MARKET ST", "LAKE CITY WAY NE",
    "BROADWAY E", "DENNY WAY", "1ST AVE", "ELLIOTT AVE W", "DELRIDGE WAY SW", "N 45TH ST",
    "NE NORTHGATE WAY", "S JACKSON ST", "E MADISON ST", "23RD AVE S", "BEACON AVE S",
    "UNIVERSITY WAY NE", "GREENWOOD AVE N", "15TH AVE W", "4TH AVE S", "S HENDERSON ST",
    "35TH AVE SW", "HOLMAN RD NW", "E UNION ST", "WESTLAKE AVE N",
)


def _seattle_priority(batch: Batch) -> np.ndarray:
    # 7 is on-view; the least urgent calls spread over 4-6.
    priority = batch.urgency.astype(np.int64).copy()
    low = priority == 4
    priority[low & (batch.draw >= 0.6)] = 5
    priority[low & (batch.draw >= 0.85)] = 6
    priority[batch.onview] = 7
    return priority


def _seattle_table(batch: Batch, context: Context) -> pa.Table:
    codebook = context.codebook
    dispositions = codebook.dispositions
    assert dispositions is not None
    address_text = pc.binary_join_element_wise(
        pc.cast(pa.array(context.addresses.block[batch.address]), pa.string()),
        _take(context.streets, context.addresses.street[batch.address]),
        "XX BLOCK OF ",
    )
    columns: dict[str, pa.Array] = {
        "CAD Event Number": _text(batch.year.astype(np.int64) * 1_000_000_000 + batch.sequence),
        "Event Clearance Description": _take(dispositions.names, batch.disposition),
        "Call Type": _take(SEATTLE_SOURCES, batch.source),
        "Priority": pa.array(_seattle_priority(batch)),
        "Initial Call Type": _take(codebook.initial.names, batch.initial),
        "Final Call Type": _take(codebook.final.names, batch.final),
        "Original Time Queued": _local_text(batch, None, context),
        "Arrived Time": _local_text(batch, batch.arrived, context),
        "Precinct": _beat_field(context, batch.address, "precinct"),
        "Sector": _beat_field(context, batch.address, "sector"),
        "Beat": _beat_field(context, batch.address, "beat"),
        "Blurred_Longitude": pa.array(context.addresses.longitude[batch.address]),
        "Blurred_Latitude": pa.array(context.addresses.latitude[batch.address]),
        **_internal(batch),
        "address": address_text,
        "cleared_time": _local_text(batch, batch.cleared, context),
        "dispatched_time": _local_text(batch, batch.dispatched, context),
    }
    return pa.table(columns)


# --- New Orleans ------------------------------------------------------------------------

_NOLA_DISTRICTS: tuple[tuple[int, float, float, float, tuple[str, ...]], ...] = (
    (1, 29.970, -90.090, 1.0, ("70119",)),
    (2, 29.930, -90.110, 1.0, ("70118", "70115")),
    (3, 30.005, -90.080, 1.0, ("70122", "70124")),
    (4, 29.930, -90.020, 0.9, ("70114", "70131")),
    (5, 29.970, -90.035, 1.1, ("70117",)),
    (6, 29.930, -90.080, 1.1, ("70113", "70115")),
    (7, 30.030, -89.970, 1.3, ("70126", "70127", "70128")),
    (8, 29.956, -90.066, 1.6, ("70112", "70116", "70130")),
)
NOLA_ZIP_BY_DISTRICT = {district: zips for district, _, _, _, zips in _NOLA_DISTRICTS}


def _nola_beats() -> tuple[Beat, ...]:
    beats = []
    for district, lat, lon, weight, _ in _NOLA_DISTRICTS:
        for zone_index, zone in enumerate("ABCD"):
            dlat, dlon = _BEAT_OFFSETS[zone_index]
            for number in range(1, 4):
                beats.append(Beat(str(district), zone, f"{district}{zone}{number:02d}",
                                  lat + 1.3 * dlat + 0.002 * number,
                                  lon + 1.3 * dlon - 0.002 * number, weight, 0.004))
    return tuple(beats)


NOLA_STREETS = (
    "Canal St", "St Claude Ave", "Magazine St", "Tchoupitoulas St", "N Claiborne Ave",
    "S Broad St", "Elysian Fields Ave", "Chef Menteur Hwy", "Gentilly Blvd", "S Carrollton Ave",
    "Esplanade Ave", "Bourbon St", "Decatur St", "Oretha Castle Haley Blvd",
    "Martin Luther King Jr Blvd", "Franklin Ave", "Read Blvd", "General De Gaulle Dr",
    "Washington Ave", "Louisiana Ave", "Napoleon Ave", "Freret St", "Tulane Ave", "Poydras St",
    "St Charles Ave", "N Galvez St", "Almonaster Ave", "Paris Ave", "Lake Forest Blvd",
    "Behrman Ave",
)
# NOPD signal codes as they appear in the published data for common types; others made up.
NOLA_TYPE_CODES = {
    "COMPLAINT OTHER": "21", "DISTURBANCE (OTHER)": "103", "DOMESTIC DISTURBANCE": "103D",
    "MENTAL PATIENT": "103M", "TRAFFIC INCIDENT": "18", "AUTO ACCIDENT": "20",
    "HIT & RUN": "100", "SUSPICIOUS PERSON": "107", "THEFT": "67", "AUTO THEFT": "67A",
    "SHOPLIFTING": "67S", "SIMPLE BATTERY": "35", "SIMPLE BATTERY DOMESTIC": "35D",
    "AGGRAVATED BATTERY BY SHOOTING": "34S", "AGGRAVATED ASSAULT": "37",
    "DISCHARGING FIREARM": "94", "ARMED ROBBERY WITH GUN": "64G", "SIMPLE ROBBERY": "65",
    "BURGLAR ALARM, SILENT": "62A", "TRAFFIC STOP": "TS",
}
NOLA_DISPOSITION_CODES = {
    "NECESSARY ACTION TAKEN": "NAT", "REPORT TO FOLLOW": "RTF", "GONE ON ARRIVAL": "GOA",
    "UNFOUNDED": "UNF", "VOID": "VOI", "DUPLICATE": "DUP", "SUPPLEMENTAL": "SUPP",
}

# Louisiana South state plane (NAD83, US survey feet), Lambert conformal conic, GRS80.
_A, _F = 6378137.0, 1 / 298.257222101
_E = float(np.sqrt(2 * _F - _F * _F))
_FEET = 1200 / 3937


def _lcc_parts(latitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    phi = np.radians(latitude)
    m = np.cos(phi) / np.sqrt(1 - (_E * np.sin(phi)) ** 2)
    t = np.tan(np.pi / 4 - phi / 2) / ((1 - _E * np.sin(phi)) / (1 + _E * np.sin(phi))) ** (_E / 2)
    return m, t


def louisiana_south_feet(longitude: np.ndarray, latitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) in the state plane New Orleans' MapX/MapY use."""
    (m1, m2), (t1, t2) = _lcc_parts(np.array([30.7, 29.3]))
    _, t0 = _lcc_parts(np.array([28.5]))
    n = (np.log(m1) - np.log(m2)) / (np.log(t1) - np.log(t2))
    big_f = m1 / (n * t1**n)
    rho0 = _A * big_f * t0[0] ** n
    _, t = _lcc_parts(latitude)
    rho = _A * big_f * t**n
    theta = n * np.radians(longitude - (-91 - 20 / 60))
    x = 1_000_000 + rho * np.sin(theta)
    y = rho0 - rho * np.cos(theta)
    return np.round(x / _FEET, 0), np.round(y / _FEET, 0)


def _nola_priority(urgency: np.ndarray, draw: np.ndarray) -> pa.Array:
    """"2A": the level (0 officer needs help, 1 most urgent) and a sub-level letter."""
    letters = np.where(draw < 0.6, "A", np.where(draw < 0.85, "B", "C"))
    digits = urgency.astype(np.int64).copy()
    digits[(digits == 1) & (draw < 0.02)] = 0
    return pc.binary_join_element_wise(_text(digits), pa.array(letters), "")


def _nola_table(batch: Batch, context: Context) -> pa.Table:
    codebook = context.codebook
    dispositions = codebook.dispositions
    assert dispositions is not None
    codes = _short_codes(
        codebook.initial.names + codebook.final.names, tuple(NOLA_TYPE_CODES.items())
    )
    final_codes = tuple(codes[name] for name in codebook.final.names)
    initial_codes = tuple(codes[name] for name in codebook.initial.names)
    disposition_codes = tuple(
        NOLA_DISPOSITION_CODES.get(name.upper(), "".join(w[0] for w in name.split()[:3]).upper())
        for name in dispositions.names
    )
    longitude = context.addresses.longitude[batch.address]
    latitude = context.addresses.latitude[batch.address]
    map_x, map_y = louisiana_south_feet(longitude, latitude)
    district = np.array([int(beat.precinct) for beat in context.beats])[context.addresses.beat[batch.address]]
    # A district spans several zip codes; an address keeps the same one.
    zip_index = np.zeros(len(district), dtype=np.int64)
    flat_zips: list[str] = []
    for number, zip_codes in NOLA_ZIP_BY_DISTRICT.items():
        chosen = district == number
        zip_index[chosen] = len(flat_zips) + batch.address[chosen] % len(zip_codes)
        flat_zips.extend(zip_codes)
    block_address = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(pa.array(context.addresses.block[batch.address]), pa.string()), 3, "0"),
        _take(context.streets, context.addresses.street[batch.address]),
        "XX ",
    )
    location = pc.binary_join_element_wise(
        "POINT (", _text(longitude), " ", _text(latitude), ")", ""
    )
    columns: dict[str, pa.Array] = {
        "NOPD_Item": pc.binary_join_element_wise(
            _take(tuple("ABCDEFGHIJKL"), batch.month - 1),
            pc.utf8_lpad(_text(batch.sequence), 5, "0"),
            pc.utf8_lpad(_text(batch.year % 100), 2, "0"),
            "",
        ),
        "Type": _take(final_codes, batch.final),
        "TypeText": _take(codebook.final.names, batch.final),
        "Priority": _nola_priority(batch.final_urgency, batch.draw),
        "InitialType": _take(initial_codes, batch.initial),
        "InitialTypeText": _take(codebook.initial.names, batch.initial),
        "InitialPriority": _nola_priority(batch.urgency, batch.draw),
        "MapX": pa.array(map_x),
        "MapY": pa.array(map_y),
        "TimeCreate": _local_text(batch, None, context),
        "TimeDispatch": _local_text(batch, batch.dispatched, context),
        "TimeArrive": _local_text(batch, batch.arrived, context),
        "TimeClosed": _local_text(batch, batch.cleared, context),
        "Disposition": _take(disposition_codes, batch.disposition),
        "DispositionText": _take(dispositions.names, batch.disposition),
        "SelfInitiated": pc.if_else(pa.array(batch.onview), "Y", "N"),
        "Beat": _beat_field(context, batch.address, "beat"),
        "BLOCK_ADDRESS": block_address,
        "Zip": _take(tuple(flat_zips), zip_index),
        "PoliceDistrict": pa.array(district),
        "Location": location,
        **_internal(batch),
    }
    return pa.table(columns)


# --- Detroit ----------------------------------------------------------------------------

_DETROIT_PRECINCTS: tuple[tuple[int, float, float, str, int, tuple[str, str]], ...] = (
    (2, 42.410, -83.210, "48235", 1, ("Grandmont", "Rosedale Park")),
    (3, 42.318, -83.100, "48209", 6, ("Mexicantown", "Corktown")),
    (4, 42.300, -83.145, "48217", 6, ("Springwells", "Boynton")),
    (5, 42.385, -82.975, "48215", 4, ("Jefferson Chalmers", "East English Village")),
    (6, 42.370, -83.215, "48228", 7, ("Warrendale", "Cody Rouge")),
    (7, 42.360, -83.020, "48214", 5, ("Islandview", "Indian Village")),
    (8, 42.400, -83.255, "48219", 1, ("Brightmoor", "Old Redford")),
    (9, 42.420, -82.970, "48205", 3, ("Osborn", "Chandler Park")),
    (10, 42.380, -83.120, "48206", 5, ("Dexter-Linwood", "Boston Edison")),
    (11, 42.430, -83.060, "48212", 3, ("Nolan", "Conant Gardens")),
    (12, 42.430, -83.140, "48221", 2, ("Palmer Park", "University District")),
)
DETROIT_STREETS = (
    "GRATIOT AVE", "WOODWARD AVE", "MICHIGAN AVE", "GRAND RIVER AVE", "W 7 MILE RD",
    "E 8 MILE RD", "LIVERNOIS AVE", "E JEFFERSON AVE", "VAN DYKE AVE", "DEXTER AVE",
    "W WARREN AVE", "E WARREN AVE", "FENKELL ST", "JOY RD", "TELEGRAPH RD", "SCHAEFER HWY",
    "GREENFIELD RD", "HARPER AVE", "MACK AVE", "CONNER ST", "KERCHEVAL AVE", "PLYMOUTH RD",
    "W FORT ST", "W VERNOR HWY", "MOROSS RD", "W MCNICHOLS RD", "E MCNICHOLS RD", "WYOMING ST",
    "EVERGREEN RD", "CHALMERS ST",
)
# Detroit's own short category codes, as seen in published analyses of the export.
DETROIT_CATEGORIES = {
    "TRAFFIC STOP": "TRF STOP", "SPECIAL ATTENTION": "SPCL ATT", "DISTURBANCE": "DISTURB",
    "REMARKS": "REMARKS", "START OF SHIFT INFORMATION": "STRTSHFT",
    "INVESTIGATE PERSON": "INVPERS", "UNKNOWN PROBLEM": "UNKPROB", "TOWING DETAIL": "TOW",
    "FELONIOUS ASSAULT IP": "FA IP", "LARCENY REPORT": "LARCREPT",
    "AUTO X UNK INJ / IMPAIRED": "ACCUNK", "BUS BOARDING": "BUS BRD",
    "VERIFIED ALR / PERSON W/O CODE": "VERALRM", "UDAA REPORT": "UDAAREPT",
    "PERSON WITH WEAPON": "WEAPON", "BURGLARY OCCUPIED RESD I/P": "HI1 I/P",
    "SHOTS FIRED IP": "SHOTS IP", "INVESTIGATE AUTO": "INVAUTO",
    "MALICIOUS DESTRUCTION I/P": "MDPIP", "MISCELLANEOUS TRAFFIC": "MISCTRAF",
    "BUILDING CHECK": "BLDGCHK", "FRAUD REPORT": "FRAUDRPT", "PANIC / DURESS ALARM": "PANIC",
    "AUTO X OR PED X - INJURIES": "ACCINJ", "THREATS REPORT": "THREATRP",
    "VICIOUS ANIMAL": "VICANML", "LARCENY I/P OR J/H": "LARCENY",
    "HOLD UP ALARM AND MOW": "HOLDUP", "RECOVER AUTO": "RECAUTO",
    "MALICIOUS DESTRUCTION RPT": "MDPRPT", "MENTAL VIOLENT NOT ARMED": "MNTLNARM",
    "AUTO X HIT& RUN UNK INJURIES": "HRUNK", "PARKING COMPLAINT": "PARK",
    "INFORMATION/NON-CRIMINAL RPT": "INFORPT", "WELL BEING CHECK": "WBC", "ASSIST OTHER": "AO",
    "DV A/B I/P-J/H": "DV A/B", "ONE DOWN/DRUG OD": "OD", "HANGUP CALLS": "HNGUP",
    "ANIMAL COMPLAINT": "ANMLCOMP", "ASSAULT AND BATTERY IP-JH": "AB IP/JH",
}


def _detroit_beats() -> tuple[Beat, ...]:
    beats = []
    for precinct, lat, lon, _, _, _ in _DETROIT_PRECINCTS:
        for sca in range(1, 9):
            angle = 2 * np.pi * sca / 8
            beats.append(Beat(str(precinct), f"{sca:02d}", f"{precinct:02d}{sca:02d}",
                              lat + 0.012 * np.sin(angle), lon + 0.016 * np.cos(angle),
                              1.0, 0.005))
    return tuple(beats)


def _detroit_category(name: str) -> str:
    if name in DETROIT_CATEGORIES:
        return DETROIT_CATEGORIES[name]
    words = re.findall(r"[A-Z0-9]+", name.upper())
    return "".join(word[:4] for word in words)[:8] or "MISC"


def _minutes(seconds: np.ndarray) -> pa.Array:
    minutes = np.round(seconds / 60.0, 2)
    return pa.array(minutes, mask=np.isnan(minutes))


def _detroit_table(batch: Batch, context: Context) -> pa.Table:
    codebook = context.codebook
    types = codebook.initial
    precinct_info = {str(p): (zip_code, council, hoods)
                     for p, _, _, zip_code, council, hoods in _DETROIT_PRECINCTS}
    beat_index = context.addresses.beat[batch.address]
    precinct = tuple(beat.precinct for beat in context.beats)
    zips = tuple(precinct_info[p][0] for p in precinct)
    councils = np.array([precinct_info[p][1] for p in precinct])
    hoods = tuple(precinct_info[p][2][i % 2] for i, p in enumerate(precinct))
    # Durations in minutes, rounded first so the totals add up exactly as published.
    queue = np.round(batch.dispatched / 60.0, 2)
    intake = np.minimum(np.round(np.clip(0.4 * queue, 0.1, 3.0), 2), queue)
    dispatch = np.round(queue - intake, 2)
    travel = np.round((batch.arrived - batch.dispatched) / 60.0, 2)
    response = np.round(intake + dispatch + travel, 2)
    total = np.round(batch.cleared / 60.0, 2)
    on_scene = np.round(total - response, 2)
    longitude = context.addresses.longitude[batch.address]
    latitude = context.addresses.latitude[batch.address]
    tract = 500_000 + (batch.address // 40) % 9_000
    block = 1000 + batch.address % 40
    columns: dict[str, pa.Array] = {
        "X": pa.array(longitude),
        "Y": pa.array(latitude),
        "incident_id": pa.array(300_000_000 + batch.sequence),
        "agency": pa.array(np.full(len(batch.received), "DPD")),
        "incident_address": pc.binary_join_element_wise(
            _text(context.addresses.block[batch.address] * 100),
            _take(context.streets, context.addresses.street[batch.address]), " "),
        "zip_code": _take(zips, beat_index),
        "priority": pa.array(np.where(batch.onview & (batch.urgency == 4), 5, batch.urgency)
                             .astype(np.int64)),
        "callcode": _take(tuple(str(3100 + rank) for rank in range(len(types.names))),
                          batch.initial),
        "calldescription": _take(types.names, batch.initial),
        "category": _take(tuple(_detroit_category(name) for name in types.names), batch.initial),
        "call_timestamp": _local_text(batch, None, context),
        "precinct_sca": _beat_field(context, batch.address, "beat"),
        "respondingunit": pc.binary_join_element_wise(
            _beat_field(context, batch.address, "beat"), _take(("A", "B", "C"), (batch.draw * 3).astype(np.int64)), ""),
        "officerinitiated": pc.if_else(pa.array(batch.onview), "Yes", "No"),
        "intaketime": _minutes(intake * 60),
        "dispatchtime": _minutes(dispatch * 60),
        "traveltime": _minutes(travel * 60),
        "totalresponsetime": _minutes(response * 60),
        "time_on_scene": _minutes(on_scene * 60),
        "totaltime": _minutes(total * 60),
        "neighborhood": _take(hoods, beat_index),
        "block_id": pc.binary_join_element_wise("26163", _text(tract), _text(block), ""),
        "council_district": pa.array(councils[beat_index]),
        "longitude": pa.array(longitude),
        "latitude": pa.array(latitude),
        "ObjectId": pa.array(batch.row),
        **_internal(batch),
    }
    return pa.table(columns)


SEATTLE = City(
    name="seattle",
    timezone="America/Los_Angeles",
    columns=(
        "CAD Event Number", "Event Clearance Description", "Call Type", "Priority",
        "Initial Call Type", "Final Call Type", "Original Time Queued", "Arrived Time",
        "Precinct", "Sector", "Beat", "Blurred_Longitude", "Blurred_Latitude",
    ),
    internal=INTERNAL_COLUMNS + ("address", "cleared_time", "dispatched_time"),
    beats=_seattle_beats(),
    streets=SEATTLE_STREETS,
    event_period="year",
    date_format="%m/%d/%Y",
    time_format="%I:%M:%S %p",
    utc=False,
    to_table=_seattle_table,
)
NEW_ORLEANS = City(
    name="new_orleans",
    timezone="America/Chicago",
    columns=(
        "NOPD_Item", "Type", "TypeText", "Priority", "InitialType", "InitialTypeText",
        "InitialPriority", "MapX", "MapY", "TimeCreate", "TimeDispatch", "TimeArrive",
        "TimeClosed", "Disposition", "DispositionText", "SelfInitiated", "Beat",
        "BLOCK_ADDRESS", "Zip", "PoliceDistrict", "Location",
    ),
    internal=INTERNAL_COLUMNS,
    beats=_nola_beats(),
    streets=NOLA_STREETS,
    event_period="month",
    date_format="%m/%d/%Y",
    time_format="%I:%M:%S %p",
    utc=False,
    to_table=_nola_table,
)
DETROIT = City(
    name="detroit",
    timezone="America/Detroit",
    columns=(
        "X", "Y", "incident_id", "agency", "incident_address", "zip_code", "priority",
        "callcode", "calldescription", "category", "call_timestamp", "precinct_sca",
        "respondingunit", "officerinitiated", "intaketime", "dispatchtime", "traveltime",
        "totalresponsetime", "time_on_scene", "totaltime", "neighborhood", "block_id",
        "council_district", "longitude", "latitude", "ObjectId",
    ),
    internal=INTERNAL_COLUMNS,
    beats=_detroit_beats(),
    streets=DETROIT_STREETS,
    event_period="file",
    date_format="%Y/%m/%d",
    time_format="%H:%M:%S+00",
    utc=True,
    to_table=_detroit_table,
)
CITIES: dict[str, City] = {city.name: city for city in (SEATTLE, NEW_ORLEANS, DETROIT)}
