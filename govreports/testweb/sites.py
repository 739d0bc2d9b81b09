"""The default virtual government sites: path → bytes, built in memory at start-up.

Each builder lays one CMS family's URL scheme over the same kind of content: one seed report
(or a copy of one), look-alikes, and ordinary notices. A ``Site`` is pure data plus two
callables (dynamic endpoints such as Hanweb's dataproxy, and re-rendering the report page
for the mutation hook); the HTTP layer knows nothing about CMSs.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

from govreports.testweb import templates as t
from govreports.testweb.content import (
    Page,
    SeedReport,
    filler_paragraphs,
    lookalikes,
    notices,
    seed_reports,
    to_simplified,
    to_traditional,
)
from govreports.testweb.disclosure import Numbers, numbers, plant, report_html_body

FILES = Path(__file__).resolve().parent / "files"
HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CORRECTION = "（更正说明：经核实，本报告第{n}次修订补充了行政复议案件办理数据，特此更正。）"


@dataclass
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime
    etag: str = ""

    def __post_init__(self) -> None:
        self.last_modified = self.last_modified.replace(microsecond=0)
        if not self.etag:
            self.etag = '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


Dynamic = Callable[[str, dict[str, list[str]]], "Resource | None"]


@dataclass
class ReportCopy:
    key: str  # seed key
    path: str  # path (with query) of the copy on its site


@dataclass
class DisclosureCopy:
    """A 政府信息公开工作年度报告 the test web serves, with the numbers its tables print."""

    issuer: str
    year: int
    path: str  # the report page (for a file, the page that links it)
    numbers: Numbers
    file: str = ""  # the attachment's path when the report is a DOCX/PDF


@dataclass
class Site:
    name: str  # short key: trs, hanweb, ...
    source: dict[str, object]  # registry entry; "lists" and "homepage" hold paths
    resources: dict[str, Resource] = field(default_factory=dict)
    dynamic: Dynamic | None = None
    reports: list[ReportCopy] = field(default_factory=list)
    more_sources: list[dict[str, object]] = field(default_factory=list)  # other columns
    disclosures: list[DisclosureCopy] = field(default_factory=list)
    rerender: Callable[[list[str]], tuple[str, Resource]] | None = None  # mutation hook
    corrections: list[str] = field(default_factory=list)

    def get(self, path: str, query: str) -> Resource | None:
        target = f"{path}?{query}" if query else path
        res = self.resources.get(target)
        if res is None and self.dynamic is not None:
            res = self.dynamic(path, parse_qs(query))
        return res

    def change_report(self) -> str:
        """Append one correction paragraph to this site's report page; return its path."""
        if self.rerender is None:
            raise ValueError(f"site {self.name!r} has no mutable report page")
        self.corrections.append(CORRECTION.format(n=len(self.corrections) + 1))
        path, res = self.rerender(self.corrections)
        res.last_modified = max(res.last_modified, datetime.now(UTC).replace(microsecond=0))
        self.resources[path] = res
        return path


def _at(d: date, hour: int = 9) -> datetime:
    # Pages were published in China (UTC+8) during office hours.
    return datetime(d.year, d.month, d.day, hour, 30, tzinfo=UTC) - timedelta(hours=8)


def html_resource(text: str, d: date) -> Resource:
    return Resource(text.encode("utf-8"), HTML, _at(d))


@dataclass
class Article:
    title: str
    day: date
    lines: tuple[str, ...]
    kind: str  # report | lookalike | notice | decoy | disclosure
    html: str = ""  # a body with markup of its own (tables), used instead of the lines
    disclosure: DisclosureCopy | None = None

    def body(self, extra: list[str]) -> str:
        if self.html:
            return self.html + (t.paragraphs(extra) if extra else "")
        return t.paragraphs(list(self.lines) + extra)


