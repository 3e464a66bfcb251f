"""Casework use cases: one function each, keyword-only collaborators, policy and audit inside.

Every function that reads or writes a client's record checks ``casework.policy`` first
and writes an audit entry (who, what, when, why); a refused read leaves a "denied" entry
before ``AccessDenied`` is raised. Time comes from the ``clock`` argument, never the wall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from coresponse.analytics import repeat_callers
from coresponse.audit import log as audit
from coresponse.audit.models import Action, AuditEntry
from coresponse.casework import formspec
from coresponse.casework.errors import AccessDenied, ConsentRequired, FormError, InvalidRecord
from coresponse.casework.models import (
    DATA_CLASS_VALUES,
    Assessment,
    Case,
    Client,
    ClientCallLink,
    ClientMerge,
    ClientPersonKey,
    Consent,
    DataClass,
    Encounter,
    FollowUp,
    FormDefinition,
    Referral,
)
from coresponse.casework.policy import Access, Record, can, require

Clock = Callable[[], datetime]


# Helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemJob:
    """A job an operator runs from the command line (linking calls after an import).

    It is not a person and holds no role; the policy lets it through because whoever
    runs the command already has the database. The audit log records it by name.
    """

    name: str


def _guard(user: Any, record: Record, access: Access, *, client: Client | None, clock: Clock, reason: str) -> None:
    """``policy.require``, leaving a "denied" audit entry when it refuses."""
    if isinstance(user, SystemJob):
        return
    try:
        require(user, record, access)
    except AccessDenied:
        audit.record(
            user,
            Action.DENIED,
            record_type=str(record),
            record_id=client.pk if client else "",
            client_ref=client.public_id if client else "",
            reason=reason or "(no reason given)",
            clock=clock,
            detail={"access": str(access)},
        )
        raise


def _log(
    user: Any,
    action: Action,
    record: Record | str,
    *,
    client: Client | None,
    clock: Clock,
    reason: str,
    record_id: object = "",
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        f"job:{user.name}" if isinstance(user, SystemJob) else user,
        action,
        record_type=str(record),
        record_id=record_id,
        client_ref=client.public_id if client else "",
        reason=reason,
        clock=clock,
        detail=detail,
    )


def _naive_utc(moment: datetime) -> datetime:
    """The call store keeps naive UTC timestamps."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _aware_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# Clients --------------------------------------------------------------------------------


def create_client(
    *,
    by: Any,
    clock: Clock,
    preferred_name: str = "",
    person_key: str = "",
    phone: str = "",
    address: str = "",
    date_of_birth: date | None = None,
    reason: str = "new client",
) -> Client:
    _guard(by, Record.IDENTITY, Access.WRITE, client=None, clock=clock, reason=reason)
    with transaction.atomic():
        client = Client.objects.create(
            preferred_name=preferred_name,
            phone=phone,
            address=address,
            date_of_birth=date_of_birth,
            created_at=clock(),
            created_by=by,
        )
        if person_key:
            ClientPersonKey.objects.create(person_key=person_key, client=client, added_at=clock())
        _log(by, Action.WRITE, Record.IDENTITY, client=client, clock=clock, reason=reason, record_id=client.pk)
    return client


def client_for_person_key(person_key: str) -> Client | None:
    """The (surviving) client a CAD person key belongs to, if any; no audit (holds no record)."""
    link = ClientPersonKey.objects.select_related("client").filter(person_key=person_key).first()
    if link is None:
        return None
    client = link.client
    while client.merged_into_id is not None:
        client = Client.objects.get(pk=client.merged_into_id)
    return client


@dataclass(frozen=True)
class SafetySummary:
    """What police, dispatch and call-takers see: who to call, and what to know before arriving."""

    public_id: str
    preferred_name: str
    has_social_worker: bool
    social_workers: tuple[str, ...]
    safety_note: str


def safety_summary(client: Client, *, by: Any, clock: Clock, reason: str) -> SafetySummary:
    _guard(by, Record.SAFETY, Access.READ, client=client, clock=clock, reason=reason)
    owners = tuple(
        sorted(
            {
                case.owner.get_full_name() or case.owner.get_username()
                for case in client.open_cases().select_related("owner")
            }
        )
    )
    _log(by, Action.READ, Record.SAFETY, client=client, clock=clock, reason=reason, record_id=client.pk)
    return SafetySummary(
        public_id=client.public_id,
        preferred_name=client.preferred_name,
        has_social_worker=bool(owners),
        social_workers=owners,
        safety_note=client.safety_note,
    )


def set_safety_note(client: Client, note: str, *, by: Any, clock: Clock) -> None:
    reason = "safety note updated"
    _guard(by, Record.SAFETY, Access.WRITE, client=client, clock=clock, reason=reason)
    client.safety_note = note.strip()
    client.safety_note_updated_at = clock()
    client.save(update_fields=["safety_note", "safety_note_updated_at"])
    _log(by, Action.WRITE, Record.SAFETY, client=client, clock=clock, reason=reason, record_id=client.pk)


@dataclass(frozen=True)
class ContactDetails:
    phone: str
    address: str
    date_of_birth: date | None


