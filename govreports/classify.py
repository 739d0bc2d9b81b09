"""Is a page a 法治政府建设年度报告, a look-alike, or something else? The title where it is
clear, the page's body where it is not.

The rule, in order (each decision carries a reason a person can read; it is stored with the
link, the skip or the report):

1. From the title (list pages are triaged without fetching every article). A
   政府信息公开工作年度报告 is the second family (kind ``disclosure``), collected by the
   registry entries that list it. Look-alike words are looked for after the issuer's name (a
   审计局's report is not an audit):
   - always a look-alike: 解读/图解/一图读懂/起草说明; 统计公报;
     政府工作报告; 述法, a leader's 第一责任人 report; notices, assessments, 督察, 示范创建,
     third-party evaluations and 调研报告; news (召开, 审议, 听取, 发布, 综述); multi-year
     (五年, 十三五) and half-year summaries; work plans and guides for compiling reports;
   - a plan (工作要点, 实施方案, 工作安排, 规划…) is a look-alike, unless the title also names
     the past year's work (…情况暨2024年工作要点的报告): then it is a report to confirm;
   - 法治政府建设…报告/情况/总结 and 依法行政工作…报告 are reports; a department's title that
     speaks of 法治建设, 法治工作 or 依法行政 without 政府, or names no report, is a report to
     confirm (``provisional``).
2. From the body, for a report to confirm (and whenever a caller has the text): a report on
   the past year's work (现将…报告如下, the year's measures and results, problems, next
   year's plans) is a report; a plan (指导思想, 主要任务, 责任单位, 完成时限), a 解读 (起草背景,
   全文查阅), news (本网讯, 会议指出, 报告显示), an evaluation (第三方, 指标, 得分, 自评), a
   leader's own 述法 (本人, 个人履职), a 督察 rectification, a five-year or half-year summary
   are look-alikes. When neither side is clear the page is kept as a report with the reason
   "unconfirmed" (a report is easier to drop later than to find again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from govreports.models import LinkKind
from govreports.normalize import fold
from govreports.numerals import year_digits

_R = re.compile

# ------------------------------------------------------------------ title: look-alikes
# (pattern, reason) checked on the title with its issuer's name removed; first match wins.
_LOOKALIKES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_R(p), r) for p, r in (
        (r"解读|图解|一图读懂|答记者问|起草说明|政策问答|报告(?:要点|摘要|全文发布)",
         "解读 (interpretation of a report), not the report itself"),
        (r"统计年报|统计公报|统计报表|统计资料", "统计年报/公报 (statistics), not a report"),
        (r"政府工作报告", "政府工作报告 (government work report), not 法治政府建设"),
        (r"述法|述职|(?:县长|市长|区长|省长|书记|局长|主任|主要负责人|负责同志).{0,20}第一责任人|"
         r"^(?!.*法治政府建设).{0,12}第一责任人",
         "述法/第一责任人 report (a leader's duty report), not the annual report"),
        (r"第三方|评估报告|中期评估|状况报告|调研报告|督察.{0,4}自查|自查报告|自评|"
         r"^.{0,12}(?:人大常委会|人大|政协)[^关]{0,12}关于",
         "evaluation, survey, self-check or a congress committee's review, not the report"),
        (r"召开|审议|听取|推进会|座谈会|发布会|综述|巡礼|纪实|(?<!年度)发布(?!机构)",
         "news about a report or a meeting, not the report itself"),
        (r"五年.{0,6}总结|[十五]年.{0,4}回顾|十[二三四五]五|(?:20\d\d|二〇二\S)\s*[-—–至到]\s*"
         r"(?:20\d\d)\s*年.{0,12}总结|半年|上半年|下半年|一季度|前三季度",
         "五年总结/半年 (multi-year or part-year summary), not the annual report"),
        (r"编制.{0,10}公开|编制和公开|工作指引|编写指南|格式(?:要求)?的通知|模板",
         "guidance on compiling the reports, not a report"),
        (r"考核|督察(?!工作规定)|督查|示范|创建|通报|公示|征求意见|通知|预算|决算|审计报告|评选|"
         r"表彰",
         "notice/assessment/budget document, not the annual report"),
    )
)
_DISCLOSURE = _R(r"政府信息公开.{0,6}年度?报告|信息公开年报|政务公开.{0,4}年度报告")
# …年报的通知/解读/编制 are about the reports, not one of them
_DISCLOSURE_LOOKALIKE = _R(r"解读|图解|一图读懂|通知|编制|格式|评估|考核|通报")
_PLAN = _R(r"工作要点|要点的通知|实施方案|工作方案|行动方案|实施意见|规划|工作安排|工作计划|"
           r"工作思路|工作打算|任务清单|责任清单")
# …情况暨/及/和…要点: the title names the past year's work beside next year's plan
_PAST_AND_PLAN = _R(r"(?:情况|总结|报告)(?:暨|及|和|与|并)")
_REPORT = _R(
    r"(?:法治政府建设|法治政府部门建设|依法行政)"
    r"(?:[^,，。;；:：]{0,16}?(?:报告|年报)|[^,，。;；:：]{0,16}?(?:工作情况|情况|工作总结|总结))"
)
_REPORT_SOFT = _R(
    r"(?:法治建设|法治工作|依法治[县市区省州旗]|依法行政|法治政府建设|法治政府部门建设)"
    r"[^,，。;；:：]{0,16}?(?:报告|年报|情况|总结|工作)"
)
_TOPIC = _R(r"法治|依法行政|法制")
_TOPIC_LOOKALIKE_ALWAYS = _R(r"信息公开年报|统计年报|统计公报|政府工作报告|政府信息公开")
_SUBJECT_END = _R(r"关于|(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}年|法治|依法|《|“")

_YEAR = _R(r"(?<!\d)((?:19|20)\d\d)\s*(?:年度|年|\))")
_YEAR_PAREN = _R(r"[(（]\s*((?:19|20)\d\d)\s*(?:年度?)?[)）]")
_CN_YEAR = _R(r"([二一][〇零○О一二三四五六七八九]{3})\s*年")
# Departments issue their own reports: the issuer in the title ends in one of these.
_DEPARTMENT = _R(
    r"([\u4e00-\u9fff]{1,20}?(?:局|委员会|委|办公室|厅|署|中心|院|所|队|支队|大队))"
    r"(?:关于)?(?:\d{4}|二[〇零○]|\s*[关法])"
)
_GOVERNMENT_ISSUER = _R(r"人民政府|管委会|管理委员会|政府$")


def report_year(title: str) -> int | None:
    """The year a title reports on: ``2023年度`` / ``2023年`` / ``（2023）`` / ``二〇二三年``."""
    t = fold(title).text
    for rx in (_YEAR, _YEAR_PAREN):
        m = rx.search(t)
        if m:
            return int(m.group(1))
    m = _CN_YEAR.search(t)
    if m:
        return year_digits(m.group(1))
    return None


def department(title: str) -> str | None:
    """The issuing department named at the start of a title (``XX县司法局``), if any."""
    t = fold(title).text.strip()
    m = _DEPARTMENT.match(t)
    if not m or _GOVERNMENT_ISSUER.search(m.group(1)):
        return None
    name = m.group(1)
    return name if not name.startswith("关于") else None


_ORG_END = _R(r"(?:人民政府|政府|管委会|管理委员会|委员会|局|厅|委|办|办公室|中心|院|署|队|所)$")
# words a body's own name may hold (统计局, 审计局, 规划局, 考核办): inside the issuer's name in
# front of the title they say nothing about what the document is
_NAME_WORDS = _R(r"^(?:统计|审计|考核|评估|督察|督查|示范|公示|预算|决算|规划|发布)")


def _issuer_end(t: str) -> int:
    """Where the issuing body's name in front of the title ends (0 when there is none)."""
    m = _SUBJECT_END.search(t)
    if m and 0 < m.start() <= 30 and _ORG_END.search(t[: m.start()]):
        return m.start()
    return 0


