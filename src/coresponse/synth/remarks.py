"""One remarks line per call, written from templates that carry the call's facts.

Every true fact is said (in the opening or in a phrase of its own); a false fact is either
not mentioned or explicitly denied ("no weapons seen", "denies SI"). Openings only ever
imply the facts their kind makes certain, so the facts side file is the truth about the
text. Lines are assembled column-wise with Arrow kernels: a million lines take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from coresponse.synth.kinds import FACTS, KIND_NAMES, described

# What a caller (or the call-taker) says first, by kind. An opening may state only the
# facts the kind forces (probability 1 in kinds.KINDS), e.g. a shots call's weapon.
OPENINGS: dict[str, tuple[str, ...]] = {
    "suicide": (
        "RP'S BROTHER IS SUICIDAL", "3RD PARTY CALLER RE FRIEND POSTING SUICIDAL MSGS ONLINE",
        "caller says her roommate wants to end his life", "CRISIS LINE TRANSFER - SUBJ W/ SI",
        "RP IS THE SUBJ, STATES HE WANTS TO DIE", "mother reports son talking about suicide",
        "RP STATES WIFE SAID SHE IS GOING TO KILL HERSELF", "SUICIDAL FEMALE ON OVERPASS",
    ),
    "behavioral": (
        "SUBJ ACTING ERRATIC IN LOBBY", "RP REPORTS MALE YELLING AT NO ONE IN THE STREET",
        "female undressing in public, talking to herself", "KNOWN EDP OUTSIDE STORE",
        "RP'S SON IN MENTAL HEALTH CRISIS", "SUBJ HALLUCINATING, SAYS SOMEONE IS IN THE WALLS",
        "man pacing and shouting, appears confused and paranoid",
        "RP REQ CHECK ON NEIGHBOR WHO IS OFF HER MEDS", "EDP IN BUS SHELTER",
    ),
    "overdose": (
        "POSS OD IN BATHROOM", "subject unresponsive after using heroin",
        "OD - NARCAN GIVEN BY RP", "friend used fentanyl and is barely breathing",
        "MALE DOWN, POSS OVERDOSE, LIPS BLUE",
    ),
    "welfare": (
        "RP REQ WELFARE CHECK ON ELDERLY NEIGHBOR", "caller hasn't heard from her father in 3 days",
        "MALE SLEEPING IN DOORWAY, RP WANTS HIM CHECKED ON",
        "WELFARE CHECK REQ BY FAMILY OUT OF STATE", "mail piling up, neighbor not seen in a week",
        "RP CONCERNED ABOUT FEMALE SITTING AT BUS STOP FOR HOURS", "CHECK ON RESIDENT",
    ),
    "intoxication": (
        "DRUNK MALE IN STORE REFUSING TO LEAVE", "INTOX SUBJ ASLEEP ON BENCH",
        "ETOH SUBJ BOTHERING CUSTOMERS", "very drunk female stumbling in roadway",
        "POSS DUI - VEH SWERVING ACROSS LANES", "intoxicated male at the bus stop",
    ),
    "medical": (
        "ELDERLY FEMALE FELL, CANT GET UP", "RP REQ AID FOR MALE HAVING CHEST PAIN",
        "subject bleeding after a fall", "DIABETIC SUBJ, FAMILY REQ AID",
        "male collapsed on sidewalk", "INJURED PERSON AT WORKSITE",
    ),
    "shots": (
        "SHOTS HEARD IN AREA", "RP HEARD 4-5 GUNSHOTS NEARBY",
        "multiple shots fired near the park", "SHOTS FIRED FROM A VEH",
        "RP FOUND SHELL CASINGS ON SIDEWALK AFTER HEARING GUNFIRE",
    ),
    "weapon": (
        "MALE DISPLAYING A GUN", "SUBJ W/ KNIFE IN PARKING LOT",
        "person with a gun in his waistband at the bus stop", "RP SAW MALE WAVING A MACHETE",
        "FEMALE W/ A BAT OUTSIDE APT",
    ),
    "assault": (
        "ASLT JUST OCCURRED", "FIGHT IN PROGRESS OUTSIDE BAR", "RP WAS PUNCHED BY UNK MALE",
        "two females fighting in the street",
        "ROBBERY - SUSP GRABBED RP'S PHONE AND SHOVED HER DOWN", "clerk assaulted by shoplifter",
    ),
    "domestic": (
        "RP REPORTS ARGUMENT WITH BF", "neighbor hears couple yelling next door",
        "RP'S EX WONT LEAVE HER APT", "MOTHER AND ADULT SON ARGUING",
        "VIOL OF NO CONTACT ORDER - RESP AT RP'S DOOR", "caller says her husband is screaming at her",
        "DV CALL - RP AND GF ARGUING",
    ),
    "threat": (
        "RP RECEIVING THREATENING TEXTS FROM EX", "neighbor threatened RP over parking",
        "SUBJ THREATENED TO BURN DOWN RP'S HOUSE", "caller says a coworker threatened him",
    ),
    "disturbance": (
        "LOUD PARTY", "RP REPORTS MALE YELLING IN STREET",
        "group loitering and refusing to leave the store",
        "TRANSIENT CAMPING IN DOORWAY, RP WANTS HIM MOVED", "subj banging on doors in the hallway",
        "LOUD MUSIC FROM APT UPSTAIRS", "customer refusing to leave business",
        "people yelling outside", "NEIGHBOR DISPUTE OVER FENCE",
    ),
    "suspicious": (
        "SUSP MALE LOOKING INTO CAR WINDOWS", "unknown vehicle parked on the block for two days",
        "RP SEES SOMEONE IN BACKYARD", "suspicious person trying door handles",
        "SUSP CIRC - DOOR OPEN AT VACANT HOUSE",
    ),
    "missing": (
        "RP'S 15 YO DAUGHTER DID NOT COME HOME", "elderly male walked away from care home",
        "MISSING ADULT - LAST SEEN YESTERDAY", "juvenile ran away from group home",
    ),
    "alarm": (
        "ALARM CO REPORTS FRONT DOOR ZONE", "AUDIBLE ALARM, NO KEYHOLDER",
        "panic alarm activated at residence", "MOTION SENSOR ACTIVATION, REAR",
        "BURG ALARM - GLASS BREAK ZONE",
    ),
    "traffic": (
        "2 VEH COLLISION", "RP'S PARKED CAR HIT, OTHER DRIVER LEFT", "vehicle blocking driveway",
        "MVC - RP AND OTHER DRIVER EXCHANGING INFO", "car stalled in intersection",
        "RECKLESS DRIVER SPEEDING ON ARTERIAL",
    ),
    "property": (
        "RP'S CAR BROKEN INTO OVERNIGHT", "bike stolen from porch", "SHOPLIFT - SUSP LEFT ON FOOT",
        "GRAFFITI ON BLDG", "RP REPORTS PACKAGE THEFT", "burglary discovered when RP got home",
        "window smashed at business overnight",
    ),
    "drugs": (
        "RP REPORTS DRUG DEALING ON CORNER", "people using drugs in the alley",
        "NARCOTICS ACTIVITY AT VACANT HOUSE", "needles found in park",
    ),
    "proactive": (
        "PREMISE CHECK", "EXTRA PATROL PER SGT", "FOLLOW UP ON CASE", "DIRECTED PATROL - HOT SPOT",
        "BUSINESS CHECK", "ASSIGNED DETAIL",
    ),
    "other": (
        "RP WANTS TO REPORT AN INCIDENT", "open line, background noise only",
        "caller wants to speak to someone about a neighbor", "HANG UP - NO ANSWER ON CALLBACK",
        "found property turned in", "RP LOST WALLET ON THE BUS",
    ),
}
# Narrower openings for codes that name what happened ("SHOPLIFT", "NOISE"), so a remark
# reads like its call type; first matching pattern within the code's kind wins.
SPECIFIC_OPENINGS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "shoplift": ("property", r"SHOPLIFT", (
        "SHOPLIFT - SUSP LEFT ON FOOT", "store security holding a shoplifter",
        "MALE CONCEALED MERCHANDISE AND WALKED OUT", "LP DETAINED FEMALE FOR SHOPLIFT",
    )),
    "vehicle_theft": ("property", r"AUTO THEFT|UDAA|VEH THEFT|PLATE|RECOVER|UNAUTHORIZED USE", (
        "RP'S CAR STOLEN FROM DRIVEWAY OVERNIGHT", "stolen vehicle located parked on the street",
        "PLATES TAKEN OFF RP'S VEH", "RP'S TRUCK MISSING FROM LOT",
    )),
    "burglary": ("property", r"BURG|BREAKING", (
        "burglary discovered when RP got home", "BACK DOOR PRIED, ITEMS MISSING",
        "RP'S GARAGE BROKEN INTO", "business found with window smashed and register open",
    )),
    "damage": ("property", r"DAMAGE|DAMG|DESTRUCTION|GRAFFITI|MISCHIEF", (
        "GRAFFITI ON BLDG", "window smashed at business overnight", "RP'S TIRES SLASHED",
        "fence knocked down by unknown person",
    )),
    "fraud": ("property", r"FRAUD|FORGERY|BUNCO|SCAM|CHECK", (
        "RP SCAMMED OUT OF GIFT CARDS BY PHONE", "someone opened a credit card in RP's name",
        "ELDERLY RP GAVE $ TO FAKE CONTRACTOR",
    )),
    "collision": ("traffic", r"MVC|\bACC\b|ACCIDENT|AUTO X|HIT|COLLISION", (
        "2 VEH COLLISION", "RP'S PARKED CAR HIT, OTHER DRIVER LEFT",
        "MVC - RP AND OTHER DRIVER EXCHANGING INFO", "car vs pole, driver out of the car",
        "REAR END COLLISION AT LIGHT",
    )),
    "parking": ("traffic", r"PARKING|BLOCKING|TOW", (
        "vehicle blocking driveway", "CAR PARKED IN BUS ZONE ALL DAY", "VEH BLOCKING ALLEY",
        "car parked across the crosswalk",
    )),
    "driving": ("traffic", r"RECKLESS|MOVING|SPEED|ROAD RAGE|DRIVING|ELUDING|PURSUIT", (
        "RECKLESS DRIVER SPEEDING ON ARTERIAL", "car running red lights on the avenue",
        "RP FOLLOWED BY AGGRESSIVE DRIVER", "VEH DOING DONUTS IN INTERSECTION",
    )),
    "noise": ("disturbance", r"NOISE|PARTY|FIREWORKS|MUSIC", (
        "LOUD PARTY", "LOUD MUSIC FROM APT UPSTAIRS", "fireworks going off in the street",
        "construction noise after hours", "DOG BARKING FOR HOURS",
    )),
    "trespass": ("disturbance", r"TRESPASS|SQUATTER|PROWL", (
        "TRANSIENT CAMPING IN DOORWAY, RP WANTS HIM MOVED", "person sleeping in the stairwell",
        "SQUATTERS IN VACANT HOUSE", "male refusing to leave the lobby",
    )),
}
ONVIEW_OPENINGS: tuple[str, ...] = (
    "ONVIEW", "OFCR INITIATED", "OFCR OUT ON FOOT", "self initiated activity", "OUT AT LOCATION",
    "ONVIEW STOP",
)

DESCRIPTIONS: tuple[str, ...] = (
    "W/M 30S, BLK JACKET", "B/F 40S, RED HOODIE", "H/M 20S WEARING GRAY", "UNK DESC",
    "subject is a white male in his 50s", "female in a green coat", "A/M TEEN, BLUE BACKPACK",
    "VEH IS A SILVER SEDAN", "male with a beard and a backpack", "B/M 60S W/ CANE",
)
CLOSERS: tuple[str, ...] = (
    "RP WILL BE OUT FRONT", "CALLBACK # ON FILE", "RP ON LINE", "NFD", "per RP", "RP LEFT AREA",
    "CALLER HUNG UP", "3RD PARTY CALLER", "RP IS ANONYMOUS", "RP CAN BE RECONTACTED",
)

POSITIVE: dict[str, tuple[str, ...]] = {
    "weapon": (
        "SUBJ HAS A KNIFE", "W/ KNIFE", "GUN IN WAISTBAND", "armed with a handgun",
        "waving a machete", "SUBJ HOLDING A BAT", "RP SAW A GUN", "possible weapon, black handgun",
        "W/ BOX CUTTER", "brandishing a knife",
    ),
    "violence": (
        "SUBJ HIT RP", "PUNCHING", "PHYSICAL FIGHT IP", "assaulted the clerk",
        "threw a chair at RP", "pushed RP to the ground", "KICKING AND SWINGING AT PEOPLE",
        "RP WAS STRUCK IN THE FACE", "choked RP", "ASLT OCCURRED",
    ),
    "threat": (
        "THREATENING TO KILL RP", "SUBJ MAKING THREATS", "said he would come back and hurt her",
        "THREATENED TO SHOOT NEIGHBOR", "sending threats to RP", "threatening staff",
    ),
    "self_harm": (
        "SUBJ STATES SI", "suicidal, says he wants to end it", "SAYS HE WILL JUMP FROM THE BRIDGE",
        "SI W/ PLAN", "talking about killing herself", "cut her wrists",
        "TOOK PILLS TO HURT HIMSELF", "wants to kill self",
    ),
    "intoxication": (
        "ETOH", "SUBJ INTOX", "very drunk", "smells of alcohol", "POSS UNDER THE INFLUENCE",
        "high on meth", "ETOH INVOLVED", "slurring words", "appears high",
    ),
    "medical": (
        "NOT BREATHING NORMALLY", "bleeding from the head", "CHEST PAINS", "unresponsive",
        "having a seizure", "SUBJ INJURED", "LOC", "diabetic and disoriented", "NEEDS MEDICS",
        "difficulty breathing",
    ),
    "mental_health": (
        "EDP", "HX OF SCHIZOPHRENIA", "off his meds", "talking to himself", "hearing voices",
        "bipolar, not taking meds", "PARANOID, SAYS PEOPLE ARE FOLLOWING HIM", "acting erratic",
        "KNOWN EDP TO AREA", "in mental health crisis",
    ),
    "requests_police": (
        "RP REQ POLICE", "caller wants police to respond", "RP ASKING FOR AN OFCR",
        "REQ OFCR CONTACT", "wants an officer to come out", "RP WANTS PD TO RESPOND",
    ),
}
NEGATIVE: dict[str, tuple[str, ...]] = {
    "weapon": (
        "NO WPNS SEEN", "no weapons seen", "NEG WEAPONS", "RP DOES NOT SEE ANY WEAPONS",
        "no weapons involved", "NO WEAPONS MENTIONED",
    ),
    "violence": (
        "NOT VIOLENT", "no physical altercation", "NOTHING PHYSICAL", "has not been violent",
        "NO ASLT", "verbal only",
    ),
    "threat": ("NO THREATS MADE", "no threats", "HAS NOT THREATENED ANYONE"),
    "self_harm": (
        "DENIES SI", "denies thoughts of self harm", "NOT SUICIDAL", "no SI per RP",
        "denies suicidal ideation",
    ),
    "intoxication": (
        "NO ETOH", "does not appear intoxicated", "sober per RP", "NO DRUGS OR ALCOHOL INVOLVED",
    ),
    "medical": (
        "NO INJURIES", "RP STATES NO ONE HURT", "no medical needed", "DECLINES MEDICS",
        "NO MEDICAL COMPLAINTS", "not injured",
    ),
    "mental_health": ("NO KNOWN MH HX", "no mental health history per family"),
    "requests_police": (
        "RP DOES NOT WANT POLICE", "no police needed per RP", "RP DECLINES OFCR CONTACT",
        "caller asks that police not come",
    ),
}
SEPARATORS: tuple[str, ...] = (". ", " - ", "; ", ", ", " / ")
_SEPARATOR_WEIGHTS = np.array([0.35, 0.25, 0.15, 0.15, 0.10])
# Two orders of the fact phrases, so lines do not all read alike.
_ORDERS: tuple[tuple[str, ...], ...] = (
    ("mental_health", "self_harm", "intoxication", "medical", "violence", "threat", "weapon",
     "requests_police"),
    ("violence", "weapon", "threat", "intoxication", "medical", "mental_health", "self_harm",
     "requests_police"),
)


class _Bank:
    """Phrases of several groups in one Arrow array, with each group's offset and size."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        flat: list[str] = []
        self.offsets = np.zeros(len(groups), dtype=np.int64)
        self.sizes = np.zeros(len(groups), dtype=np.int64)
        for index, group in enumerate(groups):
            self.offsets[index] = len(flat)
            self.sizes[index] = len(group)
            flat.extend(group)
        self.values = pa.array(flat, pa.string())

    def pick(self, group: np.ndarray, uniform: np.ndarray, present: np.ndarray) -> pa.Array:
        """A phrase from each call's group, or null where ``present`` is false."""
        sizes = self.sizes[group]
        index = self.offsets[group] + np.minimum((uniform * sizes).astype(np.int64), sizes - 1)
        index = np.where(present & (sizes > 0), index, 0)
        indices = pa.array(index, mask=~(present & (sizes > 0)))
        return pc.take(self.values, indices)