def contact_details(client: Client, *, by: Any, clock: Clock, reason: str) -> ContactDetails:
    _guard(by, Record.CONTACT_DETAILS, Access.READ, client=client, clock=clock, reason=reason)
    _log(by, Action.READ, Record.CONTACT_DETAILS, client=client, clock=clock, reason=reason, record_id=client.pk)
    return ContactDetails(phone=client.phone, address=client.address, date_of_birth=client.date_of_birth)


def merge_clients(survivor: Client, duplicate: Client, *, by: Any, clock: Clock, reason: str) -> ClientMerge:
    """Fold ``duplicate`` into ``survivor``: every record moves, the duplicate stays as a pointer.

    The duplicate's person keys move too, so later calls about either find the survivor.
    Merging a client into itself, or a client already merged, is refused.
    """
    if survivor.pk == duplicate.pk:
        raise InvalidRecord("a client cannot be merged into itself")
    if duplicate.merged_into_id is not None or survivor.merged_into_id is not None:
        raise InvalidRecord("one of these clients was already merged into another")
    _guard(by, Record.IDENTITY, Access.WRITE, client=survivor, clock=clock, reason=reason)
    moved: dict[str, int] = {}
    with transaction.atomic():
        for name, queryset in (
            ("person_keys", ClientPersonKey.objects.filter(client=duplicate)),
            ("cases", Case.objects.filter(client=duplicate)),
            ("encounters", Encounter.objects.filter(client=duplicate)),
            ("assessments", Assessment.objects.filter(client=duplicate)),
            ("referrals", Referral.objects.filter(client=duplicate)),
            ("consents", Consent.objects.filter(client=duplicate)),
            ("follow_ups", FollowUp.objects.filter(client=duplicate)),
        ):
            moved[name] = queryset.update(client=survivor)
        calls = 0
        for link in ClientCallLink.objects.filter(client=duplicate):
            if ClientCallLink.objects.filter(client=survivor, city=link.city, event_id=link.event_id).exists():
                link.delete()  # the survivor already has this call; one link is enough
            else:
                link.client = survivor
                link.save(update_fields=["client"])
                calls += 1
        moved["call_links"] = calls
        for field_name in ("preferred_name", "phone", "address", "date_of_birth", "safety_note"):
            if not getattr(survivor, field_name) and getattr(duplicate, field_name):
                setattr(survivor, field_name, getattr(duplicate, field_name))
        survivor.save()
        duplicate.merged_into = survivor
        duplicate.save(update_fields=["merged_into"])
        merge = ClientMerge.objects.create(
            survivor=survivor, merged=duplicate, merged_by=by, merged_at=clock(), reason=reason, moved=moved
        )
        detail = {"merged": duplicate.public_id, "moved": moved}
        _log(by, Action.WRITE, "client_merge", client=survivor, clock=clock, reason=reason, record_id=merge.pk, detail=detail)
        _log(by, Action.WRITE, "client_merge", client=duplicate, clock=clock, reason=reason, record_id=merge.pk,
             detail={"survivor": survivor.public_id})
    return merge


# Calls ---------------------------------------------------------------------------------


def link_call(
    client: Client,
    *,
    city: str,
    event_id: str,
    by: Any,
    clock: Clock,
    how: str = "by_hand",
    received_at: datetime | None = None,
    call_type: str = "",
    person_key: str = "",
    case: Case | None = None,
    reason: str = "call linked to client",
) -> ClientCallLink:
    """Link a call (its source and event id) to the client; linking it twice returns the first link."""
    if not city or not event_id:
        raise InvalidRecord("a call is named by its source (city) and its event id; both are required")
    _guard(by, Record.CALLS, Access.WRITE, client=client, clock=clock, reason=reason)
    link, created = ClientCallLink.objects.get_or_create(
        client=client,
        city=city,
        event_id=event_id,
        defaults={
            "case": case,
            "received_at": _aware_utc(received_at),
            "call_type": call_type or "",
            "person_key": person_key,
            "how": how,
            "linked_by": by if getattr(by, "pk", None) else None,
            "linked_at": clock(),
        },
    )
    if created:
        _log(by, Action.WRITE, Record.CALLS, client=client, clock=clock, reason=reason, record_id=f"{city}:{event_id}")
    return link


def calls_of(client: Client, *, by: Any, clock: Clock, reason: str) -> list[ClientCallLink]:
    _guard(by, Record.CALLS, Access.READ, client=client, clock=clock, reason=reason)
    _log(by, Action.READ, Record.CALLS, client=client, clock=clock, reason=reason, record_id=client.pk)
    return list(client.call_links.all())


# Cases ---------------------------------------------------------------------------------


def open_case(
    client: Client,
    *,
    owner: Any,
    by: Any,
    clock: Clock,
    reason: str = "after_call",
    note: str = "",
) -> Case:
    """Open a case owned by a social worker; the owner must hold the social worker role."""
    _guard(by, Record.CASE, Access.WRITE, client=client, clock=clock, reason=f"open case: {reason}")
    if not can(owner, Record.CASE, Access.WRITE):
        raise InvalidRecord(f"{owner.get_username()} cannot own a case (not a social worker or supervisor)")
    if reason not in Case.OpenReason.values:
        raise InvalidRecord(f"unknown reason {reason!r}; use one of {Case.OpenReason.values}")
    case = Case.objects.create(client=client, owner=owner, opened_at=clock(), opened_reason=reason, opened_note=note)
    _log(by, Action.WRITE, Record.CASE, client=client, clock=clock, reason=f"open case: {reason}", record_id=case.pk)
    return case


