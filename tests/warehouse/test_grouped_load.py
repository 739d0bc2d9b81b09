"""Grouped loads: several sources' batches in one transaction leave the tables, and give each
source the counts, of loading them one after the other."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govreports.crawl import SourceCrawl
from govreports.errors import RunError
from govreports.models import Batch, FetchResult, Report, Source
from govreports.settings import Settings
from warehouse import LoadSummary, Warehouse, load

Pairs = list[tuple[FetchResult, Report]]
TABLES = ["reports", "report_documents", "sections", "mentions", "disclosure_cells",
          "quarantine", "fetch_log", "documents", "skips", "pending_attachments"]
PLATFORM = Source(id="sc-platform", name="四川省政府信息公开平台", issuer="四川省人民政府",
                  homepage="http://sthj.wanyuan.gov.cn/", lists=("http://sthj.wanyuan.gov.cn/",),
                  cms="generic", admin_code="510000", level="province_gov", province="四川省")


def _dump(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, without the load's own clock (two warehouses load at different times)."""
    out = {}
    for t in TABLES:
        cols = [r[0] for r in wh.query(f"DESCRIBE {t}")[1]
                if r[0] not in ("loaded_at", "quarantined_at")]
        out[t] = wh.query(f"SELECT {', '.join(cols)} FROM {t} ORDER BY ALL")[1]
    return out


def _night(seeds: Callable[..., Pairs], edited: Callable[..., Pairs],
           run_id: str) -> list[Batch]:
    """One night's batches, one per source, with every way two of them can meet."""
    wanyuan, longchang, chuanying = ([p] for p in seeds())
    platform = edited(wanyuan, "\n(转载自省级平台)", host="sthj.", source=PLATFORM.id)
    nokey = edited(longchang, host="bad.")
    nokey[0][1].admin_code = nokey[0][1].issuer = None
    revised = edited(longchang, "\n附:2023年1月补充说明本报告数据。")
    revised[0][1].mentions[0].indicator = "no_such_indicator"  # fails validation: quarantined

    def batch(pairs: Pairs, source: str, **kw: Any) -> Batch:
        pairs = copy.deepcopy(pairs)
        return Batch(run_id=run_id, source_id=source, fetches=[p for p, _ in pairs],
                     reports=pairs, **kw)

    return [
        batch(wanyuan, "sc-wanyuan", skipped=[("http://www.wanyuan.gov.cn/a.html", "lookalike")],
              errors=[("http://www.wanyuan.gov.cn/b.html", "HTTP 404")]),
        batch(longchang, "sc-longchang"),
        batch(platform, PLATFORM.id),  # a copy of wanyuan's report, planned after it
        # the platform's copy of chuanying's report comes first: chuanying's own page then
        # becomes the report's primary document (it meets the copy)
        batch(edited(chuanying, host="sthj.", source=PLATFORM.id), PLATFORM.id),
        batch(chuanying, "jl-chuanying",
              pending_attachments=[("http://www.jlcy.gov.cn/p.html", "http://www.jlcy.gov.cn/"
                                    "a.pdf", "attachment not fetched yet")]),
        batch(nokey, "sc-longchang"),  # no key: quarantined
        batch(revised, "sc-longchang"),  # a new revision of the second batch's report, with
        # a mention the catalog does not know (validated with the rest of its group)
        batch(copy.deepcopy(wanyuan), "sc-wanyuan"),  # the first batch again: writes nothing
    ]


def _targets(tmp_path: Path) -> dict[str, Settings]:
    lake = tmp_path / "grouped-lake"
    return {
        # the reference: one source at a time, into a file (the lake's tables are the file's:
        # tests/warehouse/test_ducklake.py)
        "one-by-one": Settings(warehouse=tmp_path / "ref" / "wh.duckdb",
                               data_dir=tmp_path / "ref"),
        "grouped-file": Settings(warehouse=tmp_path / "grouped" / "wh.duckdb",
                                 data_dir=tmp_path / "grouped"),
        "grouped-lake": Settings(warehouse=lake / "unused.duckdb", data_dir=lake,
                                 warehouse_target="ducklake",
                                 ducklake_catalog=f"sqlite:{lake / 'catalog.sqlite'}",
                                 ducklake_data_path=str(lake / "files") + "/"),
    }