def _lookalike(text: str, rx: re.Pattern[str]) -> re.Match[str] | None:
    end = _issuer_end(text)
    for m in rx.finditer(text):
        if m.start() < end and _NAME_WORDS.match(m.group(0)):
            continue
        return m
    return None


@dataclass(frozen=True)
class Decision:
    kind: LinkKind
    reason: str
    year: int | None = None
    provisional: bool = False  # a report the page's body must confirm


def decide_title(title: str, url: str = "") -> Decision:
    """Classify by a link's text (or a page title) and URL."""
    text = fold(" ".join(title.split())).text
    if not text:
        path = unquote(url).lower()
        if re.search(r"fzzfjs(?:nd)?bg|fzzfjsnb|fzzfndbg", path):
            return Decision("other", "no link text; URL sits in a 法治政府建设年度报告 column")
        return Decision("other", "no link text")
    year = report_year(text)
    rest = text[_issuer_end(text):]
    topical = bool(_TOPIC.search(text)) or bool(_TOPIC_LOOKALIKE_ALWAYS.search(text))
    if _DISCLOSURE.search(rest) and not _DISCLOSURE_LOOKALIKE.search(rest):
        return Decision("disclosure", "政府信息公开工作年度报告 (information-disclosure annual "
                        "report, the second family) [matched "
                        f"{_DISCLOSURE.search(rest).group(0)!r}]", year)  # type: ignore[union-attr]
    if topical or "报告" in text or "年报" in text:
        for rx, reason in _LOOKALIKES:
            m = _lookalike(text, rx)
            if m:
                return Decision("lookalike", f"{reason} [matched {m.group(0)!r}]", year)
        plan = _PLAN.search(rest)
        if plan:
            if _PAST_AND_PLAN.search(rest[: plan.start()]) and _REPORT_SOFT.search(rest):
                return Decision("report", "past year's work and next year's plan in one title "
                                f"[matched {plan.group(0)!r}]; the page body decides", year,
                                provisional=True)
            return Decision("lookalike", f"plan (工作要点/实施方案/规划), not a report "
                            f"[matched {plan.group(0)!r}]", year)
    m = _REPORT.search(text)
    if m:
        dept = department(text)
        reason = f"法治政府建设 report title [matched {m.group(0)!r}]"
        if dept:
            reason += f"; department report ({dept})"
        if year is None:
            reason += "; report year not in title"
        soft = not re.search(r"报告|年报|总结", m.group(0)) and not re.search(r"报告", text)
        if soft:
            return Decision("report", reason + "; names no report: the page body decides",
                            year, provisional=True)
        if year is None:
            return Decision("report", reason + ": the page body decides", year,
                            provisional=True)
        return Decision("report", reason, year)
    m = _REPORT_SOFT.search(text)
    if m:
        return Decision("report", f"法治建设/依法行政 title without 法治政府建设 report wording "
                        f"[matched {m.group(0)!r}]; the page body decides", year,
                        provisional=True)
    if topical:
        return Decision("other", "about 法治/依法行政 but not an annual report title", year)
    return Decision("other", "no 法治政府建设 report wording", year)


