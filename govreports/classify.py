"""Is a link a 法治政府建设年度报告, a look-alike, or something else?

Decided from the link text (or page title) and the URL alone, so list pages can be triaged
without fetching every article. Look-alikes are checked first because they share most of
their words with real reports (``政府信息公开工作年度报告`` has 年度报告; a ``解读`` of a report
names the report). Each decision carries a reason a person can read in the fetch log.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from govreports.models import LinkKind
from govreports.normalize import fold

# (pattern, reason). Order matters: the first match wins.
_LOOKALIKES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"政府信息公开.{0,6}年度?报告|信息公开年报|政务公开.{0,4}年度报告",
            "政府信息公开工作年度报告 (information-disclosure annual report), not 法治政府建设",
        ),
        (
            r"解读|图解|一图读懂|答记者问",
            "解读 (interpretation of a report), not the report itself",
        ),
        (r"工作要点|要点的通知", "工作要点 (plan of key tasks), not a report"),
        (r"实施方案|工作方案|行动方案|实施意见|规划", "实施方案/规划 (plan), not a report"),
        (
            r"五年.{0,6}总结|[十五]年.{0,4}回顾|(?:20\d\d|二〇二\S)\s*[-—–至到]\s*(?:20\d\d)\s*年.{0,12}总结",
            "五年总结 (multi-year summary), not the annual report",
        ),
        (r"统计年报|统计公报|统计报表", "统计年报/公报 (statistics), not a report"),
        (r"政府工作报告", "政府工作报告 (government work report), not 法治政府建设"),
        (
            r"第一责任人|述法|述职",
            "述法/第一责任人 report (leaders' duty report), not the government's annual report",
        ),
        (
            r"考核|督察|督查|评估|示范|创建|通报|公示|征求意见|通知|预算|决算|审计",
            "notice/assessment/budget document, not the annual report",
        ),
    )
)

# Real reports: 法治政府建设(情况|工作)?(年度)?报告 and its variants, plus the older
# 依法行政工作报告 name used before 2016, e.g. 关于2023年度法治政府建设工作情况的报告.
_REPORT = re.compile(
    r"(?:法治政府建设|法治建设|依法行政)"
    r"[^,，。;；:：]{0,14}?"
    r"(?:情况|工作|年度|进展)?(?:的)?(?:年度)?(?:报告|年报)"
)
# Reports are about law-based government; titles that only touch the topic are "other".
_TOPIC = re.compile(r"法治|依法行政|法制")
_TOPIC_LOOKALIKE_ALWAYS = re.compile(r"政府信息公开|信息公开年报|统计年报|政府工作报告")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:年度|年|\))")
_YEAR_PAREN = re.compile(r"[(（]\s*((?:19|20)\d\d)\s*[)）]")
_CN_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "О": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_CN_YEAR = re.compile(r"([二一][〇零○О一二三四五六七八九]{3})\s*年")
# Departments issue their own reports: the issuer in the title ends in one of these.
_DEPARTMENT = re.compile(
    r"([\u4e00-\u9fff]{1,20}?(?:局|委员会|委|办公室|厅|署|中心|院|所|队|支队|大队))"
    r"(?:关于)?(?:\d{4}|二[〇零○]|\s*[关法])"
)
_GOVERNMENT_ISSUER = re.compile(r"人民政府|管委会|管理委员会|政府$")


def report_year(title: str) -> int | None:
    """The year a title reports on: ``2023年度`` / ``2023年`` / ``（2023）`` / ``二〇二三年``."""
    t = fold(title).text
    for rx in (_YEAR, _YEAR_PAREN):
        m = rx.search(t)
        if m:
            return int(m.group(1))
    m = _CN_YEAR.search(t)
    if m:
        digits = "".join(_CN_DIGITS.get(c, "") for c in m.group(1))
        if len(digits) == 4:
            return int(digits)
    return None


def department(title: str) -> str | None:
    """The issuing department named at the start of a title (``XX县司法局``), if any."""
    t = fold(title).text.strip()
    m = _DEPARTMENT.match(t)
    if not m or _GOVERNMENT_ISSUER.search(m.group(1)):
        return None
    name = m.group(1)
    return name if not name.startswith("关于") else None


def classify(title: str, url: str = "") -> tuple[LinkKind, str, int | None]:
    """Classify a link by its text and URL: ``(kind, reason, report_year)``."""
    text = fold(" ".join(title.split())).text
    if not text:
        # Some lists only give a URL; a column slug like fzzfjsndbg still tells us something.
        path = unquote(url).lower()
        if re.search(r"fzzfjs(?:nd)?bg|fzzfjsnb|fzzfndbg", path):
            return "other", "no link text; URL sits in a 法治政府建设年度报告 column", None
        return "other", "no link text", None
    year = report_year(text)
    topical = bool(_TOPIC.search(text)) or bool(_TOPIC_LOOKALIKE_ALWAYS.search(text))
    if topical or "报告" in text or "年报" in text:
        for rx, reason in _LOOKALIKES:
            m = rx.search(text)
            if m:
                return "lookalike", f"{reason} [matched {m.group(0)!r}]", year
    m = _REPORT.search(text)
    if m:
        dept = department(text)
        reason = f"法治政府建设 report title [matched {m.group(0)!r}]"
        if dept:
            reason += f"; department report ({dept})"
        if year is None:
            reason += "; report year not in title"
        return "report", reason, year
    if topical:
        return "other", "about 法治/依法行政 but not an annual report title", year
    return "other", "no 法治政府建设 report wording", year
