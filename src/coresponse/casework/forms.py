"""Django forms of the casework pages. They only shape input; the rules live in models and services.

The assessment form definitions themselves are data (YAML beside this module, in
``casework/forms/``); ``assessment_form`` builds a Django form from one.
"""

from __future__ import annotations

from typing import Any

from django import forms

from coresponse.casework import formspec
from coresponse.casework.models import (
    DATA_CLASS_LABELS,
    NEED_CHOICES,
    Case,
    Client,
    Consent,
    Encounter,
)

DATA_CLASS_CHOICES = [(data_class.value, label) for data_class, label in DATA_CLASS_LABELS.items()]
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EncounterForm(forms.Form):
    """A contact and its outcome fields (METRICS.md), in the order a worker fills them in."""

    kind = forms.ChoiceField(choices=Encounter.Kind.choices, widget=forms.RadioSelect, initial="on_scene")
    case = forms.ModelChoiceField(queryset=Case.objects.none(), required=False, empty_label="(no case)")
    call_city = forms.CharField(label="Call source (city or system)", required=False, max_length=60)
    call_event_id = forms.CharField(label="Call event id", required=False, max_length=100)
    received_at = forms.DateTimeField(label="Call received", required=False, widget=DATETIME_INPUT)
    arrived_at = forms.DateTimeField(label="Arrived", required=False, widget=DATETIME_INPUT)
    cleared_at = forms.DateTimeField(label="Cleared", required=False, widget=DATETIME_INPUT)
    neighbourhood = forms.CharField(required=False, max_length=120)
    resolved_on_scene = forms.NullBooleanField(
        label="Resolved on scene",
        required=False,
        widget=forms.RadioSelect(choices=[("unknown", "Not recorded"), ("true", "Yes"), ("false", "No")]),
    )
    services_offered = forms.MultipleChoiceField(
        choices=NEED_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    referral_offer = forms.ChoiceField(choices=Encounter.ReferralOffer.choices, initial="not_offered")
    transport = forms.ChoiceField(choices=Encounter.Transport.choices, initial="none")
    transport_by = forms.ChoiceField(choices=Encounter.TransportBy.choices, required=False)
    police_involvement = forms.ChoiceField(choices=Encounter.PoliceInvolvement.choices, initial="none")
    arrest = forms.BooleanField(required=False)
    use_of_force = forms.BooleanField(label="Use of force", required=False)
    injury = forms.BooleanField(label="Anyone injured", required=False)
    age_band = forms.ChoiceField(choices=Encounter.AgeBand.choices, initial="not_asked")
    gender = forms.ChoiceField(choices=Encounter.Gender.choices, initial="not_asked")
    gender_self_described = forms.CharField(label="Gender, in their words", required=False, max_length=100)
    race_ethnicity = forms.ChoiceField(
        label="Race and ethnicity", choices=Encounter.RaceEthnicity.choices, initial="not_asked"
    )
    race_self_described = forms.CharField(
        label="Race and ethnicity, in their words", required=False, max_length=100
    )
    housing = forms.ChoiceField(choices=Encounter.Housing.choices, initial="not_asked")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    DEMOGRAPHICS = ("age_band", "gender", "gender_self_described", "race_ethnicity", "race_self_described", "housing")

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)
        case_field.queryset = client.open_cases()
        first = client.open_cases().first()
        if first is not None:
            case_field.initial = first.pk

    def encounter_fields(self) -> dict[str, Any]:
        """The cleaned values as ``services.record_encounter`` keywords (empty times left out)."""
        fields = dict(self.cleaned_data)
        for name in ("received_at", "arrived_at", "cleared_at", "case"):
            if fields.get(name) is None:
                fields.pop(name, None)
        return fields


class ConsentForm(forms.Form):
    """The person's consent to share some data classes with the service's organisation."""

    data_classes = forms.MultipleChoiceField(
        label="May be shared", choices=DATA_CLASS_CHOICES, widget=forms.CheckboxSelectMultiple,
        initial=["contact_details"],
    )
    how = forms.ChoiceField(label="How consent was given", choices=Consent.How.choices, initial="verbal")
    valid_until = forms.DateField(
        label="Ends on (leave empty for no end date)", required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    purpose = forms.CharField(max_length=300)


class ReferralForm(forms.Form):
    """What goes with a referral; the consent that covers it is chosen or recorded beside it."""

    need = forms.ChoiceField(choices=[("", "(not given)"), *NEED_CHOICES], required=False)
    shares = forms.MultipleChoiceField(
        label="Share with the service", choices=DATA_CLASS_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, initial=["contact_details"],
        help_text="Share nothing if the person will call the service themselves: no consent is needed then.",
    )
    consent = forms.ModelChoiceField(
        queryset=Consent.objects.none(), required=False, empty_label="(none)",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent_field = self.fields["consent"]
        assert isinstance(consent_field, forms.ModelChoiceField)
        consent_field.queryset = consents
        consent_field.label_from_instance = consent_label  # type: ignore[method-assign]
        first = consents.first()
        if first is not None:
            consent_field.initial = first.pk


def consent_label(consent: Consent) -> str:
    classes = ", ".join(DATA_CLASS_LABELS.get(c, c) for c in consent.data_classes)  # type: ignore[call-overload]
    until = f" until {consent.valid_until:%d %b %Y}" if consent.valid_until else ""
    return f"{classes} to {consent.recipient_label}{until} ({consent.purpose})"


class ReferralOutcomeForm(forms.Form):
    note = forms.CharField(required=False, max_length=500)


class FollowUpForm(forms.Form):
    what = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"placeholder": "What, e.g. call about the housing form"}))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class SafetyNoteForm(forms.Form):
    safety_note = forms.CharField(
        label="Safety note (shown to police and dispatch)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def assessment_form(spec: formspec.FormSpec, data: Any = None) -> forms.Form:
    """A Django form with one field per question of a form definition.

    Fields are all optional here: which questions are asked depends on earlier answers,
    and ``formspec.check_answers`` is the one judge of required and conditional answers.
    """
    form = forms.Form(data)
    for question in spec.questions:
        field: forms.Field
        if question.type in ("yes_no", "choice"):
            field = forms.ChoiceField(
                choices=[(option, option.replace("_", " ").capitalize()) for option in question.options],
                required=False, widget=forms.RadioSelect,
            )
        elif question.type == "number":
            field = forms.CharField(required=False, widget=forms.NumberInput(attrs={"step": "any"}))
        else:
            field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
        field.label = question.text
        form.fields[question.id] = field
    return form
