"""The Prefect flows end to end against the local test web (one Prefect test server)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govreports import filetypes
from govreports.settings import Settings, get_settings
from govreports.testweb import TestWeb
from warehouse import Warehouse

pytestmark = pytest.mark.slow


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOVREPORTS_MIN_DELAY", "0")
    monkeypatch.setenv("GOVREPORTS_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("GOVREPORTS_TIMEOUT", "5")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture()
def web() -> Iterator[TestWeb]:
    with TestWeb(base_port=0) as w:
        yield w


@dataclass
class Crawled:
    root: Path  # the warehouse, raw store and registry of one nightly run
    web: TestWeb  # the test web it crawled, still serving
    registry: Path
    first: dict[str, Any]  # what the run returned


@pytest.fixture(scope="module")
def crawled_once(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Crawled]:
    """One nightly run on the test web, made once for the module's tests: the nightly test
    goes on from it, the re-parse tests re-parse it (each test gets its own copy of the
    warehouse and raw store: `crawled`)."""
    from flows.nightly import nightly_crawl

    root = tmp_path_factory.mktemp("crawled")
    with TestWeb(base_port=0) as web:
        registry = web.write_registry(root / "sources.yaml")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("GOVREPORTS_WAREHOUSE", str(root / "wh.duckdb"))
            mp.setenv("GOVREPORTS_DATA_DIR", str(root / "data"))
            mp.setenv("GOVREPORTS_MIN_DELAY", "0")
            get_settings.cache_clear()
            first = nightly_crawl(registry=str(registry))
        get_settings.cache_clear()
        yield Crawled(root, web, registry, first)


@pytest.fixture()
def crawled(crawled_once: Crawled, settings: Settings) -> Settings:
    """This test's own copy of the crawled warehouse (raw store and read snapshot too)."""
    import shutil

    assert settings.warehouse.name == "wh.duckdb"  # the file, its lock and read snapshot
    for item in crawled_once.root.glob("wh.*"):
        shutil.copy2(item, settings.warehouse.parent / item.name)
    shutil.copytree(crawled_once.root / "data", settings.data_dir, dirs_exist_ok=True)
    return settings


def _rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with Warehouse(settings) as wh:
        return wh.query(sql)[1]


def _table_counts(settings: Settings) -> dict[str, int]:
    tables = ["reports", "sections", "mentions", "documents", "report_documents",
              "disclosure_cells"]
    counts = {t: int(_rows(settings, f"select count(*) from {t}")[0][0]) for t in tables}  # type: ignore[call-overload]
    # quarantine is a per-run log: the same bad row quarantined again is the same finding
    counts["quarantine"] = int(
        _rows(  # type: ignore[call-overload]
            settings,
            "select count(*) from "
            "(select distinct table_name, row_key, check_name from quarantine)",
        )[0][0]
    )
    return counts


def _assert_artifacts_published(kind: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[f"{kind}-summary", f"{kind}-sources"])
            )
        )
    kinds = {a.key: a.type for a in arts}
    assert kinds == {f"{kind}-summary": "markdown", f"{kind}-sources": "table"}, kinds
    summary = next(a for a in arts if a.key == f"{kind}-summary")
    assert "new reports" in str(summary.data) and "errors" in str(summary.data)


def test_nightly_loads_exactly_the_three_reports_then_is_idempotent(
    prefect_harness: None, crawled_once: Crawled, crawled: Settings
) -> None:
    from flows.nightly import nightly_crawl

    settings, web, registry, first = crawled, crawled_once.web, crawled_once.registry, \
        crawled_once.first
    disclosures = web.expected_disclosures
    assert first["new_reports"] == 3 + len(disclosures) == 11
    assert first["errors"] == 0
    _assert_disclosures_loaded_exactly(settings, web)
    rows = _rows(
        settings,
        "select issuer, report_year, title, publish_date from reports_current "
        "where family = 'rule_of_law' order by 2",
    )
    assert [(r[0], r[1]) for r in rows] == [
        ("隆昌市人民政府", 2021),
        ("万源市人民政府", 2022),
        ("船营区人民政府", 2023),
    ]
    assert all(r[2] and r[3] for r in rows), rows
    # every copy of every report was found and linked, nothing else
    # (an attachment copy is recorded under the notice page that links it)
    urls = {r[0] for r in _rows(settings, "select d.url from report_documents d join reports r "
                                          "using (report_key) where r.family = 'rule_of_law'")}
    expected = {u for _, _, u in web.expected_reports}
    assert len(urls) == len(expected)
    assert {u for u in expected if not filetypes.is_listed_file(u)} <= urls
    # a page whose title left it open was fetched, and its body showed a plan: skipped with
    # the reason, not loaded
    read = _rows(settings, "select reason from skips where reason like 'lookalike (read%'")
    assert len(read) == 1 and "a plan" in str(read[0][0]), read
    kept = _rows(settings, "select classification from reports_current "
                           "where family = 'rule_of_law'")
    assert all(r[0] and "法治政府建设 report title" in r[0] for r in kept), kept

    _assert_artifacts_published("nightly")

    before = _table_counts(settings)
    web.clear_log()
    second = nightly_crawl(registry=str(registry))
    assert second["new_reports"] == 0 and second["new_revisions"] == 0
    # the column pages answered 304: nothing new to find, nothing written, and it says so
    assert second["pages_unchanged"] >= 9  # one per column (robots.txt is fetched anew)
    assert second["reports_found"] == 0 and second["written"] == 0
    assert _table_counts(settings) == before
    detail_hits = [
        r
        for r in web.request_log
        if r.status == 200
        and "index" not in r.path
        and "list" not in r.path
        and "col" not in r.path
        and "robots" not in r.path
        and "dataproxy" not in r.path
    ]
    assert detail_hits == [], detail_hits

    # The nightly run does not re-download stored pages; a refetching backfill does
    # (conditionally), and the one page that changed becomes one new revision.
    from flows.backfill import backfill

    changed = web.change_report("trs")
    third = backfill(refetch=True, registry=str(registry))
    assert third["new_revisions"] == 1 and third["new_reports"] == 0
    # a backfill over stored years finds every report again: one revised, the rest unchanged
    # (or another site's copy of one)
    assert third["reports_found"] == (third["new_revisions"] + third["unchanged"]
                                      + third["copies"] + third["errors"])
    assert third["unchanged"] >= 8
    revs = _rows(settings, "select max(revision) from reports where report_key like '511781:%'")
    assert revs[0][0] == 2
    assert changed


