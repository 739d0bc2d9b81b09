"""Unit grammar: which words after a number make it a quantity, and of what kind.

The table is ordered longest-first by ``unit_regex`` so that 个工作日 wins over 个 and 人次
over 人. Money is normalised to 元 (the multiplier is kept in ``raw_unit``). Words such as
年/月/日/号/届 are deliberately absent: after a number they make dates, document numbers and
ordinals, which are never quantities.
"""

from __future__ import annotations

import re
from functools import lru_cache

from govreports.models import MentionKind

# unit (simplified, as matched on folded text) -> kind
UNITS: dict[str, MentionKind] = {
    "%": "rate", "‰": "rate", "个百分点": "rate", "百分点": "rate",
    "元": "amount", "万元": "amount", "亿元": "amount", "千元": "amount",
    "平方米": "area", "平方公里": "area", "平米": "area", "亩": "area", "公顷": "area",
    "个工作日": "duration", "工作日": "duration", "个月": "duration", "小时": "duration",
    "天": "duration", "分钟": "duration",  # not 周: 75周年, 40周岁
    "名次": "other", "分": "other",  # 满意度95分 (scores); 10时30分 is caught in exclude
    # counts; multi-character units first only matters for the regex, which sorts by length
    "人次": "count", "户次": "count", "家次": "count", "个次": "count", "台次": "count",
    "辆次": "count", "场次": "count", "批次": "count", "件次": "count", "车次": "count",
    "架次": "count", "班次": "count", "期次": "count",
    "次": "count", "件": "count", "项": "count", "个": "count", "条": "count",
    "名": "count", "人": "count", "户": "count", "家": "count", "场": "count",
    "份": "count", "册": "count", "本": "count", "张": "count", "支": "count",
    "起": "count", "所": "count", "处": "count", "卷": "count", "宗": "count",
    "类": "count", "期": "count", "篇": "count", "部": "count", "批": "count",
    "辆": "count", "台": "count", "套": "count", "位": "count", "座": "count",
    "间": "count", "块": "count", "票": "count", "课时": "count", "学时": "count",
    "堂": "count", "轮": "count", "封": "count", "组": "count", "队": "count",
    "例": "count", "单": "count", "盒": "count", "吨": "count", "公斤": "count",
    "千克": "count", "米": "count", "公里": "count", "棵": "count", "株": "count",
    "头": "count", "只": "count", "幅": "count", "块次": "count", "节": "count",
    "栋": "count",
    # concentrations and volumes (environment reports): quantities, no catalog count
    "微克/立方米": "other", "毫克/立方米": "other", "毫克/升": "other", "立方米": "other",
}

# Units a Chinese numeral may carry. Idioms and programme names (三项制度, 五个方面, 两个维护,
# 一件事) use 个/项/件 with small numerals, so Chinese numerals count only with these.
CHINESE_NUMERAL_UNITS = frozenset(
    {"次", "期", "场", "场次", "批次", "人次", "名", "户", "家", "份", "篇", "起",
     "条", "件", "项", "个", "人", "部"}
)
# ...and 个/项/件/条/人/部 only when the numeral is compound (十/百/千): 十余件, 二十余部.
CHINESE_SIMPLE_ONLY_WITH_TENS = frozenset({"件", "项", "个", "条", "人", "部"})

MONEY = frozenset({"元", "万元", "亿元", "千元"})


def strip_times(unit: str) -> str:
    """件(次), 人/次 → 件, 人: the suffix says "times", the dimension stays."""
    return unit.replace("(次)", "").replace("/次", "")


def unit_kind(unit: str) -> MentionKind:
    """Kind of a (simplified) unit; the optional (次) suffix of 件(次) does not change it."""
    base = strip_times(unit)
    return UNITS.get(base, "count")


@lru_cache(maxsize=1)
def unit_regex() -> str:
    """Alternation of all units, longest first, with the optional ``(次)``/``/次`` suffix."""
    names = sorted((u for u in UNITS if u not in ("万元", "亿元", "千元")), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(u) for u in names) + r")(?:\(次\)|/次)?"
