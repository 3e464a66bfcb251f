"""The replay report: what a triage protocol would have done with a city's past calls.

One standalone HTML page (charts drawn by Vega embedded in the page, so it opens offline):
the headline figures, a route-by-hour heatmap, routes by category, the calls that would
need a responder without an officer by hour and day of week, and, when two protocols were
replayed, what moves from one to the other.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

import altair as alt
import pandas as pd

from coresponse.reports.charts import embed_script, route_scale, vega_bundle
from coresponse.triage.replay import (
    OFFICER_ROUTES,
    WEEKDAYS,
    ReplayResult,
    RouteFigures,
    default_on_scene_minutes,
)

TOP_CATEGORIES = 15
CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #555; } .figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.figure .value { display: block; font-size: 1.4rem; font-weight: 600; }
.figure .label { color: #555; font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin: .5rem 0 1.5rem; } .note { color: #555; font-size: .9rem; }
"""


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _percent(part: float, whole: float) -> str:
    return f"{(part / whole * 100 if whole else 0):.1f}%"


def _routes_in_use(figures: RouteFigures, *more: RouteFigures | None) -> list[str]:
    """Every route that took a call, in the protocol order; all routes if none did."""
    used = [route for route in figures.routes if figures.routes[route]]
    for other in more:
        if other is not None:
            used += [route for route in other.routes if other.routes[route] and route not in used]
    return used or list(figures.routes)


def route_by_hour_chart(figures: RouteFigures) -> alt.Chart:
    """Each cell is the share of that hour's calls the route takes, so quiet hours still show."""
    routes = _routes_in_use(figures)
    rows = []
    for hour, by_route in figures.by_hour.items():
        total = sum(by_route.values())
        # Only routes that took calls: a row outside the axis' domain would be drawn over another.
        rows += [
            {"hour": hour, "route": route, "calls": calls, "share": calls / total if total else 0.0}
            for route, calls in by_route.items()
            if route in routes
        ]
    return (
        alt.Chart(pd.DataFrame(rows), title="Share of each hour's calls by route (local time)")
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="hour of day"),
            y=alt.Y("route:N", sort=routes, title=None, scale=alt.Scale(domain=routes)),
            color=alt.Color(
                "share:Q",
                scale=alt.Scale(scheme="blues"),
                title="share",
                legend=alt.Legend(format="%"),
            ),
            tooltip=[
                "route:N",
                "hour:O",
                alt.Tooltip("calls:Q", format=","),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=760, height=34 * len(routes))
    )


def routes_by_category_chart(figures: RouteFigures) -> alt.Chart:
    categories = list(figures.by_category)[:TOP_CATEGORIES]
    rows = [
        {"category": category, "route": route, "calls": calls}
        for category in categories
        for route, calls in figures.by_category[category].items()
        if calls
    ]
    routes = _routes_in_use(figures)
    return (
        alt.Chart(
            pd.DataFrame(rows, columns=["category", "route", "calls"]),
            title=f"Routes by call category (the {len(categories)} largest categories)",
        )
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort=categories, title=None),
            x=alt.X("calls:Q", title="calls", stack="zero"),
            color=alt.Color("route:N", scale=route_scale(routes), title="route"),
            order=alt.Order("route_order:Q"),
            tooltip=["category:N", "route:N", alt.Tooltip("calls:Q", format=",")],
        )
        .transform_calculate(route_order=f"indexof({routes!r}, datum.route)")
        .properties(width=680, height=22 * max(1, len(categories)))
    )


def no_officer_by_weekday_hour_chart(figures: RouteFigures) -> alt.Chart:
    rows = [
        {
            "weekday": weekday,
            "hour": hour,
            "calls": sum(calls for route, calls in routes.items() if route not in OFFICER_ROUTES),
        }
        for weekday, hours in figures.by_weekday_hour.items()
        for hour, routes in hours.items()
    ]
    return (
        alt.Chart(
            pd.DataFrame(rows),
            title="Calls that need a responder without an officer, by day and hour",
        )
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="hour of day"),
            y=alt.Y("weekday:O", sort=list(WEEKDAYS), title=None),
            color=alt.Color("calls:Q", scale=alt.Scale(scheme="greens"), title="calls"),
            tooltip=["weekday:O", "hour:O", alt.Tooltip("calls:Q", format=",")],
        )
        .properties(width=760, height=7 * 30)
    )


