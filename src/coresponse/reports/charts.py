"""Charts as Vega-Lite specifications (Altair), and the page furniture that embeds them offline."""

from __future__ import annotations

import json
from typing import Any

import altair as alt

from coresponse import config

# One colour per route, everywhere: officer routes warm, no-officer routes cool.
ROUTE_COLOURS: dict[str, str] = {
    "police": "#c0392b",
    "co_response": "#e67e22",
    "civilian_crisis": "#16a085",
    "ems": "#8e44ad",
    "crisis_line": "#2980b9",
    "referral_only": "#7f8c8d",
}


def route_scale(routes: list[str]) -> alt.Scale:
    colours = [ROUTE_COLOURS.get(route, "#34495e") for route in routes]
    return alt.Scale(domain=routes, range=colours)


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert (no network).

    Building it takes seconds, so it is kept in the data directory's cache, one file per
    vl-convert version.
    """
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")
    cache = config.data_dir() / "cache" / f"vega-bundle-{version}.js"
    if cache.exists():
        return cache.read_text(encoding="utf-8")
    bundle: str = vl_convert.javascript_bundle()  # type: ignore[call-arg]
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial")
    partial.write_text(bundle, encoding="utf-8")
    partial.replace(cache)
    return bundle


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def embed_script(charts: dict[str, alt.TopLevelMixin]) -> str:
    """The script that draws each chart into the element with its id (SVG, no menu)."""
    lines = []
    for element_id, chart in charts.items():
        spec = chart.to_dict()
        lines.append(
            f"vegaEmbed({script_json('#' + element_id)}, {script_json(spec)}, "
            '{"actions": false, "renderer": "svg"}).catch(console.error);'
        )
    return "\n".join(lines)
