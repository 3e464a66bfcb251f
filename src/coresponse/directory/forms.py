from __future__ import annotations

from typing import Any

from django import forms

from coresponse.directory.models import NEED_CHOICES
from coresponse.directory.needs import Need
from coresponse.directory.search import Point, Query


class SearchForm(forms.Form):
    need = forms.ChoiceField(
        choices=[("", "Any need"), *NEED_CHOICES], required=False, widget=forms.RadioSelect
    )
    q = forms.CharField(label="Words", required=False, max_length=200)
    area = forms.CharField(
        label="Postcode or neighbourhood", required=False, max_length=100
    )
    near = forms.CharField(
        label="Near (latitude, longitude)",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "47.61, -122.33", "inputmode": "decimal"}),
    )
    radius_km = forms.FloatField(
        label="Within km", required=False, min_value=0.1, max_value=500
    )
    open_now = forms.BooleanField(label="Open now", required=False)
    include_inactive = forms.BooleanField(label="Include inactive", required=False)

    def clean_near(self) -> Point | None:
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return None
        try:
            return Point.parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("radius_km") and not cleaned.get("near") and "near" not in self.errors:
            self.add_error("near", "A distance needs a point to measure from.")
        return cleaned

    def query(self) -> Query:
        data = self.cleaned_data
        return Query(
            need=Need(data["need"]) if data.get("need") else None,
            text=data.get("q") or "",
            near=data.get("near"),
            radius_km=data.get("radius_km"),
            area=data.get("area") or "",
            open_now=bool(data.get("open_now")),
            include_inactive=bool(data.get("include_inactive")),
        )
