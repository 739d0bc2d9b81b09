"""The report's data and page, from a real warehouse loaded with the gold seed reports."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from ui.htmlreport import Filters, build_report, write_report
from ui.htmlreport import queries as q
from ui.htmlreport.data import (
    LATE,
    NO_DATE,
    NOT_FOUND,
    ON_TIME,
    CoverageCell,
    IndicatorSummary,
    PanelCell,
    panel_pivot,
    pick_indicator,
    province_table,
    timeliness_table,
)
from ui.htmlreport.render import evidence_parts, safe_href, script_json

HOSTILE = "<script>alert(1)</script>"


def _load(scenario: Any, **filters: Any) -> Any:
    from warehouse import Warehouse

    with Warehouse(scenario.settings) as wh:
        return q.load(wh, Filters(**filters), str(scenario.settings.warehouse))


def _html(scenario: Any, **filters: Any) -> str:
    from warehouse import Warehouse

    with Warehouse(scenario.settings) as wh:
        return build_report(wh, Filters(**filters), str(scenario.settings.warehouse))


# ----------------------------------------------------------------------------- data
def test_coverage_marks_each_government_and_year(scenario: Any) -> None:
    data = _load(scenario)
    cells = {(c.key, c.report_year): c for c in data.coverage}
    # 4 governments (the registry's 司法厅 is a department, not in this view) × the 3 report
    # years the warehouse holds; one government-year per cell, whatever site it was found on.
    assert len(data.coverage) == 12 and data.n_reports == 3 and data.n_sources == 5
    assert data.n_governments == 4 and data.n_disclosure == 0
    late = cells[("511781", 2022)]
    assert (late.status, late.days_late, late.publish_date) == (LATE, 40, date(2023, 5, 10))
    assert late.title == "万源市2022年度法治政府建设情况报告" and late.level == "county / district"
    assert late.found_on == "wanyuan"
    assert cells[("511083", 2021)].status == ON_TIME
    assert cells[("511083", 2021)].days_late == 0
    assert cells[("220204", 2023)].status == NO_DATE
    assert cells[("220204", 2023)].level == "county / district"  # a 区 counts as a county
    assert cells[("511700", 2022)].level == "prefecture"
    assert {c.status for k, c in cells.items() if k[0] == "511700"} == {NOT_FOUND}
    assert Counter(c.status for c in data.coverage) == {NOT_FOUND: 9, LATE: 1, ON_TIME: 1,
                                                        NO_DATE: 1}  # fmt: skip
    by_province = {(r.province, r.level): r for r in province_table(data.coverage)}
    sichuan = by_province[("四川省", "county / district")]
    assert (sichuan.governments, sichuan.cells, sichuan.published, sichuan.on_time) == (2, 6, 2, 1)


def test_timeliness_by_year_and_level(scenario: Any) -> None:
    rows = {(r.report_year, r.level): r for r in timeliness_table(_load(scenario).coverage)}
    county_2022 = rows[(2022, "county / district")]
    assert (county_2022.sources, county_2022.published, county_2022.late) == (3, 1, 1)
    assert county_2022.median_days_late == 40 and county_2022.on_time_share == 0.0
    county_2021 = rows[(2021, "county / district")]
    assert county_2021.on_time == 1 and county_2021.on_time_share == 1.0
    assert rows[(2023, "county / district")].on_time_share is None  # published, no date
    assert rows[(2021, "prefecture")].published == 0
    assert [r.level for r in timeliness_table(_load(scenario).coverage) if r.report_year == 2021] \
        == ["prefecture", "county / district"]  # fmt: skip


def test_indicator_panel_keeps_approx_and_evidence(scenario: Any) -> None:
    data = _load(scenario, indicator="mediation_success_rate")
    assert data.indicator == "mediation_success_rate" and data.indicator_name
    by_region = {c.region: c for c in data.panel}
    assert set(by_region) == {"万源市", "隆昌市", "船营区"}
    wanyuan, longchang, chuanying = by_region["万源市"], by_region["隆昌市"], by_region["船营区"]
    # 万源's quarantined 980% never reaches the panel: the value is the gold 98%以上.
    assert (wanyuan.value, wanyuan.approx, wanyuan.report_year) == (98.0, True, 2022)
    assert (longchang.value, longchang.approx) == (98.0, True)
    assert (chuanying.value, chuanying.approx) == (97.0, False)
    assert wanyuan.value_label == "≥ 98%" and chuanying.value_label == "97%"
    for cell in data.panel:
        assert cell.evidence_text in cell.evidence_sentence
        assert "成功" in cell.evidence_sentence


def test_default_indicator_is_the_most_widely_reported(scenario: Any) -> None:
    data = _load(scenario)
    top = data.indicators[0]
    assert (top.regions, top.years) == (3, 3)
    assert data.indicator == min(
        s.indicator for s in data.indicators if (s.regions, s.years) == (3, 3)
    )
    assert len({c.region for c in data.panel}) == 3


def test_filters_narrow_every_section(scenario: Any) -> None:
    data = _load(scenario, provinces=("四川",), years=(2021, 2022))
    assert {c.province for c in data.coverage} == {"四川省"}
    assert {c.report_year for c in data.coverage} == {2021, 2022}
    assert data.n_reports == 2 and data.n_sources == 4
    assert all(c.province == "四川省" for c in data.panel)
    jilin = _load(scenario, provinces=("吉林省",))
    assert {c.key for c in jilin.coverage} == {"220204"}
    assert jilin.fetch_problems == [] and jilin.skipped == []  # both happened in 四川
    # A year no report covers is a year every source missed, not a year left out.
    later = _load(scenario, provinces=("吉林",), years=(2023, 2024))
    assert [(c.report_year, c.status) for c in later.coverage] == [(2023, NO_DATE),
                                                                  (2024, NOT_FOUND)]  # fmt: skip
    unknown = _load(scenario, indicator="no_such_indicator")
    assert unknown.panel == [] and "no_such_indicator" in unknown.notes[0]
    page = BeautifulSoup(_html(scenario, indicator="no_such_indicator"), "lxml")
    said = " ".join(page.select_one("section#indicator").text.split())
    assert "No value of no_such_indicator in the selection" in said


def test_quality_counts_quarantine_checks_fetch_errors_and_skips(
    scenario: Any, seed_reports: list[Any]
) -> None:
    data = _load(scenario)
    quarantined = {(r.group, r.reason): r for r in data.quarantine}
    rate = quarantined[("mentions", "value is a rate outside 0-100")]
    assert rate.count == 1 and "980" in (rate.example or "")

    expected: Counter[tuple[str, str]] = Counter()
    for report in seed_reports:
        for check in report.checks:
            if check["status"] != "pass":
                expected[(q.check_outcome(check) or "", check["check"])] += 1
    assert expected, "the gold reports have failing checks: the section must show them"
    assert {(r.group, r.reason): r.count for r in data.failed_checks} == dict(expected)
    assert data.failed_checks[0].group == "fail"

    fetch = {r.group: r for r in data.fetch_problems}
    assert fetch["http_error"].count == 2 and fetch["http_error"].reason == "HTTP 404"
    # Three attempts at one URL are one problem: only the last attempt counts.
    assert fetch["timeout"].count == 1 and "20.0s" in fetch["timeout"].reason
    skipped = {r.group: r for r in data.skipped}
    assert skipped["error"].reason == "attachment unsupported: legacy Word .doc (OLE2)"
    assert skipped["error"].example and skipped["error"].example.endswith(".doc")
    # a look-alike passed over is the classifier doing its job: counted, not a problem
    assert "skipped" not in skipped and data.ordinary_links_skipped == 1


def test_quality_reasons_group_alike_problems() -> None:
    a = q.reason_family("attachment unsupported: http://x.gov.cn/a/1.doc: legacy Word .doc")
    b = q.reason_family("attachment unsupported: http://y.gov.cn/b/2.doc: legacy Word .doc")
    assert a == b and "legacy Word" in a
    assert q.reason_family("read timeout after 20.0s") == "read timeout after 20.0s"
    assert q.check_outcome({"check": "x", "status": "pass"}) is None
    assert q.check_outcome({"check": "x", "status": "FAILED"}) == "fail"
    assert q.check_outcome({"check": "x", "ok": False}) == "fail"
    assert q.province_stem("广西壮族自治区") == "广西" and q.sql_str("a'b") == "'a''b'"


# ----------------------------------------------------------------------------- page
def test_page_is_self_contained_and_complete(scenario: Any) -> None:
    html = _html(scenario, indicator="mediation_success_rate")
    soup = BeautifulSoup(html, "lxml")
    # Nothing is loaded from anywhere: no src/href to a resource, and a CSP that forbids it.
    assert not soup.select("script[src], link[href], img[src], iframe, object, embed")
    csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert csp is not None and "default-src 'none'" in csp["content"]
    specs = json.loads(soup.select_one("#report-specs").string)
    assert set(specs) == {"chart-coverage", "chart-timeliness", "chart-indicator", "chart-quality"}
    for chart_id, spec in specs.items():
        assert soup.select_one(f"div#{chart_id}.chart") is not None
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert "url" not in json.dumps(spec.get("data", {}))  # data inline, never fetched
    bundle = max((s.string or "" for s in soup.find_all("script")), key=len)
    assert "vegaEmbed" in bundle and len(bundle) > 300_000
    for section in ("coverage", "timeliness", "indicator", "quality"):
        assert soup.select_one(f"section#{section}") is not None
    rows = soup.select("section#indicator table")[0].select("tbody tr")
    assert len(rows) == 3
    marked = [r for r in rows if r.select_one(".approx")]
    assert len(marked) == 2 and all(r.select_one("mark").text == "98%" for r in marked)
    assert "days late" in soup.select_one("section#coverage").text
    assert len(html.encode()) < 3_000_000


def test_hostile_text_is_escaped_everywhere(hostile_scenario: Any) -> None:
    html = _html(hostile_scenario)
    soup = BeautifulSoup(html, "lxml")
    assert HOSTILE not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Only the page's own four scripts, and no element grown from scraped text.
    assert len(soup.find_all("script")) == 4 and not soup.find_all("img")
    assert any(HOSTILE in td.text for td in soup.select("section#coverage td"))
    specs_text = soup.select_one("#report-specs").string
    # a scraped error message with markup reaches a chart label, written so it cannot end
    # the <script> it sits in
    hostile_error = "<img src=x onerror=alert(2)>"
    assert "</" not in specs_text and "<img" not in specs_text
    assert hostile_error in json.dumps(json.loads(specs_text), ensure_ascii=False)


def test_script_json_and_links_cannot_break_out() -> None:
    text = script_json({"t": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"t": "</script><!-- & \u2028"}
    assert safe_href("javascript:alert(1)") is None and safe_href("data:text/html,x") is None
    assert safe_href("https://www.gov.cn/a.html") == "https://www.gov.cn/a.html"


def test_empty_warehouse_says_so(make_warehouse: Any, tmp_path: Path) -> None:
    scenario = make_warehouse(empty=True)
    out = write_report(scenario.settings, tmp_path / "empty.html", years=range(2021, 2025))
    html = out.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert "Nothing to report yet" in soup.select_one("#empty").text
    assert "report years 2021–2024" in html
    assert len(soup.find_all("script")) == 1 and len(html) < 30_000  # no chart library


def test_missing_warehouse_gives_the_empty_page(tmp_path: Path) -> None:
    from govreports.settings import Settings

    settings = Settings(warehouse=tmp_path / "none" / "wh.duckdb", data_dir=tmp_path / "d")
    html = write_report(settings, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Nothing to report yet" in html and f"No warehouse at {settings.warehouse}" in html
    assert not (tmp_path / "none" / "wh.duckdb").exists()  # the report never creates one


def test_cli_writes_the_report(
    scenario: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govreports.settings import get_settings
    from ui.cli import app

    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(scenario.settings.warehouse))
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(scenario.settings.data_dir))
    get_settings.cache_clear()
    try:
        out = tmp_path / "out" / "r.html"
        args = ["report", "--out", str(out), "--province", "四川", "--years", "2021-2022",
                "--indicator", "disputes_accepted"]  # fmt: skip
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == str(out.resolve())
        html = out.read_text(encoding="utf-8")
        assert "provinces 四川; report years 2021, 2022; indicator disputes_accepted" in html
        table = BeautifulSoup(html, "lxml").select("section#indicator table")[0]
        assert {tr.td.text for tr in table.select("tbody tr")} == {"万源市", "隆昌市"}
        bad = CliRunner().invoke(app, ["report", "--out", str(out), "--years", "2024-2021"])
        assert bad.exit_code == 2 and "--years" in bad.output
    finally:
        get_settings.cache_clear()


# ----------------------------------------------------------------------------- pure parts
def _cell(**kw: Any) -> CoverageCell:
    base: dict[str, Any] = dict(
        key="s", issuer="某县人民政府", level="county / district", province="四川省",
        report_year=2023, published=True, publish_date=date(2024, 3, 1), on_time=True,
    )  # fmt: skip
    return CoverageCell(**{**base, **kw})


def test_timeliness_buckets_follow_days_late() -> None:
    assert _cell().bucket == "on time"
    assert _cell(on_time=False, days_late=30).bucket == "1–30 days late"
    assert _cell(on_time=False, days_late=31).bucket == "31–90 days late"
    assert _cell(on_time=False, days_late=91).bucket == "over 90 days late"
    assert _cell(on_time=None, publish_date=None).bucket == NO_DATE
    assert _cell(published=False, on_time=None).bucket == NOT_FOUND
    rows = timeliness_table(
        [_cell(key=str(i), on_time=False, days_late=d) for i, d in enumerate((5, 9, 120))]
    )
    assert rows[0].median_days_late == 9 and rows[0].max_days_late == 120


def test_pick_indicator_prefers_breadth_then_name() -> None:
    s = [
        IndicatorSummary("b", None, cells=9, regions=1, years=3),
        IndicatorSummary("c", None, cells=2, regions=2, years=1),
        IndicatorSummary("a", None, cells=2, regions=2, years=1),
    ]
    assert pick_indicator(s, None) == s[2]
    assert pick_indicator(s, "b") == s[0] and pick_indicator(s, "zz") is None
    assert pick_indicator([], None) is None


def test_evidence_is_split_around_the_quantity() -> None:
    cell = PanelCell(
        region="万源市", admin_code=None, province=None, report_year=2022, indicator="x",
        indicator_name=None, value=1749, unit="件", approx=False, evidence_text="1749件",
        evidence_sentence="调处矛盾纠纷1749件,成功率98%。",
    )  # fmt: skip
    assert evidence_parts(cell) == ("调处矛盾纠纷", "1749件", ",成功率98%。")
    assert cell.value_label == "1,749件"
    missing = PanelCell(**{**cell.__dict__, "evidence_text": "9件"})
    assert evidence_parts(missing) == ("调处矛盾纠纷1749件,成功率98%。", "", "")
    assert re.fullmatch(r"≥ 1,749件", PanelCell(**{**cell.__dict__, "approx": True,
                                                   "approx_kind": "gte"}).value_label)  # fmt: skip


def test_quality_shows_the_latest_state_of_each_url(
    make_warehouse: Any, seed_report_for: Any, bad_rate_mention: Any
) -> None:
    from govreports.models import Batch, FetchResult
    from warehouse import Warehouse

    scenario = make_warehouse()
    with Warehouse(scenario.settings) as wh:
        run_id = wh.start_run("nightly", {"scenario": "second night"})
        fixed = FetchResult(
            url="http://www.dazhou.gov.cn/fzzfjs/index_1.html", source_id="dazhou", status=200,
            outcome="ok", content=b"<html><body>list</body></html>", content_type="text/html",
        )  # fmt: skip
        again = FetchResult(
            url="http://www.dazhou.gov.cn/fzzfjs/index_2.html", source_id="dazhou", status=404,
            outcome="http_error", error="HTTP 404",
        )  # fmt: skip
        wh.load_batch(Batch(run_id=run_id, source_id="dazhou", fetches=[fixed, again]),
                      today=date(2025, 1, 7))  # fmt: skip
        # 万源's bad 980% is quarantined again by tonight's re-load of the same report.
        page, report = seed_report_for("wanyuan")
        report.mentions.append(bad_rate_mention())
        batch = Batch(run_id=run_id, source_id="wanyuan", fetches=[page])
        batch.reports.append((page, report))
        wh.load_batch(batch, today=date(2025, 1, 7))
        data = q.load(wh, Filters(), "wh")
        (n_quarantine,) = wh.query("SELECT count(*) FROM quarantine")[1][0]
    fetch = {r.group: r.count for r in data.fetch_problems}
    # index_1 now loads, index_2 failed twice (two nights) but is one URL: one problem.
    assert fetch == {"http_error": 1, "timeout": 1}
    rate = [r for r in data.quarantine if r.reason == "value is a rate outside 0-100"]
    assert n_quarantine >= 2 and [r.count for r in rate] == [1]


def test_every_chart_compiles_and_draws_without_a_browser(scenario: Any) -> None:
    import vl_convert

    from ui.htmlreport.render import chart_specs

    specs = chart_specs(_load(scenario, indicator="mediation_success_rate"))
    assert len(specs) == 4
    for chart_id, spec in specs.items():
        svg = vl_convert.vegalite_to_svg(spec)
        assert svg.count("<path") + svg.count("<rect") > 5, chart_id


def test_many_sources_are_charted_per_province() -> None:
    import vl_convert

    from ui.htmlreport.charts import MAX_SOURCE_ROWS, coverage_chart

    provinces = ["四川省", "吉林省", "广东省"]
    cells = [
        _cell(key=f"county-{i:03d}", issuer=f"第{i}县人民政府", report_year=year,
              province=provinces[i % 3], published=i % 4 != 0, on_time=(i % 4 != 0) or None,
              publish_date=date(year + 1, 3, 20) if i % 4 else None)
        for i in range(MAX_SOURCE_ROWS + 10)
        for year in (2022, 2023)
    ]  # fmt: skip
    spec = coverage_chart(cells)
    assert spec is not None
    values = spec["datasets"][spec["data"]["name"]]  # Altair hoists inline data by name
    assert {v["province"] for v in values} == set(provinces) and len(values) == 6
    sichuan_2022 = next(v for v in values if v["province"] == "四川省" and v["year"] == "2022")
    assert sichuan_2022["governments"] == 30 and 0 < sichuan_2022["share"] < 1
    svg = vl_convert.vegalite_to_svg(spec)
    assert "30/30" not in svg and "22/30" in svg  # 四川 2022: 22 of its 30 counties on time


def test_timeliness_panels_run_from_province_down() -> None:
    import vl_convert

    from ui.htmlreport.charts import timeliness_chart

    # Data order (and the alphabet) would put county first: the chart must not follow it.
    levels = ["county / district", "department", "prefecture"]
    cells = [_cell(key=str(i), level=level) for i, level in enumerate(levels)]
    spec = timeliness_chart(cells)
    assert spec is not None
    svg = vl_convert.vegalite_to_svg(spec)
    headers = re.findall(r"aria-label=\"Title text '(" + "|".join(levels) + ")'", svg)
    assert headers == ["prefecture", "county / district", "department"]


def test_sources_without_any_report_get_the_empty_page(make_warehouse: Any, tmp_path: Path) -> None:
    from govreports.models import Source
    from warehouse import Warehouse

    scenario = make_warehouse(empty=True)
    with Warehouse(scenario.settings) as wh:
        wh.upsert_sources([Source(id="dazhou", name="达州市人民政府", issuer="达州市人民政府",
                                  homepage="http://www.dazhou.gov.cn/", lists=(),
                                  level="prefecture_gov", province="四川省")])  # fmt: skip
    html = write_report(scenario.settings, tmp_path / "r.html").read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(html, "lxml").select_one("#empty").text.split())
    assert "Nothing to report yet" in text and "although 1 registry entry is registered" in text


# ----------------------------------------------------------------------------- disclosure
def test_disclosure_outcomes_by_region_and_year(make_warehouse: Any) -> None:
    """政府信息公开工作年度报告 join the page in a section of their own: outcomes of the
    applications per report, a group shown only when all its reasons are known, each report
    against its own due day (department 31 January, government 31 March)."""
    from datetime import UTC, datetime

    from govreports.extract import extract_document
    from govreports.models import Batch, FetchResult
    from govreports.testweb import disclosure as gen
    from warehouse import Warehouse

    sc = make_warehouse()
    batch = Batch(run_id=sc.run_id, source_id="wanyuan")
    made = {}
    for title, issuer, year, seed, published in (
        ("万源市2023年政府信息公开工作年度报告", "万源市人民政府", 2023, 31, date(2024, 3, 29)),
        ("万源市司法局2023年政府信息公开工作年度报告", "万源市司法局", 2023, 32, date(2024, 2, 5)),
    ):
        n = gen.numbers(seed)
        made[issuer] = n
        body = gen.report_html_body(issuer, year, n, "national")
        html = (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                f"<p>发布日期：{published:%Y-%m-%d}</p>{body}</body></html>").encode()
        url = f"http://www.wanyuan.gov.cn/xxgk/{seed}.html"
        page = FetchResult(url=url, source_id="wanyuan", status=200, outcome="ok", content=html,
                           content_type="text/html; charset=utf-8",
                           fetched_at=datetime(2024, 5, 1, tzinfo=UTC))
        report = extract_document(html, url=url, content_type="text/html; charset=utf-8")
        if issuer == "万源市司法局":  # one reason of 不予公开 undetermined
            cells = report.disclosure.cells
            i = next(i for i, c in enumerate(cells)
                     if (c.row, c.column) == ("属于国家秘密", "总计"))
            c = cells[i]
            cells[i] = type(c)(c.table, c.row, c.column, None, "ambiguous", "2 values")
        batch.fetches.append(page)
        batch.reports.append((page, report))
    with Warehouse(sc.settings) as wh:
        wh.load_batch(batch, today=date(2025, 1, 6))
    data = _load(sc)
    rows = {(o.region, o.report_year): o for o in data.outcomes}
    assert set(rows) == {("万源市", 2023), ("万源市司法局", 2023)}
    gov, dept = rows[("万源市", 2023)], rows[("万源市司法局", 2023)]
    a = made["万源市人民政府"].applications
    assert (gov.received, gov.disclosed, gov.total) == (
        a["本年新收政府信息公开申请数量"][-1], a["予以公开"][-1], a["总计"][-1])
    assert (gov.due, gov.days_late) == (date(2024, 3, 31), 0)
    assert (dept.due, dept.days_late) == (date(2024, 1, 31), 5)
    assert dept.withheld is None and dept.unavailable is not None
    # the other sections stay about 法治政府建设年度报告
    assert all(c.title is None or "政府信息公开" not in c.title for c in data.coverage)
    soup = BeautifulSoup(_html(sc), "html.parser")
    section = soup.find("section", id="disclosure")
    assert section is not None and section.find("div", id="chart-outcomes") is not None
    texts = [[td.get_text(strip=True) for td in tr.find_all("td")]
             for tr in section.find_all("tr")[1:]]
    dept_row = next(t for t in texts if t[0] == "万源市司法局")
    assert dept_row[6] == "–" and dept_row[-1] == "5"  # 不予公开 unknown; 5 days late


def test_the_data_behind_the_page_downloads_as_csv(scenario: Any) -> None:
    """Coverage, the indicator panel and the disclosure outcomes each carry their rows as a
    CSV link (a data: URL, so nothing is requested), and the indicator is also shown by
    region × year: each region's trend in one row."""
    import csv
    import io
    from urllib.parse import unquote

    soup = BeautifulSoup(_html(scenario, indicator="mediation_success_rate"), "lxml")
    links = {a["download"]: a["href"] for a in soup.select("a[download]")}
    assert set(links) == {"coverage.csv", "mediation_success_rate.csv"}
    coverage = list(csv.DictReader(io.StringIO(
        unquote(links["coverage.csv"].removeprefix("data:text/csv;charset=utf-8,")).lstrip(
            "\ufeff"))))
    assert len(coverage) == 12 and {r["status"] for r in coverage} >= {"late", "not found"}
    late = next(r for r in coverage if r["status"] == "late")
    assert (late["admin_code"], late["report_year"], late["days_late"]) == ("511781", "2022", "40")
    panel = list(csv.DictReader(io.StringIO(unquote(
        links["mediation_success_rate.csv"].split(",", 1)[1]).lstrip("\ufeff"))))
    assert {(r["region"], r["value"], r["approx"]) for r in panel} == {
        ("万源市", "98.0", "gte"), ("隆昌市", "98.0", "gte"), ("船营区", "97.0", "")}
    years, rows = panel_pivot(_load(scenario, indicator="mediation_success_rate").panel)
    assert years == [2021, 2022, 2023]
    assert dict(rows)["万源市"] == ["", "≥ 98%", ""]
    table = soup.select("section#indicator table")[1]
    assert [th.text for th in table.select("thead th")] == ["region", "2021", "2022", "2023"]
    assert len(soup.select("section#coverage table")) == 2  # the rows, and by province
