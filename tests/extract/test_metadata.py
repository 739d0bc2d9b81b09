"""Metadata readers: dates, labels, 落款, title blocks, the issuer's evidence and its nulls.

Every layout here is one that real government pages print (issue: metadata with evidence),
written in our own words: label forms, titles split or labelled, openings naming the issuer,
departments and zones, flattened saved pages. Each asserts the value and where it came from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govreports.extract import extract_document
from govreports.extract import metadata as md
from govreports.extract.page import labels, lines_of, parse_date, text_view

# ruff: noqa: E501  (page lines are kept whole, as a page prints them)
_P = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，规范行政执法行为。"
_BODY = f"一、主要成效\n{_P}\n二、存在的问题\n{_P}\n三、下一步工作安排\n{_P}\n"


def _x(text: str, url: str | None = None) -> Any:
    return extract_document(text.encode("utf-8"), filename="page.txt", url=url)


@pytest.mark.parametrize(
    ("s", "d"),
    [
        ("2022-02-17 10:30", date(2022, 2, 17)),
        ("2022/2/7", date(2022, 2, 7)),
        ("2022年2月16日", date(2022, 2, 16)),
        ("2023-08-19 10∶08", date(2023, 8, 19)),
        ("二〇二三年三月二十日", date(2023, 3, 20)),
        ("二○二二年十二月三十一日", date(2022, 12, 31)),
        ("2021年03月22日 16时47分", date(2021, 3, 22)),
        ("2022年2月30日", None),
        ("无日期", None),
    ],
)
def test_parse_date(s: str, d: date | None) -> None:
    assert parse_date(s) == d


def _closing(lines: list[str]) -> md.Closing:
    return md.closing(lines_of("\n".join(lines), "text"))


def test_closing_with_chinese_numeral_date_and_footer_after_it() -> None:
    end = _closing(["一、工作情况", "正文。" * 30, "中共某某县委", "某某县人民政府",
                    "二〇二三年三月二十日", "初审| 张三 复审| 李四 终审| 王五",
                    "冀公网安备 13010802000861号", "首页"])
    assert (end.issuer, end.sign_date) == ("某某县人民政府", date(2023, 3, 20))
    assert end.issuer_line is not None and end.issuer_line.text == "某某县人民政府"


def test_closing_on_one_line_and_traditional() -> None:
    end = _closing(["正文。" * 20, "正文。", "隆昌市人民政府 2022年2月16日"])
    assert (end.issuer, end.sign_date) == ("隆昌市人民政府", date(2022, 2, 16))
    end = _closing(["正文。" * 20, "正文。", "船營區人民政府", "2024年1月31日"])
    assert (end.issuer, end.issuer_verbatim) == ("船营区人民政府", "船營區人民政府")
    # a date in the opening lines of a short text is no 落款
    assert _closing(["2012年6月24日", "正文。" * 20, "正文", "正文"]).sign_date is None


def test_closing_inline_at_the_end_of_a_flattened_body() -> None:
    body = "二、下一步打算。我局将继续推进依法行政，推动法治建设再上新的台阶。 某某综合实验区经济发展局 2023年3月29日"
    end = _closing(["一、工作情况。" + _P * 8 + body])
    assert (end.issuer, end.sign_date) == ("某某综合实验区经济发展局", date(2023, 3, 29))


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [
        ("发布时间：2024-03-28 09:18", "publish_date", "2024-03-28 09:18"),
        ("时间:2018-05-03", "publish_date", "2018-05-03"),
        ("更新时间:2021/03/29", "publish_date", "2021/03/29"),
        ("发布时间 2024年03月22日", "publish_date", "2024年03月22日"),
        ("來源：某某縣司法局　發佈時間：2023-01-05", "source", "某某县司法局"),
        ("标  题 某某县2022年法治政府建设情况报告", "title", "某某县2022年法治政府建设情况报告"),
        ("发布机构：某某市市场监督管理局", "agency", "某某市市场监督管理局"),
        ("成文日期：2024-01-31", "written_date", "2024-01-31"),
    ],
)
def test_label_forms(line: str, name: str, value: str) -> None:
    found = {lb.name: lb.value for lb in labels(lines_of(line, "text"))}
    assert found.get(name) == value


def test_label_and_value_in_separate_cells() -> None:
    found = labels(lines_of("索引号\n11330000002482082X/2024-00332\n发布日期\n2024-03-22", "page"))
    assert [(lb.name, lb.value) for lb in found] == [
        ("index_number", "11330000002482082X/2024-00332"), ("publish_date", "2024-03-22")]


def test_publish_date_is_never_the_written_date_or_a_header_widget() -> None:
    page = ("某某区人民政府 2019年12月3日星期二\n无障碍 简体| 繁体\n"
            "某某区2023年度法治政府建设情况报告\n成文日期：2024-02-01\n"
            f"2023年，我区深入推进法治政府建设，取得新成效。\n{_BODY}")
    r = _x(page)
    assert r.publish_date is None and r.evidence["publish_date"].reason
    # 成文日期 is kept as the written date; the sign date is the 落款's, and there is none
    assert r.written_date == date(2024, 2, 1) and r.evidence["written_date"].source == "page_label"
    assert r.sign_date is None and r.evidence["sign_date"].candidates == ["2024-02-01"]


def test_unlabelled_date_under_the_headline_and_the_url_date_as_a_candidate() -> None:
    page = ("天津市静海区2023年度法治政府建设情况报告\n• 2024年03月22日 16时47分\n"
            f"2023年，静海区坚持以习近平法治思想为指导，扎实推进法治政府建设。\n{_BODY}")
    r = _x(page)
    assert r.publish_date == date(2024, 3, 22) and r.evidence["publish_date"].source == "page_date"
    no_date = page.replace("• 2024年03月22日 16时47分\n", "")
    r = _x(no_date, url="http://www.tjjh.gov.cn/zwgk/202403/t20240328_6583952.html")
    # the CMS's date in the URL is a hint, not the page's statement: a candidate only
    assert r.publish_date is None
    assert r.evidence["publish_date"].candidates == ["2024-03-28 (url /t20240328_6583952)"]


def test_issuer_line_above_a_year_only_title() -> None:
    r = _x(f"赵县人民政府\n2022年度法治政府建设情况报告\n2022年，县政府深入推进法治政府建设。\n{_BODY}")
    assert (r.title, r.issuer, r.admin_code, r.report_year) == (
        "赵县人民政府2022年度法治政府建设情况报告", "赵县人民政府", "130133", 2022)
    assert r.evidence["issuer"].source == "title" and not r.evidence["issuer"].inferred


def test_breadcrumb_and_column_name_are_not_titles() -> None:
    r = _x("首页 > 政务公开 > 法治政府建设年度报告\n法治政府建设年度报告\n工作报告\n"
           f"2023年，我县全面推进法治政府建设，现将有关情况报告如下。\n{_BODY}")
    assert r.title is None and r.evidence["title"].reason


def test_cover_letter_and_document_number_give_the_enclosed_title() -> None:
    r = _x("某某市卫生健康委员会\n关于报送《某某市卫生健康委员会2023年度法治政府建设情况报告》的报告\n"
           f"2023年，我委深入推进依法行政，现报告如下。\n{_BODY}")
    assert r.title == "某某市卫生健康委员会2023年度法治政府建设情况报告"
    r = _x("浙卫〔2024〕3号《浙江省卫生健康委员会2023年度法治政府建设情况报告》\n"
           f"2023年，省卫生健康委坚持依法行政。\n{_BODY}")
    assert (r.title, r.issuer, r.admin_code, r.is_department) == (
        "浙江省卫生健康委员会2023年度法治政府建设情况报告", "浙江省卫生健康委员会", "330000", True)


@pytest.mark.parametrize(
    ("opening", "issuer", "inferred"),
    [
        ("根据有关规定，现将北京市石景山区人民政府2021年法治政府建设年度情况报告如下。", "北京市石景山区人民政府", False),
        ("2025年，泾源县公安局坚持以习近平法治思想为指导，深入推进公安执法规范化建设。", "泾源县公安局", False),
        ("2022年，在达州市委、市政府坚强领导下，万源坚持以习近平法治思想为指导，扎实推进依法行政。", "万源市人民政府", True),
    ],
)
def test_the_opening_sentence_names_the_issuer(opening: str, issuer: str, inferred: bool) -> None:
    r = _x(f"{opening}\n{_BODY}")
    ev = r.evidence["issuer"]
    assert (r.issuer, ev.source, ev.inferred, r.issuer_in_text) == (issuer, "opening", inferred, not inferred)
    assert opening[ev.start : ev.end] == ev.quote  # type: ignore[index]


def test_a_generic_self_reference_takes_the_one_full_form_the_page_prints() -> None:
    text = ("根据有关规定，现将县人民政府2022年法治政府建设工作情况报告如下。\n"
            "一、主要成效\n县人民政府领导班子带头学法，制定了《岳阳县人民政府常务会会前学法制度》。\n"
            f"二、存在的问题\n{_P}\n")
    r = _x(text)
    assert (r.issuer, r.admin_code, r.evidence["issuer"].inferred) == ("岳阳县人民政府", "430621", True)


def test_a_place_the_body_mentions_is_never_the_issuer() -> None:
    # a provincial department whose body names the provincial capital many times
    text = ("2021年，省教育厅坚持依法治教，指导成都市、成都市各区推进依法治校，成都市试点成效明显。\n"
            f"一、主要成效\n成都市{_P}\n二、存在的问题\n成都市{_P}\n")
    r = _x(text)
    assert (r.issuer, r.admin_code, r.title, r.display_title) == (None, None, None, None)
    assert "no 落款" in (r.evidence["issuer"].reason or "")


def test_department_from_its_publishing_label_when_it_speaks_of_itself() -> None:
    page = ("标题: 2022年度法治建设情况报告\n发布时间: 2023-03-30 10:00\n发布机构: 某某县交通运输局\n"
            f"==================== 正文 ====================\n2022年，我局在县委、县政府的领导下，全面推进依法行政工作。{_BODY}")
    r = _x(page)
    assert (r.issuer, r.is_department, r.evidence["issuer"].source) == ("某某县交通运输局", True, "page_label")


def test_zone_area_issuer_from_the_label_its_title_agrees_with() -> None:
    page = ("标题: 君山片区2022年法治建设工作情况报告\n发布时间: 2023-03-31 16:20\n文号:\n"
            "发布机构: 平潭综合实验区君山片区管理局\n栏目: 法治政府建设\n"
            "原文链接: https://www.pingtan.gov.cn/zwgk/fzzfjs/202303/t20230331_1.htm\n"
            "==================== 正文 ====================\n"
            "2022年，君山片区坚持以习近平法治思想为指导，全面推进依法行政。一、2022年工作开展情况（一）强化组织领导。"
            f"{_P}（二）规范执法行为。{_P}二、存在的问题。{_P}三、2023年工作打算。{_P} 平潭综合实验区君山片区管理局 2023年3月29日")
    r = _x(page)
    assert r.issuer == "平潭综合实验区君山片区管理局"  # never 君山片区人民政府
    assert (r.admin_code, r.functional_zone, r.sign_date, r.publish_date, r.report_year) == (
        "350128", True, date(2023, 3, 29), date(2023, 3, 31), 2022)
    assert r.title == "君山片区2022年法治建设工作情况报告"
    assert r.url == "https://www.pingtan.gov.cn/zwgk/fzzfjs/202303/t20230331_1.htm"
    assert [s.heading for s in r.sections] == [
        "一、2022年工作开展情况", "二、存在的问题", "三、2023年工作打算"]


def test_a_shared_place_name_without_evidence_leaves_the_code_null() -> None:
    r = _x(f"市中区司法局2023年度法治政府建设情况报告\n2023年，我局深入推进依法行政。\n{_BODY}")
    assert r.issuer == "市中区司法局" and r.admin_code is None
    assert len(r.evidence["admin_code"].candidates) == 4
    page = ("济南市市中区人民政府\n市中区司法局2023年度法治政府建设情况报告\n来源：济南市市中区司法局\n"
            f"2023年，我局深入推进依法行政。\n{_BODY}")
    assert _x(page).admin_code == "370103"


def test_traditional_zone_name_resolves_like_simplified() -> None:
    r = _x(f"內蒙古自治區人民政府關於2022年度法治政府建設情況的報告\n2022年，自治區政府堅持依法行政。\n{_BODY}")
    assert (r.issuer, r.admin_code, r.script) == ("内蒙古自治区人民政府", "150000", "traditional")


def test_report_year_sources() -> None:
    assert md.year_of_title("关于二〇二二年度法治政府建设情况的报告") == 2022
    assert md.year_of_title("隆昌市2021年度法治政府建设情况报告") == 2021
    r = _x(f"现将我区2023年度法治政府建设情况报告如下。\n{_BODY}")
    assert r.report_year == 2023 and r.evidence["report_year"].source == "opening"
    assert _x(f"短行\n{_BODY}").report_year is None


def test_document_number_only_from_the_head() -> None:
    text = ("某某县人民政府关于2022年度法治政府建设情况的报告\n某政发〔2023〕5号\n"
            "2022年，我县按照《某某办法》（某政办发〔2021〕32号）要求，扎实推进法治政府建设各项工作。\n"
            "一、主要举措和成效\n正文。\n")
    report = extract_document(text.encode(), filename="r.txt")
    assert report.doc_number == "某政发〔2023〕5号"
    assert report.report_year == 2022 and report.issuer == "某某县人民政府"
    cited_only = text.replace("某政发〔2023〕5号\n", "")
    assert extract_document(cited_only.encode(), filename="r.txt").doc_number is None


def test_every_field_has_evidence_or_a_reason() -> None:
    r = _x(f"2023年，我县深入推进法治政府建设。\n{_BODY}")
    for name in ("title", "issuer", "report_year", "publish_date", "sign_date", "source_agency",
                 "admin_code", "region"):
        ev = r.evidence[name]
        value = getattr(r, name)
        if name == "region":
            value = r.region.province
        assert (value is None) == (ev.source is None), name
        assert value is not None or ev.reason, name


def test_text_view_finds_the_body_after_a_separator() -> None:
    view = text_view("标题: 某报告\n发布时间: 2023-03-31\n===== 正文 =====\n正文第一段。", None)
    assert [ln.text for ln in view.body] == ["正文第一段。"]
    assert [lb.name for lb in view.labels] == ["title", "publish_date"]
