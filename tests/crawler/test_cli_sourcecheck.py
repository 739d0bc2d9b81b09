"""`govreports discover`, `sources list` and the (live, opt-in) source check on a mock web."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from govreports.models import Source
from govreports.settings import Settings
from govreports.sourcecheck import check_sources
from ui.cli import app

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
runner = CliRunner()


def test_discover_json_on_a_real_list_page() -> None:
    page = SHARED / "real_html" / "lists" / "p01_pingtan_zfxxgknb_list_index.html"
    if not page.is_file():
        pytest.skip("../shared is not available")
    res = runner.invoke(
        app,
        [
            "discover",
            str(page),
            "--url",
            "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["cms"] == "trs_static" and len(out["links"]) == 10
    assert out["links"][0]["kind"] == "disclosure" and out["next_pages"] == []
    assert "JS-only paging" in out["notes"][0]


def test_discover_rejects_unknown_family(tmp_path: Path) -> None:
    f = tmp_path / "l.html"
    f.write_bytes(b"<html></html>")
    res = runner.invoke(app, ["discover", str(f), "--url", "https://x.gov.cn/", "--cms", "cms9"])
    assert res.exit_code == 2 and "unknown --cms 'cms9'" in res.output


def test_sources_list_shows_errors_with_file_and_line(tmp_path: Path) -> None:
    reg = tmp_path / "r.yaml"
    reg.write_text(
        "sources:\n  - id: sc-a\n    name: a\n    issuer: b\n"
        "    homepage: https://a.gov.cn/\n    lists: []\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["sources", "list", "--path", str(reg), "--format", "json"])
    assert res.exit_code == 1
    assert f"{reg}:6: sc-a: lists: must be a non-empty list of http(s) URLs" in res.output


def test_source_check_reports_what_a_crawl_would_see() -> None:
    good = Source(
        id="gd-a",
        name="a",
        issuer="某县人民政府",
        homepage="https://a.gov.cn/",
        lists=("https://a.gov.cn/fzzfjs/index.html",),
        cms="trs_static",
    )
    empty = Source(
        id="gd-b",
        name="b",
        issuer="某县人民政府",
        homepage="https://b.gov.cn/",
        lists=("https://b.gov.cn/col/",),
        cms="hanweb",
    )
    gone = Source(
        id="gd-c",
        name="c",
        issuer="某县人民政府",
        homepage="https://c.gov.cn/",
        lists=("https://c.gov.cn/old/",),
    )
    html = (
        '<ul class="list"><li><a href="./202403/t20240301_1.html">某县2023年度法治政府建设'
        "情况报告</a><span>2024-03-01</span></li></ul><script>var countPage = 2;"
        'createPageHTML(countPage, 0, "index", "html");</script>'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.host == "a.gov.cn":
            return httpx.Response(200, html=html)
        if request.url.host == "b.gov.cn":
            return httpx.Response(200, html="<div id='app'></div>")
        return httpx.Response(404)

    checks = check_sources(
        [good, empty, gone], Settings(min_delay=0.0), transport=httpx.MockTransport(handler)
    )
    a, b, c = checks
    assert a.ok and a.lists[0].reports == 1 and a.lists[0].next_pages == 1
    assert a.lists[0].sniffed_cms == "trs_static" and a.lists[0].problems == []
    assert not b.ok and "no article links" in b.lists[0].problems[0]
    assert not c.ok and c.lists[0].status == 404 and "HTTP 404" in c.lists[0].problems[0]