def close_case(case: Case, reason: str, *, by: Any, clock: Clock, note: str = "") -> Case:
    _guard(by, Record.CASE, Access.WRITE, client=case.client, clock=clock, reason=f"close case: {reason}")
    case.close(reason, clock=clock, note=note)
    _log(by, Action.WRITE, Record.CASE, client=case.client, clock=clock, reason=f"close case: {reason}", record_id=case.pk)
    return case


def cases_of(client: Client, *, by: Any, clock: Clock, reason: str) -> list[Case]:
    _guard(by, Record.CASE, Access.READ, client=client, clock=clock, reason=reason)
    _log(by, Action.READ, Record.CASE, client=client, clock=clock, reason=reason, record_id=client.pk)
    return list(client.cases.select_related("owner"))


def enrol_repeat_caller(
    person_key: str,
    *,
    worker: Any,
    by: Any,
    clock: Clock,
    store: Path,
    preferred_name: str = "",
    calls: Sequence[repeat_callers.CallRef] | None = None,
) -> Case:
    """Open a case for a person on the repeat-caller list, linked to their calls of the last 12 months.

    The client is found by the person key, or made; a person who already has an open
    case gets no second one (``InvalidRecord``). ``calls`` may be passed when the caller
    has already read them from the store (the demo seeds hundreds of people at once).
    """
    now = clock()
    if calls is None:
        calls = repeat_callers.calls_for_person(
            store, person_key, since=_naive_utc(now) - repeat_callers.YEAR, until=_naive_utc(now)
        )
    with transaction.atomic():
        client = client_for_person_key(person_key)
        if client is None:
            client = create_client(
                by=by, clock=clock, preferred_name=preferred_name, person_key=person_key,
                reason="enrolled from the repeat-caller list",
            )
        elif client.open_cases().exists():
            raise InvalidRecord(f"{client.public_id} already has an open case")
        case = open_case(
            client, owner=worker, by=by, clock=clock, reason="repeat_caller",
            note=f"{len(calls)} calls in the 12 months before enrolment",
        )
        for call in calls:
            link_call(
                client, city=call.city, event_id=call.event_id, by=by, clock=clock,
                how="enrolment", received_at=call.received_at,
                call_type=call.call_type or "", person_key=person_key, case=case,
                reason="enrolment from the repeat-caller list",
            )
    return case


def case_before_after(
    case: Case, *, store: Path, by: Any, clock: Clock, reason: str = "case before/after figures"
) -> repeat_callers.BeforeAfter:
    """Calls about the case's client in the 12 months before and after the case opened."""
    _guard(by, Record.CALLS, Access.READ, client=case.client, clock=clock, reason=reason)
    keys = list(ClientPersonKey.objects.filter(client=case.client).values_list("person_key", flat=True))
    _log(by, Action.READ, Record.CALLS, client=case.client, clock=clock, reason=reason, record_id=case.pk)
    return repeat_callers.before_after(
        store, keys, enrolled_at=_naive_utc(case.opened_at), as_of=_naive_utc(clock())
    )


# Encounters ----------------------------------------------------------------------------

ENCOUNTER_FIELDS = frozenset(
    f.name for f in Encounter._meta.get_fields()
    if getattr(f, "concrete", False) and f.name not in {"id", "client", "worker", "recorded_at"}
)


def record_encounter(client: Client, *, by: Any, clock: Clock, **fields: Any) -> Encounter:
    """Record a contact with its outcome fields; contradictory fields are refused with every problem named."""
    unknown = sorted(set(fields) - ENCOUNTER_FIELDS)
    if unknown:
        raise InvalidRecord(f"unknown encounter fields {unknown}")
    reason = "encounter recorded"
    _guard(by, Record.ENCOUNTER, Access.WRITE, client=client, clock=clock, reason=reason)
    encounter = Encounter(client=client, worker=by, recorded_at=clock(), **fields)
    problems = encounter.clean_times()
    for name in ("kind", "referral_offer", "transport", "transport_by", "police_involvement",
                 "age_band", "gender", "race_ethnicity", "housing"):
        choices = {value for value, _ in Encounter._meta.get_field(name).choices or []}  # type: ignore[union-attr]
        if getattr(encounter, name) not in choices:
            problems.append(f"{name}={getattr(encounter, name)!r} is not one of {sorted(choices)}")
    if problems:
        raise InvalidRecord("; ".join(problems))
    encounter.save()
    _log(by, Action.WRITE, Record.ENCOUNTER, client=client, clock=clock, reason=reason, record_id=encounter.pk,
         detail={"notes": bool(encounter.notes)})
    return encounter


@dataclass(frozen=True)
class EncounterView:
    """An encounter as one user may see it: ``notes`` is None when the user may not read notes."""

    encounter: Encounter
    notes: str | None


