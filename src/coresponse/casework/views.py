"""The casework pages. Views stay thin: every rule and every audit entry is in casework.services.

A refused read or write (``AccessDenied``) becomes 403, a consent or lifecycle refusal
409, and contradictory input 422, each as a page that says why. The few reads the
services have no function for (a worker's caseload, a client's consents and follow-ups)
go through the same policy check and leave the same kind of audit entry.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coresponse.accounts.permissions import roles_of
from coresponse.accounts.roles import Role
from coresponse.analytics import repeat_callers
from coresponse.audit import log as audit
from coresponse.audit.models import Action
from coresponse.casework import formspec, services
from coresponse.casework.errors import (
    AccessDenied,
    ConsentRequired,
    FormError,
    InvalidRecord,
    InvalidTransition,
)
from coresponse.casework.forms import (
    ConsentForm,
    EncounterForm,
    FollowUpForm,
    ReferralForm,
    ReferralOutcomeForm,
    SafetyNoteForm,
    assessment_form,
)
from coresponse.casework.models import (
    Case,
    Client,
    ClientCallLink,
    ClientPersonKey,
    FollowUp,
    FormDefinition,
    Referral,
)
from coresponse.casework.policy import Access, Record, can, require
from coresponse.directory.forms import SearchForm
from coresponse.directory.models import Service
from coresponse.directory.search import search

View = Callable[..., HttpResponse]
SHOWN = 50  # rows of a list a worker can scan on a tablet
NEW_CALLS_SHOWN = 25
# Each named transition and the status it leads to, in the order the buttons are shown.
OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("send", Referral.Status.SENT, "Sent"),
    ("accept", Referral.Status.ACCEPTED, "Accepted"),
    ("connect", Referral.Status.CONNECTED, "Connected"),
    ("close", Referral.Status.CLOSED, "Closed"),
    ("decline", Referral.Status.DECLINED, "Declined"),
    ("mark_no_show", Referral.Status.NO_SHOW, "No-show"),
    ("fail", Referral.Status.FAILED, "Failed"),
    ("revoke", Referral.Status.REVOKED, "Revoked"),
)
STATUS_FOR = {name: status for name, status, _ in OUTCOMES}


def _now() -> datetime:
    return timezone.now()


def _store() -> Path:
    return Path(settings.CORESPONSE_CALLS_STORE)


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "casework/refused.html", {"title": title, "message": message}, status=status)


def casework_view(view: View) -> View:
    """Signed in only; domain errors become the HTTP status that says why."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AccessDenied:
            return _refusal(request, 403, "Not for your role",
                            "Your role does not open this part of a person's record. The attempt was recorded.")
        except (ConsentRequired, InvalidTransition) as error:
            return _refusal(request, 409, "Not done", str(error))
        except (InvalidRecord, FormError) as error:
            return _refusal(request, 422, "Not saved", str(error))

    return login_required(wrapped)


def _guard(request: HttpRequest, record: Record, access: Access, *, client: Client | None, reason: str) -> None:
    """The policy check for reads the services have no function for; a refusal is audited."""
    try:
        require(request.user, record, access)
    except AccessDenied:
        audit.record(request.user, Action.DENIED, record_type=str(record), record_id=client.pk if client else "",
                     client_ref=client.public_id if client else "", reason=reason, clock=_now,
                     detail={"access": str(access), "page": request.path})
        raise


def _audit_read(request: HttpRequest, record: Record, *, client: Client | None, reason: str,
                detail: dict[str, Any] | None = None) -> None:
    audit.record(request.user, Action.READ, record_type=str(record), record_id=client.pk if client else "",
                 client_ref=client.public_id if client else "", reason=reason, clock=_now, detail=detail)


def _client(public_id: str) -> Client:
    """The client by public id; a merged duplicate leads to its survivor."""
    client = get_object_or_404(Client, public_id=public_id)
    while client.merged_into_id is not None:
        client = Client.objects.get(pk=client.merged_into_id)
    return client


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# Home ----------------------------------------------------------------------------------


