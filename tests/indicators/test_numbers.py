"""Number grammar: Arabic, spaced, full-width, Chinese numerals, 万/亿 multipliers, bounds."""

from __future__ import annotations

import pytest

from govreports.indicators import extract_mentions
from govreports.indicators.numbers import parse_chinese


@pytest.mark.parametrize(
    ("raw", "value"),
    [("七", 7), ("十", 10), ("十二", 12), ("二十三", 23), ("一百零五", 105), ("三千五百", 3500),
     ("两千", 2000), ("一万二千", 12000)],
)
def test_chinese_numerals(raw: str, value: float) -> None:
    assert parse_chinese(raw) == value


def test_chinese_numeral_garbage_names_the_input() -> None:
    with pytest.raises(ValueError, match="五五"):
        parse_chinese("五五")


def _one(text: str) -> tuple[str, float, str, str | None, str | None]:
    ms = extract_mentions(text)
    assert len(ms) == 1, [(m.text, m.value) for m in ms]
    m = ms[0]
    return m.text, m.value, m.unit, m.raw_unit, m.approx


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # other counties' phrasing, one rule each
        ("全年举办法治讲座七期。", ("七期", 7, "期", None, None)),
        ("召开专题会议十余次。", ("十余次", 10, "次", None, "gte")),
        ("办理各类案件二十三件。", ("二十三件", 23, "件", None, None)),
        ("编制公布事项清单 120 项。", ("120 项", 120, "项", None, None)),
        ("受理群众来访１２３批次。", ("１２３批次", 123, "批次", None, None)),
        ("追回欠薪1.2亿元。", ("1.2亿元", 120_000_000, "元", "亿元", None)),
        ("罚款25万余元。", ("25万余元", 250_000, "元", "万元", "gte")),
        ("播放量达500余万人次。", ("500余万人次", 5_000_000, "人次", "万人次", "gte")),
        ("发放宣传资料3.5万份。", ("3.5万份", 35_000, "份", "万份", None)),
        ("全年接待来访群众1,234人次。", ("1,234人次", 1234, "人次", None, None)),
        ("培训执法人员200多人。", ("200多人", 200, "人", None, "gte")),
        ("每个村至少配备1名调解员。", ("1名", 1, "名", None, "gte")),
        ("调解成功率达98%以上。", ("98%", 98, "%", None, "gte")),
        ("拆除违法建筑共计1430平方米。", ("1430平方米", 1430, "平方米", None, None)),
        ("承诺办结时限压缩至4487個工作日。", ("4487個工作日", 4487, "個工作日", None, None)),
        ("參演人數達2.5萬人。", ("2.5萬人", 25_000, "人", "萬人", None)),
        ("出动执法人员1200人/次。", ("1200人/次", 1200, "人/次", None, None)),
        ("纠正违停车辆2200余辆(次)。", ("2200余辆(次)", 2200, "辆(次)", None, "gte")),
        ("群众满意率98%及以上。", ("98%", 98, "%", None, "gte")),
        ("群众满意度测评得分95分以上,于10时30分公布。", ("95分", 95, "分", None, "gte")),
    ],
)
def test_quantity_grammar(sentence: str, expected: tuple[object, ...]) -> None:
    assert _one(sentence) == expected


def test_kinds() -> None:
    kinds = {m.text: m.kind for m in extract_mentions(
        "罚款3万元,面积500平方米,办结率99%,时限5个工作日,检查企业12家。")}
    assert kinds == {"3万元": "amount", "500平方米": "area", "99%": "rate",
                     "5个工作日": "duration", "12家": "count"}


def test_idioms_with_chinese_numerals_are_not_quantities() -> None:
    text = ("细化五个方面57项措施,落实“三项制度”,开展“四项整治”,推行“一件事一次办”,"
            "坚持两个维护,实现一次办成,形成三级调解网络,推进二期工程建设,千家万户受益,"
            "三次产业协调发展,开展数十次检查,提供7×24小时服务,庆祝建团100周年,"
            "明确十个方面任务。")
    assert [m.text for m in extract_mentions(text)] == ["57项"]


def test_full_width_comma_is_no_thousands_separator() -> None:
    assert [m.text for m in extract_mentions("全年接待1,234人次,分别为12，345件。")] == [
        "1,234人次", "345件"]