def encounters_of(client: Client, *, by: Any, clock: Clock, reason: str) -> list[EncounterView]:
    _guard(by, Record.ENCOUNTER, Access.READ, client=client, clock=clock, reason=reason)
    with_notes = can(by, Record.NOTES)
    _log(by, Action.READ, Record.ENCOUNTER, client=client, clock=clock, reason=reason, record_id=client.pk,
         detail={"notes": with_notes})
    return [
        EncounterView(encounter=e, notes=e.notes if with_notes else None)
        for e in client.encounters.select_related("worker")
    ]


def encounter_notes(encounter: Encounter, *, by: Any, clock: Clock, reason: str) -> str:
    _guard(by, Record.NOTES, Access.READ, client=encounter.client, clock=clock, reason=reason)
    _log(by, Action.READ, Record.NOTES, client=encounter.client, clock=clock, reason=reason, record_id=encounter.pk)
    return encounter.notes


# Assessments ---------------------------------------------------------------------------


def install_form(spec: formspec.FormSpec, *, clock: Clock) -> FormDefinition:
    """Store a form version; storing the same version again with other content is refused."""
    definition = dict(spec.raw)
    existing = FormDefinition.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if existing.definition != definition:
            raise FormError(
                f"{spec.slug} v{spec.version} is already installed with other content; give the change a new version"
            )
        return existing
    try:
        with transaction.atomic():
            return FormDefinition.objects.create(
                slug=spec.slug, version=spec.version, title=spec.title, definition=definition, loaded_at=clock()
            )
    except IntegrityError:  # installed by a concurrent request meanwhile
        return FormDefinition.objects.get(slug=spec.slug, version=spec.version)


def load_form_file(path: Path, *, by: Any, clock: Clock) -> FormDefinition:
    """A programme's own form, from YAML (administrators only)."""
    _guard(by, Record.FORMS, Access.WRITE, client=None, clock=clock, reason=f"install form {path.name}")
    form = install_form(formspec.load(path), clock=clock)
    _log(by, Action.WRITE, Record.FORMS, client=None, clock=clock, reason=f"install form {path.name}",
         record_id=f"{form.slug}@{form.version}")
    return form


def current_form(slug: str, *, clock: Clock) -> FormDefinition:
    """The newest installed version of a form; the built-in forms install themselves on first use."""
    for spec in formspec.builtin_forms():
        if spec.slug == slug:
            install_form(spec, clock=clock)
    form = FormDefinition.objects.filter(slug=slug).order_by("-version").first()
    if form is None:
        raise FormError(f"no form {slug!r} is installed")
    return form


def record_assessment(
    client: Client,
    form_slug: str,
    answers: Mapping[str, Any],
    *,
    by: Any,
    clock: Clock,
    version: int | None = None,
    case: Case | None = None,
    encounter: Encounter | None = None,
) -> Assessment:
    """Check the answers against the form version, score them, and store both."""
    reason = f"assessment {form_slug}"
    _guard(by, Record.ASSESSMENT, Access.WRITE, client=client, clock=clock, reason=reason)
    if version is None:
        form = current_form(form_slug, clock=clock)
    else:
        current_form(form_slug, clock=clock)
        form = FormDefinition.objects.filter(slug=form_slug, version=version).first()  # type: ignore[assignment]
        if form is None:
            raise FormError(f"form {form_slug!r} has no version {version}")
    spec = formspec.parse(form.definition, source=f"{form.slug} v{form.version}")
    clean = formspec.check_answers(spec, answers)
    scored = formspec.score(spec, clean)
    assessment = Assessment.objects.create(
        client=client,
        case=case,
        encounter=encounter,
        form=form,
        answers=clean,
        result=scored.result,
        level=scored.level,
        holds_substance_use=DataClass.SUBSTANCE_USE in spec.data_classes_answered(clean),
        assessed_by=by,
        assessed_at=clock(),
    )
    _log(by, Action.WRITE, Record.ASSESSMENT, client=client, clock=clock, reason=reason, record_id=assessment.pk,
         detail={"form": f"{form.slug}@{form.version}", "level": scored.level})
    return assessment


@dataclass(frozen=True)
class AssessmentView:
    """An assessment as one user may see it.

    ``answers`` leaves out answers of data classes the user may not read (their question
    ids are in ``withheld``), and ``result``/``level`` leave out what the result says about
    them: a needs result does not list a substance-use need to someone who may not read
    substance-use data. Pages show these three, not ``assessment.answers``/``.result``
    (the stored record, kept here for its form, dates and author).
    """

    assessment: Assessment
    answers: dict[str, Any]
    withheld: tuple[str, ...] = field(default_factory=tuple)
    level: str = ""
    result: dict[str, Any] = field(default_factory=dict)


