"""The suggester's rules: keyword evidence for unseen wording, the city's decisions taken as given."""

from __future__ import annotations

from coresponse.calltypes.mapping import MappedType
from coresponse.calltypes.suggest import LabelledType, Suggester

# A deliberately small training set with no word of crisis in it.
EXAMPLES = [
    LabelledType("BURGLAR ALARM", "Alarms", 1000),
    LabelledType("TRAFFIC ACCIDENT", "Accidents/Traffic Safety", 1000),
    LabelledType("AREA CHECK", "Statuses", 1000),
    LabelledType("THEFT", "Property Crime", 1000),
    LabelledType("NOISE COMPLAINT", "Complaints/Environmental Conditions", 1000),
]


def test_crisis_wording_never_seen_in_training_is_read_as_behavioral_health() -> None:
    suggester = Suggester(EXAMPLES)
    suggestions = suggester.suggest(["PSYCH PATIENT", "SUICIDAL SUBJ", "5150 HOLD", "OVERDOSE"])
    assert [suggestion.category for suggestion in suggestions] == ["Behavioral Health"] * 4


def test_a_city_decision_is_taken_as_given_and_not_sent_to_review() -> None:
    known = {"AREA CHECK": MappedType("AREA CHECK", "Suspicion", "INVEST", "reviewed")}
    suggestion = Suggester(EXAMPLES, known=known).suggest(["AREA CHECK"])[0]
    assert (suggestion.category, suggestion.confidence, suggestion.needs_review) == (
        "Suspicion",
        1.0,
        False,
    )
    assert suggestion.basis == "mapping"


def test_a_suggested_row_of_the_mapping_is_not_trusted() -> None:
    known = {"AREA CHECK": MappedType("AREA CHECK", "Fire", None, "suggested")}
    suggestion = Suggester(EXAMPLES, known=known).suggest(["AREA CHECK"])[0]
    assert suggestion.category == "Statuses"
    assert suggestion.basis == "model"


def test_possible_crisis_not_chosen_is_flagged_for_review() -> None:
    # Alarms and a crisis word pull two ways; whichever wins, a person should look.
    suggestion = Suggester(EXAMPLES, review_below=0.0).suggest(["ALARM - MENTAL SUBJECT"])[0]
    assert suggestion.category == "Behavioral Health" or suggestion.needs_review


def test_probabilities_are_a_distribution_over_every_category() -> None:
    suggester = Suggester(EXAMPLES)
    table = suggester.probabilities(["THEFT RPT", "something else entirely"])
    assert table.shape == (2, len(suggester.categories))
    assert abs(float(table.sum(axis=1)[0]) - 1.0) < 1e-9