OPENING_GROUPS: tuple[str, ...] = (*KIND_NAMES, *SPECIFIC_OPENINGS, "onview")
_OPENING_BANK = _Bank(
    [OPENINGS[kind] for kind in KIND_NAMES]
    + [phrases for _, _, phrases in SPECIFIC_OPENINGS.values()]
    + [ONVIEW_OPENINGS]
)
_ONVIEW_GROUP = len(OPENING_GROUPS) - 1
_SPECIFIC = tuple(
    (OPENING_GROUPS.index(name), kind, re.compile(pattern))
    for name, (kind, pattern, _) in SPECIFIC_OPENINGS.items()
)


def opening_group(call_type: str, kind: str) -> int:
    """Which openings a code's remarks start with: its own, if it names what happened."""
    text = described(call_type)
    for group, group_kind, pattern in _SPECIFIC:
        if group_kind == kind and pattern.search(text):
            return group
    return KIND_NAMES.index(kind)
_FACT_BANKS = {fact: _Bank([POSITIVE[fact], NEGATIVE[fact]]) for fact in FACTS}
_DESCRIPTION_BANK = _Bank([DESCRIPTIONS])
_CLOSER_BANK = _Bank([CLOSERS])
_SEPARATOR_VALUES = pa.array(SEPARATORS, pa.string())


