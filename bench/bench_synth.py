"""Synth throughput (calls/s) and peak memory, beside two baselines.

- ours: `coresponse.synth.write` of N Seattle calls to CSV and to Parquet, each in a fresh
  process so its peak resident memory (ru_maxrss) is its own;
- floor: writing an already-built Arrow table of the same N rows to CSV (pure output cost:
  no generator can beat it);
- naive: the obvious per-row Python generator (random.choices per call, csv.writer),
  timed on a sample and scaled to N (said so in the table).

Full: N = 1,000,000 (target: 60 s or less on 2 cores). Quick: N = 100,000.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
from rich.console import Console
from rich.table import Table

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from coresponse.synth.generate import write
started = time.perf_counter()
summary = write("seattle", int(sys.argv[1]), 1, Path(sys.argv[2]))
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"calls": summary.calls, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024, "bytes": summary.path.stat().st_size}))
"""


def _ours(calls: int, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(calls), str(out)],
        check=True, capture_output=True, text=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["calls_per_s"] = figures["calls"] / figures["wall_s"]
    return figures


def _floor(calls: int, sample: Path, out: Path) -> dict[str, float]:
    """Write N rows shaped like ours from memory: the cost of the output alone."""
    table = pa_csv.read_csv(sample)
    repeats = -(-calls // table.num_rows)
    big = pa.concat_tables([table] * repeats).slice(0, calls)
    started = time.perf_counter()
    pa_csv.write_csv(big, out, write_options=pa_csv.WriteOptions(quoting_style="needed"))
    wall = time.perf_counter() - started
    return {"calls": calls, "wall_s": wall, "calls_per_s": calls / wall}


def _naive(calls: int, out: Path, sample_size: int = 20_000) -> dict[str, float]:
    """A row-at-a-time Python generator of the same columns, timed on a sample."""
    from coresponse.synth.codebook import load_codebook

    codebook = load_codebook("seattle")
    names = list(codebook.initial.names)
    weights = list(codebook.initial.probabilities)
    finals = list(codebook.final.names)
    final_weights = list(codebook.final.probabilities)
    rng = random.Random(1)
    started = time.perf_counter()
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CAD Event Number", "Initial Call Type", "Final Call Type",
                         "Original Time Queued", "Priority", "remarks"])
        for number in range(sample_size):
            queued = time.gmtime(1_704_096_000 + rng.randrange(365 * 86_400))
            writer.writerow([
                2024_000_000_000 + number,
                rng.choices(names, weights)[0],
                rng.choices(finals, final_weights)[0],
                time.strftime("%m/%d/%Y %I:%M:%S %p", queued),
                rng.randint(1, 7),
                " - ".join(rng.sample(["RP REQ POLICE", "NO WPNS SEEN", "ETOH", "EDP"], 2)),
            ])
    wall = (time.perf_counter() - started) * calls / sample_size
    return {"calls": calls, "wall_s": wall, "calls_per_s": calls / wall, "sampled": sample_size}


def run(quick: bool) -> dict[str, object]:
    calls = 100_000 if quick else 1_000_000
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as folder:
        root = Path(folder)
        csv_figures = _ours(calls, root / "ours.csv")
        parquet_figures = _ours(calls, root / "ours.parquet")
        sample = root / "sample.csv"
        _ours(min(calls, 50_000), sample)
        floor = _floor(calls, sample, root / "floor.csv")
        naive = _naive(calls, root / "naive.csv")

    table = Table(title=f"coresponse synth: {calls:,} Seattle calls")
    for column in ("run", "wall s", "CPU s", "calls/s", "peak RSS MB", "vs ours (CSV)"):
        table.add_column(column, justify="right" if column != "run" else "left")
    ours_rate = csv_figures["calls_per_s"]
    rows = [
        ("ours, CSV", csv_figures),
        ("ours, Parquet", parquet_figures),
        ("floor: write the same rows from memory", floor),
        (f"naive Python per-row (scaled from {naive['sampled']:,.0f})", naive),
    ]
    for label, figures in rows:
        table.add_row(
            label,
            f"{figures['wall_s']:.1f}",
            f"{figures['cpu_s']:.1f}" if "cpu_s" in figures else "-",
            f"{figures['calls_per_s']:,.0f}",
            f"{figures['peak_rss_mb']:.0f}" if "peak_rss_mb" in figures else "-",
            f"{figures['calls_per_s'] / ours_rate:.2f}x",
        )
    console.print(table)
    target = "met" if csv_figures["wall_s"] <= 60 * calls / 1_000_000 else "MISSED"
    console.print(f"target 1,000,000 calls in 60 s (scaled to {calls:,}): {target}")
    return {
        "calls": calls,
        "ours_csv": csv_figures,
        "ours_parquet": parquet_figures,
        "floor_write_csv": floor,
        "naive_python": naive,
    }
