"""The HTML report a person reads: publication, timeliness, an indicator and data quality.

``write_report`` is the edge (warehouse in, file out); ``queries.load`` turns the warehouse
views into ``ReportData`` and ``render.render_html`` turns that into one self-contained page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from govreports.settings import Settings
from ui.htmlreport.data import Filters, ReportData
from ui.htmlreport.queries import Queryable, load
from ui.htmlreport.render import RenderError, render_html

__all__ = [
    "Filters",
    "RenderError",
    "ReportData",
    "build_report",
    "render_html",
    "write_report",
]


def _filters(
    provinces: Iterable[str] | None, years: Iterable[int] | None, indicator: str | None
) -> Filters:
    return Filters(
        provinces=tuple(p.strip() for p in provinces or () if p.strip()),
        years=tuple(sorted(set(years or ()))),
        indicator=indicator.strip() if indicator and indicator.strip() else None,
    )


def build_report(wh: Queryable, filters: Filters, warehouse_name: str) -> str:
    """The page for a warehouse handle (anything with ``query(sql)``), as HTML text."""
    return render_html(load(wh, filters, warehouse_name))


def write_report(
    settings: Settings,
    out: Path,
    provinces: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    indicator: str | None = None,
) -> Path:
    """Write the report for the configured warehouse to ``out``; return its path.

    A warehouse that does not exist yet yields the "nothing to report" page (with a note
    naming the missing path) rather than an error: the page is what the reader asked for.
    """
    from warehouse import Warehouse
    from warehouse.db import exists

    filters = _filters(provinces, years, indicator)
    name = _warehouse_name(settings)
    if exists(settings):
        with Warehouse(settings) as wh:
            html = build_report(wh, filters, name)
    else:
        data = ReportData(warehouse=name, generated_at=datetime.now(UTC), filters=filters)
        data.notes.append(f"No warehouse at {name}: set GOVREPORTS_WAREHOUSE or run a crawl.")
        html = render_html(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)  # a reader never opens a half-written page
    return out


def _warehouse_name(settings: Settings) -> str:
    if settings.warehouse_target == "ducklake":
        return f"DuckLake {settings.ducklake_catalog or settings.data_dir / 'lake'}"
    return str(settings.warehouse)