def assessments_of(client: Client, *, by: Any, clock: Clock, reason: str) -> list[AssessmentView]:
    _guard(by, Record.ASSESSMENT, Access.READ, client=client, clock=clock, reason=reason)
    allowed_classes = {DataClass.ASSESSMENT_RESULTS.value, DataClass.CONTACT_DETAILS.value}
    if can(by, Record.SUBSTANCE_USE):
        allowed_classes.add(DataClass.SUBSTANCE_USE.value)
    if can(by, Record.NOTES):
        allowed_classes.add(DataClass.NOTES.value)
    views = []
    for assessment in client.assessments.select_related("form", "assessed_by"):
        spec = formspec.parse(assessment.form.definition, source=str(assessment.form))
        answers, withheld = {}, []
        for question_id, value in assessment.answers.items():
            if spec.question(question_id).data_class in allowed_classes:
                answers[question_id] = value
            else:
                withheld.append(question_id)
        level, result = assessment.level, dict(assessment.result)
        if withheld and spec.scoring.get("kind") == "needs":
            hidden = {spec.question(qid).need or qid for qid in withheld}
            result = {key: [need for need in value if need not in hidden] if isinstance(value, list) else value
                      for key, value in result.items()}
            level = "urgent" if result.get("urgent_needs") else ("needs" if result.get("unmet_needs") else "none")
        views.append(AssessmentView(assessment=assessment, answers=answers, withheld=tuple(withheld),
                                    level=level, result=result))
    _log(by, Action.READ, Record.ASSESSMENT, client=client, clock=clock, reason=reason, record_id=client.pk,
         detail={"count": len(views), "substance_use": DataClass.SUBSTANCE_USE.value in allowed_classes})
    return views


# Consent and sharing -------------------------------------------------------------------


def record_consent(
    client: Client,
    *,
    data_classes: Iterable[str],
    by: Any,
    clock: Clock,
    purpose: str,
    organization: Any = None,
    role: str = "",
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    how: str = "written",
) -> Consent:
    """Record what the person agreed to share with whom, from when (default now) until when."""
    classes = sorted(set(data_classes))
    unknown = sorted(set(classes) - set(sorted(DATA_CLASS_VALUES)))
    if unknown or not classes:
        raise InvalidRecord(f"data classes must be some of {sorted(DATA_CLASS_VALUES)}; got {classes}")
    if (organization is None) == (not role):
        raise InvalidRecord("a consent names exactly one recipient: an organisation or a role")
    start = valid_from or clock()
    if valid_until is not None and valid_until <= start:
        raise InvalidRecord("valid_until must be after valid_from")
    _guard(by, Record.CONSENT, Access.WRITE, client=client, clock=clock, reason=f"consent: {purpose}")
    consent = Consent.objects.create(
        client=client,
        data_classes=classes,
        recipient_organization=organization,
        recipient_role=role,
        purpose=purpose,
        how=how,
        valid_from=start,
        valid_until=valid_until,
        recorded_by=by,
        recorded_at=clock(),
    )
    _log(by, Action.WRITE, Record.CONSENT, client=client, clock=clock, reason=f"consent: {purpose}",
         record_id=consent.pk, detail={"classes": classes, "to": consent.recipient_label})
    return consent


def revoke_consent(consent: Consent, *, by: Any, clock: Clock, reason: str) -> Consent:
    """Withdraw a consent; referrals not yet sent that rely on it can no longer be sent."""
    _guard(by, Record.CONSENT, Access.WRITE, client=consent.client, clock=clock, reason=f"revoke consent: {reason}")
    consent.revoke(by=by, clock=clock, reason=reason)
    _log(by, Action.WRITE, Record.CONSENT, client=consent.client, clock=clock, reason=f"revoke consent: {reason}",
         record_id=consent.pk)
    return consent


def share(
    client: Client,
    data_classes: Iterable[str],
    *,
    organization: Any,
    by: Any,
    clock: Clock,
    purpose: str,
) -> dict[str, Any]:
    """The client's data of ``data_classes`` for an outside organisation, if a consent in force covers it.

    ``ConsentRequired`` names the classes no consent covers. Every share is audited with
    the consent that allowed it.
    """
    classes = sorted(set(data_classes))
    _guard(by, Record.CONSENT, Access.READ, client=client, clock=clock, reason=f"share: {purpose}")
    at = clock()
    consents = [c for c in client.consents.in_force(at) if c.recipient_organization_id == organization.pk]
    covered = {cls for c in consents for cls in c.data_classes}
    missing = tuple(cls for cls in classes if cls not in covered)
    if missing:
        raise ConsentRequired(f"no consent in force lets {', '.join(missing)} go to {organization}", missing=missing)
    package: dict[str, Any] = {"client": client.public_id}
    if DataClass.CONTACT_DETAILS in classes:
        package["contact_details"] = {
            "name": client.preferred_name, "phone": client.phone, "address": client.address,
            "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else None,
        }
    if DataClass.ASSESSMENT_RESULTS in classes:
        package["assessment_results"] = [
            {"form": a.form.slug, "level": a.level, "result": a.result, "at": a.assessed_at.isoformat()}
            for a in client.assessments.select_related("form")
        ]
    if DataClass.SUBSTANCE_USE in classes:
        package["substance_use"] = [
            {"at": a.assessed_at.isoformat(), "answer": a.answers.get("substance_use")}
            for a in client.assessments.filter(holds_substance_use=True)
        ]
        # 42 CFR 2.32: a disclosure of Part 2 data must carry the notice against re-disclosure.
        package["part2_notice"] = (
            "This record is protected by federal confidentiality rules (42 CFR part 2) and may "
            "not be further disclosed except as those rules permit."
        )
    if DataClass.NOTES in classes:
        package["notes"] = [e.notes for e in client.encounters.exclude(notes="")]
    _log(by, Action.SHARE, "share", client=client, clock=clock, reason=f"share: {purpose}",
         record_id=organization.pk, detail={"classes": classes, "consents": [c.pk for c in consents]})
    return package


