"""``make bench``: run every ``bench/bench_*.py`` (or those named) and collect their figures.

Each module has ``run(quick: bool) -> dict``; it prints its own table and returns its
figures, which are written together to ``var/bench/results.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

from rich.console import Console

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. import synth")
    parser.add_argument("--quick", action="store_true", help="smaller inputs, to check the benchmarks run")
    args = parser.parse_args()
    console = Console()
    available = sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))
    chosen = args.names or available
    results: dict[str, object] = {}
    for name in chosen:
        if name not in available:
            raise SystemExit(f"no benchmark named {name!r}; there are: {', '.join(available)}")
        console.rule(f"bench {name}")
        started = time.perf_counter()
        module = importlib.import_module(f"bench.bench_{name}")
        results[name] = module.run(quick=args.quick)
        console.print(f"[dim]{name} took {time.perf_counter() - started:.1f} s[/dim]")
    out = Path("var/bench/results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    console.print(f"figures written to {out}")


if __name__ == "__main__":
    main()
