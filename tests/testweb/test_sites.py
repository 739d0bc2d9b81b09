"""Each virtual site serves what its CMS family really serves, with the seed text inside."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from govreports import filetypes, yamlfile
from govreports.cms import names as cms_names
from govreports.decode import decode_bytes
from govreports.testweb import TestWeb
from govreports.testweb.content import seed_reports, to_simplified

GOLD = Path(__file__).resolve().parents[1] / "gold"
HREF = re.compile(r"""href="([^"#]+)\"""")


def _gold_title(seed_file: str) -> str:
    meta = yamlfile.safe_load((GOLD / seed_file.replace(".txt", ".yaml")).read_text("utf-8"))
    # the test web shows the gold's title, or the one it offers for display where the seed
    # text states none
    return str(meta["metadata"]["title"] or meta["metadata"]["display_title"])


def _text(resp: httpx.Response) -> str:
    return html.unescape(decode_bytes(resp.content, resp.headers.get("content-type")).text)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# --------------------------------------------------------------------------- contract
def test_exactly_three_distinct_reports_with_gold_titles(web: TestWeb) -> None:
    expected = web.expected_reports
    assert {(i, y) for i, y, _ in expected} == {
        ("万源市人民政府", 2022), ("隆昌市人民政府", 2021), ("船营区人民政府", 2023)}
    assert len({u for _, _, u in expected}) == len(expected) == 8  # every copy listed once
    for rep in seed_reports().values():
        assert rep.title == _gold_title(rep.seed_file)
        assert rep.publish_date.year == rep.report_year + 1