def _new_calls(user: Any, cases: list[Case]) -> list[ClientCallLink]:
    """Calls about my clients received after their case opened (linked by ``casework link-calls``)."""
    if not cases:
        return []
    opened = {case.client_id: case.opened_at for case in cases}
    links = services.new_calls_about_my_clients(user, clock=_now, since=min(opened.values()))
    fresh = [link for link in links
             if link.received_at is not None and link.received_at > opened.get(link.client_id, link.received_at)]
    return fresh[:NEW_CALLS_SHOWN]


@casework_view
def home(request: HttpRequest) -> HttpResponse:
    """A worker's day: my cases, overdue follow-ups, referrals awaiting an outcome, new calls about my clients."""
    user = request.user
    roles = roles_of(user)
    if can(user, Record.CASE):
        cases = services.my_cases(user, clock=_now)
        team: list[Case] = []
        if Role.SUPERVISOR in roles:
            team = list(Case.objects.filter(status=Case.Status.OPEN).exclude(owner=user)
                        .select_related("client", "owner")[:SHOWN])
            _audit_read(request, Record.CASE, client=None, reason="the team's open cases",
                        detail={"clients": sorted({case.client.public_id for case in team})})
        return render(request, "casework/home.html", {
            "cases": cases,
            "overdue": services.my_overdue_follow_ups(user, clock=_now),
            "awaiting": services.referrals_awaiting_outcome(user, clock=_now)[:SHOWN],
            "new_calls": _new_calls(user, cases),
            "team": team,
        })
    if can(user, Record.SAFETY):
        return render(request, "casework/home_frontline.html", {})
    if can(user, Record.AGGREGATES):
        figures = services.outcome_figures(by=user, clock=_now)
        return render(request, "casework/home_analyst.html", {"figures": figures})
    _guard(request, Record.CASE, Access.READ, client=None, reason="casework home")
    raise AccessDenied("unreachable")  # pragma: no cover  (_guard raised)


@casework_view
def lookup(request: HttpRequest) -> HttpResponse:
    """Open a client by the id on a call or a card (``CL-...``)."""
    public_id = request.GET.get("id", "").strip().upper()
    if public_id and not public_id.startswith("CL-"):
        public_id = f"CL-{public_id}"
    if public_id and Client.objects.filter(public_id=public_id).exists():
        return redirect("casework:client", public_id=public_id)
    return _refusal(request, 404, "No such client",
                    f"No client has the id {public_id!r}." if public_id else "Give a client id (CL-...).")


# The client page -----------------------------------------------------------------------


def _outcome_buttons(referral: Referral) -> list[tuple[str, str]]:
    return [(name, label) for name, status, label in OUTCOMES if referral.can_move_to(status)]


@casework_view
def client_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """The whole record for social workers and supervisors; the safety summary for police and dispatch."""
    client = _client(public_id)
    user = request.user
    reason = request.GET.get("why", "") or "client page"
    if not can(user, Record.CASE):
        summary = services.safety_summary(client, by=user, clock=_now, reason=reason)
        return render(request, "casework/client_safety.html", {"client": client, "summary": summary})
    summary = services.safety_summary(client, by=user, clock=_now, reason=reason)
    contact = services.contact_details(client, by=user, clock=_now, reason=reason)
    cases = services.cases_of(client, by=user, clock=_now, reason=reason)
    timeline = services.timeline(client, by=user, clock=_now, reason=reason)
    referrals = services.referrals_of(client, by=user, clock=_now, reason=reason)
    _guard(request, Record.FOLLOW_UP, Access.READ, client=client, reason=reason)
    follow_ups = list(client.follow_ups.open().select_related("assigned_to"))
    _audit_read(request, Record.FOLLOW_UP, client=client, reason=reason)
    _guard(request, Record.CONSENT, Access.READ, client=client, reason=reason)
    consents = list(client.consents.select_related("recipient_organization"))
    _audit_read(request, Record.CONSENT, client=client, reason=reason)
    return render(request, "casework/client.html", {
        "client": client, "summary": summary, "contact": contact, "cases": cases, "figures": _figures(cases, user),
        "timeline": timeline,
        "referrals": [(r, _outcome_buttons(r)) for r in referrals],
        "follow_ups": follow_ups, "consents": consents, "now": _now(),
        "forms": _installed_forms(), "can_audit": can(user, Record.AUDIT_TRAIL),
        "follow_up_form": FollowUpForm(), "safety_form": SafetyNoteForm(initial={"safety_note": client.safety_note}),
    })


