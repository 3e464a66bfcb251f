"""Realistic demo casework seeded from the imported calls' repeat callers.

A few hundred of the people who called most in the last year of the store become clients,
enrolled on dates spread over that year, each with encounters, assessments, referrals to
directory services (a handful are created when the directory is empty), consents and
follow-ups. Everything goes through ``casework.services``, so the demo is audited and
obeys the same rules as real use. Names are made up: the store holds only keyed hashes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from coresponse.accounts.permissions import grant_role
from coresponse.accounts.roles import Role
from coresponse.analytics import repeat_callers
from coresponse.casework import services
from coresponse.casework.models import Client, Referral
from coresponse.directory.models import Organization, Service, ServiceNeed

DEMO_PASSWORD = "coresponse-demo"
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("demo_call_taker", Role.CALL_TAKER, "Casey", "Call-taker"),
    ("demo_dispatcher", Role.DISPATCHER, "Dana", "Dispatcher"),
    ("demo_police", Role.POLICE_OFFICER, "Pat", "Officer"),
    ("demo_social_worker", Role.SOCIAL_WORKER, "Sam", "Rivera"),
    ("demo_social_worker_2", Role.SOCIAL_WORKER, "Jordan", "Lee"),
    ("demo_social_worker_3", Role.SOCIAL_WORKER, "Alex", "Okafor"),
    ("demo_supervisor", Role.SUPERVISOR, "Sue", "Martin"),
    ("demo_analyst", Role.ANALYST, "Ana", "Lytics"),
    ("demo_admin", Role.ADMINISTRATOR, "Adam", "Admin"),
)
FIRST_NAMES = ("Robin", "Jesse", "Morgan", "Taylor", "Riley", "Jamie", "Avery", "Quinn", "Rowan", "Skyler",
               "Dakota", "Reese", "Emerson", "Hayden", "Kendall", "Marley", "Parker", "Sage", "Tatum", "Logan")
LAST_INITIALS = "ABCDEFGHJKLMNPRSTVW"
DEMO_SERVICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Harbor Housing Collective", "Emergency shelter and rapid rehousing", ("housing",)),
    ("Northside Community Mental Health", "Same-week counselling and psychiatric care", ("mental_health",)),
    ("Recovery Pathways", "Outpatient substance use treatment", ("substance_use",)),
    ("Lakeview Free Clinic", "Walk-in primary care", ("medical",)),
    ("Second Helping Food Bank", "Food boxes and hot meals", ("food",)),
    ("Benefits Navigators", "Help applying for SNAP, SSI and Medicaid", ("income_benefits",)),
    ("Safe Harbor DV Services", "Safety planning and confidential shelter", ("safety", "housing")),
    ("Neighborhood Legal Aid", "Eviction defence and civil legal help", ("legal", "housing")),
)
NEEDS = ("housing", "mental_health", "substance_use", "medical", "food", "income_benefits", "safety", "legal")


class SteppingClock:
    """The seed's clock: set to each moment the seeded work happens."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class SeedReport:
    as_of: datetime | None = None
    clients: int = 0
    cases_open: int = 0
    cases_closed: int = 0
    calls_linked: int = 0
    encounters: int = 0
    assessments: int = 0
    referrals: int = 0
    follow_ups: int = 0
    services_created: int = 0
    users: list[str] = field(default_factory=list)
    skipped: str | None = None


def ensure_demo_users(password: str = DEMO_PASSWORD) -> dict[str, Any]:
    """One user per role (three social workers), all with ``password``; existing ones are kept."""
    user_model = get_user_model()
    users: dict[str, Any] = {}
    for username, role, first, last in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=username, password=password, first_name=first, last_name=last,
                email=f"{username}@demo.coresponse.invalid",
            )
            if role == Role.ADMINISTRATOR:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        grant_role(user, role)
        users[username] = user_model.objects.get(pk=user.pk)
    return users


