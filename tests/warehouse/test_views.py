"""Analyst views: report_coverage (deadline 1 April) and indicator_panel (one value per cell)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date

from govreports.models import Batch, FetchResult, Report, Source
from govreports.settings import Settings
from warehouse import Warehouse

Pairs = list[tuple[FetchResult, Report]]


def test_report_coverage_on_time_and_days_late(
    settings: Settings,
    seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
    registry: list[Source],
) -> None:
    pairs = copy.deepcopy(seeds())
    pairs[0][1].publish_date = date(2023, 4, 3)  # 万源 2022: three days after 31 March
    pairs[2][1].publish_date = date(2024, 3, 31)  # 船营 2023: the last on-time day
    with Warehouse(settings) as wh:
        wh.upsert_sources(registry)
        wh.load_batch(make_batch(pairs))
        cols, rows = wh.query(
            "SELECT source_id, report_year, published, publish_date, on_time, days_late "
            "FROM report_coverage ORDER BY source_id, report_year"
        )
    got = {(r[0], r[1]): r[2:] for r in rows}
    assert len(rows) == 3 * 3  # three sources × the three years any report covers
    assert got[("sc-wanyuan", 2022)] == (True, date(2023, 4, 3), False, 3)
    assert got[("jl-chuanying", 2023)] == (True, date(2024, 3, 31), True, 0)
    assert got[("sc-longchang", 2021)] == (True, date(2022, 2, 17), True, 0)
    assert got[("sc-wanyuan", 2021)] == (False, None, None, None)


def test_indicator_panel_picks_one_value_per_cell(
    settings: Settings, seeds: Callable[..., Pairs], make_batch: Callable[..., Batch]
) -> None:
    pairs = copy.deepcopy(seeds()[:1])
    rep = pairs[0][1]
    base = next(m for m in rep.mentions if m.indicator == "collective_law_study_sessions")
    rep.mentions += [
        # a bigger year-on-year change and a bigger subset: neither is the level value
        dataclasses.replace(base, value=99, not_a_level=True, offset=base.offset + 1),
        dataclasses.replace(base, value=50, scope="subset", offset=base.offset + 2),
    ]
    with Warehouse(settings) as wh:
        wh.load_batch(make_batch(pairs))
        cols, rows = wh.query(
            "SELECT value, evidence_text, evidence_offset, not_a_level, scope, candidates, url "
            "FROM indicator_panel WHERE indicator = 'collective_law_study_sessions'"
        )
        cells = wh.query(
            "SELECT count(*), count(DISTINCT (report_key, indicator)) FROM indicator_panel"
        )[1][0]
    assert rows == [(21.0, "21次", base.offset, False, None, 3, pairs[0][0].url)]
    assert rep.text[base.offset : base.offset + 3] == "21次"  # the evidence offset is verbatim
    assert cells[0] == cells[1]


def test_bad_registry_entries_are_quarantined(settings: Settings, registry: list[Source]) -> None:
    bad = dataclasses.replace(registry[0], id="SC_Wanyuan", homepage="wanyuan.gov.cn")
    with Warehouse(settings) as wh:
        wh.upsert_sources([*registry, bad])
        wh.upsert_sources([*registry, bad])  # idempotent
        assert wh.query("SELECT count(*) FROM sources")[1] == [(3,)]
        got = wh.query(
            "SELECT row_key, column_name, failing_value FROM quarantine "
            "WHERE table_name = 'sources' ORDER BY column_name"
        )[1]
    assert got == [
        ("SC_Wanyuan", "homepage", "wanyuan.gov.cn"),
        ("SC_Wanyuan", "source_id", "SC_Wanyuan"),
    ]


def test_government_coverage_counts_a_report_once_for_its_issuer(
    settings: Settings,
    seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
    registry: list[Source],
) -> None:
    """One status per government and year: a province's site carrying a county's report
    makes the county published (the province's site among its copies), never the province;
    a government with no report of a year is missing, not absent (report_coverage's
    unpublished rows have on_time NULL, which 'where not on_time' never returns)."""
    province = Source(id="sc-province", name="四川省人民政府 法治政府建设", issuer="四川省人民政府",
                      homepage="http://www.sc.gov.cn/", lists=("http://www.sc.gov.cn/fz/",),
                      cms="generic", admin_code="510000", level="province_gov",
                      province="四川省")
    pairs = copy.deepcopy(seeds())
    pairs[0][1].publish_date = date(2023, 4, 3)  # 万源 2022: three days late
    pairs[1][0].source_id = "sc-province"  # 隆昌 2021, found only on the province's site
    pairs[1][0].url = pairs[1][1].url = "http://www.sc.gov.cn/fz/2022/longchang.html"
    pairs[2][1].publish_date = None  # 船营 2023: published, the page states no date
    with Warehouse(settings) as wh:
        wh.upsert_sources([*registry, province])
        wh.load_batch(make_batch(pairs))
        cols, rows = wh.query(
            "SELECT admin_code, report_year, status, days_late, found_on, level "
            "FROM government_coverage WHERE family = 'rule_of_law'")
        late_2022 = wh.query(
            "SELECT issuer, days_late FROM government_coverage WHERE report_year = 2022 "
            "AND family = 'rule_of_law' AND status IN ('late', 'missing') ORDER BY issuer")[1]
    got = {(r[0], r[1]): r[2:] for r in rows}
    assert len(got) == 4 * 3  # four governments × the three years any report covers
    assert got[("511781", 2022)] == ("late", 3, "sc-wanyuan", "county")
    assert got[("511083", 2021)] == ("on_time", 0, "sc-province", "county")
    assert got[("510000", 2021)] == ("missing", None, None, "province")
    assert got[("220204", 2023)] == ("undated", None, "jl-chuanying", "county")
    assert got[("511781", 2021)][0] == "missing"
    assert late_2022 == [("万源市人民政府", 3), ("四川省人民政府", None),
                         ("船营区人民政府", None), ("隆昌市人民政府", None)]
