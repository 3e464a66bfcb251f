"""Remarks signals: quality on the labelled set, and extraction cost per million calls.

Side by side in one run:

- quality: precision and recall per signal of ``read_signals`` on the hand-labelled remarks
  (``src/coresponse/triage/data/remarks_labelled.csv``): on the splits the reader has been
  tuned on (``dev``, ``test``, ``test2``, ``test3``, ``test6``: each was held out once, then its errors
  were read), and on the blind splits ``test4`` and ``test5`` (written by engineers who had not
  read the reader, committed before it ran on them, and never tuned on), against the targets
  (recall >= 0.95 for weapon and violence, precision >= 0.9 for the others); and how many
  remarks the DuckDB expressions read differently (must be 0);
- what a learned recall backstop would cost: a character n-gram logistic regression trained on
  the tuned splits, OR-ed with the reader, on the blind splits at a few thresholds: the recall
  it buys and the share of remarks without the signal it would flag (false alarms);
- cost: the labelled remarks repeated to 1,000,000 rows (quick: 100,000) in a DuckDB table,
  all seven ``signal_expressions`` computed and summed in one query, against the
  ``read_signals`` Python loop over the same remarks, timed on 100,000 calls (quick: 20,000)
  and scaled to a million (a million would take minutes and tell nothing more).
  Wall-clock and CPU seconds are both shown: the machine is shared, and CPU time (all the
  process's threads) moves less with other people's load than wall-clock time does.
  Figures are seconds per million calls, on this machine's 2 cores.
"""

from __future__ import annotations

import csv
import time
from typing import Any

import duckdb
import ibis
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from coresponse.triage.remarks import LABELLED_PATH, SIGNALS, read_signals, signal_expressions

RECALL_TARGETS = {"weapon": 0.95, "violence": 0.95}
# The reader has been tuned on these (each was held out once, then its errors were read).
TUNED = ("dev", "test", "test2", "test3", "test6")
# Never tuned on, nor their errors read: written blind to the reader, read only to report.
BLIND = ("test4", "test5")
GROUPS = {"tuned": TUNED, "test4": ("test4",), "test5": ("test5",), "blind": BLIND}
BACKSTOP_THRESHOLDS = (0.5, 0.35, 0.25)
PRECISION_TARGET = 0.9


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


def _duckdb_flags(connection: ibis.BaseBackend, texts: list[str]) -> list[dict[str, bool]]:
    table = ibis.memtable(pa.table({"row": list(range(len(texts))), "remarks": texts}))
    result = connection.to_pyarrow(
        table.select(table.row, **signal_expressions(table.remarks)).order_by("row")
    )
    columns = {name: result.column(name).to_pylist() for name in SIGNALS}
    return [{name: bool(columns[name][index]) for name in SIGNALS} for index in range(len(texts))]


