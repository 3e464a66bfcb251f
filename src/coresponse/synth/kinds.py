"""What kind of situation a call type describes, and how calls of that kind behave.

A city's codebook has hundreds of codes written in its own words; the synthetic city
needs only a few dozen behaviours (how urgent, who calls, what the caller says, how long
it takes, how it ends). Each code is put in one *kind* by keyword rules on its text, with
the analyst's category as the fallback; every behaviour then hangs off the kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The facts a remark can carry, in the order of the facts side file's columns.
FACTS: tuple[str, ...] = (
    "weapon",
    "violence",
    "threat",
    "self_harm",
    "intoxication",
    "medical",
    "mental_health",
    "requests_police",
)


@dataclass(frozen=True)
class Kind:
    """How calls of one kind behave.

    ``urgency`` is the chance of levels 1..4 (1 most urgent) for calls that come in;
    ``urgency_in_progress`` the same for its codes marked in progress or critical (default:
    one level more urgent);
    ``facts`` the chance of each fact being true (1.0: the kind implies it);
    ``negations`` the chance that a false fact is said explicitly ("no weapons seen");
    ``on_scene_minutes`` the median time on scene; ``repeat`` the share of its calls made
    by the people who call again and again; ``onview`` the share started by an officer.
    """

    name: str
    urgency: tuple[float, float, float, float]
    facts: dict[str, float]
    negations: dict[str, float] = field(default_factory=dict)
    urgency_in_progress: tuple[float, float, float, float] | None = None
    on_scene_minutes: float = 25.0
    repeat: float = 0.08
    onview: float = 0.02
    # Multipliers on the city's disposition frequencies, by disposition category.
    dispositions: dict[str, float] = field(default_factory=dict)


def _facts(**chances: float) -> dict[str, float]:
    unknown = set(chances) - set(FACTS)
    if unknown:
        raise ValueError(f"unknown facts {sorted(unknown)}")
    return {fact: chances.get(fact, 0.0) for fact in FACTS}


_ARREST = {"Arrest Issued": 3.0, "Report Generated": 1.5}
_REPORT = {"Report Generated": 3.0, "Arrest Issued": 0.4, "Citation Issued": 0.3}
_HELP = {"Non-Arrest Activity": 2.0, "Detaning Individual": 6.0, "Arrest Issued": 0.3,
         "Citation Issued": 0.1, "Non-Arrest": 4.0}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "suicide", (0.10, 0.75, 0.15, 0.0),
            _facts(weapon=0.12, violence=0.05, threat=0.1, self_harm=1.0, intoxication=0.3,
                   medical=0.2, mental_health=1.0, requests_police=0.15),
            {"weapon": 0.45, "violence": 0.2, "medical": 0.2},
            urgency_in_progress=(0.55, 0.42, 0.03, 0.0),
            on_scene_minutes=60, repeat=0.35, dispositions=_HELP,
        ),
        Kind(
            "behavioral", (0.07, 0.50, 0.43, 0.0),
            _facts(weapon=0.08, violence=0.25, threat=0.2, self_harm=0.12, intoxication=0.25,
                   medical=0.08, mental_health=1.0, requests_police=0.3),
            {"weapon": 0.5, "violence": 0.35, "self_harm": 0.4, "intoxication": 0.1},
            on_scene_minutes=50, repeat=0.4, dispositions=_HELP,
        ),
        Kind(
            "overdose", (0.9, 0.1, 0.0, 0.0),
            _facts(weapon=0.02, violence=0.02, threat=0.02, self_harm=0.1, intoxication=1.0,
                   medical=1.0, mental_health=0.15, requests_police=0.05),
            {"weapon": 0.15, "self_harm": 0.15},
            on_scene_minutes=35, repeat=0.25, dispositions=_HELP,
        ),
        Kind(
            "welfare", (0.05, 0.50, 0.38, 0.07),
            _facts(weapon=0.01, violence=0.03, threat=0.03, self_harm=0.06, intoxication=0.25,
                   medical=0.3, mental_health=0.3, requests_police=0.1),
            {"weapon": 0.1, "medical": 0.2, "self_harm": 0.15, "violence": 0.1},
            on_scene_minutes=30, repeat=0.35, dispositions=_HELP,
        ),
        Kind(
            "intoxication", (0.03, 0.42, 0.45, 0.10),
            _facts(weapon=0.03, violence=0.1, threat=0.05, self_harm=0.01, intoxication=1.0,
                   medical=0.15, mental_health=0.1, requests_police=0.2),
            {"weapon": 0.2, "violence": 0.15, "medical": 0.15},
            on_scene_minutes=30, repeat=0.3, onview=0.2, dispositions=_HELP,
        ),
        Kind(
            "medical", (0.5, 0.4, 0.1, 0.0),
            _facts(weapon=0.01, violence=0.05, threat=0.01, self_harm=0.04, intoxication=0.2,
                   medical=1.0, mental_health=0.08, requests_police=0.03),
            {"violence": 0.1, "intoxication": 0.1},
            on_scene_minutes=30, repeat=0.2, dispositions=_HELP,
        ),
        Kind(
            "shots", (0.85, 0.15, 0.0, 0.0),
            _facts(weapon=1.0, violence=0.5, threat=0.2, self_harm=0.002, intoxication=0.08,
                   medical=0.25, mental_health=0.02, requests_police=0.3),
            {"medical": 0.3},
            on_scene_minutes=45, repeat=0.05, dispositions=_ARREST,
        ),
        Kind(
            "weapon", (0.7, 0.3, 0.0, 0.0),
            _facts(weapon=1.0, violence=0.3, threat=0.45, self_harm=0.03, intoxication=0.15,
                   medical=0.05, mental_health=0.12, requests_police=0.35),
            {"violence": 0.25, "medical": 0.1},
            on_scene_minutes=40, repeat=0.1, dispositions=_ARREST,
        ),
        Kind(
            "assault", (0.45, 0.45, 0.1, 0.0),
            _facts(weapon=0.2, violence=1.0, threat=0.3, self_harm=0.003, intoxication=0.3,
                   medical=0.35, mental_health=0.06, requests_police=0.35),
            {"weapon": 0.4, "medical": 0.2},
            on_scene_minutes=45, repeat=0.12, dispositions=_ARREST,
        ),
        Kind(
            "domestic", (0.3, 0.55, 0.15, 0.0),
            _facts(weapon=0.12, violence=0.55, threat=0.45, self_harm=0.03, intoxication=0.3,
                   medical=0.15, mental_health=0.05, requests_police=0.35),
            {"weapon": 0.4, "violence": 0.3, "medical": 0.3},
            on_scene_minutes=50, repeat=0.3, dispositions=_ARREST,
        ),
        Kind(
            "threat", (0.05, 0.4, 0.45, 0.1),
            _facts(weapon=0.1, violence=0.05, threat=1.0, self_harm=0.003, intoxication=0.1,
                   medical=0.01, mental_health=0.08, requests_police=0.35),
            {"weapon": 0.3, "violence": 0.2},
            on_scene_minutes=30, repeat=0.15, dispositions=_REPORT,
        ),
        Kind(
            "disturbance", (0.05, 0.4, 0.4, 0.15),
            _facts(weapon=0.04, violence=0.15, threat=0.12, self_harm=0.005, intoxication=0.3,
                   medical=0.04, mental_health=0.15, requests_police=0.3),
            {"weapon": 0.25, "violence": 0.15},
            on_scene_minutes=25, repeat=0.25, onview=0.05,
            dispositions={"Non-Arrest Activity": 1.5, "Warning Issued": 2.0},
        ),
        Kind(
            "suspicious", (0.05, 0.35, 0.45, 0.15),
            _facts(weapon=0.05, violence=0.02, threat=0.03, intoxication=0.1, medical=0.01,
                   mental_health=0.06, requests_police=0.35),
            {"weapon": 0.2},
            on_scene_minutes=20, repeat=0.08, onview=0.15,
            dispositions={"Location Error": 2.0, "Non-Arrest Activity": 1.5},
        ),
        Kind(
            "missing", (0.1, 0.4, 0.4, 0.1),
            _facts(violence=0.01, threat=0.01, self_harm=0.06, intoxication=0.03, medical=0.06,
                   mental_health=0.2, requests_police=0.2),
            {"self_harm": 0.1},
            on_scene_minutes=40, repeat=0.15, dispositions=_REPORT,
        ),
        Kind(
            "alarm", (0.1, 0.3, 0.4, 0.2),
            _facts(requests_police=0.02),
            on_scene_minutes=15, repeat=0.05,
            dispositions={"False Complaint": 6.0, "Unfounded": 4.0, "Location Error": 2.0,
                          "Report Generated": 0.3, "Arrest Issued": 0.1},
        ),
        Kind(
            "traffic", (0.15, 0.35, 0.35, 0.15),
            _facts(weapon=0.005, violence=0.01, threat=0.02, intoxication=0.06, medical=0.15,
                   mental_health=0.01, requests_police=0.15),
            {"medical": 0.3},
            on_scene_minutes=30, repeat=0.03, onview=0.15,
            dispositions={"Citation Issued": 4.0, "Warning Issued": 3.0, "Report Generated": 1.5},
        ),
        Kind(
            "property", (0.02, 0.15, 0.5, 0.33),
            _facts(weapon=0.02, violence=0.01, threat=0.03, intoxication=0.02, medical=0.005,
                   mental_health=0.03, requests_police=0.3),
            {"weapon": 0.05},
            on_scene_minutes=35, repeat=0.06, onview=0.03, dispositions=_REPORT,
        ),
        Kind(
            "drugs", (0.05, 0.3, 0.45, 0.2),
            _facts(weapon=0.06, violence=0.03, threat=0.02, intoxication=0.6, medical=0.05,
                   mental_health=0.05, requests_police=0.25),
            {"weapon": 0.2},
            on_scene_minutes=30, repeat=0.12, onview=0.4,
            dispositions={"Arrest Issued": 2.0, "Warning Issued": 1.5},
        ),
        Kind(
            "proactive", (0.0, 0.0, 0.3, 0.7),
            _facts(),
            on_scene_minutes=25, repeat=0.01, onview=0.97,
            dispositions={"Non-Arrest Activity": 3.0, "Report Generated": 0.3,
                          "Arrest Issued": 0.2, "Location Error": 0.1, "False Complaint": 0.1},
        ),
        Kind(
            "other", (0.05, 0.3, 0.45, 0.2),
            _facts(weapon=0.01, violence=0.02, threat=0.03, intoxication=0.05, medical=0.03,
                   mental_health=0.05, requests_police=0.2),
            on_scene_minutes=25, repeat=0.08, onview=0.05,
        ),
    )
}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)

# First rule that matches wins, so specific words come before general ones.
_RULES: tuple[tuple[str, str], ...] = (
    ("proactive", r"DIRECTED PATROL|PREDICTIVE|ASSIGNED DUTY|OFF DUTY"
                  r"|PREMISE CHECK|AREA CHECK|BUSINESS CHECK|BUILDING CHECK|SPECIAL ATTENTION"
                  r"|START OF SHIFT|^REMARKS$|BUS BOARDING|INVESTIGATE (PERSON|AUTO)|WARR STOP"
                  r"|FOLLOW UP|RETURN FOR|OUT TO PRECINCT|PRISONER|GAS/MAINT|STATION DUTY"
                  r"|DOWN TIME|TOWING DETAIL|SAFEWALK|DETAIL|SCHOOL CROSSING|ATTACHMENT"
                  r"|ATTTACHME|STADIUM|GUARD ASSIGNMENT|PREPLANNED|IN-SERVICE|INFRASTRUCTURE"),
    ("suicide", r"SUICID"),
    ("overdose", r"OVERDOSE|DRUG OD|\bOD\b"),
    ("behavioral", r"MENTAL|BEHAVIORAL|EMOTIONAL|CRISIS|\bEDP\b"),
    ("shots", r"SHOT|FIREARM|SHOOTING|GSW"),
    ("weapon", r"WEAPON|WEAPN|ARMED (?!ROBBERY)|\bGUN\b"),
    ("domestic", r"\bDV\b|DOMESTIC|\bPPO\b|COURT ORDER|\bCHILD\b|CUSTODIAL"),
    ("assault", r"ASLT|ASSAULT|BATTERY|FIGHT|ROBBERY|RAPE|KIDNAP|HOMICIDE|CARJACK|PURSE SNATCH"
                r"|HELP THE OFFICER|ABDUCTION|MOLEST"),
    ("threat", r"THREAT|HARASS|EXTORTION|BOMB|STALK"),
    ("disturbance", r"ANIMAL|\bDOG\b"),
    ("other", r"\bFOUND\b|\bLOST\b"),
    ("welfare", r"WELFARE|WELL BEING|PERSON DOWN|DOWN PERSON|CHECK FOR PERSON|SENIOR CITIZEN"
                r"|ONE DOWN|OVER THE WHEEL|DEAD|DOA|DEATH|HOMELESS|SLEEPER"),
    ("intoxication", r"INTOX|DETOX|LIQUOR|D\.U\.I|\bDUI\b|DRIVING WHILE UNDER|DRUNK|ETOH"),
    ("medical", r"MEDICAL|AMBULANCE|INJURED|CASUALTY|\bEMS\b|ADMIT OR E/E|RESCUE|MEDIC\b"),
    ("missing", r"MISSING|RUNAWAY|AWOL|A\.W\.O\.L|AMBER|TRUAN|LOST CHILD"),
    ("alarm", r"ALARM"),
    ("drugs", r"NARCOTIC|DRUG"),
    ("traffic", r"TRAFFIC|\bMVC\b|\bACC\b|AUTO X|HIT & RUN|HIT AND RUN|H&R|PARKING|ACCIDENT"
                r"|DRIVING|ROAD RAGE|\bTOW\b|MOTORIST|PED X|ABANDONED (CAR|VEHICLE)|PURSUIT"),
    ("property", r"THEFT|BURG|LARCENY|FRAUD|DAMAGE|DAMG|SHOPLIFT|UDAA|DESTRUCTION|PROPERTY|ARSON"
                 r"|BREAKING|STOLEN|FORGERY|PICKPOCKET|GRAFFITI|RECOVER|SCRAP"),
    ("disturbance", r"DISTURB|NOISE|NUISANCE|MISCHIEF|COMPLAINT|PANHANDL|TRESPASS|PROWLER"
                    r"|SQUATTER|QUALITY OF LIFE|UNKNOWN PROBLEM|FIREWORKS|LEWD|OBSCEN"),
    ("suspicious", r"SUSPIC|INVESTIGATE|PROWL"),
)
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in _RULES)

_BY_CATEGORY: dict[str, str] = {
    "Behavioral Health": "behavioral",
    "Violent Crime": "assault",
    "Domestic Violence": "domestic",
    "Medical Emergencies": "medical",
    "Accidents/Traffic Safety": "traffic",
    "Property Crime": "property",
    "Alarms": "alarm",
    "Drugs": "drugs",
    "Liquor Violations": "intoxication",
    "Missing Persons": "missing",
    "Suspicion": "suspicious",
    "Complaints/Environmental Conditions": "disturbance",
    "Statuses": "proactive",
    "Officer Needs Help": "assault",
    "Warrants": "proactive",
}


_EXCLUSIONS = re.compile(r"\bNO [A-Z/ ]+|DOES NOT INCLUDE[^)]*|EXCEPT [^)]*|\bW/O [A-Z]+")


def described(call_type: str) -> str:
    """A code's text without what it excludes: "THEFT (DOES NOT INCLUDE SHOPLIFT)" is no
    shoplift, "ASLT (NO SHOOTINGS)" no shooting."""
    return _EXCLUSIONS.sub(" ", call_type.upper().lstrip("-").strip())


def kind_of(call_type: str, category: str | None) -> str:
    """The kind of a call type: keyword rules on the code's text, then its category."""
    text = described(call_type)
    for name, pattern in _COMPILED:
        if pattern.search(text):
            return name
    return _BY_CATEGORY.get(category or "", "other")