def test_grouped_night_equals_one_source_at_a_time(
    seeds: Callable[..., Pairs], edit: Callable[..., Pairs], registry: list[Source],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    groups: dict[str, list[int]] = {}
    real = load.write_group

    results = {}
    for name, settings in _targets(tmp_path).items():
        def spy(con: Any, group: load.Group, *args: Any, name: str = name,
                **kw: Any) -> list[LoadSummary]:
            groups.setdefault(name, []).append(len(group.parts))
            return real(con, group, *args, **kw)

        with Warehouse(settings) as wh:
            wh.upsert_sources([*registry, PLATFORM])
            batches = _night(seeds, edit, "n1")
            if name.startswith("grouped"):
                monkeypatch.setattr(load, "write_group", spy)
                summaries = wh.load_batches(batches)
                monkeypatch.setattr(load, "write_group", real)
            else:
                summaries = [wh.load_batch(b) for b in batches]
            results[name] = ([s.as_dict() for s in summaries], _dump(wh))
    # the platform's copy of wanyuan's report joins the first group (planned after it, as a
    # copy); chuanying's own page, taking its report over from the platform's copy, cuts it
    assert groups == {"grouped-file": [4, 4], "grouped-lake": [4, 4]}
    one = results["one-by-one"]
    for name in ("grouped-file", "grouped-lake"):
        assert results[name][0] == one[0], name  # every source's counts, written rows too
        assert results[name][1] == one[1], name  # every table
    first = one[0]
    assert [s["new_reports"] for s in first] == [1, 1, 0, 1, 0, 0, 0, 0]
    assert [s["new_revisions"] for s in first] == [0, 0, 0, 0, 0, 0, 1, 0]
    assert [s["rehomed"] for s in first] == [0, 0, 0, 0, 1, 0, 0, 0]
    assert first[2]["copies"] == 1 and first[5]["failed_reports"] == 1
    assert first[6]["quarantined"] == 1 and first[6]["quarantine_by_reason"] == {
        "mentions: indicator id not in the catalog": 1}
    assert all(s["written"] > 0 for s in first[:5]) and first[6]["written"] > 0
    assert first[7]["written"] == 0 and all(s["reconciles"] for s in first)


def test_a_group_is_bounded_and_of_one_run(
    settings: Settings, seeds: Callable[..., Pairs], monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = [Batch(run_id="r1" if n < 4 else "r2", source_id=f"s{n}", reports=[],
                     skipped=[(f"http://h{n}.gov.cn/x.html", "lookalike")]) for n in range(6)]
    monkeypatch.setattr(load, "GROUP_BATCHES", 3)
    sizes: list[int] = []
    real = load.write_group
    monkeypatch.setattr(load, "write_group", lambda con, group, *a, **kw: (
        sizes.append(len(group.parts)), real(con, group, *a, **kw))[1])
    with Warehouse(settings) as wh:
        got = wh.load_batches(batches)
        assert [s.skipped for s in got] == [1] * 6
        assert wh.query("SELECT count(*) FROM skips")[1] == [(6,)]
    assert sizes == [3, 1, 2]  # full at three; r2's batches never join r1's


def _crawl(sid: str) -> SourceCrawl:
    return SourceCrawl(Source(id=sid, name=sid, issuer=sid, homepage=f"http://{sid}.gov.cn/",
                              lists=(f"http://{sid}.gov.cn/list.html",), cms="generic"))


def test_the_loader_takes_the_backlog_at_once_and_isolates_a_failing_source(
    settings: Settings,
) -> None:
    """While a load runs, the crawls that end queue up and go in the next task together;
    when that task raises, each of its sources is tried alone and only the failing one is
    recorded as failed."""
    from flows.common import Steps, _Loader

    started, release, calls = threading.Event(), threading.Event(), []

    def extract_and_load(crawls: list[SourceCrawl], run_id: str,
                         s: Settings) -> list[tuple[LoadSummary, list[RunError]]]:
        ids = [sc.source.id for sc in crawls]
        calls.append(ids)
        if ids == ["a"]:
            started.set()
            release.wait(10)
        if "b" in ids:
            raise OSError("disk full")
        return [(LoadSummary(run_id=run_id, fetches=len(i)), []) for i in ids]

    loader = _Loader(Steps(None, None, extract_and_load), "run-1", settings)
    crawls = [_crawl(sid) for sid in ("a", "b", "cc", "ddd")]
    loader.put(crawls[0])
    assert started.wait(10)  # "a" is loading: the others queue up behind it
    for sc in crawls[1:]:
        loader.put(sc)
    release.set()
    done = loader.finish()
    assert calls == [["a"], ["b", "cc", "ddd"], ["b"], ["cc"], ["ddd"]]
    got = [done[id(sc)] for sc in crawls]
    assert [s.fetches for s, _ in got] == [1, 0, 2, 3]
    assert [[e.kind for e in errors] for _, errors in got] == [[], ["load failed"], [], []]
    assert "disk full" in got[1][1][0].line()
