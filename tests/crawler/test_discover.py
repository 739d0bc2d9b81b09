# ruff: noqa: E501  (hand-built pages keep the long lines real CMSs print)
"""List-page parsing per CMS family, on real saved pages and on hand-built pages in the
shapes those CMSs print (bytes in the encodings the servers send)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports.discover import (
    CMS_FAMILIES,
    discover_file,
    parse_list_page,
    sniff_family,
    trs_static_pages,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
LISTS = SHARED / "real_html" / "lists"
PINGTAN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def real(name: str) -> Path:
    path = LISTS / name
    if not path.is_file():
        pytest.skip(f"{path} is not available (../shared absent)")
    return path


def test_pingtan_static_links_dates_and_js_only_paging() -> None:
    page = discover_file(real("p01_pingtan_zfxxgknb_list_index.html"), PINGTAN)
    assert len(page.links) == 10
    first = page.links[0]
    assert (
        first.url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    )
    assert first.title == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert first.date == "2026-03-10"
    assert [link.report_year for link in page.links] == list(range(2025, 2015, -1))
    assert page.links[-1].date == "2017-01-18"
    # every one is the information-disclosure annual report: the second family, with the reason
    assert {link.kind for link in page.links} == {"disclosure"}
    assert all("政府信息公开" in link.reason for link in page.links)
    # recordCount 20 but only 10 static links; page 2 only via the JS search API
    assert page.next_pages == []
    (note,) = page.notes
    assert "recordCount 20" in note and "no next page URL can be inferred" in note
    assert "chnlid=1813" in note


def test_pingtan_government_work_reports_are_lookalikes_single_page() -> None:
    page = discover_file(
        real("p05_pingtan_zfgzbg_list_index.html"), "https://www.pingtan.gov.cn/zwgk/zfgzbg/"
    )
    assert len(page.links) == 10 and page.next_pages == [] and page.notes == []
    assert {link.kind for link in page.links} == {"lookalike"}
    assert page.links[0].title == "政府工作报告（2025）" and page.links[0].report_year == 2025


def test_sniff_pingtan_as_trs() -> None:
    data = real("p01_pingtan_zfxxgknb_list_index.html").read_bytes()
    assert sniff_family(data, PINGTAN) == "trs_static"


TRS_GBK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>法治政府建设_万源市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<ul class="list">
<li><a href="./202303/t20230320_2087949.html" title="万源市2022年度法治政府建设情况报告">万源市2022年度法治政府建设情况…</a><span>2023-03-20</span></li>
<li><a href="./202303/t20230306_2088023.html" title="万源市2023年法治政府建设工作要点">万源市2023年法治政府建设工作要点</a><span>2023-03-06</span></li>
<li><a href="./202302/t20230214_2088060.html">关于做好2023年防汛备汛工作的通知</a><span>2023-02-14</span></li>
</ul>
<div class="page"><script>
var countPage = 4//共多少页
createPageHTML(countPage, 1, "index", "shtml");
</script></div>
<div class="footer"><a href="http://www.beian.gov.cn/portal/registerSystemInfo">川公网安备 51178102000123号</a></div>
</body></html>"""


def test_trs_static_gbk_list_with_createpagehtml() -> None:
    url = "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index_1.shtml"
    page = parse_list_page(TRS_GBK.encode("gbk"), url, cms="trs_static")
    assert [(link.kind, link.date) for link in page.links] == [
        ("report", "2023-03-20"),
        ("lookalike", "2023-03-06"),
        ("other", "2023-02-14"),
    ]
    # the full title comes from @title when the text is truncated
    assert page.links[0].title == "万源市2022年度法治政府建设情况报告"
    assert (
        page.links[0].url == "http://www.wanyuan.gov.cn/zwgk/fzzfjs/202303/t20230320_2087949.html"
    )
    assert page.next_pages == [
        "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index_2.shtml",
        "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index_3.shtml",
    ]


