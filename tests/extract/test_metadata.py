"""Dates, 落款, visible label lines, report year and document numbers."""

from __future__ import annotations

from datetime import date

import pytest

from govreports.extract import extract_document
from govreports.extract import metadata as md


@pytest.mark.parametrize(
    ("s", "d"),
    [
        ("2022-02-17 10:30", date(2022, 2, 17)),
        ("2022/2/7", date(2022, 2, 7)),
        ("2022年2月16日", date(2022, 2, 16)),
        ("2023-08-19 10∶08", date(2023, 8, 19)),
        ("二〇二三年三月二十日", date(2023, 3, 20)),
        ("二○二二年十二月三十一日", date(2022, 12, 31)),
        ("2022年2月30日", None),
        ("无日期", None),
    ],
)
def test_parse_date(s: str, d: date | None) -> None:
    assert md.parse_date(s) == d


def test_closing_with_chinese_numeral_date_and_footer_after_it() -> None:
    lines = ["一、工作情况", "正文。" * 30, "中共某某县委", "某某县人民政府",
             "二〇二三年三月二十日", "初审| 张三 复审| 李四 终审| 王五",
             "冀公网安备 13010802000861号", "首页"]
    end = md.closing(lines)
    assert (end.issuer, end.sign_date, end.issuer_line) == ("某某县人民政府", date(2023, 3, 20), 3)


def test_closing_on_one_line_and_traditional() -> None:
    end = md.closing(["正文。" * 20, "正文。", "隆昌市人民政府 2022年2月16日"])
    assert (end.issuer, end.sign_date) == ("隆昌市人民政府", date(2022, 2, 16))
    end = md.closing(["正文。" * 20, "正文。", "船營區人民政府", "2024年1月31日"])
    assert (end.issuer, end.issuer_verbatim) == ("船营区人民政府", "船營區人民政府")
    # a date in the opening lines of a short text is no 落款
    assert md.closing(["2012年6月24日", "正文。" * 20, "正文", "正文"]).sign_date is None


def test_visible_fields_and_xxgk_table_lines() -> None:
    f = md.visible_fields([
        "索引号： 11220204013458273K/2024-00318 发布机构： 船营区司法局 成文日期： 2024-01-31",
        "发布日期： 2024-03-08 文号： 吉船政发〔2024〕3号",
        "發佈時間：2023-01-05　信息來源：某某縣司法局　【字體：大 中 小】",
    ])
    assert f.index_number == "11220204013458273K/2024-00318"
    assert f.agency == "船营区司法局" and f.written_date == date(2024, 1, 31)
    assert f.publish_date == date(2024, 3, 8) and f.doc_number == "吉船政发〔2024〕3号"
    assert f.source_agency == "某某县司法局"


def test_report_year_sources() -> None:
    assert md.year_of_title("关于二〇二二年度法治政府建设情况的报告") == 2022
    assert md.year_of_title("隆昌市2021年度法治政府建设情况报告") == 2021
    assert md.year_of_body(["2022年,在达州市委、市政府坚强领导下,万源坚持以习近平新时代中国特色"
                            "社会主义思想为指导"]) == 2022
    assert md.year_of_body(["短行"]) is None


def test_document_number_only_from_the_head() -> None:
    text = ("某某县人民政府关于2022年度法治政府建设情况的报告\n某政发〔2023〕5号\n"
            "2022年，我县按照《某某办法》（某政办发〔2021〕32号）要求，扎实推进法治政府建设各项工作。\n"
            "一、主要举措和成效\n正文。\n")
    report = extract_document(text.encode(), filename="r.txt")
    assert report.doc_number == "某政发〔2023〕5号"
    assert report.report_year == 2022 and report.issuer == "某某县人民政府"
    cited_only = text.replace("某政发〔2023〕5号\n", "")
    assert extract_document(cited_only.encode(), filename="r.txt").doc_number is None
