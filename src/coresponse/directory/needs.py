"""The needs vocabulary that casework and the directory share.

It is the needs assessment's domains, so a worker who records "housing" in an assessment
finds housing services in one click. No Django here: the import maps text onto it.
"""

from __future__ import annotations

from enum import StrEnum


class Need(StrEnum):
    HOUSING = "housing"
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    MEDICAL = "medical"
    FOOD = "food"
    INCOME_BENEFITS = "income_benefits"
    SAFETY = "safety"
    LEGAL = "legal"

    @property
    def label(self) -> str:
        return NEED_LABELS[self]


NEED_LABELS: dict[Need, str] = {
    Need.HOUSING: "Housing",
    Need.MENTAL_HEALTH: "Mental health",
    Need.SUBSTANCE_USE: "Substance use",
    Need.MEDICAL: "Medical",
    Need.FOOD: "Food",
    Need.INCOME_BENEFITS: "Income / benefits",
    Need.SAFETY: "Safety",
    Need.LEGAL: "Legal",
}
