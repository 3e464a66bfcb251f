"""The casework records. Models own their lifecycle rules; views and services stay thin.

Personal data here is clinical and social-work data, not a police record: who may read
which part is decided in ``casework.policy``, and the services in ``casework.services``
check it and write an audit entry for every read and write.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from coresponse.casework.errors import ConsentRequired, InvalidTransition
from coresponse.directory.needs import NEED_LABELS

Clock = Callable[[], datetime]
NEED_CHOICES = [(need.value, label) for need, label in NEED_LABELS.items()]
PSEUDONYM_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


class DataClass(StrEnum):
    """The kinds of personal data a consent can cover; substance use is 42 CFR Part 2 data."""

    CONTACT_DETAILS = "contact_details"
    ASSESSMENT_RESULTS = "assessment_results"
    SUBSTANCE_USE = "substance_use"
    NOTES = "notes"

    @property
    def label(self) -> str:
        return DATA_CLASS_LABELS[self]


DATA_CLASS_LABELS = {
    DataClass.CONTACT_DETAILS: "Contact details",
    DataClass.ASSESSMENT_RESULTS: "Assessment results",
    DataClass.SUBSTANCE_USE: "Substance use (42 CFR Part 2)",
    DataClass.NOTES: "Notes",
}
DATA_CLASS_VALUES = frozenset(data_class.value for data_class in DataClass)


def new_public_id() -> str:
    """A pseudonymous id that says nothing about the person: ``CL-`` and 8 unambiguous characters."""
    return "CL-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))


class Client(models.Model):
    """A person served. ``public_id`` is stable for life and is what logs and analysts see."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    preferred_name = models.CharField(max_length=200, blank=True, help_text="the name the person uses")
    # Contact details (DataClass.CONTACT_DETAILS)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # What responders must know before they arrive; shown to police and dispatch on purpose.
    safety_note = models.TextField(blank=True)
    safety_note_updated_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_clients"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("public_id",)

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def open_cases(self) -> models.QuerySet[Case]:
        return self.cases.filter(status=Case.Status.OPEN)


class ClientPersonKey(models.Model):
    """A keyed hash of name/date of birth from the CAD import that belongs to this client."""

    person_key = models.CharField(max_length=128, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="person_keys")
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.client.public_id} <- {self.person_key[:12]}"


class ClientMerge(models.Model):
    """A duplicate folded into another client; the duplicate row stays, pointing at the survivor."""

    survivor = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges_out")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    moved = models.JSONField(default=dict, help_text="how many records of each kind moved")

    def __str__(self) -> str:
        return f"{self.merged.public_id} -> {self.survivor.public_id}"