def moves_chart(result: ReplayResult) -> alt.LayerChart:
    assert result.moves is not None and result.compare is not None
    first, second = result.primary.protocol.name, result.compare.protocol.name
    routes = _routes_in_use(result.primary, result.compare)
    rows = [
        {"from": source, "to": target, "calls": calls}
        for source, targets in result.moves.items()
        for target, calls in targets.items()
        if source in routes and target in routes
    ]
    base = alt.Chart(
        pd.DataFrame(rows),
        title=f"What moves: route under {first} (rows) and under {second} (columns)",
    ).encode(
        x=alt.X("to:N", sort=routes, title=f"route under {second}"),
        y=alt.Y("from:N", sort=routes, title=f"route under {first}"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("calls:Q", scale=alt.Scale(scheme="oranges"), title="calls"),
        tooltip=["from:N", "to:N", alt.Tooltip("calls:Q", format=",")],
    )
    labels = base.mark_text(fontSize=12).encode(text=alt.Text("calls:Q", format=","))
    return (cells + labels).properties(width=90 * len(routes), height=40 * len(routes))


def routes_side_by_side_chart(result: ReplayResult) -> alt.Chart:
    assert result.compare is not None
    routes = _routes_in_use(result.primary, result.compare)
    rows = [
        {"protocol": figures.protocol.name, "route": route, "calls": figures.routes.get(route, 0)}
        for figures in (result.primary, result.compare)
        for route in routes
    ]
    return (
        alt.Chart(pd.DataFrame(rows), title="Calls per route under each protocol")
        .mark_bar()
        .encode(
            y=alt.Y("protocol:N", title=None),
            x=alt.X("calls:Q", title="calls"),
            color=alt.Color("route:N", scale=route_scale(routes), title="route"),
            row=alt.Row("route:N", sort=routes, title=None),
            tooltip=["protocol:N", "route:N", alt.Tooltip("calls:Q", format=",")],
        )
        .properties(width=600, height=40)
    )


def _routes_table(result: ReplayResult) -> str:
    figures = [result.primary, *([result.compare] if result.compare else [])]
    head = "".join(
        f'<th class="num">{escape(one.protocol.name)}</th><th class="num">share</th>'
        for one in figures
    )
    body = ""
    for route in _routes_in_use(result.primary, result.compare):
        cells = "".join(
            f'<td class="num">{_number(one.routes.get(route, 0))}</td>'
            f'<td class="num">{_percent(one.routes.get(route, 0), result.calls)}</td>'
            for one in figures
        )
        body += f"<tr><td>{escape(route)}</td>{cells}</tr>"
    return f'<table id="routes"><thead><tr><th>route</th>{head}</tr></thead><tbody>{body}</tbody></table>'


def _hours_text(figures: RouteFigures) -> str:
    hours = figures.officer_hours
    return (
        f"{escape(figures.protocol.name)}: {_number(hours.hours_freed)} officer hours freed over "
        f"{_number(hours.calls_freed)} calls sent no officer; {escape(hours.method)}."
    )


def _defaults_table(result: ReplayResult) -> str:
    categories = list(result.primary.by_category)[:TOP_CATEGORIES]
    body = "".join(
        f'<tr><td>{escape(category)}</td><td class="num">{default_on_scene_minutes(None if category == "(unmapped)" else category):.0f}</td></tr>'
        for category in categories
    )
    return (
        '<table id="defaults"><thead><tr><th>category</th><th class="num">default minutes on scene</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def replay_report_html(result: ReplayResult, *, store: str, generated_at: datetime) -> str:
    """The whole report as one HTML document, charts included, with no external resource."""
    primary = result.primary
    charts: dict[str, alt.TopLevelMixin] = {
        "chart-route-by-hour": route_by_hour_chart(primary),
        "chart-routes-by-category": routes_by_category_chart(primary),
        "chart-weekday-hour": no_officer_by_weekday_hour_chart(primary),
    }
    compare_section = ""
    if result.compare is not None and result.moves is not None:
        charts["chart-moves"] = moves_chart(result)
        charts["chart-side-by-side"] = routes_side_by_side_chart(result)
        moved = sum(
            calls
            for source, targets in result.moves.items()
            for target, calls in targets.items()
            if source != target
        )
        compare_section = f"""
<h2>{escape(primary.protocol.name)} against {escape(result.compare.protocol.name)}</h2>
<p>{_number(moved)} calls ({_percent(moved, result.calls)}) take a different route under the two protocols.
{_hours_text(result.compare)}</p>
<div class="chart" id="chart-moves"></div>
<div class="chart" id="chart-side-by-side"></div>"""
    filters = result.filters
    scope = ", ".join(
        part
        for part in (
            f"city {filters.city}" if filters.city else "",
            f"from {filters.start.isoformat()}" if filters.start else "",
            f"to {filters.end.isoformat()}" if filters.end else "",
        )
        if part
    )
    no_officer = sum(
        calls for route, calls in primary.routes.items() if route not in OFFICER_ROUTES
    )
    protocol = primary.protocol
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Replay of {escape(protocol.name)} · CoResponse</title>
<style>{CSS}</style>
<script>{vega_bundle()}</script>
</head>
<body>
<h1>What {escape(protocol.name)} would have done with {_number(result.calls)} past calls</h1>
<p class="meta">Protocol {escape(protocol.name)} version {escape(protocol.version)}
(content hash <code>{escape(protocol.content_hash[:12])}</code>), replayed over {escape(store)}{" (" + escape(scope) + ")" if scope else ""}
on {generated_at:%d %b %Y %H:%M} UTC.</p>
<section class="figures">
  <div class="figure"><span class="value" id="calls-decided">{_number(result.calls)}</span><span class="label">calls decided</span></div>
  <div class="figure"><span class="value">{_number(no_officer)}</span><span class="label">sent no officer ({_percent(no_officer, result.calls)})</span></div>
  <div class="figure"><span class="value" id="hours-freed">{_number(primary.officer_hours.hours_freed)}</span><span class="label">officer hours freed</span></div>
</section>
<h2>Routes</h2>
{_routes_table(result)}
<p class="note">{_hours_text(primary)} One officer per call is counted; the store does not say how many went.</p>
<div class="chart" id="chart-route-by-hour"></div>
<div class="chart" id="chart-routes-by-category"></div>
<div class="chart" id="chart-weekday-hour"></div>
{compare_section}
<h2>How the figures were made</h2>
<p class="note">Every call was decided by the protocol's compiled rules, with the signals read from its
remarks and the number of calls at its address in the 12 months before. Routes without an officer
(everything but police and co_response) free the officer time the call took: its own time on scene
(arrived to cleared) where the data has it, otherwise the default for its category below.
{_number(result.hours_unknown)} calls have no time of day (a date-only export): they are left out of the
hour charts, and since no team-hours rule can apply to them they take the protocol's off-duty routes.</p>
<p class="note">Historical calls carry no screening answers: a weapon, violence or a threat is seen
only where the remarks mention it in a way the remarks reader knows, and on remarks written by people
who had not seen the reader it missed about one such mention in five (docs/remarks.md in the
CoResponse source). The calls shown going without an officer are therefore an upper bound. Live calls
are not decided this way: the call-taker is asked the weapon and violence questions whatever the
remarks say.</p>
{_defaults_table(result)}
<script>
{embed_script(charts)}
</script>
</body>
</html>
"""


def write_replay_report(
    result: ReplayResult, path: Path, *, store: str, generated_at: datetime
) -> Path:
    """Write the report to ``path`` (atomically: a reader never sees half a page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(
        replay_report_html(result, store=store, generated_at=generated_at), encoding="utf-8"
    )
    partial.replace(path)
    return path