_OFFICER_STARTED = re.compile(r"ONVIEW|OFFICER INITIATED")
_ONVIEW = re.compile(r"TRAFFIC STOP|SUSPICIOUS STOP|^TRAFFIC INCIDENT$")


def onview_share(call_type: str, kind: str) -> float:
    """The share of calls of this code that an officer starts rather than a caller."""
    text = call_type.upper().lstrip("-").strip()
    if _OFFICER_STARTED.search(text):
        return 1.0
    if _ONVIEW.search(text):
        return 0.95
    return KINDS[kind].onview


def is_in_progress(call_type: str) -> bool:
    """Codes marked in progress (IP, I/P, IP/JO) or critical are answered faster."""
    return re.search(
        r"\bIP\b|\bI/P\b|IP/JO|IP-|IN PROGRESS|\bCRITICAL\b", call_type.upper()
    ) is not None


_ARMED = re.compile(r"(?<!NOT )(?<!UN)\bARMED\b|WEAPON|WEAPN|\bGUN\b")


def urgency_of(call_type: str, kind: str) -> tuple[float, float, float, float]:
    """The chance of urgency levels 1..4 for a call of this code.

    A code marked in progress uses its kind's in-progress levels (by default one level
    more urgent than the kind's); a suicide *attempt* code counts as in progress.
    """
    spec = KINDS[kind]
    text = call_type.upper()
    acute = (
        is_in_progress(text)
        or (kind == "suicide" and re.search(r"\bATTEMPT\b", text) is not None)
        # A person in crisis said to be armed ("MENTAL VIOLENT - ARMED") is a threat to life.
        or (kind == "behavioral" and _ARMED.search(text) is not None)
    )
    if not acute:
        return spec.urgency
    if spec.urgency_in_progress is not None:
        return spec.urgency_in_progress
    one, two, three, _ = spec.urgency
    return (one + two, three, spec.urgency[3], 0.0)