def test_every_report_copy_carries_the_seed_text(web: TestWeb, client: httpx.Client) -> None:
    reps = {r.issuer: r for r in seed_reports().values()}
    for issuer, _, url in web.expected_reports:
        resp = client.get(url)
        assert resp.status_code == 200, url
        if filetypes.is_listed_file(url):
            continue  # covered by the attachment tests
        text = _squash(to_simplified(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", "", _text(resp))))
        body = reps[issuer].body_lines
        for line in (body[0], body[len(body) // 2], body[-1]):
            assert _squash(to_simplified(line))[:40] in text, (url, line[:20])


def test_lookalikes_of_every_kind_are_served(web: TestWeb, client: httpx.Client) -> None:
    titles = ""
    for src in web.registry():
        for lst in src["lists"]:
            titles += _text(client.get(lst))
    titles += _text(client.get(web.url("trs", "/zwgk/fzzfjs/index_1.html")))
    titles += _text(client.get(web.url("trs", "/zwgk/fzzfjs/index_2.html")))
    titles = to_simplified(titles)
    for needle in ("政府信息公开工作年度报告", "法治政府建设工作要点",
                   "法治政府建设实施方案（2021—2025年）",
                   "《万源市2022年度法治政府建设情况报告》解读", "五年工作总结", "统计年报",
                   "通知", "公示", "常务会议"):
        assert needle in titles, needle


def test_every_link_on_every_list_page_resolves(web: TestWeb, client: httpx.Client) -> None:
    checked = 0
    for src in web.registry():
        for lst in src["lists"]:
            page = client.get(lst)
            for href in HREF.findall(_text(page)):
                url = urljoin(lst, href)
                if "/preview/" in url:  # robots-disallowed decoy, tested on its own
                    continue
                if re.search(r"(/t\d{8}_\d+\.html|/art_\d+\.html|show\.asp\?id=\d+)$", url):
                    assert client.get(url).status_code == 200, url
                    checked += 1
    assert checked >= 30


# --------------------------------------------------------------------------- TRS
def test_trs_column_paging_and_detail(web: TestWeb, client: httpx.Client) -> None:
    first = client.get(web.url("trs", "/zwgk/fzzfjs/index.html")).text
    assert "var countPage = 3" in first and 'createPageHTML(countPage, 0, "index", "html")' in first
    for p in (1, 2):
        page = client.get(web.url("trs", f"/zwgk/fzzfjs/index_{p}.html"))
        assert page.status_code == 200 and f"createPageHTML(countPage, {p}," in page.text
    assert client.get(web.url("trs", "/zwgk/fzzfjs/index_3.html")).status_code == 404
    links = re.findall(r'href="(\./\d{6}/t\d{8}_\d+\.html)"', first)
    assert len(links) == 10
    (report_url,) = [u for i, _, u in web.expected_reports if "/zwgk/fzzfjs/" in u]
    page = client.get(report_url).text
    rep = seed_reports()["wanyuan"]
    assert f'<meta name="ArticleTitle" content="{rep.title}">' in page
    assert '<meta name="PubDate" content="2023-03-20 10:32">' in page
    assert '<meta name="ContentSource" content="万源市司法局">' in page
    assert '<meta name="SiteName" content="万源市人民政府">' in page
    assert '<meta name="ColumnName" content="法治政府建设">' in page
    editor = page.split('<div class="TRS_Editor">', 1)[1].split("</div>", 1)[0]
    assert rep.body_lines[0] in html.unescape(editor)
    for chrome in ("发布时间：2023-03-20", "来源：万源市司法局", "【字体：", "打印本页", "关闭窗口",
                   "川公网安备", "首页", "分享到"):
        assert chrome in page


def test_trs_robots_disallow_guards_a_report_looking_decoy(web: TestWeb,
                                                          client: httpx.Client) -> None:
    robots = client.get(web.url("trs", "/robots.txt"))
    assert robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /preview/" in robots.text.splitlines()
    last = client.get(web.url("trs", "/zwgk/fzzfjs/index_2.html")).text
    decoy = "/preview/t20230318_draft.html"
    assert f'href="{decoy}"' in last and "万源市2022年度法治政府建设情况报告" in last
    assert client.get(web.url("trs", decoy)).status_code == 200  # it exists: only robots guard it
    assert all(decoy not in u for _, _, u in web.expected_reports)
    for base in web.sites.values():
        assert client.get(base + "/robots.txt").text.startswith("User-agent: *\n")


# --------------------------------------------------------------------------- Hanweb
def test_hanweb_datastore_and_dataproxy_return_every_record(web: TestWeb,
                                                           client: httpx.Client) -> None:
    page = client.get(web.url("hanweb", "/col/col6157/index.html")).text
    store = page.split('<script type="text/xml">', 1)[1].split("</script>", 1)[0]
    assert "<datastore>" in store and "<nextgroup><![CDATA[" in store
    embedded = re.findall(r'href="(/art/\d{4}/\d+/\d+/art_6157_\d+\.html)"', store)
    total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", store).group(1))  # type: ignore[union-attr]
    assert len(embedded) == 10 and f"totalRecord: {total}" in page and total > 20
    (report,) = [u for _, _, u in web.expected_reports if "/art/" in u]
    assert urlsplit(report).path not in embedded  # only the dataproxy reaches it

    got: list[str] = []
    for start in range(1, total + 1, 10):
        params = {"startrecord": start, "endrecord": start + 9, "perpage": 10, "col": 1,
                  "appid": 1, "webid": 12, "path": "/", "columnid": 6157, "unitid": 41203}
        resp = client.get(web.url("hanweb", "/module/web/jpage/dataproxy.jsp"), params=params)
        assert resp.headers["content-type"].startswith("text/xml")
        assert resp.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>')
        got += re.findall(r'href="(/art/[^"]+)"', resp.text)
    assert got[:10] == embedded and len(got) == len(set(got)) == total
    assert any(report.endswith(g) for g in got)
    post = client.post(web.url("hanweb", "/module/web/jpage/dataproxy.jsp?startrecord=11"
                                          "&endrecord=20&perpage=10&columnid=6157"))
    assert re.findall(r'href="(/art/[^"]+)"', post.text) == got[10:20]
    other = client.get(web.url("hanweb", "/module/web/jpage/dataproxy.jsp?startrecord=1"
                                          "&endrecord=10&columnid=999"))
    assert "<record>" not in other.text


def test_hanweb_article_body_between_content_markers(web: TestWeb, client: httpx.Client) -> None:
    (report,) = [u for _, _, u in web.expected_reports if "/art/" in u]
    page = client.get(report).text
    body = html.unescape(page.split("<!--ContentStart-->", 1)[1].split("<!--ContentEnd-->", 1)[0])
    rep = seed_reports()["longchang"]
    start, sign = body.index(rep.body_lines[0]), body.rindex("隆昌市人民政府")
    assert start < sign < body.index("2022年2月16日")
    assert "发布时间" not in body and "相关附件" not in body  # seed chrome is page chrome here
    assert '<meta name="ArticleTitle" content="隆昌市2021年度法治政府建设情况报告">' in page


# --------------------------------------------------------------------------- legacy GBK
def test_legacy_gbk_bytes_decode_to_the_seed(web: TestWeb, client: httpx.Client) -> None:
    (url,) = [u for _, _, u in web.expected_reports if "show.asp" in u]
    resp = client.get(url)
    assert resp.headers["content-type"] == "text/html"  # no charset: the page must say it
    assert b'content="text/html; charset=gb2312"' in resp.content
    with pytest.raises(UnicodeDecodeError):
        resp.content.decode("utf-8")
    decoded = decode_bytes(resp.content, resp.headers["content-type"])
    assert decoded.encoding == "gb18030" and not decoded.replaced
    text = html.unescape(decoded.text)
    for line in seed_reports()["chuanying"].body_lines:
        assert line in text
    assert "船營區2023年度法治政府建設情況報告" in text and "吉公網安備" in text


def test_legacy_list_paging_links(web: TestWeb, client: httpx.Client) -> None:
    seen: set[str] = set()
    first = _text(client.get(web.url("legacy", "/list.asp")))
    assert first == _text(client.get(web.url("legacy", "/list.asp?page=1")))
    pages = int(re.search(r"頁次：1/(\d+)頁", first).group(1))  # type: ignore[union-attr]
    assert pages == 3
    for p in range(1, pages + 1):
        text = _text(client.get(web.url("legacy", f"/list.asp?page={p}")))
        for label in ("首頁", "上一頁", "下一頁", "尾頁"):
            assert label in text
        assert f'href="list.asp?page={min(p + 1, pages)}">下一頁' in text
        seen.update(re.findall(r'href="(show\.asp\?id=\d+)"', text))
    (report,) = [u for _, _, u in web.expected_reports if "show.asp" in u]
    assert report.rsplit("/", 1)[1] in seen and len(seen) >= 17


# --------------------------------------------------------------------------- attachments
def test_pdf_attachment_has_the_seed_text(web: TestWeb, client: httpx.Client) -> None:
    import pypdf

    (url,) = [u for _, _, u in web.expected_reports if u.endswith(".pdf")]
    resp = client.get(url)
    assert resp.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(resp.content)).pages)
    rep = seed_reports()["wanyuan"]
    assert _squash(rep.title) in _squash(text)
    assert _squash(rep.body_lines[0]) in _squash(text)
    assert _squash(rep.body_lines[-1])[-60:] in _squash(text)


def test_docx_attachment_has_the_seed_text(web: TestWeb, client: httpx.Client) -> None:
    import docx

    url = next(u for _, _, u in web.expected_reports if u.endswith(".docx"))
    resp = client.get(url)
    assert resp.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    paras = [p.text for p in docx.Document(io.BytesIO(resp.content)).paragraphs]
    rep = seed_reports()["longchang"]
    assert paras[0] == rep.title and paras[1] == rep.body_lines[0]
    assert paras[-2:] == ["隆昌市人民政府", "2022年2月16日"]


def test_notice_pages_link_their_attachments(web: TestWeb, client: httpx.Client) -> None:
    listing = client.get(web.url("attach", "/fzzfjs/ndbg/index.html")).text
    notices = re.findall(r'href="(/fzzfjs/ndbg/\d{6}/t\d+_\d+\.html)"', listing)
    assert len(notices) == 4
    files = []
    for n in notices:
        page = client.get(web.url("attach", n)).text
        files += re.findall(r'href="(/fzzfjs/ndbg/[^"]+\.(?:pdf|docx))"', page)
        if re.search(r"\.(pdf|docx)", page):
            assert "相关附件" in page
    assert len(files) == 3
    expected = {u.split("/", 3)[3] for _, _, u in web.expected_reports
                if u.endswith((".pdf", ".docx"))}
    assert {f.lstrip("/") for f in files} >= expected and len(expected) == 2


def test_committed_attachments_match_the_generator(tmp_path: Path) -> None:
    """The committed files are what the script makes from today's seeds (PDF byte-exact)."""
    from govreports.testweb.attachments import FILES, build_all

    for made in build_all(tmp_path):
        committed = (FILES / made.name).read_bytes()
        if made.suffix == ".pdf":
            assert made.read_bytes() == committed, f"regenerate {made.name}"
        else:
            import docx

            def paras(b: bytes) -> list[str]:
                return [p.text for p in docx.Document(io.BytesIO(b)).paragraphs]

            assert paras(made.read_bytes()) == paras(committed), f"regenerate {made.name}"


# --------------------------------------------------------------------------- xxgk, mirror
def test_xxgk_detail_has_the_metadata_table(web: TestWeb, client: httpx.Client) -> None:
    listing = client.get(web.url("xxgk", "/xxgk/fdzdgknr/fzzfjs/index.html")).text
    assert "<th>索引号</th>" in listing
    (url,) = [u for _, _, u in web.expected_reports if "/xxgk/" in u]
    page = client.get(url).text
    fields = dict(re.findall(r"<th>(\S+?)：</th><td[^>]*>([^<]*)</td>", page))
    assert fields["索引号"].startswith("11220204013458273K/2024-")
    assert fields["发布机构"] == "船营区司法局"
    assert fields["成文日期"] == "2024-01-31" and fields["发布日期"] == "2024-03-08"
    assert fields["主题分类"] and "文号" in fields
    assert fields["标题"] == "船营区2023年度法治政府建设情况报告"
    assert "船营区人民政府" in page and "船營區" not in page  # the simplified copy


def test_mirror_is_traditional_with_pinyin(web: TestWeb, client: httpx.Client) -> None:
    (url,) = [u for _, _, u in web.expected_reports if "/zh-hant/" in u]
    page = client.get(url).text
    assert '<meta name="ArticleTitle" content="萬源市2022年度法治政府建設情況報告">' in page
    assert re.search(r"建設\(shè\)", page)
    assert "法治政府建设" not in page  # no simplified text left


# --------------------------------------------------------------------------- registry
def test_registry_yaml_lists_every_site(web: TestWeb, client: httpx.Client,
                                        tmp_path: Path) -> None:
    path = web.write_registry(tmp_path / "reg" / "testweb.yaml")
    data = yamlfile.safe_load(path.read_text("utf-8"))
    sources = data["sources"]
    # one entry per site, plus the 政府信息公开年报 columns of TRS, legacy and attach
    assert {s["homepage"].rstrip("/") for s in sources} == set(web.sites.values())
    assert len({s["id"] for s in sources}) == len(sources) == len(web.sites) + 3
    second = {s["id"]: s["families"] for s in sources if "families" in s}
    assert second == {
        "sc-wanyuan-xxgknb": ["disclosure_annual"], "jl-chuanying-xxgknb": ["disclosure_annual"],
        "sc-sft-xxgknb": ["disclosure_annual"],
        "sc-longchang-hanweb": ["rule_of_law", "disclosure_annual"],
    }
    for s in sources:
        assert re.fullmatch(r"[a-z0-9-]+", s["id"]) and s["allow_private"] is True
        assert s["cms"] in cms_names()
        assert s["issuer"] and s["level"]
        for lst in s["lists"]:
            assert client.get(lst).status_code == 200, lst
    try:
        from govreports.registry import load_registry
    except ImportError:
        return
    loaded, errors = load_registry(path)
    assert errors == [] and len(loaded) == len(sources)
    assert all(src.allow_private for src in loaded)


# --------------------------------------------------------------------------- realism
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def test_templates_use_the_markers_real_pages_use(web: TestWeb, client: httpx.Client) -> None:
    """Our TRS and Hanweb pages carry the containers and markers the saved real pages carry."""
    real = SHARED / "real_html"
    if not real.is_dir():
        pytest.skip("../shared/real_html is not available")
    trs_real = (real / "d02_shanxi_govcn_gne-shanxi-1.html").read_text("utf-8")
    hanweb_real = (real / "d29_clone_ycrjinan_gov_cn.html").read_text("utf-8")
    trs_ours = client.get(next(u for *_, u in web.expected_reports if "/zwgk/" in u)).text
    hanweb_ours = client.get(next(u for *_, u in web.expected_reports if "/art/" in u)).text
    for marker in ('class="TRS_Editor"', '<meta name="SiteName"', '<meta name="SiteDomain"',
                   "createPageHTML"):
        assert marker in trs_real
        assert marker in trs_ours or marker == "createPageHTML"
    for marker in ("<!--ZJEG_RSS.content.begin-->", "<!--ZJEG_RSS.content.end-->"):
        assert marker in hanweb_real and marker in hanweb_ours