def _column(report: SeedReport, place: str, extra: int, rng_seed: int,
            pick: tuple[int, ...] = (0, 1, 2, 3, 4, 5)) -> list[Article]:
    """A column's articles, newest first: the report, chosen look-alikes, notices, filler."""
    rng = random.Random(rng_seed)
    y = report.report_year
    arts = [Article(report.title, report.publish_date, tuple(report.text.splitlines()), "report")]
    alikes = lookalikes(place, report.issuer, y)
    for i in pick:
        page = alikes[i]
        arts.append(Article(page.title, date(y + 1, 1 + (i * 2) % 12, 5 + i), page.body,
                            "lookalike"))
    for i, page in enumerate(notices(place, report.issuer, y)):
        arts.append(Article(page.title, date(y + 1, 4 + i, 10 + i), page.body, "notice"))
    topics = ("安全生产检查", "森林防灭火", "防汛备汛", "营商环境评价", "政务服务“好差评”",
              "双随机一公开抽查", "普法宣传进社区", "信访工作联席会议", "行政执法案卷评查",
              "规范性文件备案审查")
    for i in range(extra):
        day = date(y, 1, 1) + timedelta(days=rng.randint(0, 700))
        title = f"关于做好{day.year}年{topics[i % len(topics)]}工作的通知"
        arts.append(Article(title, day, tuple(filler_paragraphs(rng, 300)), "notice"))
    arts.sort(key=lambda a: (a.day, a.title), reverse=True)
    return arts


def _pages(page: Page, d: date) -> Article:
    return Article(page.title, d, page.body, page.kind)


# --------------------------------------------------------------------------- 政府信息公开年报
@dataclass(frozen=True)
class _Disc:
    """One 政府信息公开工作年度报告 the test web serves (see ``disclosure.numbers``)."""

    title: str
    issuer: str
    year: int
    day: date
    markup: str  # national | plain | split | nested | blank_zeros | docx | pdf
    seed: int
    fmt: str = "2021"
    planted: bool = False  # its grand total disagrees with its parts


def _disclosure_article(d: _Disc, traditional: bool = False) -> Article:
    n = numbers(d.seed, d.fmt)
    if d.planted:
        n = plant(n)
    html = report_html_body(d.issuer, d.year, n, d.markup, d.seed)
    title = d.title
    if traditional:
        html, title = to_traditional(html), to_traditional(title)
    return Article(title, d.day, (), "disclosure", html=html,
                   disclosure=DisclosureCopy(d.issuer, d.year, "", n))


def _disclosure_lookalikes(place: str, issuer: str, year: int) -> list[Article]:
    """What sits beside disclosure reports in their columns: a 解读 and a notice on compiling
    them (both name the report in their titles)."""
    report = f"{place}{year}年政府信息公开工作年度报告"
    return [
        Article(f"《{report}》解读", date(year + 1, 3, 30), (
            f"近日，{issuer}发布了《{report}》。为便于公众理解，现就报告主要内容解读如下。",
            "一、报告的起草背景。根据《中华人民共和国政府信息公开条例》规定编制。",
            "二、报告的主要内容。报告包括总体情况、主动公开、依申请公开等六个部分。",
        ), "lookalike"),
        Article(f"关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知",
                date(year, 12, 20), (
                    "各乡镇人民政府，各部门：",
                    f"为做好{year}年度政府信息公开工作年度报告编制发布工作，现将有关事项通知如下。",
                    "一、各部门应于次年1月31日前向社会公布本部门年度报告。",
                ), "notice"),
    ]


def _register(site: Site, a: Article, path: str) -> None:
    if a.disclosure is not None:
        a.disclosure.path = path
        site.disclosures.append(a.disclosure)


WANYUAN_DISCLOSURES = (
    _Disc("万源市2022年政府信息公开工作年度报告", "万源市人民政府", 2022, date(2023, 3, 28),
          "national", 2201),
    _Disc("万源市2021年政府信息公开工作年度报告", "万源市人民政府", 2021, date(2022, 4, 6),
          "split", 2101),  # six days after 31 March
    _Disc("万源市2020年政府信息公开工作年度报告", "万源市人民政府", 2020, date(2021, 3, 22),
          "plain", 2001, fmt="2019"),
)
LONGCHANG_DISCLOSURE = _Disc("隆昌市2021年政府信息公开工作年度报告", "隆昌市人民政府", 2021,
                             date(2022, 3, 25), "nested", 2102)