def write_remarks(
    rng: np.random.Generator,
    openings: np.ndarray,
    onview: np.ndarray,
    facts: np.ndarray,
    negated: np.ndarray,
) -> pa.Array:
    """The remarks line of each call.

    ``openings`` is each call's group in ``OPENING_GROUPS`` (see ``opening_group``);
    ``facts`` and ``negated`` are (calls x FACTS) booleans: a true fact is said, a negated
    (false) fact is denied, any other is left out.
    """
    count = len(openings)
    everyone = np.ones(count, dtype=bool)
    group = np.where(onview, _ONVIEW_GROUP, openings)
    opening = _OPENING_BANK.pick(group, rng.random(count), everyone)
    description = _DESCRIPTION_BANK.pick(
        np.zeros(count, dtype=np.int64), rng.random(count), (rng.random(count) < 0.3) & ~onview
    )
    closer = _CLOSER_BANK.pick(
        np.zeros(count, dtype=np.int64), rng.random(count), (rng.random(count) < 0.4) & ~onview
    )
    phrases: dict[str, pa.Array] = {}
    for column, fact in enumerate(FACTS):
        said = facts[:, column] | negated[:, column]
        group = np.where(facts[:, column], 0, 1)
        phrases[fact] = _FACT_BANKS[fact].pick(group, rng.random(count), said)
    separator = pc.take(
        _SEPARATOR_VALUES,
        pa.array(rng.choice(len(SEPARATORS), size=count, p=_SEPARATOR_WEIGHTS)),
    )
    lines = [
        pc.binary_join_element_wise(
            opening, description, *(phrases[fact] for fact in order), closer, separator,
            null_handling="skip",
        )
        for order in _ORDERS
    ]
    line = pc.if_else(pa.array(rng.random(count) < 0.5), lines[0], lines[1])
    # Most CAD systems shout; some call-takers type in sentence case.
    shouted = pa.array(rng.random(count) < 0.6)
    return pc.if_else(shouted, pc.ascii_upper(line), line)