def ensure_services(rng: random.Random) -> tuple[list[Service], int]:
    """The directory's active services; a few demo ones when the directory is empty."""
    existing = list(Service.objects.filter(status="active").prefetch_related("need_tags"))
    if existing:
        return existing, 0
    created = []
    for index, (org_name, service_name, needs) in enumerate(DEMO_SERVICES, start=1):
        organization = Organization.objects.create(id=f"demo-org-{index}", name=org_name,
                                                   description="Demo organisation made by casework seed-demo")
        service = Service.objects.create(id=f"demo-svc-{index}", organization=organization, name=service_name)
        for need in needs:
            ServiceNeed.objects.create(service=service, need=need, source="admin", reason="demo")
        created.append(service)
    return created, len(created)


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()), k=1)[0]


def seed(
    store: Path,
    *,
    clients: int = 300,
    seed_value: int = 2025,
    password: str = DEMO_PASSWORD,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Seed demo casework from the store's repeat callers; a second run adds nothing.

    ``as_of`` is the newest call in the store: the demo year is the store's last year.
    """
    report = SeedReport()
    rng = random.Random(seed_value)
    latest = repeat_callers.latest_call(store)
    if latest is None:
        raise repeat_callers.CallStoreError(f"the call store {store} holds no calls")
    as_of = latest.replace(tzinfo=UTC)
    report.as_of = as_of
    users = ensure_demo_users(password)
    report.users = [name for name, *_ in DEMO_USERS]
    workers = [users[name] for name, role, *_ in DEMO_USERS if role == Role.SOCIAL_WORKER]
    if Client.objects.filter(created_by__in=workers).exists():
        report.skipped = "demo casework is already seeded (clients created by the demo social workers exist)"
        return report
    people = repeat_callers.rank_people(store, as_of=latest, min_calls=3, limit=clients)
    keys = [person.key for person in people]
    all_calls = repeat_callers.calls_for_people(store, keys, since=latest - 2 * repeat_callers.YEAR, until=latest)
    clock = SteppingClock(as_of)
    with transaction.atomic():
        service_list, report.services_created = ensure_services(rng)
        by_need: dict[str, list[Service]] = {need: [] for need in NEEDS}
        for service in service_list:
            for tag in service.need_tags.all():
                by_need.setdefault(tag.need, []).append(service)
        for index, person in enumerate(people, start=1):
            _seed_person(person.key, all_calls.get(person.key, []), rng=rng, clock=clock, as_of=as_of,
                         workers=workers, supervisor=users["demo_supervisor"], services_by_need=by_need,
                         all_services=service_list, store=store, report=report)
            if progress:
                progress(index, len(people))
    return report


def _seed_person(
    person_key: str,
    calls: list[repeat_callers.CallRef],
    *,
    rng: random.Random,
    clock: SteppingClock,
    as_of: datetime,
    workers: list[Any],
    supervisor: Any,
    services_by_need: dict[str, list[Service]],
    all_services: list[Service],
    store: Path,
    report: SeedReport,
) -> None:
    worker = rng.choice(workers)
    # Enrolled after a call, somewhere in the store's last year, leaving time to work the case.
    dated = sorted((c for c in calls if c.received_at is not None), key=lambda c: c.received_at or as_of)
    window_start = as_of - timedelta(days=330)
    candidates = [c for c in dated if c.received_at and c.received_at.replace(tzinfo=UTC) >= window_start]
    trigger = rng.choice(candidates) if candidates else (dated[-1] if dated else None)
    enrolled_at = (trigger.received_at.replace(tzinfo=UTC) + timedelta(days=rng.randint(1, 6))
                   if trigger and trigger.received_at else as_of - timedelta(days=rng.randint(30, 300)))
    enrolled_at = min(enrolled_at, as_of - timedelta(days=7))
    clock.now = enrolled_at
    naive = enrolled_at.replace(tzinfo=None)
    before = [c for c in calls if c.received_at and naive - repeat_callers.YEAR < c.received_at <= naive]
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
    case = services.enrol_repeat_caller(person_key, worker=worker, by=worker, clock=clock, store=store,
                                        preferred_name=name, calls=before)
    client = case.client
    report.clients += 1
    report.calls_linked += len(before)
    if rng.random() < 0.15:
        services.set_safety_note(client, rng.choice((
            "Dog on the property; call ahead.", "Startles easily: approach slowly and say who you are.",
            "Prefers a female worker.", "Has asked that officers not come in uniform when possible.",
        )), by=worker, clock=clock)
    # A year of contact: more often in the first weeks, then monthly.
    days_open = max(7, (as_of - enrolled_at).days)
    contact_days = sorted({0, *(rng.randint(1, days_open) for _ in range(rng.randint(1, 7)))})
    unmet: list[str] = []
    for number, day in enumerate(contact_days):
        clock.now = enrolled_at + timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        encounter = _seed_encounter(client, case, worker, rng, clock, first=number == 0, trigger=trigger)
        report.encounters += 1
        if number == 0:
            answers = {need: _pick(rng, {"none": 0.45, "met": 0.15, "unmet": 0.3, "urgent": 0.1}) for need in NEEDS}
            assessment = services.record_assessment(client, "needs-assessment", answers, by=worker, clock=clock,
                                                    case=case, encounter=encounter)
            unmet = list(assessment.result["unmet_needs"])
            report.assessments += 1
            if rng.random() < 0.4:
                services.record_assessment(client, "cssrs-screener", _cssrs_answers(rng), by=worker, clock=clock,
                                           case=case, encounter=encounter)
                report.assessments += 1
    clock.now = enrolled_at + timedelta(hours=10)
    for need in unmet[:3] or ([rng.choice(NEEDS)] if rng.random() < 0.5 else []):
        options = services_by_need.get(need) or all_services
        if not options:
            break
        service = rng.choice(options)
        consent = None
        shares: tuple[str, ...] = ()
        if rng.random() < 0.9:
            consent = services.record_consent(client, data_classes=["contact_details"],
                                              organization=service.organization, purpose=f"referral for {need}",
                                              by=worker, clock=clock, valid_until=clock() + timedelta(days=365))
            shares = ("contact_details",)
        referral = services.refer(client, service, by=worker, consent=consent, clock=clock, shares=shares,
                                  need=need, case=case)
        report.referrals += 1
        path = rng.choices(
            [(), ("send",), ("send", "accept"), ("send", "accept", "connect"),
             ("send", "accept", "connect", "close"), ("send", "decline"), ("send", "accept", "mark_no_show"),
             ("send", "fail"), ("revoke",)],
            weights=[4, 8, 5, 35, 15, 10, 12, 6, 5],
        )[0]
        for step in path:
            clock.now = min(as_of, clock.now + timedelta(days=rng.randint(1, 12)))
            services.move_referral(referral, step, by=worker, clock=clock)
        clock.now = enrolled_at + timedelta(hours=11)
        if referral.status in Referral.AWAITING_OUTCOME or rng.random() < 0.3:
            due = (clock.now + timedelta(days=rng.randint(7, 21))).date()
            follow_up = services.add_follow_up(client, what=f"Check {service.name} referral went ahead", due_on=due,
                                               assigned_to=worker, by=worker, clock=clock, case=case,
                                               referral=referral)
            report.follow_ups += 1
            if referral.status not in Referral.AWAITING_OUTCOME:
                clock.now = min(as_of, datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=14))
                services.complete_follow_up(follow_up, by=worker, clock=clock, outcome="done")
    if rng.random() < 0.6:
        clock.now = as_of - timedelta(days=rng.randint(0, 5))
        due = (as_of + timedelta(days=rng.randint(-10, 14))).date()
        services.add_follow_up(client, what="Check in by phone", due_on=due, assigned_to=worker, by=worker,
                               clock=clock, case=case)
        report.follow_ups += 1
    if days_open > 120 and rng.random() < 0.25:
        clock.now = enrolled_at + timedelta(days=rng.randint(90, days_open))
        reason = _pick(rng, {"connected": 0.4, "goals_met": 0.25, "no_contact": 0.2, "declined": 0.1, "moved": 0.05})
        services.close_case(case, reason, by=worker, clock=clock)
        report.cases_closed += 1
    else:
        report.cases_open += 1


def _seed_encounter(
    client: Client, case: Any, worker: Any, rng: random.Random, clock: SteppingClock, *, first: bool,
    trigger: repeat_callers.CallRef | None,
) -> Any:
    kind = "on_scene" if first else _pick(rng, {"phone": 0.45, "outreach": 0.3, "office": 0.15, "on_scene": 0.1})
    fields: dict[str, Any] = {"kind": kind, "case": case}
    if kind == "on_scene":
        received = clock() - timedelta(minutes=rng.randint(15, 60))
        arrived = received + timedelta(minutes=rng.randint(6, 40))
        fields.update(received_at=received, arrived_at=arrived, cleared_at=arrived + timedelta(minutes=rng.randint(15, 120)))
        if first and trigger is not None:
            fields.update(call_city=trigger.city, call_event_id=trigger.event_id)
        fields["police_involvement"] = _pick(rng, {"co_response": 0.55, "none": 0.35, "on_scene": 0.09,
                                                   "backup_requested": 0.01})
        transport = _pick(rng, {"none": 0.84, "voluntary": 0.13, "involuntary_hold": 0.03})
        fields["transport"] = transport
        if transport != "none":
            fields["transport_by"] = _pick(rng, {"team": 0.5, "ems": 0.35, "police": 0.15})
        fields["resolved_on_scene"] = transport == "none" and rng.random() < 0.9
        fields["arrest"] = rng.random() < 0.005
        fields["use_of_force"] = rng.random() < 0.002
        fields["injury"] = rng.random() < 0.01
    fields["services_offered"] = sorted(rng.sample(NEEDS, rng.randint(0, 3)))
    fields["referral_offer"] = (_pick(rng, {"accepted": 0.7, "declined": 0.3}) if fields["services_offered"]
                                else "not_offered")
    if first:
        fields["age_band"] = _pick(rng, {"declined": 0.1, "18_24": 0.12, "25_34": 0.22, "35_44": 0.2,
                                         "45_54": 0.17, "55_64": 0.12, "65_up": 0.07})
        fields["gender"] = _pick(rng, {"declined": 0.1, "man": 0.5, "woman": 0.36, "non_binary": 0.04})
        fields["race_ethnicity"] = _pick(rng, {"declined": 0.15, "white": 0.4, "black": 0.2, "hispanic_latino": 0.1,
                                               "asian": 0.08, "american_indian_alaska_native": 0.04, "multiple": 0.03})
        fields["housing"] = _pick(rng, {"declined": 0.05, "housed": 0.45, "unstably_housed": 0.2, "shelter": 0.1,
                                        "unsheltered": 0.2})
    fields["notes"] = rng.choice((
        "Talked through what happened before the call; agreed next steps.",
        "Person calmer by the end; wants help with housing paperwork.",
        "Brief check-in. No new concerns.",
        "Family member present and supportive.",
        "",
    ))
    return services.record_encounter(client, by=worker, clock=clock, **fields)


def _cssrs_answers(rng: random.Random) -> dict[str, str]:
    def yes(p: float) -> str:
        return "yes" if rng.random() < p else "no"

    answers = {"wish_dead": yes(0.3), "suicidal_thoughts": yes(0.2)}
    if answers["suicidal_thoughts"] == "yes":
        answers.update(method=yes(0.4), intent=yes(0.2), plan=yes(0.1))
    answers["behaviour"] = yes(0.15)
    if answers["behaviour"] == "yes":
        answers["behaviour_recent"] = yes(0.3)
    return answers
