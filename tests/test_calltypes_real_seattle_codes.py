"""Every call type in the real Seattle calls maps to a category.

The curated mapping began from the 2014-2018 codebook; the real calls in shared/data use
codes from other years too (and final types without the '--' prefix), which the import
would otherwise leave unmapped.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from coresponse.calltypes import load_mapping

CALL_TYPE_COLUMNS = {"initialcalltype", "finalcalltype"}


def _call_types(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [name for name in reader.fieldnames or [] if re.sub(r"[^a-z]", "", name.lower()) in CALL_TYPE_COLUMNS]
        return {row[column] for row in reader for column in columns if row[column]}


def test_every_call_type_in_the_real_seattle_calls_has_a_category(shared_data: Path) -> None:
    mapping = load_mapping("seattle")
    seen = set().union(*(_call_types(path) for path in sorted((shared_data / "seattle_calls").glob("*.csv"))))
    assert len(seen) > 200
    unmapped = sorted(code for code in seen if code not in mapping or mapping[code].category is None)
    assert not unmapped, f"{len(unmapped)} call types without a category: {unmapped[:10]}"