def _figures(cases: list[Case], user: Any) -> list[tuple[Case, repeat_callers.BeforeAfter | None, str]]:
    """Each case's calls before and after it opened, with a word when the store cannot tell."""
    figures: list[tuple[Case, repeat_callers.BeforeAfter | None, str]] = []
    for case in cases:
        try:
            figure = services.case_before_after(case, store=_store(), by=user, clock=_now)
            latest = repeat_callers.latest_call(_store())
        except repeat_callers.CallStoreError as error:
            figures.append((case, None, str(error)))
            continue
        note = ""
        if latest is not None and latest.replace(tzinfo=UTC) < case.opened_at:
            note = (f"The call store ends on {latest:%d %b %Y}, before this case opened: "
                    "calls since enrolment are not in it yet.")
        figures.append((case, figure, note))
    return figures


def _installed_forms() -> list[FormDefinition]:
    """The newest version of every form (the built-in ones install themselves)."""
    for spec in formspec.builtin_forms():
        services.current_form(spec.slug, clock=_now)
    newest: dict[str, FormDefinition] = {}
    for form in FormDefinition.objects.order_by("slug", "-version"):
        newest.setdefault(form.slug, form)
    return list(newest.values())


@casework_view
def notes(request: HttpRequest, public_id: str) -> HttpResponse:
    """The encounter notes: social workers and supervisors only (a police refusal is audited)."""
    client = _client(public_id)
    reason = request.GET.get("why", "") or "notes page"
    _guard(request, Record.NOTES, Access.READ, client=client, reason=reason)
    encounters = services.encounters_of(client, by=request.user, clock=_now, reason=reason)
    return render(request, "casework/notes.html", {"client": client, "encounters": encounters})