CHUANYING_DISCLOSURES = (
    _Disc("船营区2023年政府信息公开工作年度报告", "船营区人民政府", 2023, date(2024, 3, 29),
          "blank_zeros", 2301),
    _Disc("船营区2022年政府信息公开工作年度报告", "船营区人民政府", 2022, date(2023, 3, 30),
          "national", 2202, planted=True),
)
SFT_DISCLOSURES = (  # a department: due 31 January; served as attachments
    _Disc("四川省司法厅2022年政府信息公开工作年度报告", "四川省司法厅", 2022, date(2023, 1, 19),
          "docx", 2203),
    _Disc("四川省司法厅2021年政府信息公开工作年度报告", "四川省司法厅", 2021, date(2022, 2, 8),
          "pdf", 2103),  # eight days after 31 January
)


# --------------------------------------------------------------------------- TRS: 万源
WANYUAN = t.SiteInfo("万源市人民政府", "www.wanyuan.gov.cn", "蜀ICP备05003671号",
                     "川公网安备 51178102000123号", "5117810001")


def build_trs() -> Site:
    rep = seed_reports()["wanyuan"]
    col, base = "法治政府建设", "/zwgk/fzzfjs/"
    arts = _column(rep, "万源市", extra=17, rng_seed=11, pick=(0, 1, 2, 3, 4, 5, 6))
    site = Site("trs", _source(rep, "sc-wanyuan-trs", "万源市人民政府 法治政府建设栏目（TRS）",
                                "trs_static", [base + "index.html"]))
    paths: list[str] = []
    for n, a in enumerate(arts):
        rel = f"{a.day:%Y%m}/t{a.day:%Y%m%d}_{2087431 + n * 37}.html"
        paths.append(rel)
        if a.kind == "report":
            site.reports.append(ReportCopy(rep.key, base + rel))

            def rerender(extra: list[str], a: Article = a, rel: str = rel) -> tuple[str, Resource]:
                return base + rel, _trs_article(a, col, rep.source_agency, list(extra))

            site.rerender = rerender
        site.resources[base + rel] = _trs_article(a, col, rep.source_agency, [])
    per = 10
    count = (len(arts) + per - 1) // per
    for p in range(count):
        items = [t.ListItem("./" + paths[i], arts[i].title, f"{arts[i].day:%Y-%m-%d}")
                 for i in range(p * per, min(len(arts), (p + 1) * per))]
        if p == count - 1:
            # A report-looking link under a path robots.txt disallows: fetching it proves a
            # crawler ignored robots.txt.
            items.append(t.ListItem("/preview/t20230318_draft.html", rep.title, "2023-03-18"))
        name = "index.html" if p == 0 else f"index_{p}.html"
        site.resources[base + name] = html_resource(t.trs_list(WANYUAN, col, items, count, p),
                                            arts[p * per].day)
    decoy = Article(rep.title, date(2023, 3, 18), tuple(rep.text.splitlines()), "decoy")
    site.resources["/preview/t20230318_draft.html"] = _trs_article(decoy, col, "预览", [])
    site.resources["/robots.txt"] = text_resource(t.robots(["/preview/", "/search/"]))
    _trs_disclosure_column(site, rep)
    return site


def _trs_disclosure_column(site: Site, rep: SeedReport) -> None:
    """万源's 政府信息公开年报 column: three years of reports (2019 and 2021 formats, three table
    markups, one published late), a 解读 and a notice."""
    col, base = "政府信息公开年报", "/zwgk/zfxxgknb/"
    arts = [_disclosure_article(d) for d in WANYUAN_DISCLOSURES]
    arts += _disclosure_lookalikes("万源市", rep.issuer, 2022)
    arts.sort(key=lambda a: a.day, reverse=True)
    items = []
    for n, a in enumerate(arts):
        rel = f"{a.day:%Y%m}/t{a.day:%Y%m%d}_{3301207 + n * 29}.html"
        _register(site, a, base + rel)
        site.resources[base + rel] = _trs_article(a, col, "万源市人民政府办公室", [])
        items.append(t.ListItem("./" + rel, a.title, f"{a.day:%Y-%m-%d}"))
    site.resources[base + "index.html"] = html_resource(t.trs_list(WANYUAN, col, items, 1, 0),
                                                        arts[0].day)
    site.more_sources.append(_source(rep, "sc-wanyuan-xxgknb",
                                     "万源市人民政府 政府信息公开年报栏目（TRS）", "trs_static",
                                     [base + "index.html"], families=["disclosure_annual"]))