def test_trs_new_style_call_and_inline_definition_are_handled() -> None:
    text = (
        "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}\n"
        'createPageHTML("page_div", 3, 0, "index", "html", 58);'
    )
    assert trs_static_pages(text, "https://x.gov.cn/col/") == [
        "https://x.gov.cn/col/index_1.html",
        "https://x.gov.cn/col/index_2.html",
    ]
    assert trs_static_pages("createPageHTML(1, 0, 'index', 'html');", "https://x.gov.cn/") == []


HANWEB = """<html><head><meta charset="utf-8"></head><body>
<div class="nav"><a href="/col/col1/index.html">首页</a></div>
<div id="41203"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=6157&unitid=41203&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[
<li><a href="/art/2023/3/20/art_6157_4155783.html" title="隆昌市2022年度法治政府建设情况报告">隆昌市2022年度法治政府建设情况报告</a><span>2023-03-20</span></li>
]]></record>
<record><![CDATA[
<li><a href="/art/2023/1/5/art_6157_4155700.html" title="隆昌市2022年政府信息公开工作年度报告">隆昌市2022年政府信息公开工作年度报告</a><span>2023-01-05</span></li>
]]></record>
</recordset><totalrecord>50</totalrecord><totalpage>25</totalpage></datastore></script></div>
<script>$('#41203').jpage({perPage: 2, totalRecord: 50});</script>
</body></html>"""


def test_hanweb_datastore_records_and_dataproxy_groups() -> None:
    url = "https://www.longchang.gov.cn/col/col6157/index.html"
    assert sniff_family(HANWEB.encode(), url) == "hanweb"
    page = parse_list_page(HANWEB.encode(), url, cms="hanweb")
    assert [link.kind for link in page.links] == ["report", "disclosure"]  # nav link ignored
    assert page.links[0].date == "2023-03-20"
    (nxt,) = page.next_pages
    assert nxt.startswith("https://www.longchang.gov.cn/module/web/jpage/dataproxy.jsp?")
    assert "columnid=6157" in nxt and "startrecord=3" in nxt and "endrecord=8" in nxt
    # the proxy's own response (empty nextgroup) pages on from its parameters
    proxy = HANWEB.replace("<nextgroup><![CDATA[<a href", "<nextgroup><![CDATA[<b x")
    page2 = parse_list_page(proxy.encode(), nxt, cms="hanweb")
    assert "startrecord=5" in page2.next_pages[0] and "endrecord=10" in page2.next_pages[0]
    last = nxt.replace("startrecord=3", "startrecord=49").replace("endrecord=8", "endrecord=54")
    assert parse_list_page(proxy.encode(), last, cms="hanweb").next_pages == []


def test_trs_json_api_records_and_next_page() -> None:
    body = {
        "code": 200,
        "data": {
            "total": 23,
            "pageSize": 10,
            "list": [
                {
                    "doctitle": "<em>法治政府建设</em>年度报告（2023年）",
                    "docpuburl": "/fzzfjs/202402/t20240228_1.html",
                    "docreltime": "2024-02-28 10:00:00",
                },
                {
                    "doctitle": "2023年政府信息公开工作年度报告",
                    "docpuburl": "https://x.gov.cn/a/t20240120_2.html",
                    "docreltime": 1705708800000,
                },
            ],
        },
    }
    url = "https://x.gov.cn/api/search?channelid=200210&page=1"
    page = parse_list_page(
        json.dumps(body, ensure_ascii=False).encode(),
        url,
        cms="trs_json",
        content_type="application/json",
    )
    assert [(link.kind, link.report_year, link.date) for link in page.links] == [
        ("report", 2023, "2024-02-28"),
        ("disclosure", 2023, "2024-01-20"),
    ]
    assert page.links[0].title == "法治政府建设年度报告（2023年）"
    assert page.links[0].url == "https://x.gov.cn/fzzfjs/202402/t20240228_1.html"
    assert page.next_pages == ["https://x.gov.cn/api/search?channelid=200210&page=2"]
    last = parse_list_page(
        json.dumps(body).encode(), url.replace("page=1", "page=3"), cms="trs_json"
    )
    assert last.next_pages == []


