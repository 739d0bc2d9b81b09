"""Per-source crawl rules on a mock web: paging stops, failures stay local, budgets, years,
attachments."""

from __future__ import annotations

import httpx

from govreports.crawl import MemoryState, attachment_urls, crawl
from govreports.models import Source
from govreports.settings import Settings

A = "http://www.a.gov.cn"


def trs_page(items: list[tuple[str, str]], count: int, current: int) -> str:
    lis = "".join(
        f'<li><a href="{h}">{t}</a><span>2024-03-0{i + 1}</span></li>'
        for i, (h, t) in enumerate(items)
    )
    return (
        f'<html><head><meta charset="utf-8"></head><body><ul class="list">{lis}</ul>'
        f'<script>var countPage = {count};createPageHTML(countPage, {current}, "index", "html");'
        "</script></body></html>"
    )


PAGES = {
    "/fz/index.html": trs_page(
        [
            ("./202403/t20240301_1.html", "某县2023年政府信息公开工作年度报告"),
            ("./202403/t20240302_2.html", "关于做好防汛工作的通知"),
        ],
        2,
        0,
    ),
    "/fz/index_1.html": trs_page(
        [
            ("./202303/t20230301_3.html", "某县2022年度法治政府建设情况报告"),
            ("./202203/t20220301_4.html", "某县2021年度法治政府建设情况报告"),
        ],
        2,
        1,
    ),
    "/fz/202303/t20230301_3.html": '<p>正文</p><a href="/files/P020230301.pdf">附件</a>'
    '<a href="http://cdn.other.cn/x.docx">镜像</a>',
    "/fz/202203/t20220301_4.html": "<p>正文</p>",
    "/fz/202403/t20240301_1.html": "<p>一、总体情况</p>",
    "/files/P020230301.pdf": "%PDF-1.4",
}


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.host == "www.down.gov.cn":
        raise httpx.ConnectError("Name or service not known")
    if request.url.path == "/robots.txt":
        return httpx.Response(404)
    body = PAGES.get(request.url.path)
    if body is None:
        return httpx.Response(404)
    ctype = "application/pdf" if request.url.path.endswith(".pdf") else "text/html; charset=utf-8"
    return httpx.Response(200, content=body.encode(), headers={"Content-Type": ctype})


def src(sid: str, host: str = A, **kw: object) -> Source:
    return Source(
        id=sid,
        name=sid,
        issuer="某县人民政府",
        homepage=f"{host}/",  # type: ignore[arg-type]
        lists=(f"{host}/fz/index.html",),
        cms="trs_static",
        **kw,
    )


def settings() -> Settings:
    return Settings(min_delay=0.0, max_retries=1, backoff_base=0.0, timeout=1.0)


def run(sources: list[Source], state: MemoryState | None = None, **kw: object):  # type: ignore[no-untyped-def]
    return crawl(
        sources, state or MemoryState(), settings(), transport=httpx.MockTransport(handler), **kw
    )


def test_reports_with_attachments_and_one_dead_source_does_not_stop_the_others() -> None:
    ok, down = run([src("gd-a"), src("gd-down", "http://www.down.gov.cn")])
    assert sorted(d.link.report_year for d in ok.reports) == [2021, 2022]  # type: ignore[misc]
    doc = next(d for d in ok.reports if d.link.report_year == 2022)
    assert [(a.url, a.outcome) for a in doc.attachments] == [
        (f"{A}/files/P020230301.pdf", "ok"),
        ("http://cdn.other.cn/x.docx", "refused_host"),
    ]
    assert ("http://cdn.other.cn/x.docx", doc.attachments[1].error) in ok.errors
    kinds = sorted(r.split(":")[0] for _, r in ok.skipped)
    assert kinds == ["disclosure", "other"]
    # the column is not registered for the second family: the skip says how to collect it
    (why,) = [r for _, r in ok.skipped if r.startswith("disclosure")]
    assert "add it to the source's families" in why
    assert down.reports == [] and len(down.errors) == 1
    url, reason = down.errors[0]
    assert url == "http://www.down.gov.cn/fz/index.html"
    assert reason == (
        "gd-down: http://www.down.gov.cn/fz/index.html: robots.txt unavailable (connect_error), "
        "host treated as disallowed: cannot connect (Name or service not known)"
    )
    assert [f.outcome for f in down.fetches] == ["connect_error", "connect_error", "connect_error"]


