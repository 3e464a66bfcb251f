"""Service directory: HSDS import (first load and idempotent re-load), export, and a search
by need + point + open now, on a generated city of N services. The baseline is the obvious
import, one ``update_or_create`` per row in one transaction, with no validation, on the
same package.

Each side runs in its own process on a fresh SQLite file (or DATABASE_URL's database, which
it empties), so neither sees the other's data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

NEED_WORDS = ["shelter", "food pantry", "counselling", "detox", "clinic", "benefits", "legal aid"]


def write_package(folder: Path, services: int, seed: int = 1) -> int:
    """A made-up city: one organisation per 5 services, one place each, 5 days of hours."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "organizations.csv": (["id", "name", "description"], []),
        "services.csv": (["id", "organization_id", "name", "description", "status"], []),
        "locations.csv": (["id", "organization_id", "name", "latitude", "longitude"], []),
        "physical_addresses.csv": (
            ["id", "location_id", "address_1", "city", "region", "state_province",
             "postal_code", "country"],
            [],
        ),
        "services_at_location.csv": (["id", "service_id", "location_id"], []),
        "phones.csv": (["id", "service_id", "number"], []),
        "regular_schedules.csv": (
            ["id", "service_at_location_id", "weekday", "opens_at", "closes_at"], []
        ),
    }
    for n in range(services):
        org = f"org-{n // 5}"
        if n % 5 == 0:
            tables["organizations.csv"][1].append([org, f"Organisation {n // 5}", "A charity."])
        word = rng.choice(NEED_WORDS)
        tables["services.csv"][1].append(
            [f"svc-{n}", org, f"Service {n}", f"Offers {word} to adults.", "active"]
        )
        lat, lon = 47.5 + rng.random() * 0.25, -122.45 + rng.random() * 0.2
        tables["locations.csv"][1].append([f"loc-{n}", org, f"Place {n}", f"{lat:.6f}", f"{lon:.6f}"])
        tables["physical_addresses.csv"][1].append(
            [f"addr-{n}", f"loc-{n}", f"{n} Main St", "Seattle", f"District {n % 12}", "WA",
             f"981{n % 20:02d}", "US"]
        )
        tables["services_at_location.csv"][1].append([f"sal-{n}", f"svc-{n}", f"loc-{n}"])
        tables["phones.csv"][1].append([f"ph-{n}", f"svc-{n}", f"206-555-{n % 10000:04d}"])
        for day in range(1, 6):
            tables["regular_schedules.csv"][1].append(
                [f"rs-{n}-{day}", f"sal-{n}", day, "09:00:00", "17:00:00"]
            )
    rows = 0
    for name, (header, records) in tables.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(records)
        rows += len(records)
    return rows


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def worker(side: str, package: Path, out: Path) -> dict[str, float]:
    """Runs inside a fresh process whose CORESPONSE_DATA_DIR is empty."""
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from zoneinfo import ZoneInfo

    from coresponse.directory.hsds import TABLES, export_package, import_package, open_package
    from coresponse.directory.models import Organization, Taxonomy
    from coresponse.directory.needs import Need
    from coresponse.directory.search import Point, Query, search

    Organization.objects.all().delete()
    Taxonomy.objects.all().delete()
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    figures: dict[str, float] = {}
    if side == "ours":
        figures["first_s"] = _timed(lambda: import_package(package, clock=clock))
        figures["again_s"] = _timed(lambda: import_package(package, clock=clock))
        figures["export_s"] = _timed(lambda: export_package(out))
        query = Query(need=Need.FOOD, near=Point(47.61, -122.33), radius_km=5, open_now=True)
        monday_noon = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
        timings = []
        for _ in range(7):
            timings.append(
                _timed(lambda: search(query, now=monday_noon, time_zone=ZoneInfo("America/Los_Angeles")))
            )
        figures["search_ms"] = statistics.median(timings) * 1000
    else:
        loaded = {r.table.resource: r for r in open_package(package).resources if r.table}

        from django.db import transaction

        @transaction.atomic  # one transaction, as ours: the comparison is the per-row work
        def naive() -> None:
            for table in TABLES:
                resource = loaded.get(table.resource)
                if resource is None:
                    continue
                with resource.path.open(encoding="utf-8", newline="") as handle:
                    for record in csv.DictReader(handle):
                        values = {k: (v if v != "" else None) for k, v in record.items()}
                        for key in ("name", "description", "status", "address_1"):
                            if key in values and values[key] is None:
                                values[key] = ""
                        table.model._default_manager.update_or_create(
                            pk=values.pop("id"), defaults=values
                        )

        figures["first_s"] = _timed(naive)
        figures["again_s"] = _timed(naive)
    return figures


def _run_side(side: str, package: Path, scratch: Path) -> dict[str, float]:
    data_dir = scratch / f"data-{side}"
    data_dir.mkdir()
    env = {**os.environ, "CORESPONSE_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_directory", side, str(package), str(scratch / "export")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(quick: bool) -> dict[str, Any]:
    services = 500 if quick else 5000
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-directory-") as tmp:
        scratch = Path(tmp)
        rows = write_package(scratch / "package", services)
        ours = _run_side("ours", scratch / "package", scratch)
        baseline = _run_side("baseline", scratch / "package", scratch)
    table = Table(title=f"HSDS directory, {services} services, {rows} rows")
    table.add_column("step")
    table.add_column("ours", justify="right")
    table.add_column("per-row update_or_create", justify="right")
    table.add_column("ratio", justify="right")
    for step, label in (("first_s", "first import"), ("again_s", "re-import, nothing changed")):
        table.add_row(
            label,
            f"{ours[step]:.2f} s ({rows / ours[step]:,.0f} rows/s)",
            f"{baseline[step]:.2f} s",
            f"{baseline[step] / ours[step]:.1f}x faster",
        )
    table.add_row("export", f"{ours['export_s']:.2f} s", "-", "")
    table.add_row("search: food, 5 km, open now (median)", f"{ours['search_ms']:.0f} ms", "-", "")
    console.print(table)
    console.print(
        "[dim]ours also validates every value, quarantines bad rows and tags needs; "
        "the baseline does none of that.[/dim]"
    )
    return {"services": services, "rows": rows, "ours": ours, "baseline": baseline}


if __name__ == "__main__":
    side, package_path, out_path = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(worker(side, package_path, out_path)))
