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
