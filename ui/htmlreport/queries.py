"""Warehouse views → ``ReportData``: the only module of the report that speaks SQL.

It needs nothing but an object with ``query(sql) -> (columns, rows)`` (the ``Warehouse``
API), so it never imports DuckDB. Filter values come from the command line, so every one is
passed as a quoted SQL literal, never pasted in raw.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from ui.htmlreport.data import (
    CoverageCell,
    Filters,
    IndicatorSummary,
    OutcomeRow,
    PanelCell,
    ReasonCount,
    ReportData,
    level_label,
    pick_indicator,
)

Rows = list[dict[str, Any]]

# Province names are matched without their suffix, so `--province 四川` and `--province
# 四川省` both select 四川省 rows (the registry and the extractor do not always agree).
_PROVINCE_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")
# URLs, file names and long digit runs (article ids) differ between otherwise alike problems.
_VOLATILE = re.compile(
    r"https?://\S+|[^\s/:]+\.(?:pdf|docx?|wps|xlsx?|zip|rar|ofd|html?)\b|\d{5,}", re.I
)


class Queryable(Protocol):
    def query(self, sql: str) -> tuple[Sequence[str], Sequence[Sequence[Any]]]: ...


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def province_stem(name: str) -> str:
    return _PROVINCE_SUFFIX.sub("", name.strip()) or name.strip()


def _rows(wh: Queryable, sql: str) -> Rows:
    cols, rows = wh.query(sql)
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _where(*conds: str) -> str:
    kept = [c for c in conds if c]
    return (" WHERE " + " AND ".join(kept)) if kept else ""


def _province_cond(column: str, filters: Filters) -> str:
    if not filters.provinces:
        return ""
    ors = " OR ".join(
        f"starts_with({column}, {sql_str(province_stem(p))})" for p in filters.provinces
    )
    return f"({ors})"


def _year_cond(column: str, filters: Filters) -> str:
    if not filters.years:
        return ""
    return f"{column} IN ({', '.join(str(int(y)) for y in filters.years)})"


def reason_family(text: str) -> str:
    """A reason with its URLs, file names and ids blanked, so alike problems group."""
    return _VOLATILE.sub("…", text.strip())[:160] or "(no reason given)"


# ----------------------------------------------------------------------------- sections
COVERAGE_SQL = """
SELECT c.admin_code, c.issuer, c.level, c.province, c.report_year, c.published,
       c.publish_date, c.days_late, c.status, c.url, c.found_on,
       (SELECT min(r.title) FROM reports_current r
        WHERE list_contains(string_split(c.report_keys, ','), r.report_key)) AS title
FROM government_coverage c
{where}
ORDER BY c.province NULLS LAST, c.issuer, c.report_year
"""
# Coverage and timeliness in the page are about 法治政府建设年度报告, one cell per government
# and year; the second family has its own section (disclosure outcomes, its own deadlines).
_RULE_OF_LAW = "c.family = 'rule_of_law'"

GOVERNMENTS_SQL = """
SELECT DISTINCT c.admin_code, c.issuer, c.level, c.province FROM government_coverage c {where}
"""


def coverage(wh: Queryable, filters: Filters) -> list[CoverageCell]:
    """The ``government_coverage`` cells (法治政府建设年度报告) in the selection.

    The view spans only the years some report covers; a year asked for with ``--years``
    where nothing was found at all is still a year every government missed, so it is added
    as "not found" cells rather than silently left out.
    """
    where = _where(
        _RULE_OF_LAW,
        _province_cond("c.province", filters),
        _year_cond("c.report_year", filters),
    )
    cells = _coverage_cells(wh, where)
    missing = sorted(set(filters.years) - {c.report_year for c in cells})
    if missing:
        govs = _rows(wh, GOVERNMENTS_SQL.format(
            where=_where(_RULE_OF_LAW, _province_cond("c.province", filters))))
        cells += [
            CoverageCell(
                key=r["admin_code"], issuer=r["issuer"] or r["admin_code"],
                level=level_label(r["level"]), province=r["province"], report_year=year,
                published=False,
            )  # fmt: skip
            for r in govs
            for year in missing
        ]
        cells.sort(key=lambda c: (c.province is None, c.province or "", c.issuer, c.report_year))
    return cells


def _coverage_cells(wh: Queryable, where: str) -> list[CoverageCell]:
    return [
        CoverageCell(
            key=r["admin_code"],
            issuer=r["issuer"] or r["admin_code"],
            level=level_label(r["level"]),
            province=r["province"],
            report_year=int(r["report_year"]),
            published=bool(r["published"]),
            publish_date=as_date(r["publish_date"]),
            title=r["title"],
            days_late=None if r["days_late"] is None else int(r["days_late"]),
            on_time={"on_time": True, "late": False}.get(r["status"]),
            url=r["url"],
            found_on=r["found_on"],
        )
        for r in _rows(wh, COVERAGE_SQL.format(where=where))
    ]


# A department reports alongside its government in the same county, so a region is named
# by its issuer (without the 人民政府 every government shares) rather than by its county.
_REGION = (
    "coalesce(nullif(regexp_replace(issuer, '人民政府$', ''), ''), county, prefecture, "
    "province, admin_code, report_key)"
)

INDICATORS_SQL = """
SELECT indicator, any_value(indicator_name) AS name, count(*) AS cells,
       count(DISTINCT {region}) AS regions, count(DISTINCT report_year) AS years