def classify(title: str, url: str = "") -> tuple[LinkKind, str, int | None]:
    """Classify a link by its text and URL: ``(kind, reason, report_year)``."""
    d = decide_title(title, url)
    return d.kind, d.reason, d.year


# ------------------------------------------------------------------ body
# Cues of each kind of page, weighted; searched in the opening of the body (folded text).
_BODY_CUES: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    "report": (
        (_R(r"(?:报告|总结|汇报)如下"), 3),
        (_R(r"(?:主要|推进)?[^。\n]{0,12}(?:举措|做法|工作)(?:和|及)?成效|主要工作(?:和|及)?成效|"
            r"工作开展情况|主要工作|取得(?:了)?(?:新|积极|明显)?成效"), 2),
        (_R(r"存在的?(?:问题|不足|短板)|不足(?:和|及)原因|问题和不足"), 2),
        (_R(r"第一责任人职责(?:情况)?"), 1),
        (_R(r"(?:下一步|下步|明年|(?:19|20)\d\d年)(?:工作)?(?:打算|安排|计划|思路|要点)|"
            r"主要安排"), 1),
        (_R(r"\d+(?:\.\d+)?\s*(?:件|次|宗|起|项|人次|份|%)"), 1),
    ),
    "plan": (
        (_R(r"指导思想|总体要求|工作目标|主要任务|重点任务|保障措施|工作要求"), 2),
        (_R(r"责任单位|牵头单位|配合单位|责任科室|完成时限|时间节点"), 3),
        (_R(r"制定本(?:方案|安排|计划|要点)|印发给你们|请(?:结合实际)?认真贯彻落实|抓好落实"), 3),
    ),
    "interpretation": (
        (_R(r"起草背景|起草过程|背景依据|主要内容|全文查阅|摘要介绍|以下简称《报告》|报告框架"), 3),
        (_R(r"解读"), 2),
    ),
    "news": (
        (_R(r"本网讯|记者|通讯员|据了解|据介绍|报告显示|负责人介绍"), 3),
        (_R(r"会议指出|会议强调|会议要求|会议听取|审议通过了?"), 3),
    ),
    "evaluation": (
        (_R(r"第三方|课题组|项目组|评估方法|评估结果|指标体系|一级指标|二级指标"), 3),
        (_R(r"满分|得分|自评|考核细则|调研组|几点建议|受[^。]{0,12}委托"), 3),
    ),
    "leaders_duty": ((_R(r"本人|个人履职|个人不足|我坚持|我主持|我均"), 3),),
    "rectification": ((_R(r"反馈意见|整改措施|整改落实|回头看|问题清单|三张清单"), 3),),
    "multi_year": ((_R(r"五年来|五年间|十[三四五]五|(?:19|20)\d\d年以来"), 2),
                   (_R(r"五年(?:来|间)?[^。]{0,30}(?:报告|总结)如下"), 6)),
    "part_year": ((_R(r"上半年|下半年|1\s*[—\-–至]\s*6月|一季度|前三季度"), 2),
                  (_R(r"(?:上半年|1\s*[—\-–至]\s*6月|前三季度)[^。]{0,30}(?:报告|总结)如下"), 6)),
}
_BODY_REASON = {
    "plan": "a plan (指导思想/主要任务/责任单位/完成时限)",
    "interpretation": "a 解读 of a report (起草背景/主要内容/全文查阅)",
    "news": "news about a report or a meeting (本网讯/会议指出/报告显示)",
    "evaluation": "an evaluation, survey or self-assessment (第三方/指标/得分/自评)",
    "leaders_duty": "a leader's own duty report (本人/个人履职)",
    "rectification": "a 督察 rectification report (反馈意见/整改)",
    "multi_year": "a multi-year summary (五年来/十四五)",
    "part_year": "a part-year report (上半年/1—6月)",
}
_BODY_WINDOW = 3000