class Case(models.Model):
    """An episode of work with one person, owned by one social worker."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class OpenReason(models.TextChoices):
        REPEAT_CALLER = "repeat_caller", "Repeat caller outreach"
        AFTER_CALL = "after_call", "Follow-up after a call"
        SELF_REFERRAL = "self_referral", "Self or family referral"
        PARTNER_REFERRAL = "partner_referral", "Referred by a partner agency"
        OTHER = "other", "Other"

    class CloseReason(models.TextChoices):
        GOALS_MET = "goals_met", "Goals met"
        CONNECTED = "connected", "Connected to ongoing services"
        DECLINED = "declined", "Person declined further contact"
        NO_CONTACT = "no_contact", "Could not be reached"
        MOVED = "moved", "Moved away"
        IN_CUSTODY = "in_custody", "In custody or hospital long term"
        DIED = "died", "Died"
        MERGED = "merged", "Duplicate case merged"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    opened_reason = models.CharField(max_length=30, choices=OpenReason.choices)
    opened_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    closed_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-opened_at",)

    def __str__(self) -> str:
        return f"case {self.pk} of {self.client.public_id} ({self.status})"

    def close(self, reason: CloseReason | str, *, clock: Clock, note: str = "") -> None:
        """Close an open case with a reason; closing a closed case is refused."""
        if self.status != Case.Status.OPEN:
            raise InvalidTransition(f"case {self.pk} is already closed")
        if reason not in Case.CloseReason.values:
            raise ValueError(f"unknown close reason {reason!r}; use one of {Case.CloseReason.values}")
        self.status = Case.Status.CLOSED
        self.closed_at = clock()
        self.closed_reason = str(reason)
        self.closed_note = note
        self.save(update_fields=["status", "closed_at", "closed_reason", "closed_note"])


class ClientCallLink(models.Model):
    """A call about this client, named generically (source city or system + event id)."""

    class How(models.TextChoices):
        PERSON_KEY = "person_key", "Matched on the import's person key"
        ENROLMENT = "enrolment", "Linked at enrolment from the repeat-caller list"
        BY_HAND = "by_hand", "Linked by hand"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="call_links")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="call_links")
    city = models.CharField(max_length=60, help_text="the call's source: a city profile or 'live'")
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(null=True, blank=True)
    call_type = models.CharField(max_length=200, blank=True)
    person_key = models.CharField(max_length=128, blank=True)
    how = models.CharField(max_length=20, choices=How.choices)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ("-received_at",)
        constraints = [
            models.UniqueConstraint(fields=["client", "city", "event_id"], name="casework_one_link_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.client.public_id} ~ {self.city}:{self.event_id}"


class Encounter(models.Model):
    """A contact with the person, with the outcome fields the published metric sets need."""

    class Kind(models.TextChoices):
        ON_SCENE = "on_scene", "On scene"
        PHONE = "phone", "By phone"
        OFFICE = "office", "Office"
        OUTREACH = "outreach", "Outreach"

    class ReferralOffer(models.TextChoices):
        NOT_OFFERED = "not_offered", "Not offered"
        ACCEPTED = "accepted", "Offered and accepted"
        DECLINED = "declined", "Offered and declined"

    class Transport(models.TextChoices):
        NONE = "none", "No transport"
        VOLUNTARY = "voluntary", "Voluntary transport"
        INVOLUNTARY_HOLD = "involuntary_hold", "Involuntary hold"

    class TransportBy(models.TextChoices):
        NONE = "", "—"
        TEAM = "team", "The team"
        EMS = "ems", "EMS"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    class PoliceInvolvement(models.TextChoices):
        NONE = "none", "No police"
        CO_RESPONSE = "co_response", "Officer on the team (co-response)"
        ON_SCENE = "on_scene", "Police already on scene"
        BACKUP_REQUESTED = "backup_requested", "Team requested police backup"

    class AgeBand(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to say"
        UNDER_18 = "under_18", "Under 18"
        AGE_18_24 = "18_24", "18–24"
        AGE_25_34 = "25_34", "25–34"
        AGE_35_44 = "35_44", "35–44"
        AGE_45_54 = "45_54", "45–54"
        AGE_55_64 = "55_64", "55–64"
        AGE_65_UP = "65_up", "65 and over"

    class Gender(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to say"
        WOMAN = "woman", "Woman"
        MAN = "man", "Man"
        NON_BINARY = "non_binary", "Non-binary"
        SELF_DESCRIBED = "self_described", "Self-described"

    class RaceEthnicity(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to say"
        AMERICAN_INDIAN = "american_indian_alaska_native", "American Indian or Alaska Native"
        ASIAN = "asian", "Asian"
        BLACK = "black", "Black or African American"
        HISPANIC = "hispanic_latino", "Hispanic or Latino"
        MIDDLE_EASTERN = "middle_eastern_north_african", "Middle Eastern or North African"
        PACIFIC_ISLANDER = "native_hawaiian_pacific_islander", "Native Hawaiian or Pacific Islander"
        WHITE = "white", "White"
        MULTIPLE = "multiple", "More than one"
        SELF_DESCRIBED = "self_described", "Self-described"

    class Housing(models.TextChoices):
        NOT_ASKED = "not_asked", "Not asked"
        DECLINED = "declined", "Declined to say"
        HOUSED = "housed", "Housed"
        UNSTABLY_HOUSED = "unstably_housed", "Unstably housed"
        SHELTER = "shelter", "In a shelter"
        UNSHELTERED = "unsheltered", "Unsheltered"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="encounters")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="encounters")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="encounters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    call_city = models.CharField(max_length=60, blank=True)
    call_event_id = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(null=True, blank=True, help_text="call received, if there was a call")
    arrived_at = models.DateTimeField(null=True, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    neighbourhood = models.CharField(max_length=120, blank=True)
    resolved_on_scene = models.BooleanField(null=True, blank=True)
    services_offered = models.JSONField(default=list, blank=True, help_text="needs vocabulary")
    referral_offer = models.CharField(max_length=20, choices=ReferralOffer.choices, default=ReferralOffer.NOT_OFFERED)
    transport = models.CharField(max_length=20, choices=Transport.choices, default=Transport.NONE)
    transport_by = models.CharField(max_length=20, choices=TransportBy.choices, blank=True, default="")
    police_involvement = models.CharField(
        max_length=20, choices=PoliceInvolvement.choices, default=PoliceInvolvement.NONE
    )
    arrest = models.BooleanField(default=False)
    use_of_force = models.BooleanField(default=False)
    injury = models.BooleanField(default=False, help_text="anyone injured: the person, responders, others")
    # Demographics are recorded only as the person chooses to give them.
    age_band = models.CharField(max_length=40, choices=AgeBand.choices, default=AgeBand.NOT_ASKED)
    gender = models.CharField(max_length=40, choices=Gender.choices, default=Gender.NOT_ASKED)
    gender_self_described = models.CharField(max_length=100, blank=True)
    race_ethnicity = models.CharField(max_length=40, choices=RaceEthnicity.choices, default=RaceEthnicity.NOT_ASKED)
    race_self_described = models.CharField(max_length=100, blank=True)
    housing = models.CharField(max_length=40, choices=Housing.choices, default=Housing.NOT_ASKED)
    notes = models.TextField(blank=True, help_text="DataClass.NOTES: never shown to police roles")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ("-arrived_at", "-recorded_at")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.client.public_id}"

    @property
    def time_on_scene(self) -> timedelta | None:
        if self.arrived_at is None or self.cleared_at is None:
            return None
        return self.cleared_at - self.arrived_at

    @property
    def response_time(self) -> timedelta | None:
        if self.received_at is None or self.arrived_at is None:
            return None
        return self.arrived_at - self.received_at

    def clean_times(self) -> list[str]:
        """Problems with the times, in words: cleared before arrival, arrival before the call."""
        problems = []
        if self.arrived_at and self.cleared_at and self.cleared_at < self.arrived_at:
            problems.append("cleared_at is before arrived_at")
        if self.received_at and self.arrived_at and self.arrived_at < self.received_at:
            problems.append("arrived_at is before received_at")
        if self.transport != Encounter.Transport.NONE and not self.transport_by:
            problems.append("transport_by is required when there was a transport")
        unknown = [need for need in self.services_offered if need not in dict(NEED_CHOICES)]
        if unknown:
            problems.append(f"services_offered has unknown needs {unknown}")
        return problems


class FormDefinition(models.Model):
    """One version of an assessment form, as data. A stored version never changes."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ("slug", "-version")
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="casework_form_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Assessment(models.Model):
    """A completed form: the answers, and the result the form's scoring rules gave."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments")
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="assessments")
    answers = models.JSONField()
    result = models.JSONField(default=dict)
    level = models.CharField(max_length=40, blank=True, help_text="the scored level, e.g. C-SSRS risk")
    holds_substance_use = models.BooleanField(default=False)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ("-assessed_at",)

    def __str__(self) -> str:
        return f"{self.form} for {self.client.public_id}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self, at: datetime) -> ConsentQuerySet:
        return self.filter(valid_from__lte=at, revoked_at__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=at)
        )


class Consent(models.Model):
    """What the person agreed may be shared with whom, from when to when; revocable.

    The recipient is an organisation of the directory or a role inside the programme.
    """

    class How(models.TextChoices):
        WRITTEN = "written", "Signed form"
        VERBAL = "verbal", "Verbal, witnessed"
        ELECTRONIC = "electronic", "Electronic signature"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    data_classes = models.JSONField(help_text="list of DataClass values")
    recipient_organization = models.ForeignKey(
        "directory.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_role = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=300)
    how = models.CharField(max_length=20, choices=How.choices, default=How.WRITTEN)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(max_length=300, blank=True)

    objects: ClassVar[models.Manager[Consent]] = models.Manager.from_queryset(ConsentQuerySet)()  # type: ignore[misc]

    class Meta:
        ordering = ("-valid_from",)
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recipient_organization__isnull=False, recipient_role="")
                    | models.Q(recipient_organization__isnull=True) & ~models.Q(recipient_role="")
                ),
                name="casework_consent_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} of {self.client.public_id} to {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_organization_id:
            return str(self.recipient_organization)
        return f"role {self.recipient_role}"

    def is_in_force(self, at: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        if at < self.valid_from:
            return False
        return self.valid_until is None or at < self.valid_until

    def covers(
        self,
        data_classes: Iterable[str],
        *,
        at: datetime,
        organization_id: str | None = None,
        role: str | None = None,
    ) -> bool:
        """True when this consent, in force at ``at``, lets every one of ``data_classes`` go to the recipient."""
        if not self.is_in_force(at):
            return False
        if organization_id is not None and self.recipient_organization_id != organization_id:
            return False
        if role is not None and self.recipient_role != role:
            return False
        if organization_id is None and role is None:
            return False
        return set(data_classes) <= set(self.data_classes)

    def revoke(self, *, by: Any, clock: Clock, reason: str) -> None:
        """Withdraw the consent from now on; what was shared before stays shared, and says so."""
        if self.revoked_at is not None:
            raise InvalidTransition(f"consent {self.pk} was already revoked")
        self.revoked_at = clock()
        self.revoked_by = by
        self.revoke_reason = reason
        self.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])


class ReferralStatus(StrEnum):
    """A referral's status; a plain enum (not TextChoices) so type checkers see strings."""

    PROPOSED = "proposed"
    SENT = "sent"
    ACCEPTED = "accepted"
    CONNECTED = "connected"
    CLOSED = "closed"
    DECLINED = "declined"
    NO_SHOW = "no_show"
    FAILED = "failed"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return "No-show" if self is ReferralStatus.NO_SHOW else self.value.capitalize()


