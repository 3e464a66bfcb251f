"""Building a city's mapping from its labelled codebook.

An analyst's ``category`` is kept as it is (``source=analyst``). Where the analyst left none,
the suggester fills it in and the row says so (``source=suggested``), with its confidence,
so review can find it. When one call type carries different labels on different rows
(New Orleans labels "DOMESTIC DISTURBANCE" one way as an initial type and another as a
final type), the label with more calls wins and the conflict is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coresponse.calltypes.codebook import Codebook, CodebookError
from coresponse.calltypes.mapping import MappedType, MappingRow
from coresponse.calltypes.normalise import normalise
from coresponse.calltypes.suggest import LabelledType, Suggester
from coresponse.calltypes.taxonomy import canonical_category, suggest_apco
from coresponse.calltypes.training import training_examples


@dataclass
class Curation:
    rows: list[MappingRow]
    labelled: int = 0
    suggested: int = 0
    conflicts: list[str] = field(default_factory=list)


def curate(codebook: Codebook, *, city: str, mapping_dir: Path | None = None) -> Curation:
    """One mapping row per distinct call type of ``codebook``; see the module docstring."""
    if "category" not in codebook.columns:
        raise CodebookError(
            f"{codebook.path}, line 1: no category column to take the analyst's labels from"
        )
    votes: dict[str, dict[str, int]] = {}
    lines: dict[str, dict[str, list[int]]] = {}
    volumes = codebook.volumes()
    for row in codebook.rows:
        text = row.values.get("category", "").strip()
        votes.setdefault(row.call_type, {})
        if not text:
            continue
        category = canonical_category(text)
        if category is None:
            raise CodebookError(
                f"{codebook.path}, line {row.line}, field category: {text!r} is not a shared category"
            )
        calls = row.calls if row.calls is not None else 1
        votes[row.call_type][category] = votes[row.call_type].get(category, 0) + calls
        lines.setdefault(row.call_type, {}).setdefault(category, []).append(row.line)
    result = Curation(rows=[])
    decided: dict[str, str] = {}
    for call_type, tally in votes.items():
        if not tally:
            continue
        winner = max(sorted(tally), key=lambda category: tally[category])
        decided[call_type] = winner
        if len(tally) > 1:
            described = ", ".join(
                f"{category} ({tally[category]} calls, lines {', '.join(map(str, lines[call_type][category]))})"
                for category in sorted(tally, key=lambda category: -tally[category])
            )
            result.conflicts.append(f"{call_type!r}: {described}; kept {winner}")
    undecided = [call_type for call_type in votes if call_type not in decided]
    suggestions = {}
    if undecided:
        examples = training_examples(exclude_city=city, mapping_dir=mapping_dir) + [
            LabelledType(call_type=call_type, category=category, calls=volumes.get(call_type, 1))
            for call_type, category in decided.items()
        ]
        suggester = Suggester(examples)
        suggestions = {
            suggestion.call_type: suggestion for suggestion in suggester.suggest(undecided)
        }
    for call_type in votes:
        apco_code = suggest_apco(normalise(call_type))
        if call_type in decided:
            result.labelled += 1
            result.rows.append(
                MappingRow(
                    mapped=MappedType(call_type, decided[call_type], apco_code, "analyst"),
                    calls=volumes.get(call_type),
                    confidence=1.0,
                )
            )
        else:
            suggestion = suggestions[call_type]
            result.suggested += 1
            result.rows.append(
                MappingRow(
                    mapped=MappedType(
                        call_type, suggestion.category, suggestion.apco_code, "suggested"
                    ),
                    calls=volumes.get(call_type),
                    confidence=suggestion.confidence,
                )
            )
    return result