def _learned_backstop(
    rows: list[dict[str, str]], predicted: list[dict[str, bool]]
) -> dict[str, dict[str, dict[str, float]]]:
    """Recall and false-alarm rate on the blind splits of the reader alone, and of the reader
    OR a character n-gram model trained on the tuned splits, at each threshold. Not shipped:
    measured so the price of more recall is known (see docs/remarks.md)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from coresponse.triage.remarks import normalise

    tuned = [index for index, row in enumerate(rows) if row["split"] in TUNED]
    blind = [index for index, row in enumerate(rows) if row["split"] in BLIND]
    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
    )
    train = vectoriser.fit_transform([normalise(rows[index]["remarks"]) for index in tuned])
    test = vectoriser.transform([normalise(rows[index]["remarks"]) for index in blind])
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name in RECALL_TARGETS:
        model = LogisticRegression(C=4, max_iter=2000, class_weight="balanced")
        model.fit(train, [rows[index][name] == "1" for index in tuned])
        probability = model.predict_proba(test)[:, 1]
        truth = [rows[index][name] == "1" for index in blind]
        reader = [predicted[index][name] for index in blind]

        def rates(flags: list[bool], truth: list[bool] = truth) -> dict[str, float]:
            hits = sum(f and t for f, t in zip(flags, truth, strict=True))
            alarms = sum(f and not t for f, t in zip(flags, truth, strict=True))
            return {
                "recall": round(hits / max(sum(truth), 1), 3),
                "false_alarm_rate": round(alarms / max(len(truth) - sum(truth), 1), 3),
            }

        results[name] = {"reader": rates(reader)}
        for threshold in BACKSTOP_THRESHOLDS:
            flags = [r or p >= threshold for r, p in zip(reader, probability, strict=True)]
            results[name][f"or_model_{threshold}"] = rates(flags)
    return results


def _meets(name: str, score: dict[str, float]) -> bool:
    if name in RECALL_TARGETS:
        return score["recall"] >= RECALL_TARGETS[name]
    return score["precision"] >= PRECISION_TARGET


def run(quick: bool = False) -> dict[str, Any]:
    # Wide enough for P / R on three splits side by side, even when output is not a terminal.
    console = Console(width=max(Console().width, 150))
    rows = _labelled()
    texts = [row["remarks"] for row in rows]
    predicted = [read_signals(text).as_dict() for text in texts]
    connection = ibis.duckdb.connect()
    disagreements = sum(
        p != d for p, d in zip(predicted, _duckdb_flags(connection, texts), strict=True)
    )
    quality = {
        group: _scores(
            [row for row in rows if row["split"] in splits],
            [flags for row, flags in zip(rows, predicted, strict=True) if row["split"] in splits],
        )
        for group, splits in GROUPS.items()
    }
    sizes = {group: sum(row["split"] in splits for row in rows) for group, splits in GROUPS.items()}

    quality_table = Table(
        title=f"Remarks signals on {len(rows)} labelled remarks, P / R (tuned on {sizes['tuned']}: "
        f"{', '.join(TUNED)}; blind: test4 {sizes['test4']}, test5 {sizes['test5']})"
    )
    for column in ("signal", "target", *GROUPS, "positives (blind)", "met on blind"):
        quality_table.add_column(column, justify="left" if column == "signal" else "right")
    for name in SIGNALS:
        target = (
            f"R >= {RECALL_TARGETS[name]}" if name in RECALL_TARGETS else f"P >= {PRECISION_TARGET}"
        )
        cells = [
            f"{quality[group][name]['precision']:.3f} / {quality[group][name]['recall']:.3f}"
            for group in GROUPS
        ]
        quality_table.add_row(
            name,
            target,
            *cells,
            str(quality["blind"][name]["positives"]),
            "yes" if _meets(name, quality["blind"][name]) else "[red]no[/red]",
        )
    console.print(quality_table)
    backstop = _learned_backstop(rows, predicted)
    backstop_table = Table(
        title="A learned recall backstop (char 2-5-gram logistic regression trained on the tuned splits, "
        "OR-ed with the reader) on the blind splits: recall, and share of remarks without the signal flagged"
    )
    for column in ("signal", "reader alone", *(f"OR model >= {t}" for t in BACKSTOP_THRESHOLDS)):
        backstop_table.add_column(column, justify="left" if column == "signal" else "right")
    for name, results in backstop.items():
        backstop_table.add_row(
            name,
            *(
                f"R {r['recall']:.3f}, false alarms {r['false_alarm_rate']:.0%}"
                for r in results.values()
            ),
        )
    console.print(backstop_table)
    console.print(
        f"DuckDB expressions disagreeing with read_signals: {disagreements} of {len(texts)}"
    )

    # Cost per million calls.
    calls = 100_000 if quick else 1_000_000
    repeats = -(-calls // len(texts))
    database = duckdb.connect()
    labelled_arrow = pa.table({"remarks": texts})
    database.register("labelled_arrow", labelled_arrow)
    database.execute(
        f"CREATE TABLE remarks AS SELECT remarks FROM labelled_arrow, range({repeats}) LIMIT {calls}"
    )
    backend = ibis.duckdb.from_connection(database)
    table = backend.table("remarks")
    expressions = signal_expressions(table.remarks)
    query = table.aggregate(
        **{name: expression.cast("int64").sum() for name, expression in expressions.items()}
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    duckdb_counts = backend.to_pyarrow(query).to_pylist()[0]
    duckdb_seconds = time.perf_counter() - started
    duckdb_cpu = time.process_time() - cpu_started

    python_calls = 20_000 if quick else 100_000
    loop_texts = (texts * (python_calls // len(texts) + 1))[:python_calls]
    started, cpu_started = time.perf_counter(), time.process_time()
    python_fired = 0
    for text in loop_texts:
        python_fired += read_signals(text).any
    python_seconds = time.perf_counter() - started
    python_cpu = time.process_time() - cpu_started

    per_million_duckdb = duckdb_seconds * 1_000_000 / calls
    per_million_python = python_seconds * 1_000_000 / python_calls
    cost_table = Table(title="Signal extraction cost (all seven signals)")
    cpu_million_duckdb = duckdb_cpu * 1_000_000 / calls
    cpu_million_python = python_cpu * 1_000_000 / python_calls
    for column in (
        "evaluator",
        "calls timed",
        "wall s per million calls",
        "CPU s per million calls",
        "wall vs DuckDB",
        "CPU vs DuckDB",
    ):
        cost_table.add_column(column, justify="left" if column == "evaluator" else "right")
    cost_table.add_row(
        "DuckDB (signal_expressions)",
        f"{calls:,}",
        f"{per_million_duckdb:.1f}",
        f"{cpu_million_duckdb:.1f}",
        "1.0x",
        "1.0x",
    )
    cost_table.add_row(
        "Python loop (read_signals)",
        f"{python_calls:,}",
        f"{per_million_python:.1f}",
        f"{cpu_million_python:.1f}",
        f"{per_million_python / per_million_duckdb:.1f}x",
        f"{cpu_million_python / cpu_million_duckdb:.1f}x",
    )
    console.print(cost_table)

    return {
        "labelled_remarks": len(rows),
        "split_sizes": sizes,
        "duckdb_disagreements": disagreements,
        "quality": quality,
        "targets_met_blind": {name: _meets(name, quality["blind"][name]) for name in SIGNALS},
        "learned_backstop_blind": backstop,
        "extraction": {
            "duckdb_calls": calls,
            "duckdb_seconds": round(duckdb_seconds, 3),
            "duckdb_seconds_per_million": round(per_million_duckdb, 2),
            "python_calls": python_calls,
            "python_seconds": round(python_seconds, 3),
            "python_seconds_per_million": round(per_million_python, 2),
            "python_over_duckdb": round(per_million_python / per_million_duckdb, 2),
            "duckdb_cpu_seconds_per_million": round(cpu_million_duckdb, 2),
            "python_cpu_seconds_per_million": round(cpu_million_python, 2),
            "python_over_duckdb_cpu": round(cpu_million_python / cpu_million_duckdb, 2),
            "duckdb_signal_counts": duckdb_counts,
            "python_remarks_with_a_signal": python_fired,
        },
    }