def _trs_article(a: Article, col: str, source: str, extra: list[str]) -> Resource:
    body = a.body(extra)
    html = t.trs_detail(WANYUAN, col, a.title, f"{a.day:%Y-%m-%d} 10:32", source, body)
    return html_resource(html, a.day)


def text_resource(s: str) -> Resource:
    return Resource(s.encode("utf-8"), "text/plain; charset=utf-8", _at(date(2023, 1, 3)))


def _source(rep: SeedReport | None, sid: str, name: str, cms: str, lists: list[str],
            **extra: object) -> dict[str, object]:
    src: dict[str, object] = {"id": sid, "name": name}
    if rep is not None:
        src.update(issuer=rep.issuer, admin_code=rep.admin_code, level=rep.level,
                   province=rep.province)
    src.update(homepage="/", cms=cms, lists=lists)
    src.update(extra)
    return src


# --------------------------------------------------------------------------- Hanweb: 隆昌
LONGCHANG = t.SiteInfo("隆昌市人民政府", "www.longchang.gov.cn", "蜀ICP备05021864号",
                       "川公网安备 51108302000045号", "5110830002")
HANWEB_COL, HANWEB_UNIT, HANWEB_WEB, HANWEB_PER = 6157, 41203, 12, 10


def build_hanweb() -> Site:
    rep = seed_reports()["longchang"]
    col = "法治政府建设"
    # (no look-alike 0: this column is crawled for the 政府信息公开工作年度报告 it carries)
    arts = _column(rep, "隆昌市", extra=14, rng_seed=23, pick=(1, 2, 4))
    # the column carries the government's 政府信息公开工作年度报告 too (a mixed column)
    arts.append(_disclosure_article(LONGCHANG_DISCLOSURE))
    arts.sort(key=lambda a: (a.day, a.title), reverse=True)
    # Keep the report off the first embedded page: only the dataproxy reaches it.
    newer = [a for a in arts if a.day > rep.publish_date]
    assert len(newer) >= HANWEB_PER, "hanweb column needs a full first page of newer articles"
    site = Site("hanweb", _source(rep, "sc-longchang-hanweb",
                                   "隆昌市人民政府 法治政府建设栏目（大汉）", "hanweb",
                                   [f"/col/col{HANWEB_COL}/index.html"],
                                   families=["rule_of_law", "disclosure_annual"]))
    items: list[t.ListItem] = []
    for n, a in enumerate(arts):
        d = a.day
        path = f"/art/{d.year}/{d.month}/{d.day}/art_{HANWEB_COL}_{301547 + n * 13}.html"
        items.append(t.ListItem(path, a.title, f"{a.day:%Y-%m-%d}"))
        _register(site, a, path)
        if a.kind == "report":
            site.reports.append(ReportCopy(rep.key, path))

            def rerender(extra: list[str], a: Article = a,
                         path: str = path) -> tuple[str, Resource]:
                return path, _hanweb_article(a, col, rep.source_agency, extra)

            site.rerender = rerender
        site.resources[path] = _hanweb_article(a, col, rep.source_agency, [])
    total = len(items)
    nextgroup = (f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={HANWEB_WEB}'
                 f'&path=/&columnid={HANWEB_COL}&unitid={HANWEB_UNIT}&webname=隆昌市人民政府'
                 f'&permissiontype=0"></a>')
    store = t.hanweb_datastore(items[:HANWEB_PER], nextgroup, total, HANWEB_PER)
    page = t.hanweb_column(LONGCHANG, col, HANWEB_COL, HANWEB_UNIT, HANWEB_WEB, store, total,
                           HANWEB_PER)
    site.resources[f"/col/col{HANWEB_COL}/index.html"] = html_resource(page, arts[0].day)
    site.resources["/robots.txt"] = text_resource(t.robots(["/module/search/", "/jsearch/"]))
    latest = arts[0].day

    def dataproxy(path: str, q: dict[str, list[str]]) -> Resource | None:
        if path != "/module/web/jpage/dataproxy.jsp":
            return None
        try:
            start = int(q.get("startrecord", ["1"])[0])
            end = int(q.get("endrecord", [str(start + HANWEB_PER - 1)])[0])
            column = int(q.get("columnid", ["0"])[0])
        except ValueError:
            return None
        recs = items[max(0, start - 1):max(0, end)] if column == HANWEB_COL else []
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + t.hanweb_datastore(
            recs, "", total if column == HANWEB_COL else 0, HANWEB_PER)
        return Resource(xml.encode("utf-8"), "text/xml; charset=utf-8", _at(latest))

    site.dynamic = dataproxy
    return site