@casework_view
def assessments(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every assessment with its answers (answers of withheld data classes are left out)."""
    client = _client(public_id)
    views = services.assessments_of(client, by=request.user, clock=_now, reason="assessments page")
    rows = []
    for view in views:
        spec = formspec.parse(view.assessment.form.definition, source=str(view.assessment.form))
        answers = [(q.text, view.answers[q.id]) for q in spec.questions if q.id in view.answers]
        rows.append((view, answers))
    return render(request, "casework/assessments.html", {"client": client, "rows": rows})


@casework_view
def audit_trail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A client's audit trail, for supervisors (reading it is itself audited)."""
    client = _client(public_id)
    entries = services.audit_trail(client, by=request.user, clock=_now, reason="supervisor review")
    return render(request, "casework/audit_trail.html", {"client": client, "entries": entries})


@casework_view
@require_POST
def safety_note(request: HttpRequest, public_id: str) -> HttpResponse:
    client = _client(public_id)
    form = SafetyNoteForm(request.POST)
    if form.is_valid():
        services.set_safety_note(client, form.cleaned_data["safety_note"], by=request.user, clock=_now)
    return redirect("casework:client", public_id=client.public_id)


# Encounters and assessments ------------------------------------------------------------


@casework_view
def record_encounter(request: HttpRequest, public_id: str) -> HttpResponse:
    client = _client(public_id)
    if request.method == "GET":
        require(request.user, Record.ENCOUNTER, Access.WRITE)
    form = EncounterForm(request.POST or None, client=client)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_encounter(client, by=request.user, clock=_now, **form.encounter_fields())
            except InvalidRecord as error:
                form.add_error(None, str(error))
                status = 422
            else:
                return redirect(reverse("casework:client", args=[client.public_id]) + "#timeline")
        else:
            status = 422
    return render(request, "casework/encounter_form.html", {"client": client, "form": form}, status=status)


@casework_view
def assess(request: HttpRequest, public_id: str, slug: str) -> HttpResponse:
    """Fill in the newest version of a form; the saved assessment keeps that version."""
    client = _client(public_id)
    if request.method == "GET":
        require(request.user, Record.ASSESSMENT, Access.WRITE)
    definition = services.current_form(slug, clock=_now)
    spec = formspec.parse(definition.definition, source=f"{definition.slug} v{definition.version}")
    form = assessment_form(spec, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        answers = {qid: value for qid, value in form.cleaned_data.items() if value not in (None, "")}
        case = client.open_cases().first()
        try:
            assessment = services.record_assessment(client, slug, answers, by=request.user, clock=_now,
                                                    version=definition.version, case=case)
        except FormError as error:
            form.add_error(None, str(error))
            status = 422
        else:
            return render(request, "casework/assessment_saved.html",
                          {"client": client, "assessment": assessment, "spec": spec})
    questions = [(question, form[question.id]) for question in spec.questions]
    return render(request, "casework/assessment_form.html", {
        "client": client, "form": form, "spec": spec, "definition": definition, "questions": questions,
    }, status=status)


# Referrals -----------------------------------------------------------------------------


@casework_view
def refer_search(request: HttpRequest, public_id: str) -> HttpResponse:
    """Step 1: find the service in the directory (the directory's own search, with a pick button)."""
    client = _client(public_id)
    require(request.user, Record.REFERRAL, Access.WRITE)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = search(form.query(), now=_now(), time_zone=timezone.get_default_timezone())
    context = {"client": client, "form": form, "results": results,
               "shown": (results or [])[:SHOWN], "hidden": max(0, len(results or []) - SHOWN),
               "need": form.cleaned_data.get("need", "") if form.is_bound and form.is_valid() else ""}
    template = "casework/_refer_results.html" if _htmx(request) else "casework/refer_search.html"
    return render(request, template, context)


@casework_view
def refer(request: HttpRequest, public_id: str, service_id: str) -> HttpResponse:
    """Step 2: check consent (record it here if it is missing), then send the referral."""
    client = _client(public_id)
    service = get_object_or_404(Service.objects.select_related("organization"), pk=service_id)
    reason = f"referral to {service}"
    _guard(request, Record.CONSENT, Access.READ, client=client, reason=reason)
    consents = client.consents.in_force(_now()).filter(recipient_organization=service.organization)
    _audit_read(request, Record.CONSENT, client=client, reason=reason, detail={"organization": service.organization_id})
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, consents=consents, initial={"need": request.GET.get("need", "")})
    consent_form = ConsentForm(data if data is not None and data.get("record_consent") else None,
                               prefix="consent", initial={"purpose": f"referral to {service.name}"})
    status = 200
    if request.method == "POST" and form.is_valid():
        record_consent = bool(request.POST.get("record_consent"))
        if not record_consent or consent_form.is_valid():
            try:
                with transaction.atomic():
                    consent = form.cleaned_data["consent"]
                    if record_consent:
                        until = consent_form.cleaned_data["valid_until"]
                        consent = services.record_consent(
                            client, data_classes=consent_form.cleaned_data["data_classes"],
                            organization=service.organization, purpose=consent_form.cleaned_data["purpose"],
                            how=consent_form.cleaned_data["how"], by=request.user, clock=_now,
                            valid_until=(datetime.combine(until, datetime.min.time(), tzinfo=timezone.get_current_timezone())
                                         if until else None),
                        )
                    referral = services.refer(
                        client, service, by=request.user, consent=consent, clock=_now,
                        shares=form.cleaned_data["shares"], need=form.cleaned_data["need"],
                        case=client.open_cases().first(), note=form.cleaned_data["note"],
                    )
                    services.move_referral(referral, "send", by=request.user, clock=_now)
            except ConsentRequired as error:
                form.add_error(None, f"{error}. Record the person's consent below, or share less.")
                status = 409
            except InvalidRecord as error:
                form.add_error(None, str(error))
                status = 422
            else:
                return redirect(reverse("casework:client", args=[client.public_id]) + f"#referral-{referral.pk}")
        else:
            status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "casework/refer.html", {
        "client": client, "service": service, "form": form, "consent_form": consent_form,
        "has_consent": consents.exists(),
        "show_consent": bool(request.POST.get("record_consent")) or status == 409 or not consents.exists(),
    }, status=status)