def test_paging_stops_at_an_all_known_page_unless_full() -> None:
    state = MemoryState(urls={f"{A}/fz/202403/t20240301_1.html", f"{A}/fz/202403/t20240302_2.html"})
    (inc,) = run([src("gd-a")], state)
    assert [p.url for p in inc.list_pages] == [f"{A}/fz/index.html"] and inc.reports == []
    (full,) = run([src("gd-a")], state, full=True)
    assert [p.url for p in full.list_pages] == [f"{A}/fz/index.html", f"{A}/fz/index_1.html"]
    assert len(full.reports) == 2


def test_a_column_registered_for_both_families_fetches_the_disclosure_report() -> None:
    (both,) = run([src("gd-a", families=("rule_of_law", "disclosure_annual"))])
    kinds = sorted((d.link.kind, d.link.report_year) for d in both.reports)
    assert kinds == [("disclosure", 2023), ("report", 2021), ("report", 2022)]
    assert [r.split(":")[0] for _, r in both.skipped] == ["other"]
    (only,) = run([src("gd-a", families=("disclosure_annual",))])
    assert [d.link.kind for d in only.reports] == ["disclosure"]
    # the 法治政府建设 reports are skipped with a reason a person can act on
    assert sum("add it to the source's families" in r for _, r in only.skipped) == 2


def test_years_filter_and_budget() -> None:
    (only,) = run([src("gd-a")], years={2022})
    assert [d.link.report_year for d in only.reports] == [2022]
    assert any("report year 2021 not in [2022]" in r for _, r in only.skipped)
    (poor,) = run([src("gd-a", request_budget=3)])
    # robots + 2 list pages spend the budget: the reports are errors naming the budget
    assert poor.reports == []
    assert poor.errors and all("request budget of 3 spent" in r for _, r in poor.errors)
    assert {u for u, _ in poor.errors} == {
        f"{A}/fz/202303/t20230301_3.html",
        f"{A}/fz/202203/t20220301_4.html",
    }


def test_attachment_urls_are_found_without_a_tree() -> None:
    html = (
        b'<a href="/u/P0.PDF">a</a> <a href=\'x.docx?v=1\'>b</a> <a href="y.wps">c</a>'
        b'<a href="/a.html">d</a> <img src="z.pdf">'
    )
    assert attachment_urls(html, "https://x.gov.cn/c/p.html") == [
        "https://x.gov.cn/u/P0.PDF",
        "https://x.gov.cn/c/x.docx?v=1",
        "https://x.gov.cn/c/y.wps",
    ]
    assert attachment_urls(b"<p>no files</p>", "https://x.gov.cn/") == []


def test_a_walk_broken_on_a_failed_list_page_resumes_on_the_next_run() -> None:
    down = {"on": True}

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/fz/index_1.html" and down["on"]:
            return httpx.Response(503)
        return handler(request)

    state = MemoryState()
    (first,) = crawl([src("gd-a")], state, settings(), transport=httpx.MockTransport(flaky))
    assert first.reports == [] and first.broken_walks == [
        (f"{A}/fz/index.html", f"{A}/fz/index_1.html")
    ]
    state.remember(first)
    assert state.pending_pages(f"{A}/fz/index.html") == [f"{A}/fz/index_1.html"]
    down["on"] = False
    (second,) = crawl([src("gd-a")], state, settings(), transport=httpx.MockTransport(flaky))
    # page 1 holds only known links, yet the walk goes on to the page it never read
    assert [p.url for p in second.list_pages] == [f"{A}/fz/index.html", f"{A}/fz/index_1.html"]
    assert sorted(d.link.report_year for d in second.reports) == [2021, 2022]  # type: ignore[misc]
    state.remember(second)
    assert state.pending_pages(f"{A}/fz/index.html") == []
    (third,) = crawl([src("gd-a")], state, settings(), transport=httpx.MockTransport(flaky))
    assert [p.url for p in third.list_pages] == [f"{A}/fz/index.html"] and third.reports == []
