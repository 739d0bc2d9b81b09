"""The crawler against the local test web (127.0.0.1 only): exact reports, incremental
re-runs with conditional requests, robots.txt, and recovery from injected faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govreports.crawl import MemoryState, SourceCrawl, crawl
from govreports.models import Source
from govreports.registry import load_registry
from govreports.settings import Settings

testweb = pytest.importorskip("govreports.testweb.server")
faults_mod = pytest.importorskip("govreports.testweb.faults")


def fast_settings() -> Settings:
    return Settings(
        min_delay=0.0, timeout=0.5, max_retries=4, backoff_base=0.01, max_hosts_parallel=16
    )


@pytest.fixture(scope="module")
def web() -> Iterator[object]:
    w = testweb.TestWeb().start()
    try:
        yield w
    finally:
        w.stop()


def registry(web: object, tmp_path: Path) -> list[Source]:
    path = web.write_registry(tmp_path / "testweb.yaml")  # type: ignore[attr-defined]
    sources, errors = load_registry(path)
    assert errors == [], [str(e) for e in errors]
    return sources


def found_reports(results: list[SourceCrawl]) -> set[str]:
    """A report page that carries its report as a file counts by the file's URL. Pages whose
    title leaves it open are fetched too, for their body to decide (``to_confirm``)."""
    out: set[str] = set()
    for r in results:
        for doc in r.reports:
            if doc.link.provisional or doc.link.kind != "report":
                continue
            files = [a.url for a in doc.attachments if a.outcome == "ok"]
            out.update(files or [doc.page.url])
    return out


def found_disclosures(results: list[SourceCrawl]) -> set[str]:
    """政府信息公开工作年度报告 fetched (by their page; a file's page brings the file)."""
    return {d.page.url for r in results for d in r.reports if d.link.kind == "disclosure"}


def test_nightly_run_finds_exactly_the_reports_then_rerun_is_conditional(
    web: object, tmp_path: Path
) -> None:
    sources = registry(web, tmp_path)
    state = MemoryState()
    web.clear_log()  # type: ignore[attr-defined]
    done: list[str] = []
    results = crawl(
        sources, state, fast_settings(), on_source_done=lambda r: done.append(r.source.id)
    )
    expected = {url for _, _, url in web.expected_reports}  # type: ignore[attr-defined]
    assert found_reports(results) == expected
    # the second family, from the columns registered for it (dedicated or mixed)
    disclosures = {u for _, _, u, _ in web.expected_disclosures}  # type: ignore[attr-defined]
    assert found_disclosures(results) == disclosures and len(disclosures) == 8
    with_files = [d for r in results for d in r.reports
                  if d.link.kind == "disclosure" and d.attachments]
    assert len(with_files) == 2 and all(a.outcome == "ok" for d in with_files
                                        for a in d.attachments)
    # a title that names no report (…年依法行政工作) is fetched so that its body decides
    to_confirm = {d.link.title for r in results for d in r.reports if d.link.provisional}
    assert to_confirm and all(t.endswith("年依法行政工作") for t in to_confirm)
    assert sorted(done) == sorted(s.id for s in sources)
    for r in results:
        assert r.errors == []
        # every discovered link is accounted for: fetched, skipped with a reason, or known
        links = {link.url for page in r.list_pages for link in page.links}
        accounted = {d.link.url for d in r.reports} | {u for u, _ in r.skipped} | set(r.known)
        assert links == accounted
        assert all(reason for _, reason in r.skipped)
    log = web.request_log  # type: ignore[attr-defined]
    assert not [x for x in log if x.path.startswith("/preview/")], "robots.txt ignored"
    assert all(x.user_agent.startswith("govreports/") for x in log)
    skipped = {reason.split(":")[0] for r in results for _, reason in r.skipped}
    assert skipped == {"disclosure", "lookalike", "other", "robots"}
    for r in results:
        state.remember(r)

    # Second run: only list pages, all conditional, all 304; no detail page, no attachment.
    web.clear_log()  # type: ignore[attr-defined]
    again = crawl(sources, state, fast_settings())
    assert found_reports(again) == set()
    log = [x for x in web.request_log if not x.path.startswith("/robots.txt")]  # type: ignore[attr-defined]
    lists = {s.lists[0].split("/", 3)[3] for s in sources}
    assert {x.path.lstrip("/") for x in log} == lists
    assert all(x.conditional and x.status == 304 for x in log)
    assert all(f.outcome in ("ok", "not_modified") for r in again for f in r.fetches)

    # A changed report page, refetched conditionally, comes back once (a new revision).
    changed = web.change_report("trs")  # type: ignore[attr-defined]
    trs = [
        s
        for s in sources
        if s.cms == "trs_static" and s.lists[0].startswith(changed.split("/z")[0])
    ]
    rev = crawl(trs, state, fast_settings(), refetch=True)
    pages = [d.page.url for r in rev for d in r.reports]
    assert pages == [changed]


def test_faults_every_report_still_fetched_and_every_failure_logged(
    web: object, tmp_path: Path
) -> None:
    sources = registry(web, tmp_path)
    faults = faults_mod.Faults(error_5xx=0.10, timeout=0.05, reset=0.05, first_n=1, seed=7)
    web.set_faults(faults)  # type: ignore[attr-defined]
    web.clear_log()  # type: ignore[attr-defined]
    try:
        results = crawl(sources, MemoryState(), fast_settings())
    finally:
        web.set_faults(None)  # type: ignore[attr-defined]
    expected = {url for _, _, url in web.expected_reports}  # type: ignore[attr-defined]
    assert found_reports(results) == expected
    assert found_disclosures(results) == {u for *_, u, _ in web.expected_disclosures}  # type: ignore[attr-defined]
    fetches = [f for r in results for f in r.fetches]
    failed = [f for f in fetches if f.outcome in ("http_error", "timeout", "reset")]
    injected = [x for x in web.request_log if x.fault]  # type: ignore[attr-defined]
    assert injected, "the fault plan injected nothing"
    assert len(failed) == len(injected)
    assert {f.outcome for f in failed} <= {"http_error", "timeout", "reset"}
    assert all(f.error and f.url in f.error for f in failed)
    # nothing duplicated: each report page once
    pages = [d.page.url for r in results for d in r.reports]
    assert len(pages) == len(set(pages))


@pytest.mark.parametrize(
    ("mode", "outcome"),
    [
        ("huge_page", "too_large"),
        ("gzip_bomb", "too_large"),
        ("redirect_loop", "too_many_redirects"),
    ],
)
def test_hostile_report_page_is_refused_and_logged_others_unaffected(
    web: object, tmp_path: Path, mode: str, outcome: str
) -> None:
    sources = [
        s for s in registry(web, tmp_path) if s.id in ("sc-wanyuan-trs", "sc-wanyuan-mirror")
    ]
    trs_report = next(u for _, _, u in web.expected_reports if "/zwgk/fzzfjs/" in u)  # type: ignore[attr-defined]
    path = trs_report.split("/", 3)[3]
    kw = {mode: 1.0, "path_pattern": path, "sites": frozenset({"trs"}), "bomb_bytes": 12_000_000}
    web.set_faults(faults_mod.Faults(**kw))  # type: ignore[attr-defined]
    try:
        settings = fast_settings()
        settings.max_response_bytes = 1_000_000
        trs, mirror = crawl(sources, MemoryState(), settings)
    finally:
        web.set_faults(None)  # type: ignore[attr-defined]
    assert [d for d in trs.reports if not d.link.provisional] == []
    assert mirror.reports  # the other site is unaffected
    ((url, reason),) = trs.errors
    assert url == trs_report and reason.startswith(f"sc-wanyuan-trs: {trs_report}")
    final = [f for f in trs.fetches if f.url == trs_report][-1]
    assert final.outcome == outcome and final.content == b""


def test_a_trs_json_list_api_is_walked_page_by_page(web: object, tmp_path: Path) -> None:
    """The xxgk column is also served as a TRS-style JSON API (two records a page): a source
    registered with ``cms: trs_json`` walks every page and finds the same report copy."""
    from govreports.testweb.sites import JSON_LIST_API

    base = web.sites["xxgk"]  # type: ignore[attr-defined]
    path = tmp_path / "json.yaml"
    path.write_text(
        f"""sources:
- id: jl-chuanying-json
  name: 船营区政府信息公开平台（JSON 接口）
  issuer: 船营区人民政府
  admin_code: "220204"
  level: district_gov
  homepage: {base}/
  cms: trs_json
  lists: ["{base}{JSON_LIST_API}?channelid=880&page=1"]
  allow_private: true
""",
        encoding="utf-8",
    )
    sources, errors = load_registry(path)
    assert errors == []
    web.clear_log()  # type: ignore[attr-defined]
    (result,) = crawl(sources, MemoryState(), fast_settings())
    xxgk_copies = {u for _, _, u in web.expected_reports if u.startswith(base)}  # type: ignore[attr-defined]
    assert found_reports([result]) == xxgk_copies
    pages = sorted(
        r.path for r in web.request_log if r.path.startswith(JSON_LIST_API)  # type: ignore[attr-defined]
    )
    assert len(pages) == 6  # 11 records, 2 a page
    assert any(reason.startswith("lookalike") for _, reason in result.skipped)
