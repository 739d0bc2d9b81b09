"""Vega-Lite specs (built with Altair) for the report's charts.

Each function takes report records and returns a plain spec dict, or None when there is
nothing to draw (the page then says so in words). Data is inlined in the spec: the page must
open with no network. Altair validates every spec against the Vega-Lite schema, so a typo
in an encoding fails here, in Python, rather than as a blank chart in a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from ui.htmlreport.data import (
    LEVEL_ORDER,
    ON_TIME,
    STATUSES,
    TIMELINESS_BUCKETS,
    CoverageCell,
    OutcomeRow,
    PanelCell,
    ReasonCount,
    source_labels,
)

Spec = dict[str, Any]

# Fonts with CJK glyphs first: issuers and reasons are Chinese.
FONT = (
    '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", '
    '"Source Han Sans SC", sans-serif'
)
STATUS_COLORS = ["#2e7d32", "#ef6c00", "#90a4ae", "#e0e0e0"]
BUCKET_COLORS = ["#2e7d32", "#ffb74d", "#f57c00", "#c62828", "#90a4ae", "#e0e0e0"]
APPROX_LABELS = ["exact", "approximate (余 / 多 / 以上)"]
MAX_SOURCE_ROWS = 80  # governments drawn one row each; more are drawn per province
MAX_TOOLTIP = 240  # characters of an evidence sentence shown on hover; the table has all


def _config(chart: alt.TopLevelMixin) -> Spec:
    spec: Spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    return spec


def coverage_chart(cells: Sequence[CoverageCell]) -> Spec | None:
    """Sources × report years, coloured by published on time / late / not found.

    Past ``MAX_SOURCE_ROWS`` governments one row each would be thousands of pixels tall, so
    the chart then shows provinces × years instead (the table still lists every one).
    """
    if not cells:
        return None
    if len({c.key for c in cells}) > MAX_SOURCE_ROWS:
        return _province_coverage_chart(cells)
    labels = source_labels(cells)
    values = [
        {
            "issuer": labels[c.key],
            "year": str(c.report_year),
            "status": c.status,
            "published": c.publish_date.isoformat() if c.publish_date else "",
            "days_late": c.days_late if c.days_late else None,
            "level": c.level,
        }
        for c in cells
    ]
    issuers = list(dict.fromkeys(labels[c.key] for c in cells))
    base = alt.Chart({"values": values}).encode(
        x=alt.X("year:O", title="report year", axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("issuer:N", title=None, sort=issuers),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "status:N",
            title="status",
            scale=alt.Scale(domain=STATUSES, range=STATUS_COLORS),
        ),
        tooltip=[
            alt.Tooltip("issuer:N", title="government"),
            alt.Tooltip("year:O", title="report year"),
            alt.Tooltip("status:N"),
            alt.Tooltip("published:N", title="publish date"),
            alt.Tooltip("days_late:Q", title="days late"),
            alt.Tooltip("level:N"),
        ],
    )
    days = (
        base.mark_text(fontSize=10, color="white")
        .encode(text=alt.Text("days_late:Q", format="d"))
        .transform_filter("datum.days_late > 0")
    )
    chart = (rect + days).properties(
        width=alt.Step(56), height=alt.Step(18), title="Publication by government and report year"
    )
    return _config(chart)


def _province_coverage_chart(cells: Sequence[CoverageCell]) -> Spec:
    groups: dict[tuple[str, int], list[CoverageCell]] = {}
    for c in cells:
        groups.setdefault((c.province or "(no province)", c.report_year), []).append(c)
    values = [
        {
            "province": province,
            "year": str(year),
            "governments": len(group),
            "published": sum(c.published for c in group),
            "on_time": sum(c.status == ON_TIME for c in group),
            "share": sum(c.status == ON_TIME for c in group) / len(group),
        }
        for (province, year), group in sorted(groups.items())
    ]
    base = alt.Chart({"values": values}).encode(
        x=alt.X("year:O", title="report year", axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("province:N", title=None),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "share:Q",
            title="published on time",
            scale=alt.Scale(domain=[0, 1], scheme="greens"),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("province:N"),
            alt.Tooltip("year:O", title="report year"),
            alt.Tooltip("governments:Q"),
            alt.Tooltip("published:Q"),
            alt.Tooltip("on_time:Q", title="on time"),
            alt.Tooltip("share:Q", title="on-time share", format=".0%"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("label:N"),
        color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
    ).transform_calculate(label="datum.on_time + '/' + datum.governments")
    chart = (rect + text).properties(
        width=alt.Step(56), height=alt.Step(18),
        title="Published on time, by province and report year (on time / governments)",
    )  # fmt: skip
    return _config(chart)


def timeliness_chart(cells: Sequence[CoverageCell]) -> Spec | None:
    """How many governments published on time, late (by how much) or not at all, per year and
    level."""
    if not cells:
        return None
    # The facet is ordered by a rank field, kept through the count() aggregate by `detail`
    # (without it the field is gone and the facet falls back to alphabetical order).
    values = [
        {
            "year": str(c.report_year),
            "level": c.level,
            "level_rank": LEVEL_ORDER.index(c.level) if c.level in LEVEL_ORDER else 99,
            "bucket": c.bucket,
        }
        for c in cells
    ]
    chart = (
        alt.Chart({"values": values})
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="report year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count():Q", title="governments", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "bucket:N",
                title="publication",
                scale=alt.Scale(domain=TIMELINESS_BUCKETS, range=BUCKET_COLORS),
                sort=TIMELINESS_BUCKETS,
            ),
            order=alt.Order("bucket_rank:Q"),
            detail=alt.Detail("level_rank:Q"),
            column=alt.Column(
                "level:N",
                title="level",
                sort=alt.EncodingSortField(field="level_rank", op="min"),
            ),
            tooltip=[
                alt.Tooltip("level:N"),
                alt.Tooltip("year:O", title="report year"),
                alt.Tooltip("bucket:N", title="publication"),
                alt.Tooltip("count():Q", title="governments"),
            ],
        )
        .transform_calculate(
            bucket_rank=f"indexof({TIMELINESS_BUCKETS!r}, datum.bucket)",
        )
        .properties(width=alt.Step(34), height=220, title="Timeliness against the 1 April deadline")
    )
    return _config(chart)


def indicator_chart(cells: Sequence[PanelCell]) -> Spec | None:
    """One indicator by region and year; approximate (余) values drawn as triangles."""
    if not cells:
        return None
    values = [
        {
            "region": c.region,
            "year": str(c.report_year),
            "value": c.value,
            "label": c.value_label,
            "approx": APPROX_LABELS[1] if c.approx else APPROX_LABELS[0],
            "evidence": _clip(c.evidence_sentence or c.evidence_text),
        }
        for c in cells
    ]
    unit = next((c.unit for c in cells if c.unit), "")
    name = next((c.indicator_name for c in cells if c.indicator_name), cells[0].indicator)
    base = alt.Chart({"values": values}).encode(
        x=alt.X("year:O", title="report year", axis=alt.Axis(labelAngle=0)),
        # Rates crowd near 100%: a zero baseline would flatten every difference.
        y=alt.Y(
            "value:Q",
            title=f"{name} ({unit})" if unit else name,
            scale=alt.Scale(zero=unit != "%"),
        ),
        color=alt.Color("region:N", title="region"),
    )
    lines = base.mark_line(strokeWidth=1.5, opacity=0.6)
    points = base.mark_point(size=100, filled=True, opacity=0.9).encode(
        shape=alt.Shape(
            "approx:N",
            title="value",
            scale=alt.Scale(domain=APPROX_LABELS, range=["circle", "triangle-up"]),
        ),
        tooltip=[
            alt.Tooltip("region:N"),
            alt.Tooltip("year:O", title="report year"),
            alt.Tooltip("label:N", title="value"),
            alt.Tooltip("approx:N", title="kind"),
            alt.Tooltip("evidence:N", title="evidence"),
        ],
    )
    chart = (lines + points).properties(width=560, height=300, title=f"{name} by region and year")
    return _config(chart)


OUTCOME_COLORS = ["#2e7d32", "#81c784", "#c62828", "#ff8a65", "#90a4ae", "#cfd8dc"]


def outcomes_chart(rows: Sequence[OutcomeRow]) -> Spec | None:
    """How each report's 政府信息公开 applications ended, by region and year (stacked)."""
    labels = [label for _, label in OutcomeRow.OUTCOMES]
    values = [
        {"report": f"{r.region} {r.report_year}", "region": r.region,
         "year": str(r.report_year), "outcome": label, "count": getattr(r, attr),
         "rank": n}
        for r in rows for n, (attr, label) in enumerate(OutcomeRow.OUTCOMES)
        if getattr(r, attr)  # zeros draw nothing; unknown groups are listed in the table
    ]
    if not values:
        return None
    chart = (
        alt.Chart({"values": values})
        .mark_bar()
        .encode(
            y=alt.Y("report:N", title=None, sort=None),
            x=alt.X("count:Q", title="applications decided", stack="normalize",
                    axis=alt.Axis(format="%")),
            color=alt.Color("outcome:N", title="outcome",
                            scale=alt.Scale(domain=labels, range=OUTCOME_COLORS), sort=labels),
            order=alt.Order("rank:Q"),
            tooltip=[alt.Tooltip("region:N"), alt.Tooltip("year:O", title="report year"),
                     alt.Tooltip("outcome:N"), alt.Tooltip("count:Q", format="d")],
        )
        .properties(width=480, height=alt.Step(20),
                    title="政府信息公开申请: outcomes by region and report year")
    )
    return _config(chart)


def quality_chart(rows: Sequence[tuple[str, ReasonCount]]) -> Spec | None:
    """Problems by reason, one bar each, coloured by what kind of problem it is."""
    if not rows:
        return None
    values = [
        {
            "category": category,
            "reason": _clip(f"{r.group}: {r.reason}", 90),
            "count": r.count,
        }
        for category, r in rows
    ]
    chart = (
        alt.Chart({"values": values})
        .mark_bar()
        .encode(
            y=alt.Y("reason:N", title=None, sort="-x", axis=alt.Axis(labelLimit=560)),
            x=alt.X(
                "count:Q", title="rows / documents", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=alt.Color("category:N", title="problem"),
            tooltip=[alt.Tooltip("category:N"), alt.Tooltip("reason:N"), alt.Tooltip("count:Q")],
        )
        .properties(width=420, height=alt.Step(20), title="Data quality: problems by reason")
    )
    return _config(chart)


def _clip(text: str, limit: int = MAX_TOOLTIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

