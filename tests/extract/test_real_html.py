"""Saved real government pages (../shared/real_html): metadata agrees with the page's own meta
tags, bodies are found and no page chrome leaks into them (trafilatura real-world style)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from govreports.decode import decode_bytes
from govreports.extract import extract_file
from govreports.extract.html import parse_html
from govreports.models import ExtractionError, Report
from govreports.normalize import to_simplified

from .conftest import REAL_HTML

PAGES = sorted(p.name for p in REAL_HTML.glob("*.html")) if REAL_HTML.is_dir() else []
ARTICLES = [p for p in PAGES if not p.startswith("o01")]

# Strings that are page chrome on these sites; none may appear in any body.
CHROME = ("公网安备", "【字体", "字体：", "打印本页", "关闭窗口", "首页 >", "首页>", "版权所有",
          "当前位置", "分享到", "ICP备", "扫一扫", "责任编辑", "浏览次数", "阅读次数", "网站地图",
          "【打印", "【关闭", "相关附件", "上一篇", "下一篇", "无障碍")

# Per page: text the body must hold (first and last paragraph) and text it must not (chrome
# or neighbouring articles that sit in the same template).
EXPECT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "d01": (("第十届全国人民代表大会常务委员会第二十八次会议", "国债余额限额"), ("相关稿件",)),
    "d02": (("跨越千山万水", "南美站活动将先后在巴西、乌拉圭、阿根廷举行"),
            ("山西省人民政府网站",)),
    "d03": (("全县固定资产投资完成246.79亿元",), ("省发改委",)),
    "d04": (("航天员手控交会对接的圆满成功",), ("友情链接",)),
    "d07": (("新华社上海11月30日电", "李干杰、何立峰"), ("中国科普网",)),
    "d08": (("金罚决字〔2024〕36号", "复星联合健康保险股份有限公司"),
            ("版权与免责声明", "巡视巡察工作会议")),
    "d10": (("项目编号",), ("网站首页",)),
    "d19": (("师德师风建设专题培训班", "共计230人参加培训"), ("索引号",)),
    "d23": (("胶莱司法所", "法治环境"), ("政务全搜索",)),
    "d27": (("翰墨书盛世", "展览将持续开放至10月13日"), ("部门资讯",)),
    "d29": (("全市城市更新和乡村振兴现场推进会于6月15日至18日举行",), ("重点关注",)),
    "p04": (("一、总体情况", "2024年，无收取信息处理费情况"), ("无障碍浏览",)),
    "x01": (("今年的6月16日是父亲节", "字里行间都是对儿子的爱"), ("人民网版权所有", "(责编")),
    "y01": (("宜春市统计局", "资料来源"), ("宜春市人民政府",)),
}
# Pages without ArticleTitle/PubDate meta tags: the date as the visible page prints it.
VISIBLE_DATES = {"d04": date(2012, 6, 24), "d05": date(2021, 1, 5), "d07": date(2023, 12, 1),
                 "d31": date(2022, 5, 7), "x01": date(2019, 6, 15)}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _extract(real_html: Path, name: str) -> tuple[Report, dict[str, str], str]:
    path = real_html / name
    parts = parse_html(decode_bytes(path.read_bytes()).text)
    return extract_file(path), parts.meta, _squash("\n".join(parts.page_lines))


def test_real_pages_are_there(real_html: Path) -> None:
    assert len(ARTICLES) >= 20


@pytest.mark.parametrize("name", ARTICLES)
def test_title_and_date_agree_with_meta_or_page(real_html: Path, name: str) -> None:
    report, meta, page = _extract(real_html, name)
    assert report.title
    if "articletitle" in meta:
        assert report.title == _squash(to_simplified(meta["articletitle"]))
    else:
        assert _squash(report.title) in page  # the headline the reader sees
    stated = meta.get("pubdate") or meta.get("firstpublishedtime")  # gov.cn: firstpublishedtime
    if stated:
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", stated)
        assert m is not None
        assert report.publish_date == date(*(int(g) for g in m.groups()))
    elif name[:3] in VISIBLE_DATES:
        assert report.publish_date == VISIBLE_DATES[name[:3]]
    else:
        assert report.publish_date is None


@pytest.mark.parametrize("name", ARTICLES)
def test_body_found_without_chrome(real_html: Path, name: str) -> None:
    report, _, _ = _extract(real_html, name)
    assert len(report.text) >= 200
    leaked = [c for c in CHROME if c in report.text]
    assert leaked == []
    assert all(line.strip() == line and line for line in report.text.split("\n"))
    present, absent = EXPECT.get(name[:3], ((), ()))
    for s in present:
        assert s in report.text
    for s in absent:
        assert s not in report.text


def test_header_fragment_has_no_body(real_html: Path) -> None:
    """o01 is a header include (navigation only): a recorded error, not an empty report."""
    with pytest.raises(ExtractionError, match=r"o01_.*no body"):
        extract_file(real_html / "o01_ccgp_hebei_header_include_index_651.html")


def test_d07_body_matches_the_human_reference(real_html: Path) -> None:
    report, _, _ = _extract(real_html, "d07_kepu_govcn_magichtml.html")
    gold = (real_html / "gold_d07_kepu_magichtml_base.json.txt").read_text(encoding="utf-8")
    gold = gold.split("\n", 1)[1]  # first line is the URL

    def grams(s: str, n: int = 8) -> set[str]:
        s = _squash(s)
        return {s[i : i + n] for i in range(len(s) - n + 1)}

    g, b = grams(gold), grams(report.text)
    assert len(g & b) / len(g) >= 0.98  # recall
    assert len(g & b) / len(b) >= 0.95  # precision (photo captions are extra)


def test_wrong_meta_charset_still_reads(real_html: Path) -> None:
    name = "x01_people_cn_declared-gb2312_actual-utf8_gne-people-1.html"
    report, _, _ = _extract(real_html, name)
    assert report.encoding == "utf-8"
    assert "女儿出嫁，郑板桥画了几笔兰花当嫁妆" == report.title
    assert "\ufffd" not in report.text


def test_lookalikes_still_extract(real_html: Path) -> None:
    p04, _, _ = _extract(real_html, "p04_pingtan_xxgk_annual_report_2024.html")
    assert p04.title == "平潭综合实验区2024年度政府信息公开工作年度报告"
    assert p04.report_year == 2024
    assert [s.heading for s in p04.sections][:2] == ["一、总体情况", "二、主动公开政府信息情况"]
    y01, _, _ = _extract(real_html, "y01_yichun_tjgb_2022_saved.html")
    assert y01.report_year == 2022 and y01.source_agency == "宜春市统计局"
    # p04 is the second family (政府信息公开工作年度报告): its issuer is the zone's authority,
    # read from the site's name and marked inferred. The statistics bulletin is neither
    # family: no issuer is invented for it.
    assert p04.family == "disclosure_annual"
    assert (p04.issuer, p04.admin_code) == ("平潭综合实验区党工委管委会", "350128")
    assert p04.evidence["issuer"].inferred and "SiteName" in p04.evidence["issuer"].quote
    assert y01.issuer is None


def test_xxgk_table_fields(real_html: Path) -> None:
    report, _, _ = _extract(real_html, "d19_clone_mltjyt_zj_gov_cn.html")
    assert report.index_number == "002482082/2024-00332"
    assert report.source_agency == "新闻办"


def test_a_saved_flattened_page_keeps_its_outline_and_labels(real_html: Path) -> None:
    """A crawler's text of a real page: labelled header (标题/发布时间/发布机构/原文链接), then
    the whole body on one line, tables run together. Top-level parts are found inline."""
    report = extract_file(real_html / "p04_pingtan_xxgk_annual_report_2024.page.txt")
    heads = [s.heading for s in report.sections]
    assert heads[:2] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert heads[-2:] == ["五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert (report.title, report.publish_date, report.source_agency) == (
        "平潭综合实验区2024年度政府信息公开工作年度报告", date(2025, 3, 10),
        "平潭综合实验区管委会办公室")
    assert report.url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm"
    assert report.evidence["publish_date"].source == "page_label"