FROM indicator_panel {where}
GROUP BY indicator
"""

PANEL_SQL = """
SELECT {region} AS region, admin_code, province, report_year, indicator, indicator_name,
       value, unit, approx, approx_kind, evidence_text, evidence_sentence, url, candidates
FROM indicator_panel {where}
ORDER BY region, report_year
"""


def indicators(wh: Queryable, filters: Filters) -> list[IndicatorSummary]:
    where = _where(
        "report_year IS NOT NULL",
        _province_cond("province", filters),
        _year_cond("report_year", filters),
    )
    return sorted(
        (
            IndicatorSummary(r["indicator"], r["name"], r["cells"], r["regions"], r["years"])
            for r in _rows(wh, INDICATORS_SQL.format(region=_REGION, where=where))
        ),
        key=lambda s: (-s.regions, -s.cells, s.indicator),
    )


def panel(wh: Queryable, filters: Filters, indicator: str) -> list[PanelCell]:
    where = _where(
        "report_year IS NOT NULL",
        f"indicator = {sql_str(indicator)}",
        _province_cond("province", filters),
        _year_cond("report_year", filters),
    )
    return [
        PanelCell(
            region=r["region"],
            admin_code=r["admin_code"],
            province=r["province"],
            report_year=int(r["report_year"]),
            indicator=r["indicator"],
            indicator_name=r["indicator_name"],
            value=float(r["value"]),
            unit=r["unit"] or "",
            approx=bool(r["approx"]),
            approx_kind=r["approx_kind"],
            evidence_text=r["evidence_text"] or "",
            evidence_sentence=r["evidence_sentence"] or "",
            url=r["url"],
            candidates=int(r["candidates"] or 1),
        )
        for r in _rows(wh, PANEL_SQL.format(region=_REGION, where=where))
    ]


# Each night quarantines the same bad row again under a new run id: a row counts once.
QUARANTINE_SQL = """
WITH latest AS (
    SELECT * FROM quarantine
    QUALIFY row_number() OVER (
        PARTITION BY table_name, row_key, check_name, column_name
        ORDER BY quarantined_at DESC, run_id DESC
    ) = 1
)
SELECT table_name, check_name, count(*) AS n,
       min(coalesce(row_key, '') || ' ' || coalesce(column_name, '') || '=' ||
           coalesce(failing_value, 'NULL')) AS example