# Referrals -----------------------------------------------------------------------------


def refer(
    client: Client,
    service: Any,
    *,
    by: Any,
    consent: Consent | None,
    clock: Clock,
    shares: Sequence[str] = ("contact_details",),
    need: str = "",
    case: Case | None = None,
    encounter: Encounter | None = None,
    note: str = "",
) -> Referral:
    """Propose a referral of the client to a directory service.

    When personal data goes with it (``shares``), ``consent`` must be in force, name the
    service's organisation and cover every class shared (``ConsentRequired`` otherwise).
    A referral that shares nothing (the person will call the service) needs no consent.
    The referral is proposed; ``move_referral(..., "send")`` sends it and checks again.
    """
    reason = f"referral to {service}"
    _guard(by, Record.REFERRAL, Access.WRITE, client=client, clock=clock, reason=reason)
    unknown = sorted(set(shares) - set(sorted(DATA_CLASS_VALUES)))
    if unknown:
        raise InvalidRecord(f"unknown data classes {unknown}")
    with transaction.atomic():
        referral = Referral(
            client=client, service=service, case=case, encounter=encounter, need=need,
            shares=sorted(set(shares)), consent=consent, note=note, created_by=by, created_at=clock(),
        )
        referral.check_consent(clock())
        referral.save()
        referral.events.create(from_status="", to_status=Referral.Status.PROPOSED, by=by, at=referral.created_at)
        _log(by, Action.WRITE, Record.REFERRAL, client=client, clock=clock, reason=reason, record_id=referral.pk,
             detail={"service": service.pk, "shares": referral.shares})
    return referral


TRANSITIONS = ("send", "accept", "connect", "close", "decline", "mark_no_show", "fail", "revoke")


def move_referral(referral: Referral, transition: str, *, by: Any, clock: Clock, note: str = "") -> Referral:
    """Apply one named transition (send, accept, connect, close, decline, mark_no_show, fail, revoke)."""
    if transition not in TRANSITIONS:
        raise InvalidRecord(f"unknown transition {transition!r}; use one of {TRANSITIONS}")
    reason = f"referral {transition}"
    _guard(by, Record.REFERRAL, Access.WRITE, client=referral.client, clock=clock, reason=reason)
    with transaction.atomic():
        before = referral.status
        getattr(referral, transition)(by=by, clock=clock, note=note)
        _log(by, Action.WRITE if transition != "send" else Action.SHARE, Record.REFERRAL, client=referral.client,
             clock=clock, reason=reason, record_id=referral.pk, detail={"from": before, "to": referral.status})
    return referral


def referrals_of(client: Client, *, by: Any, clock: Clock, reason: str) -> list[Referral]:
    _guard(by, Record.REFERRAL, Access.READ, client=client, clock=clock, reason=reason)
    _log(by, Action.READ, Record.REFERRAL, client=client, clock=clock, reason=reason, record_id=client.pk)
    return list(client.referrals.select_related("service").prefetch_related("events"))


@dataclass(frozen=True)
class ConnectionRate:
    """Referrals that reached the service, over referrals sent (the headline figure)."""

    sent: int
    reached: int
    awaiting: int

    @property
    def rate(self) -> float | None:
        return self.reached / self.sent if self.sent else None


def connection_rate(referrals: QuerySet[Referral] | Iterable[Referral]) -> ConnectionRate:
    """Reached (connected or closed after connecting) / ever sent; proposals never sent are left out.

    Referrals still sent or accepted count in the denominator and as ``awaiting``: a rate
    read before their outcome is known is a lower bound.
    """
    sent = reached = awaiting = 0
    for referral in referrals:
        if referral.sent_at is None:
            continue
        sent += 1
        if referral.status in Referral.REACHED:
            reached += 1
        elif referral.status in Referral.AWAITING_OUTCOME:
            awaiting += 1
    return ConnectionRate(sent=sent, reached=reached, awaiting=awaiting)


# Follow-ups ----------------------------------------------------------------------------


def add_follow_up(
    client: Client,
    *,
    what: str,
    due_on: date,
    assigned_to: Any,
    by: Any,
    clock: Clock,
    case: Case | None = None,
    referral: Referral | None = None,
) -> FollowUp:
    reason = "follow-up planned"
    _guard(by, Record.FOLLOW_UP, Access.WRITE, client=client, clock=clock, reason=reason)
    follow_up = FollowUp.objects.create(
        client=client, case=case, referral=referral, assigned_to=assigned_to, due_on=due_on, what=what,
        created_at=clock(),
    )
    _log(by, Action.WRITE, Record.FOLLOW_UP, client=client, clock=clock, reason=reason, record_id=follow_up.pk)
    return follow_up


def complete_follow_up(follow_up: FollowUp, *, by: Any, clock: Clock, outcome: str = "") -> FollowUp:
    reason = "follow-up done"
    _guard(by, Record.FOLLOW_UP, Access.WRITE, client=follow_up.client, clock=clock, reason=reason)
    follow_up.mark_done(by=by, clock=clock, outcome=outcome)
    _log(by, Action.WRITE, Record.FOLLOW_UP, client=follow_up.client, clock=clock, reason=reason, record_id=follow_up.pk)
    return follow_up


