"""``ReportData`` → one self-contained HTML page (Jinja2 with autoescaping on).

Everything scraped (titles, issuers, sentences, reasons) reaches the page either through
Jinja2's autoescape or inside the JSON of a chart spec, where ``<``, ``>`` and ``&`` are
written as ``\\u003c`` etc. so no string can close the ``<script>`` it sits in. The Vega,
Vega-Lite and vega-embed JavaScript is inlined from vl-convert's bundle, so the page draws
its charts with no network; a Content-Security-Policy forbids any request that slipped in.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ui.htmlreport import charts
from ui.htmlreport.data import (
    STATUSES,
    TIMELINESS_BUCKETS,
    OutcomeRow,
    PanelCell,
    ReportData,
    csv_text,
    panel_pivot,
    province_table,
    status_counts,
    timeliness_table,
)

# 'unsafe-eval': Vega compiles its expressions with the Function constructor.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)
_SCRIPT_END = re.compile(r"</script|<!--", re.I)
MAX_TABLE_ROWS = 5000  # coverage rows listed in the page; the view has them all


class RenderError(RuntimeError):
    """The page could not be assembled; the message says what to fix."""


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega + Vega-Lite + vega-embed as one script that sets ``window.vegaEmbed``."""
    import vl_convert

    js: str = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
    if _SCRIPT_END.search(js):
        # Inlined verbatim, the bundle must not contain a sequence that ends the <script>.
        raise RenderError(
            f"vl-convert {getattr(vl_convert, '__version__', '?')}'s JavaScript bundle "
            "contains '</script' or '<!--' and cannot be inlined; pin another version"
        )
    return js


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element (and readable by JSON.parse)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def safe_href(url: str | None) -> str | None:
    """Only web links become anchors: a scraped ``javascript:`` URL stays text."""
    if url and re.match(r"^https?://", url, re.I):
        return url
    return None


def evidence_parts(cell: PanelCell) -> tuple[str, str, str]:
    """The sentence split around the quantity it states, so the page can highlight it.

    An occurrence right after a digit is part of a longer number ("9件" inside "1749件"),
    so it is not the one; with no clean occurrence the sentence is shown unmarked.
    """
    sentence = cell.evidence_sentence or cell.evidence_text
    needle = cell.evidence_text
    for m in re.finditer(re.escape(needle), sentence) if needle else ():
        before = sentence[m.start() - 1] if m.start() else ""
        if not (before.isdigit() or before == "."):
            return sentence[: m.start()], needle, sentence[m.end() :]
    return sentence, "", ""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # The template sits beside this module: package data ("*.html") ships it in wheels.
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["evidence"] = evidence_parts
    return env


def chart_specs(data: ReportData) -> dict[str, dict[str, Any]]:
    """Element id → Vega-Lite spec, for the charts that have data."""
    candidates = {
        "chart-coverage": charts.coverage_chart(data.coverage),
        "chart-timeliness": charts.timeliness_chart(data.coverage),
        "chart-indicator": charts.indicator_chart(data.panel),
        "chart-outcomes": charts.outcomes_chart(data.outcomes),
        "chart-quality": charts.quality_chart(data.quality_rows()),
    }
    return {k: v for k, v in candidates.items() if v is not None}


def data_href(csv: str) -> str:
    """A ``data:`` link a reader's browser downloads as a file (no request leaves the page)."""
    from urllib.parse import quote

    return "data:text/csv;charset=utf-8," + quote("\ufeff" + csv)  # BOM: Excel reads UTF-8


def downloads(data: ReportData) -> dict[str, str]:
    """The rows behind the coverage, the indicator panel and the disclosure outcomes."""
    return {
        "coverage": data_href(csv_text(
            ["admin_code", "government", "level", "province", "report_year", "status",
             "publish_date", "days_late", "found_on", "title", "url"],
            ((c.key, c.issuer, c.level, c.province, c.report_year, c.status, c.publish_date,
              c.days_late, c.found_on, c.title, c.url) for c in data.coverage))),
        "panel": data_href(csv_text(
            ["region", "admin_code", "province", "report_year", "indicator", "value", "unit",
             "approx", "evidence_sentence", "url"],
            ((p.region, p.admin_code, p.province, p.report_year, p.indicator, p.value, p.unit,
              p.approx_kind or "", p.evidence_sentence, p.url) for p in data.panel))),
        "outcomes": data_href(csv_text(
            ["region", "province", "report_year", "received",
             *(attr for attr, _ in OutcomeRow.OUTCOMES), "total", "carried_out",
             "publish_date", "due", "days_late", "url"],
            ((o.region, o.province, o.report_year, o.received,
              *(getattr(o, attr) for attr, _ in OutcomeRow.OUTCOMES), o.total, o.carried_out,
              o.publish_date, o.due, o.days_late, o.url) for o in data.outcomes))),
    }


def render_html(data: ReportData) -> str:
    specs = {} if data.empty else chart_specs(data)
    pivot = panel_pivot(data.panel)
    template = _environment().get_template("page.html")
    return template.render(
        data=data,
        csp=CSP,
        specs=specs,
        specs_json=Markup(script_json(specs)),
        vega_js=Markup(vega_bundle()) if specs else "",
        statuses=STATUSES,
        status_counts=status_counts(data.coverage),
        buckets=TIMELINESS_BUCKETS,
        timeliness=timeliness_table(data.coverage),
        coverage_rows=data.coverage[:MAX_TABLE_ROWS],
        years=sorted({c.report_year for c in data.coverage}),
        other_indicators=[s for s in data.indicators if s.indicator != data.indicator][:40],
        outcome_labels=OutcomeRow.OUTCOMES,
        province_rows=province_table(data.coverage),
        pivot_years=pivot[0],
        pivot_rows=pivot[1],
        downloads=downloads(data),
    )
