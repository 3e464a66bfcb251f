"""Template filters of the casework pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from coresponse.casework.models import DATA_CLASS_LABELS

register = template.Library()


@register.filter
def data_classes(values: Iterable[str]) -> str:
    """``["contact_details", "notes"]`` as "Contact details, Notes" (unknown values as they are)."""
    labels = {data_class.value: label for data_class, label in DATA_CLASS_LABELS.items()}
    return ", ".join(labels.get(value, value) for value in values or ())