def my_overdue_follow_ups(user: Any, *, clock: Clock, today: date | None = None) -> list[FollowUp]:
    """The user's own follow-ups past their due date and not done, oldest first."""
    _guard(user, Record.FOLLOW_UP, Access.READ, client=None, clock=clock, reason="my overdue follow-ups")
    day = today or clock().date()
    overdue = list(FollowUp.objects.overdue_for(user, day).select_related("client"))
    _log(user, Action.READ, Record.FOLLOW_UP, client=None, clock=clock, reason="my overdue follow-ups",
         detail={"clients": sorted({f.client.public_id for f in overdue})})
    return overdue


# Audit trail and aggregates ------------------------------------------------------------


def audit_trail(client: Client, *, by: Any, clock: Clock, reason: str) -> list[AuditEntry]:
    """Every audit entry about the client (supervisors); reading it is itself audited."""
    _guard(by, Record.AUDIT_TRAIL, Access.READ, client=client, clock=clock, reason=reason)
    entries = audit.trail(client.public_id)
    _log(by, Action.READ, Record.AUDIT_TRAIL, client=client, clock=clock, reason=reason, record_id=client.pk)
    return entries


@dataclass(frozen=True)
class OutcomeFigures:
    """Pseudonymised aggregates for analysts: counts only, no ids, no names."""

    people_served: int
    encounters: int
    resolved_on_scene: int
    referral_offered: int
    referral_accepted: int
    referral_declined: int
    people_declining_referrals: int
    involuntary_holds: int
    voluntary_transports: int
    police_backup_requested: int
    arrests: int
    use_of_force: int
    injuries: int
    referrals: ConnectionRate
    by_race_ethnicity: dict[str, int]
    by_gender: dict[str, int]
    by_age_band: dict[str, int]
    by_housing: dict[str, int]


def outcome_figures(*, by: Any, clock: Clock, since: datetime | None = None, until: datetime | None = None) -> OutcomeFigures:
    """The outcome metrics (CSG, Vera, GPL) over encounters recorded in [since, until)."""
    reason = "outcome aggregates"
    _guard(by, Record.AGGREGATES, Access.READ, client=None, clock=clock, reason=reason)
    encounters = Encounter.objects.all()
    referrals = Referral.objects.all()
    if since is not None:
        encounters = encounters.filter(recorded_at__gte=since)
        referrals = referrals.filter(created_at__gte=since)
    if until is not None:
        encounters = encounters.filter(recorded_at__lt=until)
        referrals = referrals.filter(created_at__lt=until)
    rows = list(encounters.values(
        "client_id", "resolved_on_scene", "referral_offer", "transport", "police_involvement", "arrest",
        "use_of_force", "injury", "race_ethnicity", "gender", "age_band", "housing",
    ))
    offered = [r for r in rows if r["referral_offer"] != Encounter.ReferralOffer.NOT_OFFERED]
    figures = OutcomeFigures(
        people_served=len({r["client_id"] for r in rows}),
        encounters=len(rows),
        resolved_on_scene=sum(1 for r in rows if r["resolved_on_scene"]),
        referral_offered=len(offered),
        referral_accepted=sum(1 for r in offered if r["referral_offer"] == Encounter.ReferralOffer.ACCEPTED),
        referral_declined=sum(1 for r in offered if r["referral_offer"] == Encounter.ReferralOffer.DECLINED),
        people_declining_referrals=len(
            {r["client_id"] for r in offered if r["referral_offer"] == Encounter.ReferralOffer.DECLINED}
        ),
        involuntary_holds=sum(1 for r in rows if r["transport"] == Encounter.Transport.INVOLUNTARY_HOLD),
        voluntary_transports=sum(1 for r in rows if r["transport"] == Encounter.Transport.VOLUNTARY),
        police_backup_requested=sum(
            1 for r in rows if r["police_involvement"] == Encounter.PoliceInvolvement.BACKUP_REQUESTED
        ),
        arrests=sum(1 for r in rows if r["arrest"]),
        use_of_force=sum(1 for r in rows if r["use_of_force"]),
        injuries=sum(1 for r in rows if r["injury"]),
        referrals=connection_rate(referrals.only("status", "sent_at")),
        by_race_ethnicity=dict(Counter(r["race_ethnicity"] for r in rows)),
        by_gender=dict(Counter(r["gender"] for r in rows)),
        by_age_band=dict(Counter(r["age_band"] for r in rows)),
        by_housing=dict(Counter(r["housing"] for r in rows)),
    )
    _log(by, Action.READ, Record.AGGREGATES, client=None, clock=clock, reason=reason,
         detail={"since": since, "until": until})
    return figures


# A worker's home and a client's timeline -------------------------------------------------


def my_cases(user: Any, *, clock: Clock) -> list[Case]:
    """The user's open cases, newest first."""
    _guard(user, Record.CASE, Access.READ, client=None, clock=clock, reason="my cases")
    cases = list(Case.objects.filter(owner=user, status=Case.Status.OPEN).select_related("client"))
    _log(user, Action.READ, Record.CASE, client=None, clock=clock, reason="my cases", detail={"count": len(cases)})
    return cases


