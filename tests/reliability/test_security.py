"""The crawler must never become a hazard: only registry hosts, bounded parsing, inert text.

- links, redirects and attachment URLs to other hosts, private or link-local addresses,
  ``file://`` and ``ftp://`` are never requested, and each refusal is a logged fetch result;
- a Hanweb datastore carrying a billion-laughs DTD does not expand (records are read by
  pattern, HTML by lxml's HTML parser, which ignores internal DTD entities);
- raw files are named by the hash of their bytes, whatever the URL says;
- hostile scraped text is stored verbatim and never runs as SQL;
- secrets given through the environment never reach logs, run rows or reprs.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from govreports.crawl import MemoryState, crawl
from govreports.discover import parse_list_page
from govreports.extract import extract_document
from govreports.fetch import Fetcher
from govreports.models import Batch, FetchResult, Source
from govreports.pipeline import process_report_document
from govreports.settings import Settings
from govreports.testweb import TestWeb
from warehouse import Warehouse
from warehouse.rawstore import RawStore, RawStoreError

from .conftest import SOURCES
from .harness import fast_settings, rows, run_pipeline

SITE = "http://www.example.gov.cn"
OUTSIDE = [
    "http://evil.example.com/report.html",  # another host
    "http://169.254.169.254/latest/meta-data.html",  # link-local (cloud metadata)
    "http://10.1.2.3/internal.html",  # private
    "http://[::1]/loopback.html",  # loopback v6
    "file:///etc/passwd",
    "ftp://www.example.gov.cn/pub/report.pdf",
]


def _list_page() -> bytes:
    items = "".join(
        f'<li><a href="{u}">2022年度法治政府建设情况报告（{i}）</a>'
        f"<span>2023-03-0{i + 1}</span></li>"
        for i, u in enumerate([*OUTSIDE, f"{SITE}/art/2023/3/9/redirect.html",
                               f"{SITE}/art/2023/3/8/report.html"])
    )
    return (f'<html><head><meta charset="utf-8"></head><body><div class="list"><ul>{items}'
            "</ul></div></body></html>").encode()


def _report_page() -> bytes:
    files = "".join(f'<a href="{u}.pdf">附件{i}</a>' for i, u in enumerate(OUTSIDE))
    return ("<html><head><meta charset='utf-8'><title>2022年度法治政府建设情况报告</title></head>"
            f"<body><div class='article'><p>全年办理行政复议案件12件。</p>{files}</div></body>"
            "</html>").encode()


def test_outside_links_redirects_and_attachments_are_refused_and_logged() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/list/index.html":
            return httpx.Response(200, content=_list_page(), headers={"content-type": "text/html"})
        if path.endswith("redirect.html"):  # the report page itself moves off-site
            return httpx.Response(302, headers={"location": "http://192.168.0.7/report.html"})
        return httpx.Response(200, content=_report_page(), headers={"content-type": "text/html"})

    source = Source(id="ex", name="示例县人民政府", issuer="示例县人民政府", homepage=f"{SITE}/",
                    lists=(f"{SITE}/list/index.html",), cms="generic")
    settings = Settings(min_delay=0.0, backoff_base=0.0, max_retries=0)
    [result] = crawl([source], MemoryState(), settings,
                     transport=httpx.MockTransport(handler), fetch_kinds=("report", "lookalike",
                                                                           "other"))
    # Nothing but the registry host was ever asked for anything.
    assert {httpx.URL(u).host for u in seen} == {"www.example.gov.cn"}, seen
    refused = {f.url: f for f in result.fetches if f.outcome.startswith("refused_")}
    for url in ("http://evil.example.com/report.html",
                "http://169.254.169.254/latest/meta-data.html",
                "http://10.1.2.3/internal.html", "http://192.168.0.7/report.html"):
        assert url in refused, (url, sorted(refused))
        assert url in (refused[url].error or "")  # one line naming the URL
    assert "redirect from" in (refused["http://192.168.0.7/report.html"].error or "")
    # The redirect refusal is an error of the run, naming the link that led there.
    assert any("192.168.0.7" in reason for _, reason in result.errors)
    # The one real report page was read; its off-site attachments were refused, each an error.
    [doc] = [d for d in result.reports if d.link.url.endswith("/report.html")]
    assert doc.page.outcome == "ok"
    attached = {a.url: a.outcome for a in doc.attachments}
    assert attached == {f"{u}.pdf": "refused_host" for u in OUTSIDE if u.startswith("http")}
    errors = {url for url, _ in result.errors}
    assert set(attached) <= errors
    # file:// and ftp:// hrefs are not links to the parsers (http(s) only), so never asked for.
    for f in result.fetches:
        assert f.url.startswith(("http://", "https://")), f


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://www.example.gov.cn/pub/a.pdf",
                                 "gopher://www.example.gov.cn/", "http://localhost/x.html",
                                 "http://127.0.0.1:8080/x.html", "http://[fe80::1]/x.html"])
def test_the_fetcher_refuses_other_schemes_and_private_targets_with_a_reason(url: str) -> None:
    import asyncio

    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200)

    netloc = urlsplit(url).netloc or "www.example.gov.cn"
    # Even when the entry names the host itself, a private address needs allow_private.
    src = Source(id="ex", name="n", issuer="i", homepage=f"http://{netloc}/", lists=())

    async def go() -> list[FetchResult]:
        async with Fetcher(Settings(min_delay=0.0), transport=httpx.MockTransport(handler)) as f:
            return await f.fetch(url, src)

    [got] = asyncio.run(go())
    assert got.outcome in ("refused_scheme", "refused_private"), got
    assert got.error and url in got.error
    assert asked == []


@pytest.mark.parametrize("host, addr", [("intranet.example.gov.cn", "10.0.0.8"),
                                        ("meta.example.gov.cn", "169.254.169.254"),
                                        ("v6.example.gov.cn", "fe80::1")])
def test_a_registry_host_resolving_to_a_private_address_is_refused(host: str, addr: str) -> None:
    import asyncio

    asked: list[str] = []

    async def resolve(name: str) -> list[str]:
        return [addr]

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, content=b"ok")

    src = Source(id="dns", name="n", issuer="i", homepage=f"http://{host}/", lists=())

    async def go() -> list[FetchResult]:
        async with Fetcher(Settings(min_delay=0.0), transport=httpx.MockTransport(handler),
                           resolve=resolve) as f:
            return await f.fetch(f"http://{host}/a.html", src)

    [got] = asyncio.run(go())
    assert got.outcome == "refused_private" and addr in (got.error or "")
    assert asked == []


def test_billion_laughs_datastore_does_not_expand() -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    page = (f'<?xml version="1.0"?><!DOCTYPE datastore [<!ENTITY lol0 "lol">{lol}]>'
            "<html><head><meta charset='utf-8'></head><body>"
            '<script type="text/xml"><datastore><totalrecord>1</totalrecord><recordset>'
            "<record><![CDATA[<li><a href='/art/2023/3/1/art_6157_1.html'>&lol9;2022年度法治政府"
            "建设情况报告</a><span>2023-03-01</span></li>]]></record>"
            "</recordset></datastore></script>&lol9;</body></html>").encode()
    started = time.perf_counter()
    got = parse_list_page(page, "http://www.longchang.gov.cn/col/col6157/index.html", cms="hanweb")
    assert time.perf_counter() - started < 5
    assert len(got.links) == 1
    assert len(got.links[0].title) < 200 and "lollol" not in got.links[0].title
    try:
        report = extract_document(page, url="http://www.longchang.gov.cn/art/x.html")
    except Exception as exc:  # an ExtractionError is fine; an expansion is not
        assert type(exc).__name__ == "ExtractionError", exc
    else:
        assert "lollol" not in report.text and len(report.text) < 10_000


def test_raw_files_are_named_by_content_hash_not_by_url(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    for bad in ("../../etc/passwd", "/etc/passwd", "a" * 63 + "/", "A" * 64):
        with pytest.raises(RawStoreError):
            store.path(bad)
    settings = fast_settings(tmp_path)
    hostile = FetchResult(url="http://www.example.gov.cn/../../../../tmp/owned%2F..%2F.bashrc",
                          source_id="ex", status=200, outcome="ok", content=b"<html>x</html>",
                          content_type="text/html", fetched_at=datetime.now(UTC), attempt=1)
    with Warehouse(settings) as wh:
        wh.load_batch(Batch(run_id="r1", source_id="ex", fetches=[hostile]))
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert len(files) == 1
    sha = hostile.sha256
    assert sha is not None and files[0].name == f"{sha}.gz"
    assert files[0].resolve().is_relative_to((tmp_path / "data" / "raw").resolve())
    [(raw_path,)] = rows(settings, "select raw_path from documents")
    assert ".." not in raw_path and raw_path.endswith(f"{sha}.gz")


HOSTILE = ["'); DROP TABLE reports; --", "<script>alert('x')</script>",
           "\" OR 1=1; DELETE FROM mentions; --", "$$; COPY reports TO '/tmp/x.csv'; $$"]


def test_hostile_titles_are_stored_verbatim_and_never_run(
    web: TestWeb, tmp_path: Path
) -> None:
    url = next(u for _, y, u in web.expected_reports if y == 2022 and u.endswith(".html"))
    with urllib.request.urlopen(url, timeout=10) as resp:  # 127.0.0.1 only
        page = FetchResult(url=url, source_id="sc-wanyuan-trs", status=200, outcome="ok",
                           content=resp.read(), content_type=resp.headers["content-type"],
                           fetched_at=datetime.now(UTC))
    report, _ = process_report_document(page)
    title = " ".join(HOSTILE)
    report.title = title
    report.doc_number = HOSTILE[0]
    assert report.mentions
    report.mentions[0].context = HOSTILE[2]
    settings = fast_settings(tmp_path)
    with Warehouse(settings) as wh:
        summary = wh.load_batch(Batch(run_id="r1", source_id=page.source_id, fetches=[page],
                                      reports=[(page, report)]))
        assert summary.new_reports == 1
        assert wh.query("select title, doc_number from reports")[1] == [(title, HOSTILE[0])]
        # and a parameter holding the same text finds it, as data
        assert wh.query("select count(*) from reports where title = ?", [title])[1] == [(1,)]
        assert wh.query("select count(*) from mentions where context = ?",
                        [HOSTILE[2]])[1] == [(1,)]
        tables = {r[0] for r in wh.query("select table_name from information_schema.tables")[1]}
    assert {"reports", "mentions", "sections"} <= tables


def test_secrets_never_reach_logs_or_run_rows(
    web: TestWeb, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    dsn = "postgresql://govreports:s3cr3t-pw-8812@db.internal:5432/lake"
    token = "tok_live_5f1d9c0ffee4242"
    monkeypatch.setenv("GOVREPORTS_POSTGRES_DSN", dsn)
    monkeypatch.setenv("GOVREPORTS_API_TOKEN", token)
    settings = Settings(warehouse=tmp_path / "wh.duckdb", data_dir=tmp_path / "data",
                        min_delay=0.0, timeout=2.0, backoff_base=0.01)
    assert settings.postgres_dsn is not None
    assert settings.postgres_dsn.get_secret_value() == dsn  # read from the environment
    caplog.set_level(logging.DEBUG)
    result = run_pipeline(registry, settings, only=SOURCES[:1])
    texts = [caplog.text, repr(settings), str(settings), settings.model_dump_json(),
             json.dumps(result, default=str)]
    texts += [str(r) for r in rows(settings, "select * from runs")]
    texts += [str(r) for r in rows(settings, "select * from sources")]
    for text in texts:
        assert "s3cr3t-pw-8812" not in text and token not in text
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    assert "GOVREPORTS_POSTGRES_DSN" in example and "GOVREPORTS_API_TOKEN" in example


def test_report_links_with_other_schemes_are_refused_and_noted() -> None:
    from govreports.discover import parse_list_page

    html = """<html><body><ul class="list">
      <li><a href="file:///etc/passwd">万源市2022年度法治政府建设情况报告</a><span>2023-03-20</span></li>
      <li><a href="ftp://10.0.0.5/fzzf/2022.doc">隆昌市2021年度法治政府建设情况报告</a></li>
      <li><a href="javascript:void(0)">打印本页</a></li>
      <li><a href="./202303/t20230320_1.html">万源市2022年度法治政府建设情况报告</a>
          <span>2023-03-20</span></li>
    </ul></body></html>""".encode()
    page = parse_list_page(html, "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html")
    assert [link.url for link in page.links] == [
        "http://www.wanyuan.gov.cn/zwgk/fzzfjs/202303/t20230320_1.html"
    ]
    refused = [n for n in page.notes if n.startswith("refused link")]
    assert len(refused) == 2
    assert "file:///etc/passwd" in refused[0] and "scheme file" in refused[0]
    assert "scheme ftp" in refused[1]


def test_the_query_door_cannot_write_or_read_files(tmp_path: Path) -> None:
    """`govreports query` is read-only and sealed: no COPY over the warehouse, no reading
    other files, no ATTACH/INSTALL/LOAD, no SET that would undo it; the warehouse survives."""
    from govreports.settings import Settings
    from warehouse import Warehouse, WarehouseError

    settings = Settings(warehouse=tmp_path / "wh.duckdb", data_dir=tmp_path / "data")
    with Warehouse(settings) as wh:
        wh.migrate()
        attacks = [
            f"COPY (SELECT 'gone' AS a) TO '{settings.warehouse}' (FORMAT csv)",
            "SELECT * FROM read_text('/etc/passwd')",
            "SELECT * FROM read_csv('/etc/passwd')",
            f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET enable_external_access = true",
            "PRAGMA threads = 1",
            "DELETE FROM reports",
            "CREATE TABLE x (a INT)",
        ]
        for sql in attacks:
            with pytest.raises(WarehouseError):
                wh.query(sql)
        assert wh.query("SELECT count(*) FROM reports")[1] == [(0,)]
    assert not (tmp_path / "other.duckdb").exists()
    with Warehouse(settings) as wh:  # the warehouse file is still a warehouse
        assert wh.query("SELECT count(*) FROM runs")[1] == [(0,)]