def _hanweb_article(a: Article, col: str, source: str, extra: list[str]) -> Resource:
    body = a.body(extra)
    html = t.hanweb_detail(LONGCHANG, col, a.title, f"{a.day:%Y-%m-%d} 16:05", source, body)
    return html_resource(html, a.day)


# --------------------------------------------------------------------------- legacy GBK: 船营
CHUANYING = t.SiteInfo("吉林市船營區人民政府", "www.chuanying.gov.cn", "吉ICP備05004217號",
                       "吉公網安備 22020402000210號", "2202040001")
LEGACY_PER = 8


def build_legacy() -> Site:
    rep = seed_reports()["chuanying"]
    title = to_traditional(rep.title)
    arts = _column(rep, "船营区", extra=10, rng_seed=37, pick=(0, 1, 5))
    for a in arts:  # a converted (繁體) site: everything but the seed body goes through s2t
        if a.kind == "report":
            a.title = title
        else:
            a.title = to_traditional(a.title)
            a.lines = tuple(to_traditional(x) for x in a.lines)
    site = Site("legacy", _source(rep, "jl-chuanying-legacy",
                                   "船营区人民政府 政务公开（旧版繁体站）", "generic",
                                   ["/list.asp?page=1"]))
    items: list[t.ListItem] = []
    for n, a in enumerate(arts):
        path = f"/show.asp?id={1180 + n * 7}"
        items.append(t.ListItem(path.lstrip("/"), a.title, f"{a.day:%Y-%m-%d}"))
        source = "船營區司法局" if a.kind == "report" else "船營區政府辦"
        if a.kind == "report":
            site.reports.append(ReportCopy(rep.key, path))

            def rerender(extra: list[str], a: Article = a, path: str = path,
                         source: str = source) -> tuple[str, Resource]:
                return path, _legacy_article(a, source, [to_traditional(x) for x in extra])

            site.rerender = rerender
        site.resources[path] = _legacy_article(a, source, [])
    pages = (len(items) + LEGACY_PER - 1) // LEGACY_PER
    for p in range(1, pages + 1):
        chunk = items[(p - 1) * LEGACY_PER:p * LEGACY_PER]
        html = t.legacy_list(CHUANYING, "政務公開", chunk, p, pages, len(items))
        res = Resource(html.encode("gb18030"), "text/html", _at(arts[0].day))
        site.resources[f"/list.asp?page={p}"] = res
        if p == 1:
            site.resources["/list.asp"] = res
    site.resources["/robots.txt"] = text_resource(t.robots(["/admin/"]))
    _legacy_disclosure_column(site, rep)
    return site


def _legacy_disclosure_column(site: Site, rep: SeedReport) -> None:
    """船營區's 政府信息公開年報 column (繁體, GB18030): zeros left blank in one report, and one
    report whose grand total disagrees with its parts."""
    arts = [_disclosure_article(d, traditional=True) for d in CHUANYING_DISCLOSURES]
    items = []
    for n, a in enumerate(arts):
        path = f"/xxgk_show.asp?id={5210 + n * 3}"
        _register(site, a, path)
        site.resources[path] = _legacy_article(a, "船營區政府辦", [])
        items.append(t.ListItem(path.lstrip("/"), a.title, f"{a.day:%Y-%m-%d}"))
    html = t.legacy_list(CHUANYING, "政府信息公開年報", items, 1, 1, len(items), "xxgknb.asp")
    site.resources["/xxgknb.asp?page=1"] = Resource(html.encode("gb18030"), "text/html",
                                                    _at(arts[0].day))
    site.more_sources.append(_source(rep, "jl-chuanying-xxgknb",
                                     "船营区人民政府 政府信息公开年报（旧版繁体站）", "generic",
                                     ["/xxgknb.asp?page=1"], families=["disclosure_annual"]))