REFERRAL_STATUS_CHOICES = [(status.value, status.label) for status in ReferralStatus]


class Referral(models.Model):
    """A referral of a client to a directory service, with an explicit lifecycle.

    proposed -> sent -> accepted -> connected -> closed; or declined (by the service or the
    person), no_show, failed (could not be completed) or revoked (withdrawn by the worker or
    by the person). Every move goes through a named method that refuses an illegal move
    and writes a ReferralEvent saying who and when.
    """

    Status: ClassVar[type[ReferralStatus]] = ReferralStatus

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        ReferralStatus.PROPOSED: frozenset({ReferralStatus.SENT, ReferralStatus.DECLINED, ReferralStatus.REVOKED}),
        ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.FAILED, ReferralStatus.REVOKED}),
        ReferralStatus.ACCEPTED: frozenset({ReferralStatus.CONNECTED, ReferralStatus.NO_SHOW, ReferralStatus.FAILED, ReferralStatus.REVOKED}),
        ReferralStatus.CONNECTED: frozenset({ReferralStatus.CLOSED}),
        ReferralStatus.CLOSED: frozenset(),
        ReferralStatus.DECLINED: frozenset(),
        ReferralStatus.NO_SHOW: frozenset(),
        ReferralStatus.FAILED: frozenset(),
        ReferralStatus.REVOKED: frozenset(),
    }
    # Statuses at which the referral reached the service (the connection rate's numerator).
    REACHED: ClassVar[frozenset[str]] = frozenset({ReferralStatus.CONNECTED, ReferralStatus.CLOSED})
    AWAITING_OUTCOME: ClassVar[frozenset[str]] = frozenset({ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACCEPTED})

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="referrals")
    need = models.CharField(max_length=40, choices=NEED_CHOICES, blank=True)
    status = models.CharField(max_length=20, choices=REFERRAL_STATUS_CHOICES, default=ReferralStatus.PROPOSED.value)
    shares = models.JSONField(default=list, blank=True, help_text="DataClass values sent with the referral")
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True, help_text="when it reached a final status")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"referral {self.pk} of {self.client.public_id} to {self.service_id} ({self.status})"

    # Named transitions ---------------------------------------------------------------

    def send(self, *, by: Any, clock: Clock, note: str = "") -> None:
        """Send to the service; refused without a consent in force covering what is shared."""
        at = clock()
        self.check_consent(at)
        self._move(Referral.Status.SENT, by=by, at=at, note=note)

    def accept(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.ACCEPTED, by=by, at=clock(), note=note)

    def connect(self, *, by: Any, clock: Clock, note: str = "") -> None:
        """The person reached the service (first appointment kept, intake done)."""
        self._move(Referral.Status.CONNECTED, by=by, at=clock(), note=note)

    def close(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.CLOSED, by=by, at=clock(), note=note)

    def decline(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.DECLINED, by=by, at=clock(), note=note)

    def mark_no_show(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.NO_SHOW, by=by, at=clock(), note=note)

    def fail(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.FAILED, by=by, at=clock(), note=note)

    def revoke(self, *, by: Any, clock: Clock, note: str = "") -> None:
        self._move(Referral.Status.REVOKED, by=by, at=clock(), note=note)

    def can_move_to(self, status: str) -> bool:
        return status in Referral.TRANSITIONS[self.status]

    def check_consent(self, at: datetime) -> None:
        """Refuse (ConsentRequired) when personal data would go without a consent covering it."""
        if not self.shares:
            return
        organization_id = self.service.organization_id
        if self.consent is None:
            raise ConsentRequired(
                f"referral {self.pk} would share {', '.join(self.shares)} with no consent recorded",
                missing=tuple(self.shares),
            )
        if self.consent.client_id != self.client_id:
            raise ConsentRequired("the consent given belongs to another client", missing=tuple(self.shares))
        if not self.consent.covers(self.shares, at=at, organization_id=organization_id):
            missing = tuple(sorted(set(self.shares) - set(self.consent.data_classes)))
            why = "is not in force" if not self.consent.is_in_force(at) else (
                f"does not cover {', '.join(missing)}" if missing else "names another recipient"
            )
            raise ConsentRequired(f"consent {self.consent.pk} {why} for {self.service}", missing=missing or tuple(self.shares))

    def _move(self, to: str, *, by: Any, at: datetime, note: str) -> None:
        if not self.can_move_to(to):
            raise InvalidTransition(f"referral {self.pk} cannot go from {self.status} to {to}")
        before = self.status
        self.status = to
        if to == Referral.Status.SENT:
            self.sent_at = at
        if not Referral.TRANSITIONS[to]:
            self.outcome_at = at
        self.save(update_fields=["status", "sent_at", "outcome_at"])
        ReferralEvent.objects.create(referral=self, from_status=before, to_status=to, by=by, at=at, note=note)


class ReferralEvent(models.Model):
    """One move of a referral: from, to, by whom, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=REFERRAL_STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=REFERRAL_STATUS_CHOICES)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.from_status or '(new)'} -> {self.to_status}"


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)

    def overdue_for(self, user: Any, today: date) -> FollowUpQuerySet:
        """The user's follow-ups not done and due before ``today``, oldest first."""
        return self.open().filter(assigned_to=user, due_on__lt=today).order_by("due_on", "pk")


class FollowUp(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="follow_ups")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    due_on = models.DateField()
    what = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=300, blank=True)

    objects: ClassVar[models.Manager[FollowUp]] = models.Manager.from_queryset(FollowUpQuerySet)()  # type: ignore[misc]

    class Meta:
        ordering = ("due_on", "pk")

    def __str__(self) -> str:
        return f"{self.what} (due {self.due_on})"

    def mark_done(self, *, by: Any, clock: Clock, outcome: str = "") -> None:
        if self.done_at is not None:
            raise InvalidTransition(f"follow-up {self.pk} is already done")
        self.done_at = clock()
        self.done_by = by
        self.outcome = outcome
        self.save(update_fields=["done_at", "done_by", "outcome"])
