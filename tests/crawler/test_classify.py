"""Link classification on realistic titles (simplified and traditional script)."""

from __future__ import annotations

import pytest

from govreports.classify import classify, department, report_year

CASES = [
    # (title, kind, year, reason fragment)
    ("万源市2022年度法治政府建设情况报告", "report", 2022, "法治政府建设"),
    ("关于2023年度法治政府建设工作情况的报告", "report", 2023, "情况的报告"),
    ("天津市静海区司法局2023年法治政府建设年度报告", "report", 2023, "department report"),
    ("静海区人民政府关于2024年度法治政府建设情况的报告", "report", 2024, "法治政府建设"),
    ("二〇二三年度法治政府建设情况报告", "report", 2023, "法治政府建设"),
    ("法治政府建设年度报告（2021）", "report", 2021, "法治政府建设"),
    ("萬源市2022年度法治政府建設情況報告", "report", 2022, "法治政府建设"),
    ("永嘉縣司法局2022年度法治政府建設工作報告", "report", 2022, "永嘉县司法局"),
    ("××县2015年推进依法行政工作情况报告", "report", 2015, "依法行政"),
    ("法治政府建设年度报告", "report", None, "report year not in title"),
    ("平潭综合实验区2024年度政府信息公开工作年度报告", "disclosure", 2024, "政府信息公开"),
    ("萬源市2022年政府信息公開工作年度報告", "disclosure", 2022, "政府信息公开"),
    ("万源市2023年法治政府建设工作要点", "lookalike", 2023, "工作要点"),
    ("万源市法治政府建设实施方案（2021—2025年）", "lookalike", 2025, "实施方案"),
    ("《万源市2022年度法治政府建设情况报告》解读", "lookalike", 2022, "解读"),
    ("《萬源市2022年度法治政府建設情況報告》解讀", "lookalike", 2022, "解读"),
    ("万源市“十三五”时期法治政府建设五年工作总结", "lookalike", None, "五年总结"),
    ("万源市2022年统计年报", "lookalike", 2022, "统计"),
    ("政府工作报告（2025）", "lookalike", 2025, "政府工作报告"),
    ("县委书记履行推进法治建设第一责任人职责情况报告", "lookalike", None, "第一责任人"),
    ("关于开展2023年度法治政府建设考核工作的通知", "lookalike", 2023, "assessment"),
    ("关于做好2023年森林防灭火工作的通知", "other", 2023, "no 法治政府建设"),
    ("法治宣传进社区活动顺利开展", "other", None, "not an annual report"),
]


@pytest.mark.parametrize(("title", "kind", "year", "why"), CASES)
def test_classify_titles(title: str, kind: str, year: int | None, why: str) -> None:
    got_kind, reason, got_year = classify(title)
    assert (got_kind, got_year) == (kind, year), reason
    assert why in reason


def test_department_and_year_helpers() -> None:
    assert department("天津市静海区司法局2023年法治政府建设年度报告") == "天津市静海区司法局"
    assert department("市发展和改革委员会2023年法治政府建设情况报告") == "市发展和改革委员会"
    assert department("静海区人民政府关于2024年度法治政府建设情况的报告") is None
    assert report_year("二〇二四年法治政府建设情况报告") == 2024
    assert report_year("没有年份") is None


def test_empty_title_uses_the_column_url() -> None:
    kind, reason, _ = classify("", "http://cqcs.gov.cn/zwgk_164/fzzfjs/fzzfjsndbg_qzf/x.html")
    assert kind == "other" and "年度报告 column" in reason