def _legacy_article(a: Article, source: str, extra: list[str]) -> Resource:
    body = a.body(extra)
    html = t.legacy_detail(CHUANYING, a.title, f"{a.day.year}-{a.day.month}-{a.day.day}", source,
                           body)
    # Old IIS/ASP: GBK-family bytes, no charset in the header, gb2312 in <meta>.
    return Resource(html.encode("gb18030"), "text/html", _at(a.day))


# --------------------------------------------------------------------------- xxgk: 船营 (简体)
CHUANYING_XXGK = t.SiteInfo("吉林市船营区人民政府", "xxgk.chuanying.gov.cn", "吉ICP备05004217号",
                            "吉公网安备 22020402000210号", "2202040001")


def build_xxgk() -> Site:
    rep = seed_reports()["chuanying"]
    col = "法治政府建设"
    body = [to_simplified(x) for x in rep.body_lines]
    arts = _column(rep, "船营区", extra=3, rng_seed=41, pick=(0, 1, 3))
    site = Site("xxgk", _source(rep, "jl-chuanying-xxgk", "船营区政府信息公开平台 法治政府建设",
                                 "xxgk_directory", ["/xxgk/fdzdgknr/fzzfjs/index.html"]))
    rows: list[tuple[t.XxgkMeta, t.ListItem]] = []
    for n, a in enumerate(arts):
        if a.kind == "report":
            a.lines = tuple(body)
        meta = t.XxgkMeta(
            index_no=f"11220204013458273K/{a.day.year}-{312 + n:05d}",
            agency="船营区司法局" if a.kind == "report" else "船营区人民政府办公室",
            written=f"{(rep.sign_date or a.day) if a.kind == 'report' else a.day:%Y-%m-%d}",
            published=f"{a.day:%Y-%m-%d}",
            topic="政府工作" if a.kind != "report" else "司法/法治政府建设",
            doc_no="" if a.kind != "notice" else f"船政办发〔{a.day.year}〕{n + 3}号",
        )
        path = f"/xxgk/fdzdgknr/fzzfjs/{a.day:%Y%m}/t{a.day:%Y%m%d}_{880213 + n * 11}.html"
        rows.append((meta, t.ListItem(path, a.title, meta.published)))
        if a.kind == "report":
            site.reports.append(ReportCopy(rep.key, path))

            def rerender(extra: list[str], a: Article = a, meta: t.XxgkMeta = meta,
                         path: str = path) -> tuple[str, Resource]:
                return path, _xxgk_article(a, col, meta, extra)

            site.rerender = rerender
        site.resources[path] = _xxgk_article(a, col, meta, [])
    site.resources["/xxgk/fdzdgknr/fzzfjs/index.html"] = html_resource(
        t.xxgk_list(CHUANYING_XXGK, col, rows), arts[0].day)
    site.resources["/robots.txt"] = text_resource(t.robots(["/xxgk/search/"]))
    site.dynamic = _json_list_api([item for _, item in rows], arts[0].day)
    return site


JSON_LIST_API = "/xxgk/api/list"  # ?channelid=880&page=N: the same column as a TRS JSON API


def _json_list_api(items: list[t.ListItem], d: date) -> Dynamic:
    """The column as TRS sites serve it to their JS front ends: JSON, two records a page."""
    per_page = 2

    def answer(path: str, q: dict[str, list[str]]) -> Resource | None:
        if path != JSON_LIST_API:
            return None
        try:
            page = int(q.get("page", ["1"])[0])
        except ValueError:
            return None
        chunk = items[(page - 1) * per_page : page * per_page]
        body = {
            "code": 200,
            "data": {
                "total": len(items),
                "pageSize": per_page,
                "page": page,
                "list": [
                    {"doctitle": i.title, "docpuburl": i.href, "docreltime": f"{i.date} 09:30:00"}
                    for i in chunk
                ],
            },
        }
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return Resource(raw, "application/json; charset=utf-8", _at(d))

    return answer