def body_scores(text: str) -> dict[str, int]:
    t = fold(text[:_BODY_WINDOW]).text
    out = {}
    for kind, cues in _BODY_CUES.items():
        score = 0
        for rx, w in cues:
            n = len(rx.findall(t))
            score += w * min(n, 3)
        out[kind] = score
    return out


def decide_body(text: str, title: str = "", firm: bool = False) -> Decision:
    """Is this page's body a report on the past year's rule-of-law work? (see module doc)

    ``firm``: the title already says it is a report; only a body that is clearly something
    else (more look-alike cues than report cues) overturns that."""
    scores = body_scores(text)
    report = scores.pop("report")
    kind, best = max(scores.items(), key=lambda kv: kv[1])
    year = report_year(title) if title else None
    if firm:
        overturn = best >= 6 and best > report
    else:
        overturn = (best >= 6 and best >= report - 2) or (best >= 3 and report < 5)
    if overturn:
        return Decision("lookalike", f"the page is {_BODY_REASON[kind]} (cues {best} vs report"
                        f" {report})", year)
    if report >= 5:
        return Decision("report", f"the page reports on the year's work (cues {report}"
                        f"{f'; {kind} {best}' if best else ''})", year)
    return Decision("report", f"unconfirmed: the body shows neither a report nor a look-alike"
                    f" clearly (report cues {report}, {kind} {best})", year, provisional=True)


def decide(title: str, text: str | None = None, url: str = "") -> Decision:
    """The title's decision, confirmed by the body where the title leaves it open."""
    d = decide_title(title, url)
    if text is None or d.kind != "report":
        return d
    b = decide_body(text, title, firm=not d.provisional)
    if not d.provisional and b.kind == "report":
        return d
    return Decision(b.kind, f"{d.reason} → {b.reason}", d.year or b.year, b.provisional)
