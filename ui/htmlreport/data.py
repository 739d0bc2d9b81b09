"""What the HTML report shows, as plain records, and the pure summaries drawn from them.

The queries module fills these from the warehouse; the charts and the page only read them.
Keeping the summaries here (status of a coverage cell, timeliness buckets, which indicator
to show) means they are tested on hand-made rows, without DuckDB or a browser.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# Display names for the registry's levels. The issue asks for province, prefecture, county
# and department; a 区 reports like a county, so district_gov is counted with county_gov.
LEVEL_LABELS = {
    "province_gov": "province",
    "prefecture_gov": "prefecture",
    "county_gov": "county / district",
    "district_gov": "county / district",
    "department": "department",
    "functional_zone": "functional zone",
    "other": "other",
    # government_coverage's own levels
    "province": "province",
    "prefecture": "prefecture",
    "county": "county / district",
    "zone": "functional zone",
}
LEVEL_ORDER = [
    "province",
    "prefecture",
    "county / district",
    "department",
    "functional zone",
    "other",
]

# Coverage cell states, in the order a legend reads best (good → missing).
ON_TIME = "on time"
LATE = "late"
NO_DATE = "published, date unknown"
NOT_FOUND = "not found"
STATUSES = [ON_TIME, LATE, NO_DATE, NOT_FOUND]

# Days-late buckets for the timeliness distribution. 30 and 90 days are the marks the
# evaluation teams use when they grade "timely", "late" and "very late".
TIMELINESS_BUCKETS = [
    "on time",
    "1–30 days late",
    "31–90 days late",
    "over 90 days late",
    NO_DATE,
    NOT_FOUND,
]


def level_label(level: str | None) -> str:
    return LEVEL_LABELS.get(level or "other", "other")


@dataclass(frozen=True)
class Filters:
    """What the reader asked for; empty means everything."""

    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    indicator: str | None = None

    def describe(self) -> str:
        parts = []
        if self.provinces:
            parts.append("provinces " + ", ".join(self.provinces))
        if self.years:
            parts.append("report years " + _year_span(self.years))
        if self.indicator:
            parts.append(f"indicator {self.indicator}")
        return "; ".join(parts) if parts else "everything in the warehouse"


def _year_span(years: Sequence[int]) -> str:
    ys = sorted(set(years))
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


@dataclass(frozen=True)
class CoverageCell:
    """One government × report year of the ``government_coverage`` view (法治政府建设年度报告):
    a report counts once, for the government that issued it, wherever it was found."""

    key: str  # the government's admin code
    issuer: str
    level: str  # display label (see LEVEL_LABELS)
    province: str | None
    report_year: int
    published: bool
    publish_date: date | None = None
    days_late: int | None = None
    on_time: bool | None = None
    url: str | None = None
    title: str | None = None
    found_on: str | None = None  # registry entries whose sites carry the report

    @property
    def status(self) -> str:
        if not self.published:
            return NOT_FOUND
        if self.on_time is None:
            return NO_DATE
        return ON_TIME if self.on_time else LATE

    @property
    def bucket(self) -> str:
        status = self.status
        if status != LATE:
            return status
        days = self.days_late or 0
        if days <= 30:
            return TIMELINESS_BUCKETS[1]
        if days <= 90:
            return TIMELINESS_BUCKETS[2]
        return TIMELINESS_BUCKETS[3]


@dataclass(frozen=True)
class PanelCell:
    """One region × report year value of an indicator (``indicator_panel``)."""

    region: str
    admin_code: str | None
    province: str | None
    report_year: int
    indicator: str
    indicator_name: str | None
    value: float
    unit: str
    approx: bool
    evidence_text: str
    evidence_sentence: str
    url: str | None = None
    approx_kind: str | None = None
    candidates: int = 1

    @property
    def value_label(self) -> str:
        v = int(self.value) if float(self.value).is_integer() else round(self.value, 4)
        mark = {"gte": "≥ ", "lte": "≤ "}.get(self.approx_kind or "", "≈ " if self.approx else "")
        return f"{mark}{v:,}{self.unit}" if isinstance(v, int) else f"{mark}{v}{self.unit}"


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator that has values, for the picker list and the default choice."""

    indicator: str
    name: str | None
    cells: int
    regions: int
    years: int


@dataclass(frozen=True)
class ReasonCount:
    """A count of problems sharing a reason, with one example a person can look up."""

    group: str  # e.g. the table a quarantined row was meant for, or "fetch"
    reason: str
    count: int
    example: str | None = None


@dataclass(frozen=True)
class OutcomeRow:
    """One 政府信息公开工作年度报告: how its applications ended (the 总计 column; a group is
    None when one of its reasons is unknown) and when it was published against its due day."""

    region: str
    province: str | None
    report_year: int
    received: float | None
    disclosed: float | None
    partly_disclosed: float | None
    withheld: float | None
    unavailable: float | None
    not_processed: float | None
    other_handling: float | None
    total: float | None
    carried_out: float | None
    url: str | None
    publish_date: date | None
    due: date | None

    OUTCOMES = (("disclosed", "予以公开"), ("partly_disclosed", "部分公开"),
                ("withheld", "不予公开"), ("unavailable", "无法提供"),
                ("not_processed", "不予处理"), ("other_handling", "其他处理"))

    @property
    def days_late(self) -> int | None:
        if self.publish_date is None or self.due is None:
            return None
        return max(0, (self.publish_date - self.due).days)

    @property
    def disclosed_share(self) -> float | None:
        """予以公开 + 部分公开 of the decided total (None when a part is unknown or no case)."""
        if self.total in (None, 0) or self.disclosed is None or self.partly_disclosed is None:
            return None
        return (self.disclosed + self.partly_disclosed) / self.total