def _xxgk_article(a: Article, col: str, meta: t.XxgkMeta, extra: list[str]) -> Resource:
    html = t.xxgk_detail(CHUANYING_XXGK, col, a.title, meta, t.paragraphs(list(a.lines) + extra))
    return html_resource(html, a.day)


# --------------------------------------------------------------------------- 繁體 mirror: 万源
MIRROR = t.SiteInfo("萬源市人民政府（繁體版）", "fanti.wanyuan.gov.cn", "蜀ICP備05003671號",
                    "川公網安備 51178102000123號", "5117810001")


def build_mirror() -> Site:
    rep = seed_reports()["wanyuan"]
    title = to_traditional(rep.title)
    site = Site("mirror", _source(rep, "sc-wanyuan-mirror", "万源市人民政府 繁体镜像站",
                                   "generic", ["/zh-hant/fzzfjs/list.html"]))
    alikes = lookalikes("万源市", rep.issuer, rep.report_year)
    arts = [
        Article(title, rep.publish_date, rep.body_lines, "report"),
        _pages(alikes[0], date(2023, 1, 30)),
        _pages(alikes[3], date(2023, 3, 22)),
        _pages(notices("万源市", rep.issuer, rep.report_year)[1], date(2023, 2, 14)),
    ]
    arts.sort(key=lambda a: a.day, reverse=True)
    items = []
    for n, a in enumerate(arts):
        path = f"/zh-hant/fzzfjs/{a.day:%Y%m}/art_{5521 + n}.html"
        items.append(t.ListItem(path, to_traditional(a.title), f"{a.day:%Y-%m-%d}"))
        if a.kind == "report":
            site.reports.append(ReportCopy(rep.key, path))

            def rerender(extra: list[str], a: Article = a,
                         path: str = path) -> tuple[str, Resource]:
                return path, _mirror_article(a, extra)

            site.rerender = rerender
        site.resources[path] = _mirror_article(a, [])
    site.resources["/zh-hant/fzzfjs/list.html"] = html_resource(
        to_traditional(t.simple_list(MIRROR, "法治政府建設", items)), arts[0].day)
    site.resources["/robots.txt"] = text_resource(t.robots(["/zh-hans/"]))
    return site


def _mirror_article(a: Article, extra: list[str]) -> Resource:
    # Convert the chrome with s2t, then the body with pinyin annotations (as conversion
    # mirrors print them), so the annotations are not themselves converted.
    marker = "\x00BODY\x00"
    page = to_traditional(t.simple_detail(MIRROR, to_traditional(a.title), f"{a.day:%Y-%m-%d}",
                                          "萬源市司法局", marker))
    lines = [to_traditional(x, pinyin_every=4) for x in list(a.lines) + extra]
    return html_resource(page.replace(marker, t.paragraphs(lines)), a.day)


# --------------------------------------------------------------------------- attachments
SICHUAN = t.SiteInfo("四川省司法厅", "sft.sc.gov.cn", "蜀ICP备05011425号",
                     "川公网安备 51010402000517号", "5100000057")

# (file name in FILES, content type, seed key or None for a look-alike, notice title, date)
ATTACHMENTS: tuple[tuple[str, str, str | None, str, date], ...] = (
    ("wanyuan_2022.pdf", PDF, "wanyuan", "万源市2022年度法治政府建设情况报告",
     date(2023, 3, 24)),
    ("longchang_2021.docx", DOCX, "longchang", "隆昌市2021年度法治政府建设情况报告",
     date(2022, 2, 21)),
    ("gongzuoyaodian_2023.docx", DOCX, None, "四川省2023年法治政府建设工作要点",
     date(2023, 3, 2)),
)