def _assert_disclosures_loaded_exactly(settings: Settings, web: TestWeb) -> None:
    """Every 政府信息公开工作年度报告 of the test web: each cell its tables print is in
    disclosure_cells with that value, except the planted inconsistent total, which is in
    quarantine with the cell and the identity named."""
    loaded = _rows(settings, "select r.primary_url, c.table_name, c.row_label, c.column_label, "
                             "c.value from disclosure_cells c join reports_current r "
                             "using (report_key, revision)")
    got: dict[str, dict[tuple[str, str, str], object]] = {}
    for url, *key, value in loaded:
        got.setdefault(str(url), {})[tuple(key)] = value  # type: ignore[index]
    planted = []
    for issuer, year, url, numbers in web.expected_disclosures:
        truth = numbers.cells()
        cells = got.get(url)
        assert cells is not None, f"{issuer} {year} ({url}) not loaded"
        held_back = {numbers.planted} if numbers.planted else set()
        assert set(cells) == set(truth) - held_back, (url, set(truth) ^ set(cells))
        assert all(cells[k] == truth[k] for k in cells), url
        if numbers.planted:
            planted.append((issuer, year, numbers.planted, truth[numbers.planted]))
    assert len(planted) == 1
    issuer, year, (table, row, column), value = planted[0]
    q = _rows(settings, "select row_key, column_name, failing_value, check_name from "
                        "quarantine where table_name = 'disclosure_cells'")
    assert len(q) == 1
    row_key, col, failing, check = q[0]
    assert str(row_key).endswith(f":{year}:disclosure|1|{table}|{row}|{column}")
    assert col == "value" and float(str(failing)) == value
    assert "row_sum:总计 does not hold" in str(check)