@casework_view
@require_POST
def referral_outcome(request: HttpRequest, pk: int, transition: str) -> HttpResponse:
    """Record what happened to a referral (accepted, connected, declined, ...) by its named transition."""
    referral = get_object_or_404(Referral.objects.select_related("client", "service"), pk=pk)
    if transition not in STATUS_FOR:
        return _refusal(request, 404, "No such outcome", f"{transition!r} is not a referral outcome.")
    form = ReferralOutcomeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.move_referral(referral, transition, by=request.user, clock=_now, note=note)
    if _htmx(request):
        referral = Referral.objects.select_related("service").prefetch_related("events").get(pk=referral.pk)
        return render(request, "casework/_referral.html",
                      {"referral": referral, "buttons": _outcome_buttons(referral), "client": referral.client})
    return redirect(reverse("casework:client", args=[referral.client.public_id]) + f"#referral-{referral.pk}")


# Follow-ups ----------------------------------------------------------------------------


@casework_view
@require_POST
def add_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    client = _client(public_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise InvalidRecord("; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    services.add_follow_up(client, what=form.cleaned_data["what"], due_on=form.cleaned_data["due_on"],
                           assigned_to=request.user, by=request.user, clock=_now, case=client.open_cases().first())
    return redirect(reverse("casework:client", args=[client.public_id]) + "#follow-ups")


@casework_view
@require_POST
def complete_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp.objects.select_related("client"), pk=pk)
    with contextlib.suppress(InvalidTransition):  # done twice (a double tap): the first one stands
        services.complete_follow_up(follow_up, by=request.user, clock=_now, outcome=request.POST.get("outcome", ""))
    if _htmx(request):
        return render(request, "casework/_follow_up_done.html", {"follow_up": follow_up})
    return redirect(request.POST.get("next") or reverse("casework:client", args=[follow_up.client.public_id]))


# Repeat callers ------------------------------------------------------------------------


@casework_view
def repeat_callers_list(request: HttpRequest) -> HttpResponse:
    """The outreach list: people (by keyed hash) or addresses with the most calls in 12 months."""
    require(request.user, Record.CASE, Access.WRITE)
    by_address = request.GET.get("by") == "address"
    try:
        min_calls = max(1, int(request.GET.get("min", "5")))
    except ValueError:
        min_calls = 5
    store = _store()
    context: dict[str, Any] = {"by_address": by_address, "min_calls": min_calls, "problem": ""}
    try:
        as_of = repeat_callers.latest_call(store)
        if as_of is None:
            raise repeat_callers.CallStoreError(f"the call store {store} holds no calls")
        rank = repeat_callers.rank_addresses if by_address else repeat_callers.rank_people
        rows = rank(store, as_of=as_of, min_calls=min_calls, limit=SHOWN)
        bands = repeat_callers.contact_bands(store, as_of=as_of)
    except repeat_callers.CallStoreError as error:
        context["problem"] = str(error)
        return render(request, "casework/repeat_callers.html", context)
    enrolled = {} if by_address else _enrolled({row.key for row in rows})
    context.update(as_of=as_of, bands=bands, rows=[
        {"caller": row, "line": row.describe(as_of), "client": enrolled.get(row.key)} for row in rows
    ])
    return render(request, "casework/repeat_callers.html", context)


def _enrolled(keys: set[str]) -> dict[str, Client]:
    links = ClientPersonKey.objects.filter(person_key__in=keys).select_related("client")
    return {link.person_key: link.client for link in links}


@casework_view
@require_POST
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol a person from the list: a case owned by the worker, linked to the calls the list counted."""
    require(request.user, Record.CASE, Access.WRITE)
    person_key = request.POST.get("person_key", "")
    store = _store()
    try:
        as_of = repeat_callers.latest_call(store)
        calls = repeat_callers.calls_for_person(
            store, person_key, since=as_of - repeat_callers.YEAR if as_of else None, until=as_of
        )
    except repeat_callers.CallStoreError as error:
        raise InvalidRecord(str(error)) from error
    if not calls:
        raise InvalidRecord("no calls in the store have that person key")
    case = services.enrol_repeat_caller(person_key, worker=request.user, by=request.user, clock=_now, store=store,
                                        preferred_name=request.POST.get("name", "").strip(), calls=calls)
    if _htmx(request):
        return render(request, "casework/_enrolled.html", {"case": case, "calls": len(calls)})
    return redirect("casework:client", public_id=case.client.public_id)