def build_attach() -> Site:
    reps = seed_reports()
    site = Site("attach", _source(None, "sc-sft-attach",
                                   "四川省司法厅 法治政府建设年度报告公开专栏",
                                   "generic", ["/fzzfjs/ndbg/index.html"],
                                   issuer="四川省司法厅", level="department",
                                   province="四川省"))
    items: list[t.ListItem] = []
    for n, (fname, ctype, key, title, day) in enumerate(ATTACHMENTS):
        stamp = f"{day:%Y%m%d}"
        file_path = f"/fzzfjs/ndbg/{day:%Y%m}/P0{stamp}{3921 + n}.{fname.rsplit('.', 1)[1]}"
        page_path = f"/fzzfjs/ndbg/{day:%Y%m}/t{stamp}_{702311 + n}.html"
        site.resources[file_path] = Resource((FILES / fname).read_bytes(), ctype, _at(day))
        if key is not None:
            site.reports.append(ReportCopy(key, file_path))
            issuer = reps[key].issuer
            lead = f"现将{issuer}报送的《{title}》予以公开，全文详见附件。"
        else:
            lead = f"现将《{title}》印发给你们，请结合实际认真贯彻落实。"
        html = t.simple_detail(SICHUAN, title, f"{day:%Y-%m-%d}", "四川省司法厅",
                               t.paragraphs([lead, "四川省司法厅法治督察处"]),
                               attachments=[(file_path, f"{title}.{fname.rsplit('.', 1)[1]}")])
        site.resources[page_path] = html_resource(html, day)
        items.append(t.ListItem(page_path, title, f"{day:%Y-%m-%d}"))
    note = notices("四川省", "四川省司法厅", 2022)[3]
    site.resources["/fzzfjs/ndbg/202302/t20230210_702301.html"] = html_resource(
        t.simple_detail(SICHUAN, note.title, "2023-02-10", "四川省司法厅", t.paragraphs(note.body)),
        date(2023, 2, 10))
    items.append(t.ListItem("/fzzfjs/ndbg/202302/t20230210_702301.html", note.title,
                            "2023-02-10"))
    items.sort(key=lambda i: i.date, reverse=True)
    site.resources["/fzzfjs/ndbg/index.html"] = html_resource(
        t.simple_list(SICHUAN, "法治政府建设年度报告", items), date(2023, 3, 24))
    site.resources["/robots.txt"] = text_resource(t.robots(["/cms/"]))
    _attach_disclosure_column(site)
    return site


def disclosure_file_name(d: _Disc) -> str:
    return f"sft_xxgk_{d.year}.{d.markup}"


def _attach_disclosure_column(site: Site) -> None:
    """四川省司法厅's 政府信息公开年报 column: each report is a DOCX or PDF linked from a short
    page (the files are made by ``attachments.build_all``)."""
    items = []
    for n, d in enumerate(SFT_DISCLOSURES):
        ext = d.markup
        stamp = f"{d.day:%Y%m%d}"
        file_path = f"/xxgk/ndbg/{d.day:%Y%m}/P0{stamp}{5507 + n}.{ext}"
        page_path = f"/xxgk/ndbg/{d.day:%Y%m}/t{stamp}_{910021 + n}.html"
        ctype = DOCX if ext == "docx" else PDF
        site.resources[file_path] = Resource((FILES / disclosure_file_name(d)).read_bytes(),
                                             ctype, _at(d.day))
        lead = f"现将《{d.title}》予以公开，全文详见附件。"
        html = t.simple_detail(SICHUAN, d.title, f"{d.day:%Y-%m-%d}", "四川省司法厅",
                               t.paragraphs([lead, "四川省司法厅办公室"]),
                               attachments=[(file_path, f"{d.title}.{ext}")])
        site.resources[page_path] = html_resource(html, d.day)
        site.disclosures.append(DisclosureCopy(d.issuer, d.year, page_path,
                                               numbers(d.seed, d.fmt), file=file_path))
        items.append(t.ListItem(page_path, d.title, f"{d.day:%Y-%m-%d}"))
    site.resources["/xxgk/ndbg/index.html"] = html_resource(
        t.simple_list(SICHUAN, "政府信息公开工作年度报告", items), SFT_DISCLOSURES[0].day)
    site.more_sources.append(_source(None, "sc-sft-xxgknb", "四川省司法厅 政府信息公开年报",
                                     "generic", ["/xxgk/ndbg/index.html"], issuer="四川省司法厅",
                                     level="department", province="四川省",
                                     families=["disclosure_annual"]))


BUILDERS: tuple[Callable[[], Site], ...] = (
    build_trs, build_hanweb, build_legacy, build_attach, build_xxgk, build_mirror,
)


def build_default_sites() -> list[Site]:
    """The hand-built sites (the server adds one per declared family: declared.py)."""
    return [b() for b in BUILDERS]