FROM latest GROUP BY table_name, check_name ORDER BY n DESC, table_name, check_name
"""


def quarantine(wh: Queryable) -> list[ReasonCount]:
    return [
        ReasonCount(r["table_name"] or "?", r["check_name"] or "?", int(r["n"]), r["example"])
        for r in _rows(wh, QUARANTINE_SQL)
    ]


CHECKS_SQL = """
SELECT report_key, issuer, report_year, checks FROM reports_current
{where}
"""


_PASSED = {"", "pass", "passed", "ok", "skip", "skipped", "n/a"}
_SPELLING = {"failed": "fail", "failure": "fail", "error": "fail", "warning": "warn"}


def check_outcome(check: dict[str, Any]) -> str | None:
    """The status of a check worth showing (fail, warn, partial, ...), None for a pass.

    The indicator module writes ``{"check", "status", "detail", "mentions"}``; a boolean
    ``ok``/``passed`` flag is read too, so rows written by another version still count.
    """
    for key in ("ok", "passed"):
        if key in check and isinstance(check[key], bool):
            return None if check[key] else "fail"
    status = str(check.get("status") or "").strip().lower()
    if status in _PASSED:
        return None
    return _SPELLING.get(status, status)


def _check_name(check: dict[str, Any]) -> str:
    for key in ("check", "name", "id"):
        if check.get(key):
            return str(check[key])
    return "unnamed check"


def failed_checks(wh: Queryable, filters: Filters) -> list[ReasonCount]:
    """Consistency checks that did not pass, by status (fail first) and check name."""
    where = _where(
        "checks IS NOT NULL",
        "checks NOT IN ('', '[]', 'null')",
        _province_cond("province", filters),
        _year_cond("report_year", filters),
    )
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for r in _rows(wh, CHECKS_SQL.format(where=where)):
        who = f"{r['issuer'] or r['report_key']} {r['report_year']}"
        try:
            checks = json.loads(r["checks"])
        except json.JSONDecodeError:
            key = ("fail", "checks column is not JSON")
            counts[key] += 1
            examples.setdefault(key, who)
            continue
        for check in checks if isinstance(checks, list) else []:
            outcome = check_outcome(check) if isinstance(check, dict) else None
            if outcome is None:
                continue
            key = (outcome, _check_name(check))
            counts[key] += 1
            detail = f": {check['detail']}" if check.get("detail") else ""
            examples.setdefault(key, who + detail)
    rank = {"fail": 0, "warn": 2}
    ordered = sorted(counts.items(), key=lambda kv: (rank.get(kv[0][0], 1), -kv[1], kv[0]))
    return [ReasonCount(g, name, n, examples.get((g, name))) for (g, name), n in ordered]


# A URL retried until it worked is not a problem the reader must act on, and each nightly
# run logs the same URLs again: only the latest attempt at each URL counts (run ids start
# with their UTC start time, so they sort by time).
FETCH_SQL = """
SELECT f.outcome, f.status, f.error, f.url FROM fetch_log f
LEFT JOIN sources s ON s.source_id = f.source_id
{where}
QUALIFY row_number() OVER (
    PARTITION BY f.url ORDER BY f.run_id DESC, f.attempt DESC, f.loaded_at DESC
) = 1
"""

SKIPS_SQL = """
SELECT k.kind, k.reason, k.url FROM skips k LEFT JOIN sources s ON s.source_id = k.source_id
{where}
QUALIFY row_number() OVER (PARTITION BY k.url ORDER BY k.run_id DESC, k.kind) = 1
"""


def _group(rows: Rows, group_key: str, reason: Any) -> list[ReasonCount]:
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (str(r[group_key] or "?"), reason(r))
        counts[key] += 1
        examples.setdefault(key, r["url"])
    return [ReasonCount(g, why, n, examples.get((g, why))) for (g, why), n in counts.most_common()]


def fetch_problems(wh: Queryable, filters: Filters) -> list[ReasonCount]:
    sql = FETCH_SQL.format(where=_where(_province_cond("s.province", filters)))
    failed = [r for r in _rows(wh, sql) if r["outcome"] not in ("ok", "not_modified")]

    def why(r: dict[str, Any]) -> str:
        error = reason_family(r["error"]) if r["error"] else ""
        status = f"HTTP {r['status']}" if r["status"] is not None else ""
        if status and status in error:
            status = ""
        return " ".join(p for p in (status, error) if p) or str(r["outcome"])

    return _group(failed, "outcome", why)


# skip reasons of the classifier doing its job: not a report, a look-alike (解读, 工作要点…),
# or a report of a family the column is not crawled for
_CLASSIFIED = ("other:", "lookalike", "disclosure:", "report:", "report year ")


def skipped(wh: Queryable, filters: Filters) -> tuple[list[ReasonCount], int]:
    """Skipped and failed documents by reason, and how many ordinary links were passed over.

    A list page links far more than reports; the classifier's skips (not a report, a
    look-alike, a family the column is not crawled for) are the crawler working as meant, so
    they are counted, not listed as problems.
    """
    sql = SKIPS_SQL.format(where=_where(_province_cond("s.province", filters)))
    problems, ordinary = [], 0
    for r in _rows(wh, sql):
        if r["kind"] == "skipped" and (r["reason"] or "").startswith(_CLASSIFIED):
            ordinary += 1
        else:
            problems.append(r)
    return _group(problems, "kind", lambda r: reason_family(r["reason"] or "")), ordinary


OUTCOMES_SQL = """
SELECT {region} AS region, province, report_year, received, disclosed, partly_disclosed,
       withheld, unavailable, not_processed, other_handling, total, carried_out, url,
       publish_date,
       make_date(CAST(report_year + 1 AS INTEGER), CASE WHEN is_department THEN 1 ELSE 3 END,
                 31) AS due
