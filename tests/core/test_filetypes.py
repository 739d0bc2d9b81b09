"""One definition of which links are files (crawler, discovery, extraction, re-parse)."""

from __future__ import annotations

from govreports import filetypes
from govreports.crawl import attachment_urls


def test_read_and_listed_files() -> None:
    for url in ("http://x.gov.cn/u/2023.PDF", "http://x.gov.cn/a/b.docx?id=3",
                "http://x.gov.cn/c.doc", "http://x.gov.cn/d.wps#p1"):
        assert filetypes.is_read_file(url) and filetypes.is_listed_file(url), url
    for url in ("http://x.gov.cn/t.xlsx", "http://x.gov.cn/t.ofd", "http://x.gov.cn/t.zip"):
        assert not filetypes.is_read_file(url) and filetypes.is_listed_file(url), url
    for url in ("http://x.gov.cn/art/2023/3/1/art_1_2.html", "http://x.gov.cn/pdf/index.html",
                "http://x.gov.cn/download?file=a.pdf", "http://x.gov.cn/docs/"):
        assert not filetypes.is_read_file(url) and not filetypes.is_listed_file(url), url
    assert filetypes.names_listed_file("../P020230301.pdf?v=2")


def test_the_crawler_fetches_only_read_formats_a_page_links() -> None:
    page = ('<a href="./P0202303.pdf">报告</a> <a href="t.xlsx">附表</a> '
            '<a href="/x/a.DOCX">附件</a> <a href="list.html">返回</a>').encode()
    assert attachment_urls(page, "http://x.gov.cn/col/t20230301_1.html") == [
        "http://x.gov.cn/col/P0202303.pdf", "http://x.gov.cn/x/a.DOCX"]