GENERIC_BIG5 = """<html><head><meta charset="big5"><title>政務公開</title></head><body>
<table class="list">
<tr><td><a href="show.asp?id=1250">船營區2023年度法治政府建設情況報告</a></td><td>[2024-03-08]</td></tr>
<tr><td><a href="show.asp?id=1257">船營區2024年法治政府建設工作要點</a></td><td>[2024-03-06]</td></tr>
</table>
<p>共18條記錄 頁次：2/3頁 <a href="list.asp?page=1">首頁</a> <a href="list.asp?page=1">上一頁</a>
<a href="list.asp?page=3">下一頁</a> <a href="list.asp?page=3">尾頁</a></p>
<div class="pagination"><a href="list.asp?page=1">1</a> <a href="list.asp?page=2">2</a> <a href="list.asp?page=3">3</a></div>
</body></html>"""


def test_generic_next_page_in_traditional_script_and_page_numbers() -> None:
    url = "http://www.chuanying.gov.cn/list.asp?page=2"
    page = parse_list_page(GENERIC_BIG5.encode("big5"), url)
    assert [(link.kind, link.report_year) for link in page.links] == [
        ("report", 2023),
        ("lookalike", 2024),
    ]
    assert page.links[0].url == "http://www.chuanying.gov.cn/show.asp?id=1250"
    assert page.next_pages == ["http://www.chuanying.gov.cn/list.asp?page=3"]


XXGK = """<html><head><meta charset="utf-8"></head><body>
<div class="xxgk-nav"><a href="/xxgk/fdzdgknr/">法定主动公开内容</a>
<a href="/xxgk/fdzdgknr/fzzfjs/">法治政府建设</a></div>
<table class="xxgk-list"><tr><th>索引号</th><th>标题</th><th>发布日期</th></tr>
<tr><td>11220204013458273K/2024-00312</td><td><a href="/xxgk/fdzdgknr/fzzfjs/202403/t20240308_880279.html">船营区2023年度法治政府建设情况报告</a></td><td>2024-03-08</td></tr>
</table></body></html>"""


def test_xxgk_directory_rows_and_report_subcolumns() -> None:
    url = "http://xxgk.chuanying.gov.cn/xxgk/"
    assert sniff_family(XXGK.encode(), url) == "xxgk_directory"
    page = parse_list_page(XXGK.encode(), url, cms="xxgk_directory")
    assert [link.kind for link in page.links] == ["report"]
    assert page.links[0].date == "2024-03-08"
    assert page.next_pages == ["http://xxgk.chuanying.gov.cn/xxgk/fdzdgknr/fzzfjs/"]


def test_selector_override_and_unknown_family() -> None:
    html = (
        '<div class="zx"><a href="/a/1.html">某县2023年法治政府建设年度报告</a></div>'
        '<div class="other"><a href="/a/2.html">某县2023年法治政府建设年度报告（草稿）</a></div>'
    )
    page = parse_list_page(html.encode(), "https://x.gov.cn/", selectors={"links": "div.zx a"})
    assert [link.url for link in page.links] == ["https://x.gov.cn/a/1.html"]
    with pytest.raises(ValueError, match="unknown CMS family 'wordpress'"):
        parse_list_page(b"", "https://x.gov.cn/", cms="wordpress")
    assert set(CMS_FAMILIES) == {"trs_static", "trs_json", "hanweb", "generic", "xxgk_directory",
                                 "vsb"}


def test_empty_and_broken_pages_say_why() -> None:
    assert parse_list_page(b"  ", "https://x.gov.cn/").notes == ["empty page"]
    broken = parse_list_page(b'{"data": [', "https://x.gov.cn/api", cms="trs_json")
    assert broken.links == [] and broken.notes[0].startswith("not JSON")


def test_a_page_that_is_only_a_comment_is_a_note_not_a_crash() -> None:
    """Found by the fuzz test: lxml parses b'\\x0b<!' to a lone comment, not an element."""
    page = parse_list_page(b"\x0b<!", "http://www.example.gov.cn/x.html", cms="generic")
    assert (page.links, page.next_pages, page.notes) == ([], [], ["no HTML element on the page"])
