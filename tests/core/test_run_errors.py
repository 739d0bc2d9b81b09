"""A failure is a record (source, URL, kind, text) made where it happens, and a run's summary
counts the records by kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.common import PLAIN, Steps, crawl_and_load
from flows.summary import ReparseResult, RunResult
from govreports.crawl import MemoryState, SourceCrawl, crawl
from govreports.errors import RunError, error_kind
from govreports.models import Batch, FetchResult, Outcome, Source
from govreports.settings import Settings
from warehouse import LoadSummary, Warehouse

A = "http://www.a.gov.cn"
DOWN = "http://www.down.gov.cn"
LIST = (
    '<html><head><meta charset="utf-8"></head><body><ul class="list">'
    '<li><a href="./202303/t20230301_3.html">某县2022年度法治政府建设情况报告</a>'
    "<span>2024-03-01</span></li>"
    '<li><a href="./202203/t20220301_4.html">某县2021年度法治政府建设情况报告</a>'
    "<span>2024-03-02</span></li>"
    "</ul></body></html>"
)
PAGES = {
    "/fz/index.html": LIST,
    # the 2022 report links a file on a host outside its registry entry (refused)
    "/fz/202303/t20230301_3.html": '<p>正文</p><a href="http://cdn.other.cn/x.docx">附件</a>',
    # the 2021 report is gone: HTTP 404
}


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.host == "www.down.gov.cn":
        raise httpx.ConnectError("Name or service not known")
    if request.url.path == "/robots.txt":
        return httpx.Response(404)
    body = PAGES.get(request.url.path)
    if body is None:
        return httpx.Response(404)
    return httpx.Response(200, content=body.encode(),
                          headers={"Content-Type": "text/html; charset=utf-8"})


def src(sid: str, host: str = A) -> Source:
    return Source(id=sid, name=sid, issuer="某县人民政府", homepage=f"{host}/",
                  lists=(f"{host}/fz/index.html",), cms="trs_static")


def quick(tmp: Path | None = None) -> Settings:
    kw: dict[str, Any] = {"min_delay": 0.0, "max_retries": 0, "backoff_base": 0.0,
                          "timeout": 1.0}
    if tmp is not None:
        kw.update(warehouse=tmp / "wh.duckdb", data_dir=tmp / "data")
    return Settings(**kw)


def crawl_mock(sources: Any, state: Any, settings: Settings, **kw: Any) -> list[SourceCrawl]:
    """The crawl step of a run, on the mock web."""
    kw.pop("transport", None)
    return crawl(sources, state, settings, transport=httpx.MockTransport(handler), **kw)


def test_a_failing_fetch_is_a_record_with_its_source_url_and_kind() -> None:
    ok, down = crawl_mock([src("gd-a"), src("gd-down", DOWN)], MemoryState(), quick())
    by_url = {e.url: e for e in ok.run_errors}
    gone = by_url[f"{A}/fz/202203/t20220301_4.html"]
    assert (gone.source, gone.kind) == ("gd-a", "http error")
    assert gone.detail == f"gd-a: {gone.url}: HTTP 404"  # the fetcher's message, as stored
    assert gone.line() == f"gd-a: {gone.url}: {gone.detail}"
    refused = by_url["http://cdn.other.cn/x.docx"]
    assert (refused.source, refused.kind) == ("gd-a", "refused")
    # a message quoting free text keeps the kind the text says: robots.txt was unreachable
    (unreachable,) = down.run_errors
    assert unreachable == RunError(
        "gd-down", f"{DOWN}/fz/index.html", "robots.txt",
        f"gd-down: {DOWN}/fz/index.html: robots.txt unavailable (connect_error), host treated "
        "as disallowed: cannot connect (Name or service not known)",
    )
    # the (url, reason) pairs the warehouse stores are the records' url and text
    assert ok.errors == [(e.url, e.detail) for e in ok.run_errors]
    # the kinds are those a run summary read from the text before the records existed
    for e in ok.run_errors + down.run_errors:
        assert e.kind == error_kind(e.detail, e.source), e


def test_a_source_past_the_run_deadline_is_a_deadline_record() -> None:
    # the regex read this line as "other": the crawler knows it is the deadline
    settings = quick().model_copy(update={"run_deadline": 0.0})
    (late,) = crawl_mock([src("gd-a")], MemoryState(), settings)
    assert late.timed_out and late.fetches == []
    assert late.run_errors == [RunError(
        "gd-a", f"{A}/", "deadline",
        "gd-a: the run's deadline passed before this source started: it is crawled next run")]


def fetch(outcome: Outcome, message: str, url: str = f"{A}/t.html") -> FetchResult:
    return FetchResult(url=url, source_id="sc-x", status=None, outcome=outcome,
                       error=f"sc-x: {url}: {message}")


@pytest.mark.parametrize(("outcome", "message", "kind"), [
    ("http_error", "HTTP 503 (Retry-After: 7200); Retry-After 7200s is too long, gave up",
     "http error"),
    ("timeout", "timed out after 1.0s (ReadTimeout)", "timeout"),
    ("timeout", "no complete response within 2s (a stalled or trickling body)", "timeout"),
    ("timeout", "robots.txt unavailable (timeout), host treated as disallowed: timed out",
     "timeout"),
    ("too_large", "Content-Length 30000000 > cap 20000000", "too large"),
    ("too_large", "decompressed body exceeds cap", "too large"),
    ("refused_host", f"redirect from {A}/t.html: host 'b.cn' is not in the registry entry "
     "for this source", "refused"),
    ("refused_private", "10.0.0.7 is a private/loopback/link-local address", "refused"),
    ("refused_scheme", "scheme 'ftp' is not http(s)", "refused"),
    # outcomes whose message quotes free text: the kind is read from it
    ("connect_error", "cannot connect ([Errno 111] Connection refused)", "refused"),
    ("connect_error", "cannot connect (All connection attempts failed)", "connection"),
    ("too_many_redirects", "robots.txt unavailable (too_many_redirects), host treated as "
     "disallowed: more than 5 redirects", "robots.txt"),
    ("budget", f"sc-x: {A}/robots.txt: request budget of 3 spent", "robots.txt"),
    ("budget", "request budget of 3 spent", "request budget"),
])
def test_a_fetch_outcome_gives_the_kind_its_message_always_had(
    outcome: Outcome, message: str, kind: str
) -> None:
    result = fetch(outcome, message)
    error = RunError.from_fetch("sc-x", result.url, result)
    assert error.kind == kind == error_kind(result.error or "", "sc-x")
    assert error.detail == result.error


def load(**counts: int) -> LoadSummary:
    return LoadSummary(run_id="r1", **counts)


CRAWL_KEYS = ["run_id", "kind", "shard", "sources_visited", "registry_problems", "per_source",
              "errors_by_reason", "pages_fetched", "pages_unchanged", "requests",
              "reports_found", "new_reports", "new_revisions", "unchanged", "copies", "loaded",
              "written", "quarantined", "skipped", "errors"]
ROW_KEYS = ["source", *CRAWL_KEYS[7:]]


def test_the_run_summary_counts_failures_by_kind_and_sums_the_rows() -> None:
    a, b = SourceCrawl(src("gd-a")), SourceCrawl(src("gd-b"))
    a.fetches = [FetchResult(url=f"{A}/{i}", source_id="gd-a", status=200, outcome="ok")
                 for i in range(3)]
    run = RunResult("r1", "nightly", "1/2")
    run.reject_entries("sources.yaml", ["sources.yaml: entry 3: no lists",
                                        "sources.yaml: unknown source id 'x'"])
    run.add_source(a, load(new_reports=2, loaded=9, unchanged_reports=1), [
        RunError("gd-a", f"{A}/1", "timeout", "gd-a: …: timed out after 1s (ReadTimeout)"),
        RunError("gd-a", f"{A}/2", "http error", "gd-a: …: HTTP 404"),
    ])
    run.add_source(b, load(new_reports=1, loaded=4), [
        RunError("gd-b", f"{A}/3", "timeout", "gd-b: …: timed out after 1s (ReadTimeout)"),
        RunError("gd-b", "http://b/", "load failed", "gd-b: load failed: OSError()"),
    ])
    out = run.as_dict()
    assert list(out) == CRAWL_KEYS
    assert out["errors_by_reason"] == {"registry entry rejected": 2, "timeout": 2,
                                       "http error": 1, "load failed": 1}
    assert [list(r) for r in out["per_source"]] == [ROW_KEYS, ROW_KEYS]
    assert [r["errors"] for r in out["per_source"]] == [2, 2]
    assert (out["errors"], out["new_reports"], out["loaded"], out["unchanged"]) == (4, 3, 13, 1)
    assert (out["pages_fetched"], out["requests"], out["sources_visited"]) == (3, 3, 2)
    assert out["registry_problems"] == ["sources.yaml: entry 3: no lists",
                                        "sources.yaml: unknown source id 'x'"]


def test_the_reparse_summary_keeps_its_own_keys() -> None:
    run = ReparseResult("r2")
    batch = Batch(run_id="r2", source_id="gd-a", errors=[(f"{A}/1", "extraction failed: x")])
    run.row("gd-a").add(100, batch, load(loaded=5, written=2))
    run.row("gd-a").add(20, Batch(run_id="r2", source_id="gd-a"), load(loaded=1))
    out = run.as_dict()
    assert list(out) == ["run_id", "kind", "sources_visited", "per_source", "pages_fetched",
                         "new_reports", "documents", "reports", "new_revisions", "unchanged",
                         "copies", "loaded", "written", "quarantined", "skipped", "errors"]
    assert out["per_source"] == [{"source": "gd-a", "documents": 120, "reports": 0,
                                  "new_revisions": 0, "unchanged": 0, "copies": 0, "loaded": 6,
                                  "written": 2, "quarantined": 0, "skipped": 0, "errors": 1}]
    assert (out["kind"], out["documents"], out["errors"], out["new_reports"]) == (
        "reparse", 120, 1, 0)


def test_a_run_counts_its_records_kinds_and_stores_their_text(tmp_path: Path) -> None:
    settings = quick(tmp_path)
    problems = ["sources.yaml: entry 4: bad cms"]

    def load_sources(registry: Path, only: Any, shard: Any) -> tuple[list[Source], list[str]]:
        return [src("gd-a"), src("gd-down", DOWN), src("gd-b", "http://www.b.gov.cn")], problems

    def extract_and_load(crawls: list[SourceCrawl], run_id: str, s: Settings) -> Any:
        if any(sc.source.id == "gd-b" for sc in crawls):
            raise OSError("disk full")
        return PLAIN.extract_and_load(crawls, run_id, s)

    steps = Steps(load_sources, crawl_mock, extract_and_load)
    out = crawl_and_load("nightly", sources=None, registry=str(tmp_path / "sources.yaml"),
                         full=False, years=None, refetch=False, settings=settings, steps=steps)
    assert list(out) == CRAWL_KEYS
    # gd-a: the refused file (crawl), which its report page then lacks (extraction), a 404
    assert out["errors_by_reason"] == {"registry entry rejected": 1, "refused": 1,
                                       "http error": 1, "attachment unsupported": 1,
                                       "robots.txt": 1, "load failed": 1}
    per = {r["source"]: r["errors"] for r in out["per_source"]}
    assert per == {"gd-a": 3, "gd-down": 1, "gd-b": 1} and out["errors"] == 5
    with Warehouse(settings) as wh:
        _, stored = wh.query("select url, reason from skips where kind = 'error' order by url")
    gone = f"{A}/fz/202203/t20220301_4.html"
    assert (gone, f"gd-a: {gone}: HTTP 404") in [tuple(r) for r in stored]
    assert {r[0] for r in stored} == {gone, "http://cdn.other.cn/x.docx", f"{DOWN}/fz/index.html"}