@dataclass
class ReportData:
    warehouse: str
    generated_at: datetime
    filters: Filters
    n_reports: int = 0  # 法治政府建设年度报告 (current revisions) in the selection
    n_sources: int = 0  # registry entries
    n_disclosure: int = 0  # 政府信息公开工作年度报告 in the selection
    n_governments: int = 0  # governments in the coverage
    coverage: list[CoverageCell] = field(default_factory=list)
    indicators: list[IndicatorSummary] = field(default_factory=list)
    indicator: str | None = None
    indicator_name: str | None = None
    panel: list[PanelCell] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)  # 政府信息公开 applications
    quarantine: list[ReasonCount] = field(default_factory=list)
    failed_checks: list[ReasonCount] = field(default_factory=list)
    fetch_problems: list[ReasonCount] = field(default_factory=list)
    skipped: list[ReasonCount] = field(default_factory=list)
    # links the classifier passed over (not a report, a look-alike, a family the column is
    # not crawled for): the crawler working as meant, counted but not shown as problems
    ordinary_links_skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return (self.n_reports == 0 and not self.coverage and not self.outcomes
                and not self.quality_rows())

    def quality_rows(self) -> list[tuple[str, ReasonCount]]:
        return [
            *(("quarantined row", r) for r in self.quarantine),
            *(("failed check", r) for r in self.failed_checks),
            *(("fetch error", r) for r in self.fetch_problems),
            *(("skipped / unsupported", r) for r in self.skipped),
        ]


# ----------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class TimelinessRow:
    report_year: int
    level: str
    sources: int
    published: int
    on_time: int
    late: int
    median_days_late: float | None
    max_days_late: int | None

    @property
    def on_time_share(self) -> float | None:
        dated = self.on_time + self.late
        return self.on_time / dated if dated else None


def timeliness_table(cells: Iterable[CoverageCell]) -> list[TimelinessRow]:
    """Per report year and level: how many published, on time, and how late the late ones."""
    groups: dict[tuple[int, str], list[CoverageCell]] = {}
    for c in cells:
        groups.setdefault((c.report_year, c.level), []).append(c)
    rows = []
    for (year, level), group in groups.items():
        late_days = [c.days_late or 0 for c in group if c.status == LATE]
        rows.append(
            TimelinessRow(
                report_year=year,
                level=level,
                sources=len(group),
                published=sum(c.published for c in group),
                on_time=sum(c.status == ON_TIME for c in group),
                late=len(late_days),
                median_days_late=statistics.median(late_days) if late_days else None,
                max_days_late=max(late_days) if late_days else None,
            )
        )
    return sorted(rows, key=lambda r: (r.report_year, _level_rank(r.level)))


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def source_labels(cells: Iterable[CoverageCell]) -> dict[str, str]:
    """A row label per government: its issuer's name, plus its admin code where two
    governments share a name (two 城关区 in two provinces)."""
    issuers: dict[str, set[str]] = {}
    for c in cells:
        issuers.setdefault(c.issuer, set()).add(c.key)
    return {
        sid: issuer if len(sids) == 1 else f"{issuer} ({sid})"
        for issuer, sids in issuers.items()
        for sid in sids
    }


@dataclass(frozen=True)
class ProvinceRow:
    """Coverage of one province and level over the selected years."""

    province: str
    level: str
    governments: int
    cells: int  # government × year
    published: int
    on_time: int
    late: int

    @property
    def published_share(self) -> float | None:
        return self.published / self.cells if self.cells else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.cells if self.cells else None


def province_table(cells: Iterable[CoverageCell]) -> list[ProvinceRow]:
    """Per province and level: how many governments, how many government-years published
    and on time."""
    groups: dict[tuple[str, str], list[CoverageCell]] = {}
    for c in cells:
        groups.setdefault((c.province or "(unknown)", c.level), []).append(c)
    return sorted(
        (ProvinceRow(prov, level, len({c.key for c in g}), len(g),
                     sum(c.published for c in g), sum(c.status == ON_TIME for c in g),
                     sum(c.status == LATE for c in g))
         for (prov, level), g in groups.items()),
        key=lambda r: (r.province == "(unknown)", r.province, _level_rank(r.level)),
    )


def panel_pivot(cells: Sequence[PanelCell]) -> tuple[list[int], list[tuple[str, list[str]]]]:
    """The indicator by region (rows) and year (columns): each region's trend at a glance.
    A cell is the value label, or "" where the region reported none that year."""
    years = sorted({c.report_year for c in cells})
    by_region: dict[str, dict[int, str]] = {}
    for c in cells:
        by_region.setdefault(c.region, {})[c.report_year] = c.value_label
    return years, [(region, [vals.get(y, "") for y in years])
                   for region, vals in sorted(by_region.items())]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV (RFC 4180, UTF-8) of the rows behind a chart or table, for the page's downloads."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def status_counts(cells: Iterable[CoverageCell]) -> dict[str, int]:
    counts = Counter(c.status for c in cells)
    return {s: counts.get(s, 0) for s in STATUSES}


def pick_indicator(
    summaries: Sequence[IndicatorSummary], wanted: str | None
) -> IndicatorSummary | None:
    """The indicator asked for; otherwise the one covering most regions, then most cells.

    Breadth across regions is what makes a comparison chart worth reading, so it wins over a
    single region that mentions something many times.
    """
    if wanted:
        return next((s for s in summaries if s.indicator == wanted), None)
    if not summaries:
        return None
    return min(summaries, key=lambda s: (-s.regions, -s.years, -s.cells, s.indicator))