# What a code's own words say about its facts, beyond its kind: "(NO WEAPONS)", "WITH
# INJURIES". Only facts the kind leaves open are changed, because openings may state the
# facts a kind forces.
_FACT_HINTS: tuple[tuple[str, str, float], ...] = (
    (r"NO ASLT|NO ASSAULT|NON[- ]?VIOLENT|NOT ARMED|VERBAL", "violence", 0.03),
    (r"\(NO WEAPONS\)|NO WPNS|NOT ARMED|UNARMED", "weapon", 0.01),
    (r"WEAPON|WEAPN|WPN|\bGUN\b|ARMED|KNIFE", "weapon", 0.7),
    (r"NON[- ]?INJ|NO INJ", "medical", 0.01),
    (r"INJUR|\bINJ\b|CASUALTY", "medical", 0.7),
    (r"VIOLENT|ASLT|ASSAULT|BATTERY|FIGHT", "violence", 0.85),
    (r"THREAT|THRT", "threat", 0.8),
)
_HINTS = tuple((re.compile(pattern), fact, chance) for pattern, fact, chance in _FACT_HINTS)


def fact_chances(call_type: str, kind: str) -> tuple[float, ...]:
    """The chance of each fact (in FACTS order) for a call of this code."""
    chances = dict(KINDS[kind].facts)
    text = call_type.upper()  # the hints read exclusions ("NO WPNS") themselves
    settled: set[str] = set()
    for pattern, fact, chance in _HINTS:
        if fact in settled or chances[fact] >= 1.0 or not pattern.search(text):
            continue
        chances[fact] = chance
        settled.add(fact)
    return tuple(chances[fact] for fact in FACTS)