def test_reparse_after_an_extractor_bump_replaces_rows_without_doubling(
    prefect_harness: None, crawled_once: Crawled, crawled: Settings,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    import govreports.extract as extract
    from flows.reparse import reparse

    settings = crawled
    before = _table_counts(settings)
    crawled_once.web.clear_log()  # re-parse must not touch the network: the web logs it

    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", "extract-99.0.0")
    result = reparse()
    assert result["errors"] == 0
    assert _table_counts(settings) == before
    versions = {r[0] for r in _rows(settings, "select distinct extractor_version from mentions")}
    assert versions == {"extract-99.0.0"}
    assert result["written"] > 0
    assert result["unchanged"] + result["copies"] == result["reports"]
    # the same re-parse again changes nothing, and its counters say so
    again = reparse()
    assert again["written"] == 0 and again["new_revisions"] == 0
    assert again["unchanged"] == result["unchanged"] > 0 and again["copies"] == result["copies"]
    assert crawled_once.web.request_log == []


def test_a_bad_entry_and_an_unreachable_site_do_not_stop_the_others(
    prefect_harness: None, settings: Settings, web: TestWeb, tmp_path: Path
) -> None:
    import yaml

    from flows.backfill import backfill
    from govreports import yamlfile

    registry = tmp_path / "sources.yaml"
    # two healthy columns (a 2022 report and a copy of it) are enough beside the bad ones
    healthy = [s for s in yamlfile.safe_load(web.registry_yaml())["sources"]
               if s["id"] in ("sc-wanyuan-trs", "sc-wanyuan-mirror")]
    text = yaml.safe_dump({"sources": healthy}, allow_unicode=True)
    text += """
- id: broken-entry
  name: 没有列表的站点
  issuer: 某县人民政府
  homepage: http://127.0.0.1:9/
- id: unreachable
  name: 无法访问的县政府网站
  issuer: 某某县人民政府
  homepage: http://127.0.0.1:9/
  cms: generic
  lists: [http://127.0.0.1:9/fzzfjs/index.html]
  allow_private: true
"""
    registry.write_text(text, encoding="utf-8")
    result = backfill(years=[2022], registry=str(registry))
    assert any("broken-entry" in p for p in result["registry_problems"])
    per = {r["source"]: r for r in result["per_source"]}
    assert per["unreachable"]["errors"] >= 1 and per["unreachable"]["reports_found"] == 0
    years = {r[0] for r in _rows(settings, "select report_year from reports_current")}
    assert years == {2022}  # backfill for 2022 only


def test_reparse_on_a_local_dask_cluster_matches_the_default_runner(
    prefect_harness: None, crawled: Settings
) -> None:
    from flows.reparse import reparse_on_dask

    settings = crawled
    before = _table_counts(settings)
    # one worker process (a real cluster, cheap) and two sources' pages, one of them a page
    # whose report is its attachment: the tasks, their chunks and files travel to the worker
    result = reparse_on_dask(sources=["sc-wanyuan-trs", "sc-sft-attach"], n_workers=1)
    assert result["errors"] == 0 and result["new_revisions"] == 0
    assert result["documents"] >= 3
    assert _table_counts(settings) == before


def test_serve_builds_the_same_deployments_as_prefect_yaml_under_other_names() -> None:
    """Same flows and schedules; names of their own, so `serve` never replaces what
    `prefect deploy --all` registered (and its pull steps) on a shared server."""
    from flows.serve import deployments
    from govreports import yamlfile

    spec = yamlfile.safe_load((Path(__file__).resolve().parents[2] / "prefect.yaml").read_text())
    by_name = {d.name.removesuffix("-serve"): d for d in deployments()}
    assert all(d.name.endswith("-serve") for d in deployments())
    assert set(by_name) == {d["name"] for d in spec["deployments"]}
    assert not {d.name for d in deployments()} & {d["name"] for d in spec["deployments"]}
    assert {d["entrypoint"].split(":")[1] for d in spec["deployments"]} == {
        d.flow_name.replace("-", "_") for d in deployments()}
    nightly = by_name["nightly"]
    (schedule,) = nightly.schedules
    assert schedule.schedule.cron == "30 2 * * *"
    assert schedule.schedule.timezone == "Asia/Shanghai"
    assert not by_name["backfill"].schedules and not by_name["reparse"].schedules


def test_kill_9_of_the_crawl_command_mid_load_then_the_next_run_converges(
    prefect_harness: None, settings: Settings, tmp_path: Path
) -> None:
    """SIGKILL of the real `govreports crawl` process group (CLI, flow run and all) while it
    loads: the next `govreports crawl` starts (the run lock died with the process), closes
    the killed run as crashed, and the warehouse ends with every report exactly once."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.settings import PREFECT_API_URL

    with TestWeb(base_port=0) as web:
        web.set_latency(0.05, jitter=0.05)  # a crawl of several seconds: time to aim
        registry = web.write_registry(tmp_path / "sources.yaml")
        env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()),
               "GOVREPORTS_WAREHOUSE": str(settings.warehouse),
               "GOVREPORTS_DATA_DIR": str(settings.data_dir), "GOVREPORTS_MIN_DELAY": "0"}
        # three sites of three CMS families: four reports (a whole night would only add CPU)
        only = ["sc-wanyuan-trs", "sc-longchang-hanweb", "jl-chuanying-legacy"]
        cmd = [sys.executable, "-m", "ui.cli", "crawl", "--registry", str(registry),
               *(arg for sid in only for arg in ("-s", sid))]
        first = subprocess.Popen(cmd, env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loaded = 0
        deadline = time.monotonic() + 90
        try:
            while time.monotonic() < deadline and first.poll() is None:
                try:
                    loaded = int(_rows(settings, "select count(*) from reports")[0][0])  # type: ignore[call-overload]
                except Exception:  # the warehouse is still being created
                    loaded = 0
                if loaded:
                    break
                time.sleep(0.1)
            assert first.poll() is None and loaded, "the crawl ended before any load to kill"
            os.killpg(first.pid, signal.SIGKILL)
        finally:
            first.wait(timeout=30)
        web.set_latency(0)  # the slow web was for aiming the kill; the second run needs none
        assert first.returncode == -signal.SIGKILL
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr[-2000:]
    keys = _rows(settings, "select report_key, count(*) from reports group by 1")
    assert len(keys) == 4 and all(n == 1 for _, n in keys)
    runs = _rows(settings, "select summary from runs order by started_at")
    assert len(runs) == 2 and '"status": "crashed"' in str(runs[0][0])