FROM (SELECT a.*, r.publish_date FROM disclosure_applications a
      JOIN reports_current r ON r.report_key = a.report_key)
{where}
ORDER BY province NULLS LAST, region, report_year
"""


def outcomes(wh: Queryable, filters: Filters) -> list[OutcomeRow]:
    """政府信息公开申请 outcomes (the 总计 column) per disclosure report in the selection;
    the deadline is 31 January for a department, 31 March for a government."""
    where = _where(
        "requester = '总计'",
        _province_cond("province", filters),
        _year_cond("report_year", filters),
    )
    return [
        OutcomeRow(
            region=str(r["region"]), province=r["province"], report_year=int(r["report_year"]),
            received=_num(r["received"]), disclosed=_num(r["disclosed"]),
            partly_disclosed=_num(r["partly_disclosed"]), withheld=_num(r["withheld"]),
            unavailable=_num(r["unavailable"]), not_processed=_num(r["not_processed"]),
            other_handling=_num(r["other_handling"]), total=_num(r["total"]),
            carried_out=_num(r["carried_out"]), url=r["url"],
            publish_date=as_date(r["publish_date"]), due=as_date(r["due"]),
        )
        for r in _rows(wh, OUTCOMES_SQL.format(region=_REGION, where=where))
    ]


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def counts(wh: Queryable, filters: Filters) -> tuple[int, int, int]:
    """法治政府建设 reports, 政府信息公开 reports and registry entries in the selection."""
    where = _where(_province_cond("province", filters), _year_cond("report_year", filters))
    (n,) = _rows(
        wh,
        "SELECT count(*) FILTER (WHERE coalesce(family, 'rule_of_law') = 'rule_of_law') AS law,"
        " count(*) FILTER (WHERE family = 'disclosure_annual') AS disclosure"
        " FROM reports_current" + where,
    )
    (n_sources,) = _rows(
        wh, "SELECT count(*) AS n FROM sources" + _where(_province_cond("province", filters))
    )
    return int(n["law"]), int(n["disclosure"]), int(n_sources["n"])


def load(wh: Queryable, filters: Filters, warehouse_name: str) -> ReportData:
    """Everything the page shows, read in a handful of queries."""
    data = ReportData(
        warehouse=warehouse_name, generated_at=datetime.now(UTC), filters=filters
    )
    data.n_reports, data.n_disclosure, data.n_sources = counts(wh, filters)
    data.coverage = coverage(wh, filters)
    data.n_governments = len({c.key for c in data.coverage})
    data.indicators = indicators(wh, filters)
    chosen = pick_indicator(data.indicators, filters.indicator)
    if filters.indicator and chosen is None:
        data.notes.append(
            f"indicator {filters.indicator!r} has no value in the selection; "
            "the indicators that do are listed below"
        )
    if chosen is not None:
        data.indicator, data.indicator_name = chosen.indicator, chosen.name
        data.panel = panel(wh, filters, chosen.indicator)
    data.outcomes = outcomes(wh, filters)
    data.quarantine = quarantine(wh)
    data.failed_checks = failed_checks(wh, filters)
    data.fetch_problems = fetch_problems(wh, filters)
    data.skipped, data.ordinary_links_skipped = skipped(wh, filters)
    return data


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