def referrals_awaiting_outcome(user: Any, *, clock: Clock) -> list[Referral]:
    """Referrals made by the user that are proposed, sent or accepted, oldest first."""
    _guard(user, Record.REFERRAL, Access.READ, client=None, clock=clock, reason="referrals awaiting an outcome")
    referrals = list(
        Referral.objects.filter(created_by=user, status__in=sorted(Referral.AWAITING_OUTCOME))
        .select_related("client", "service").order_by("created_at", "pk")
    )
    _log(user, Action.READ, Record.REFERRAL, client=None, clock=clock, reason="referrals awaiting an outcome",
         detail={"count": len(referrals)})
    return referrals


def link_calls_by_person_key(*, store: Path, by: Any, clock: Clock, since: datetime | None = None) -> int:
    """Link every call in the store whose person key belongs to a client and is not linked yet.

    Run after each import (``coresponse casework link-calls``): it is how "new calls about
    my clients" appear. A call goes to the open case of its client, if there is one.
    Returns the number of links made; running it twice makes none the second time.
    """
    keys = dict(ClientPersonKey.objects.values_list("person_key", "client_id"))
    if not keys:
        return 0
    found = repeat_callers.calls_for_people(store, sorted(keys), since=_naive_utc(since) if since else None)
    made = 0
    clients = Client.objects.in_bulk(set(keys.values()))
    for person_key, calls in found.items():
        client = clients[keys[person_key]]
        while client.merged_into_id is not None:
            client = Client.objects.get(pk=client.merged_into_id)
        linked = set(client.call_links.values_list("city", "event_id"))
        case = client.open_cases().order_by("-opened_at").first()
        for call in calls:
            if (call.city, call.event_id) in linked:
                continue
            link_call(client, city=call.city, event_id=call.event_id, by=by, clock=clock, how="person_key",
                      received_at=call.received_at, call_type=call.call_type or "", person_key=person_key,
                      case=case, reason="new call matched on the import's person key")
            linked.add((call.city, call.event_id))
            made += 1
    return made


def new_calls_about_my_clients(user: Any, *, clock: Clock, since: datetime) -> list[ClientCallLink]:
    """Calls received since ``since`` about clients of the user's open cases, newest first."""
    _guard(user, Record.CALLS, Access.READ, client=None, clock=clock, reason="new calls about my clients")
    client_ids = Case.objects.filter(owner=user, status=Case.Status.OPEN).values("client_id")
    links = list(
        ClientCallLink.objects.filter(client_id__in=client_ids, received_at__gte=since)
        .select_related("client").order_by("-received_at")
    )
    _log(user, Action.READ, Record.CALLS, client=None, clock=clock, reason="new calls about my clients",
         detail={"clients": sorted({link.client.public_id for link in links})})
    return links


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # call, case_opened, case_closed, encounter, assessment, referral
    title: str
    detail: str
    record_id: int | str


def timeline(client: Client, *, by: Any, clock: Clock, reason: str) -> list[TimelineItem]:
    """Calls, cases, encounters, assessments and referral moves of one client, newest first.

    Only what the user may read appears; notes and substance-use answers never do (open
    them with ``encounter_notes`` / ``assessments_of``). One audit entry covers the view.
    """
    _guard(by, Record.CASE, Access.READ, client=client, clock=clock, reason=reason)
    items: list[TimelineItem] = []
    for link in client.call_links.all():
        if link.received_at:
            items.append(TimelineItem(link.received_at, "call", f"Call {link.city} {link.event_id}",
                                      link.call_type, f"{link.city}:{link.event_id}"))
    for case in client.cases.select_related("owner"):
        owner = case.owner.get_full_name() or case.owner.get_username()
        items.append(TimelineItem(case.opened_at, "case_opened", f"Case opened ({case.get_opened_reason_display()})",
                                  f"owner {owner}", case.pk))
        if case.closed_at:
            items.append(TimelineItem(case.closed_at, "case_closed",
                                      f"Case closed ({case.get_closed_reason_display()})", case.closed_note, case.pk))
    for encounter in client.encounters.all():
        when = encounter.arrived_at or encounter.recorded_at
        outcome = []
        if encounter.resolved_on_scene:
            outcome.append("resolved on scene")
        if encounter.transport != "none":
            outcome.append(encounter.get_transport_display())
        if encounter.referral_offer != "not_offered":
            outcome.append(encounter.get_referral_offer_display().lower())
        items.append(TimelineItem(when, "encounter", encounter.get_kind_display(), ", ".join(outcome), encounter.pk))
    for assessment in client.assessments.select_related("form"):
        items.append(TimelineItem(assessment.assessed_at, "assessment", assessment.form.title,
                                  assessment.level, assessment.pk))
    for referral in client.referrals.select_related("service").prefetch_related("events"):
        for event in referral.events.all():
            items.append(TimelineItem(event.at, "referral", f"Referral to {referral.service.name}: {event.to_status}",
                                      event.note, referral.pk))
    # Newest first; moves recorded at the same instant keep the order they happened in.
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (item.at, order[id(item)]), reverse=True)
    _log(by, Action.READ, "timeline", client=client, clock=clock, reason=reason, record_id=client.pk,
         detail={"items": len(items)})
    return items
