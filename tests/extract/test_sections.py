"""Outline headings, run-in headings, numbering discipline, roles and required elements."""

from __future__ import annotations

import pytest

from govreports.extract.sections import cn_number, find_sections, missing_elements, role_of

REPORT = """关于2023年度法治政府建设情况的报告
2023年，我县坚持以习近平法治思想为指导。
一、主要举措和成效
（一）加强组织领导。县政府常务会议专题研究法治政府建设3次。
1.健全制度。出台规范性文件5件。
2.强化监督：开展执法检查12次。
（二）深化“放管服”改革
一是推进“一网通办”。二是压减审批时限。
二、党政主要负责人履行推进法治建设第一责任人职责情况
县长带头学法。
三、存在的不足和原因
一是依法行政能力不均衡；二是执法队伍力量不足。
三、这一行不是第四部分，只是重复的编号
四、2024年工作安排
（一）持续推进依法决策
（三）跳号的标题不算
五、其他需要报告的情况
无。
"""


def test_outline_levels_and_run_in() -> None:
    top = find_sections(REPORT)
    assert [(s.heading, s.line, s.role) for s in top] == [
        ("一、主要举措和成效", 3, "achievements"),
        ("二、党政主要负责人履行推进法治建设第一责任人职责情况", 9, "leadership_duty"),
        ("三、存在的不足和原因", 11, "problems"),
        ("四、2024年工作安排", 14, "plans"),
        ("五、其他需要报告的情况", 17, "other"),
    ]
    first = top[0]
    assert [(c.heading, c.run_in) for c in first.subsections] == [
        ("（一）加强组织领导", True), ("（二）深化“放管服”改革", False)]
    assert [(c.heading, c.run_in, c.level) for c in first.subsections[0].subsections] == [
        ("1.健全制度", True, 3), ("2.强化监督", True, 3)]
    assert [c.heading for c in first.subsections[1].subsections] == ["一是推进“一网通办”"]
    # a heading skipping a number is not a heading
    assert [c.heading for c in top[3].subsections] == ["（一）持续推进依法决策"]
    for s in top:
        assert REPORT[s.offset :].startswith(s.heading)  # type: ignore[index]
        assert REPORT.split("\n")[s.line - 1].startswith(s.heading)


def test_all_five_elements_present() -> None:
    assert missing_elements(find_sections(REPORT), REPORT) == []


def test_missing_elements_are_recorded() -> None:
    text = "一、工作开展情况\n正文。\n二、下一步打算\n正文。\n"
    assert missing_elements(find_sections(text), text) == ["problems", "leadership_duty", "other"]
    # the leadership duty stated inside another section counts as present
    text2 = text + "主要负责人切实履行推进法治建设第一责任人职责。\n"
    assert "leadership_duty" not in missing_elements(find_sections(text2), text2)


def test_long_line_is_not_a_heading_and_traditional_roles() -> None:
    long_line = "一、" + "这是一个很长的段落而不是标题" * 6
    assert find_sections(long_line + "\n") == []
    assert role_of("二、2023年法治政府建設存在問題與不足") == "problems"
    assert role_of("三、下步工作打算") == "plans"
    assert role_of("四、附件") == "other"


@pytest.mark.parametrize(("s", "n"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20),
                                      ("二十三", 23), ("7", 7)])
def test_cn_number(s: str, n: int) -> None:
    assert cn_number(s) == n
