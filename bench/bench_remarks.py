"""Remarks signals: quality on the labelled set, and extraction cost per million calls.

Side by side in one run:

- quality: precision and recall per signal on the hand-labelled remarks
  (``src/coresponse/triage/data/remarks_labelled.csv``), of the patterns alone and of the
  reader as shipped (patterns and learned model), on the blind splits (written by engineers
  who had not read the reader, committed before it ran on them, never tuned or trained on),
  against the targets (recall >= 0.95 for weapon and violence, precision >= 0.9 for the
  others); and, for reference, on the splits the patterns were tuned on and the splits the
  model was trained on (both flattering);
- the price of the model's recall: the share of remarks with no weapon, violence or threat
  that the reader flags weapon or violence (an officer sent where none was needed), on the
  look-alike-heavy blind splits and on ``ORDINARY``, the ordinary bulk of calls; and the
  blind threats left with none of weapon, violence or threat flagged (what the threat veto
  could let through to a civilian team);
- the same false alarms on the synthetic city's remarks (terse CAD templates from
  ``coresponse synth``), against the facts its generator wrote into them, per call and over
  distinct remarks (one template can carry thousands of calls);
- how many remarks the DuckDB expressions read differently from ``read_signals`` (must be 0);
- cost: the labelled remarks repeated to 1,000,000 rows (quick: 100,000) in a DuckDB table,
  each copy made distinct by its number, all seven ``signal_expressions`` computed and summed
  in one query, with and without the model, against the ``read_signals`` Python loop over the
  same remarks, timed on 100,000 calls (quick: 20,000) and scaled to a million. Wall-clock and
  CPU seconds are both shown: the machine is shared, and CPU time moves less with other
  people's load.

The shipped model is passed explicitly, whatever ``CORESPONSE_REMARKS_MODEL`` says.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from coresponse.triage.remarks import (
    LABELLED_PATH,
    SIGNALS,
    read_patterns,
    read_signals,
    signal_expressions,
)
from coresponse.triage.remarks_model import (
    BLIND_SPLITS,
    MODEL_PATH,
    MODEL_TRAINING_SPLITS,
    PATTERNS_TUNED_SPLITS,
    RemarksModel,
    load_model,
)

RECALL_TARGETS = {"weapon": 0.95, "violence": 0.95}
PRECISION_TARGET = 0.9
# test9 and test10 are the ordinary bulk of calls (80% with no signal); the others are a third
# weapon or violence and full of look-alikes.
ORDINARY = ("test9", "test10")
GROUPS = {
    "patterns tuned on": PATTERNS_TUNED_SPLITS,
    "model trained on": MODEL_TRAINING_SPLITS,
    **{split: (split,) for split in BLIND_SPLITS},
    "blind": BLIND_SPLITS,
}


def _labelled() -> list[dict[str, str]]:
    with LABELLED_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _scores(
    rows: list[dict[str, str]], predicted: list[dict[str, bool]]
) -> dict[str, dict[str, float]]:
    scores: dict[str, dict[str, float]] = {}
    for name in SIGNALS:
        truth = [row[name] == "1" for row in rows]
        guess = [flags[name] for flags in predicted]
        hits = sum(t and g for t, g in zip(truth, guess, strict=True))
        scores[name] = {
            "precision": round(hits / max(sum(guess), 1), 3),
            "recall": round(hits / max(sum(truth), 1), 3),
            "positives": sum(truth),
            "false_positives": sum(g and not t for t, g in zip(truth, guess, strict=True)),
            "false_negatives": sum(t and not g for t, g in zip(truth, guess, strict=True)),
        }
    return scores


DANGER = ("weapon", "violence", "threat")


def _unguarded_threats(rows: list[dict[str, str]], predicted: list[dict[str, bool]]) -> int:
    """Remarks labelled threat that the reader flags with none of weapon, violence or threat:
    the calls a threat in the remarks would no longer keep from an unarmed team."""
    return sum(
        row["threat"] == "1" and not any(flags[name] for name in DANGER)
        for row, flags in zip(rows, predicted, strict=True)
    )


def _false_alarm_rate(rows: list[dict[str, str]], predicted: list[dict[str, bool]]) -> float:
    """Share of remarks labelled with no weapon, violence or threat that are flagged weapon or violence."""
    calm = [
        flags
        for row, flags in zip(rows, predicted, strict=True)
        if not any(row[name] == "1" for name in DANGER)
    ]
    return round(sum(flags["weapon"] or flags["violence"] for flags in calm) / max(len(calm), 1), 3)


def _duckdb_flags(
    connection: ibis.BaseBackend, texts: list[str], model: RemarksModel
) -> list[dict[str, bool]]:
    table = ibis.memtable(pa.table({"row": list(range(len(texts))), "remarks": texts}))
    result = connection.to_pyarrow(
        table.select(table.row, **signal_expressions(table.remarks, model=model)).order_by("row")
    )
    columns = {name: result.column(name).to_pylist() for name in SIGNALS}
    return [{name: bool(columns[name][index]) for name in SIGNALS} for index in range(len(texts))]


def _meets(name: str, score: dict[str, float]) -> bool:
    if name in RECALL_TARGETS:
        return score["recall"] >= RECALL_TARGETS[name]
    return score["precision"] >= PRECISION_TARGET


def _pr(score: dict[str, float]) -> str:
    return f"{score['precision']:.2f} / {score['recall']:.2f}"


def _per_million(
    texts: list[str], shipped: RemarksModel, quick: bool, console: Console
) -> dict[str, Any]:
    calls = 100_000 if quick else 1_000_000
    repeats = -(-calls // len(texts))
    database = duckdb.connect()
    database.register("labelled_arrow", pa.table({"remarks": texts}))
    database.execute(
        # Each copy gets its number appended, so no two rows are the same text: the model's
        # memory of recent remarks must not make the copies free.
        "CREATE TABLE remarks AS SELECT remarks || ' ' || range AS remarks "
        f"FROM labelled_arrow, range({repeats}) LIMIT {calls}"
    )
    backend = ibis.duckdb.from_connection(database)
    table = backend.table("remarks")
    python_calls = 20_000 if quick else 100_000
    loop_texts = (texts * (python_calls // len(texts) + 1))[:python_calls]
    results: dict[str, Any] = {"duckdb_calls": calls, "python_calls": python_calls}
    cost_table = Table(title="Signal extraction cost (all seven signals), per million calls")
    for column in ("evaluator", "calls timed", "wall s", "CPU s", "CPU vs DuckDB with the model"):
        cost_table.add_column(column, justify="left" if column == "evaluator" else "right")

    def timed(work: Callable[[], object]) -> tuple[float, float]:
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        return time.perf_counter() - started, time.process_time() - cpu_started

    runs: list[tuple[str, str, int, tuple[float, float]]] = []
    for label, key, learned in (
        ("DuckDB, patterns and model", "duckdb", True),
        ("DuckDB, patterns alone", "duckdb_patterns", False),
    ):
        expressions = signal_expressions(table.remarks, model=shipped, learned=learned)
        query = table.aggregate(
            **{name: value.cast("int64").sum() for name, value in expressions.items()}
        )
        runs.append((label, key, calls, timed(lambda query=query: backend.to_pyarrow(query))))
    for label, key, reader in (
        ("Python read_signals, patterns and model", "python", partial(read_signals, model=shipped)),
        ("Python read_patterns, patterns alone", "python_patterns", read_patterns),
    ):
        runs.append(
            (
                label,
                key,
                python_calls,
                timed(lambda reader=reader: [reader(text) for text in loop_texts]),
            )
        )
    reference = runs[0][3][1] * 1_000_000 / calls
    for label, key, timed_calls, (wall, cpu) in runs:
        wall_million, cpu_million = wall * 1_000_000 / timed_calls, cpu * 1_000_000 / timed_calls
        results[f"{key}_seconds_per_million"] = round(wall_million, 2)
        results[f"{key}_cpu_seconds_per_million"] = round(cpu_million, 2)
        cost_table.add_row(
            label,
            f"{timed_calls:,}",
            f"{wall_million:.1f}",
            f"{cpu_million:.1f}",
            f"{cpu_million / reference:.1f}x",
        )
    console.print(cost_table)
    results["python_microseconds_per_remark"] = results["python_cpu_seconds_per_million"]
    results["python_patterns_microseconds_per_remark"] = results[
        "python_patterns_cpu_seconds_per_million"
    ]
    return results


SYNTHETIC_CALLS = 20_000
# The two readers compared, by their key in the figures.
READER_LABELS = {"patterns_alone": "patterns alone", "shipped": "patterns and model (shipped)"}


def _synthetic_city(shipped: RemarksModel) -> dict[str, dict[str, float]]:
    """Recall and false alarms for weapon or violence on the synthetic city's remarks (terse
    CAD-style templates, ``coresponse synth``), against the facts the generator put in them."""
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "seattle.csv"
        command = [str(Path(sys.executable).parent / "coresponse"), "synth", "--city", "seattle"]
        command += ["--calls", str(SYNTHETIC_CALLS), "--seed", "7", "--out", str(out)]
        subprocess.run(command, check=True, capture_output=True)
        calls = pv.read_csv(
            out, convert_options=pv.ConvertOptions(column_types={"CAD Event Number": pa.string()})
        )
        facts = pq.read_table(f"{out}.facts.parquet").to_pylist()
    by_event = {row["event_id"]: row for row in facts}
    rows = [
        (text, by_event[event])
        for event, text in zip(
            calls.column("CAD Event Number").to_pylist(),
            calls.column("remarks").to_pylist(),
            strict=True,
        )
        if text and event in by_event
    ]
    figures: dict[str, dict[str, float]] = {}
    for label, read in (
        ("patterns_alone", lambda text: read_patterns(text)),
        ("shipped", lambda text: read_signals(text, model=shipped)),
    ):
        flagged = [(lambda s: s.weapon or s.violence)(read(text)) for text, _ in rows]
        danger = [fact["weapon"] or fact["violence"] for _, fact in rows]
        calm = [not (fact["weapon"] or fact["violence"] or fact["threat"]) for _, fact in rows]
        distinct_calm = {text for (text, _), c in zip(rows, calm, strict=True) if c}
        distinct_flagged = {
            text for (text, _), f, c in zip(rows, flagged, calm, strict=True) if f and c
        }
        figures[label] = {
            "calls": len(rows),
            "distinct_false_alarm_rate": round(
                len(distinct_flagged) / max(len(distinct_calm), 1), 3
            ),
            "danger_recall": round(
                sum(f and d for f, d in zip(flagged, danger, strict=True)) / max(sum(danger), 1), 3
            ),
            "false_alarm_rate": round(
                sum(f and c for f, c in zip(flagged, calm, strict=True)) / max(sum(calm), 1), 3
            ),
        }
    return figures


def _readers_table(
    title: str, columns: tuple[str, ...], cells: Callable[[str], tuple[str, ...]]
) -> Table:
    """A table with one row per reader compared (``READER_LABELS``): its cells by reader key."""
    table = Table(title=title)
    for column in ("reader", *columns):
        table.add_column(column, justify="left" if column == "reader" else "right")
    for which, label in READER_LABELS.items():
        table.add_row(label, *cells(which))
    return table


def run(quick: bool = False) -> dict[str, Any]:
    # Wide enough for the blind splits side by side, even when output is not a terminal.
    console = Console(width=max(Console().width, 170))
    rows = _labelled()
    texts = [row["remarks"] for row in rows]
    # The shipped model, whatever CORESPONSE_REMARKS_MODEL says (it may be off or a city's own).
    model = load_model(MODEL_PATH)
    shipped = [read_signals(text, model=model).as_dict() for text in texts]
    alone = [read_patterns(text).as_dict() for text in texts]
    disagreements = sum(
        p != d
        for p, d in zip(shipped, _duckdb_flags(ibis.duckdb.connect(), texts, model), strict=True)
    )

    def group(
        splits: tuple[str, ...], predicted: list[dict[str, bool]]
    ) -> tuple[list[dict[str, str]], list[dict[str, bool]]]:
        chosen = [index for index, row in enumerate(rows) if row["split"] in splits]
        return [rows[index] for index in chosen], [predicted[index] for index in chosen]

    quality = {name: _scores(*group(splits, shipped)) for name, splits in GROUPS.items()}
    quality_alone = {name: _scores(*group(splits, alone)) for name, splits in GROUPS.items()}
    sizes = {name: sum(row["split"] in splits for row in rows) for name, splits in GROUPS.items()}
    look_alike_heavy = tuple(split for split in BLIND_SPLITS if split not in ORDINARY)
    false_alarms = {
        which: {
            "look_alike_heavy": _false_alarm_rate(*group(look_alike_heavy, predicted)),
            "ordinary": _false_alarm_rate(*group(ORDINARY, predicted)),
            "unguarded_threats": _unguarded_threats(*group(BLIND_SPLITS, predicted)),
        }
        for which, predicted in (("patterns_alone", alone), ("shipped", shipped))
    }

    table = Table(
        title=f"Remarks signals on {len(rows):,} labelled remarks, precision / recall. Blind: "
        + ", ".join(f"{split} {sizes[split]}" for split in BLIND_SPLITS)
        + f" (never tuned or trained on); for reference, patterns tuned on {sizes['patterns tuned on']:,}, "
        f"model trained on {sizes['model trained on']:,}"
    )
    columns = (
        "signal",
        "target",
        "blind, patterns alone",
        "blind, shipped",
        *BLIND_SPLITS,
        "tuned on",
        "trained on",
        "met on blind",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "signal" else "right")
    for name in SIGNALS:
        target = (
            f"R >= {RECALL_TARGETS[name]}" if name in RECALL_TARGETS else f"P >= {PRECISION_TARGET}"
        )
        table.add_row(
            name,
            target,
            _pr(quality_alone["blind"][name]),
            _pr(quality["blind"][name]),
            *(_pr(quality[split][name]) for split in BLIND_SPLITS),
            _pr(quality["patterns tuned on"][name]),
            _pr(quality["model trained on"][name]),
            "yes" if _meets(name, quality["blind"][name]) else "[red]no[/red]",
        )
    console.print(table)
    alarms = _readers_table(
        "False alarms: remarks with no weapon, violence or threat flagged weapon or violence (blind splits)",
        (
            f"look-alike heavy ({', '.join(look_alike_heavy)})",
            f"ordinary calls ({', '.join(ORDINARY)})",
            f"threats flagged none of weapon, violence, threat (of {quality['blind']['threat']['positives']})",
        ),
        lambda which: (
            f"{false_alarms[which]['look_alike_heavy']:.1%}",
            f"{false_alarms[which]['ordinary']:.1%}",
            str(false_alarms[which]["unguarded_threats"]),
        ),
    )
    console.print(alarms)
    console.print(
        f"DuckDB expressions disagreeing with read_signals: {disagreements} of {len(texts)}"
    )
    synthetic = _synthetic_city(model)
    city = _readers_table(
        f"The synthetic city's remarks ({SYNTHETIC_CALLS:,} Seattle calls from coresponse synth: "
        "terse CAD templates), weapon or violence against the facts the generator wrote in",
        (
            "recall",
            "false alarms (calls with no weapon, violence or threat)",
            "the same, over distinct remarks",
        ),
        lambda which: (
            f"{synthetic[which]['danger_recall']:.3f}",
            f"{synthetic[which]['false_alarm_rate']:.1%}",
            f"{synthetic[which]['distinct_false_alarm_rate']:.1%}",
        ),
    )
    console.print(city)
    extraction = _per_million(texts, model, quick, console)
    return {
        "labelled_remarks": len(rows),
        "split_sizes": sizes,
        "duckdb_disagreements": disagreements,
        "quality": quality,
        "quality_patterns_alone": quality_alone,
        "targets_met_blind": {name: _meets(name, quality["blind"][name]) for name in SIGNALS},
        "false_alarm_rates": false_alarms,
        "synthetic_city": synthetic,
        "extraction": extraction,
    }
