"""Report metadata read from a page, each value with the evidence it came from.

Pure. ``read_metadata(view, year_hint)`` looks at a ``page.PageView`` (head lines, body
lines, labelled fields, meta tags, URL) and returns one ``Reading`` per field: the value, and
an ``Evidence`` (source, the words, their span) — or None and the reason. Nothing is
synthesised: no 人民政府 appended to a title's opening words, no place taken from a body
mention, no generated title. Two inferences are allowed and marked ``inferred``: a title or
opening sentence whose subject is a division (静海区2023年度法治政府建设…; 2022年，万源坚持…)
names that division's government; a generic self-reference (现将县人民政府…报告如下) is that
body of the one place the page names in the same form (岳阳县人民政府).

Order of evidence per field (first that speaks wins; the others become ``candidates``):
- title: meta ArticleTitle, a labelled 标题, the headline / the title line (with an issuing
  body on the line above it, a wrapped second line, a cover letter's enclosed title).
- issuer: the 落款; the body the title names; the body the opening sentence names (现将…报告
  如下, or its subject: 2025年，泾源县公安局…); a 发布机构/来源 the title's subject agrees
  with (君山片区 → 平潭综合实验区君山片区管理局), or that a department's self-reference (我局)
  agrees with; then the inferred government of a place subject; else None.
- report_year: the title, the opening sentence.
- publish_date: meta PubDate, a date label (发布时间/日期/更新时间…, value maybe in the next
  cell), a date printed under the headline, the URL (t20240328_…). Never a 成文日期, never a
  header date with a weekday (today's date).
- sign_date: the 落款 date, else a 成文日期 label.
- source_agency: meta ContentSource, 来源/信息来源, else 发布机构.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from govreports.classify import report_year
from govreports.extract import region
from govreports.extract.page import (
    ANY_LABEL,
    CN_DATE,
    NUM_DATE,
    WEEKDAY,
    Label,
    Line,
    PageView,
    find_date,
    is_chrome,
    label_date,
    mkdate,
    parse_date,
)
from govreports.models import Evidence
from govreports.normalize import to_simplified

__all__ = ["Reading", "Closing", "closing", "parse_date", "read_metadata", "year_of_title"]

ORG_SUFFIX = (
    r"(?:人民政府|政府|管理委员会|管委会|工作委员会|委员会|管理局|局|厅|办公室|委|办|院|中心|署|"
    r"支队|大队|总队|分局|所)"
)
_ORG = re.compile(rf"^(?:中共)?[\u4e00-\u9fff（）()·]{{2,40}}?{ORG_SUFFIX}$")
_GOV = re.compile(r"(?:人民政府|政府|管理委员会|管委会)$")
# A body named without its place: 县人民政府, 市政府, 我局, 本委, 区司法局.
_GENERIC = re.compile(
    r"^(?:我|本|该|全)?(?:省|市|县|区|旗|州|盟|镇|乡)?(?:人民)?政府$|^(?:我|本)[\u4e00-\u9fff]{0,4}"
    rf"{ORG_SUFFIX}$|^(?:省|市|县|区|旗|州|盟)[\u4e00-\u9fff]{{1,12}}{ORG_SUFFIX}$"
)
_ZONE_WORD = re.compile(
    r"(?:片区|园区|新区|开发区|高新区|经开区|实验区|保税区|示范区|合作区|管理区|工业区|试验区)$"
)
# What follows the subject of an opening sentence: a verb or an adverb, or a comma.
_SUBJECT_NEXT = (
    r"(?=坚持|深入|全面|认真|紧紧|始终|着力|聚焦|持续|围绕|按照|在|扎实|积极|大力|以|把|将|切实|"
    r"进一步|严格|不断|立足|高度|充分|牢固|贯彻|主动|抓|紧扣|紧密|党组|领导|各|统筹|锚定|"
    r"坚定|勇|奋|全力|多措|强化|加强|围|对标|落实|推进|紧盯|通过|共|,|，|、|\s)"
)
_OPENING_LEAD = re.compile(
    r"^(?:(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})\s*年度?(?:以来)?|今年以来|近年来|一年来|"
    r"过去的?一年(?:里|中|来)?|本年度)\s*[,，]?\s*"
)
_UNDER = re.compile(r"^(?:在[^,，。;；]{2,80}?(?:下|中|之下)\s*[,，]\s*)+")
_REPORT_AS_FOLLOWS = re.compile(
    r"现(?:将|就|把)(?P<who>[^,，。;；“”]{0,40}?)(?P<year>(?:19|20)\d\d)\s*年度?"
    r"[^。]{0,60}?(?:报告|汇报)如下"
)
_TITLE_WORDS = re.compile(r"报告|報告|法治.*(?:情况|情況|总结|總結)$|依法行政.*(?:情况|总结)$")
# reports a government (or a zone's authority) issues about itself: a subject that is a
# place names that place's government
_GOVERNMENT_REPORT = re.compile(r"法治政府|依法行政|政府信息公开|政务公开")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．])"
)
_BREADCRUMB = re.compile(r"[>＞»→]|首页|当前位置|您的位置")
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
_WRITTEN = re.compile(r"成文|印发日期|签发日期|生成日期")
_URL_DATE = re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+|/((?:19|20)\d{2})(\d{2})(\d{2})/")


@dataclass
class Reading:
    """One field's value and its evidence (``evidence.reason`` says why a value is None)."""

    value: Any
    evidence: Evidence


def _null(reason: str, candidates: list[str] | None = None) -> Reading:
    return Reading(None, Evidence(reason=reason, candidates=list(candidates or [])))


def _from_line(value: Any, source: str, line: Line, s: int = 0, e: int | None = None,
               inferred: bool = False) -> Reading:
    end = len(line.text) if e is None else e
    return Reading(value, Evidence(source=source, quote=line.text[s:end], where=line.where,
                                   start=line.start + s, end=line.start + end,
                                   inferred=inferred))


def _from_label(value: Any, lb: Label, s: int | None = None, e: int | None = None,
                inferred: bool = False) -> Reading:
    return _from_line(value, "page_label", lb.line, lb.start if s is None else s,
                      lb.end if e is None else e, inferred)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ---------------------------------------------------------------- names

def is_org(name: str) -> bool:
    return bool(_ORG.match(name)) and len(name) <= 40


def is_generic(name: str) -> bool:
    """县人民政府, 我局, 市司法局: a body named without its place (市中区司法局 is not)."""
    if not _GENERIC.match(name):
        return False
    return not (name[0] in "省市县区旗州盟" and region.table(None).name_at_start(name))


@dataclass(frozen=True)
class Subject:
    """What a title or an opening sentence is about."""

    kind: str  # org | place | zone | generic | party | other
    name: str  # as written (simplified, no spaces)
    full: str = ""  # place: the division's full name (万源 → 万源市); party: its place


_PARTY = re.compile(r"^(?:中共)?(?P<rem>[\u4e00-\u9fff]{1,20}?)(?:党委|党组|党工委|委员会|委)$")
_LEVEL_WORDS = ("省", "市", "县", "区", "州", "旗", "盟", "自治区", "自治州")
_JOINT = re.compile(r"^(?P<a>.+?)(?:、|和|与|及)(?P<b>.+)$")
_ZONE_ABBREV = re.compile(
    r"^(?:经开区|开发区|高新区|新区|园区|片区|自贸区|保税区|综保区|实验区|合作区|示范区)"
    r"(?:管委会|管理委员会|管理局|工委|党工委)?$"
)
_AUTHORITY_OF_ZONE = ("管委会", "管理委员会", "管理局")


def _place_full(name: str, year: int | None) -> str:
    t = region.table(year)
    return t.full_name(name) or ""


def canonical_government(org: str, year: int | None) -> str:
    """延边州政府 → 延边朝鲜族自治州人民政府: a government named by a short form of its place."""
    m = re.match(r"^(?P<place>.+?)(?:人民政府|政府)$", org)
    if not m:
        return org
    full = _place_full(m.group("place"), year)
    return full + "人民政府" if full else org

def subject_of(s: str, year: int | None) -> Subject | None:
    """Classify a subject phrase: a named body, a division, a zone or area, a generic body."""
    s = squash(s).strip("的,，:：、 ")
    s = re.sub(r"^关于", "", s)
    s = re.sub(r"^中共[\u4e00-\u9fff]{2,20}?委(?:员会)?(?=\S+(?:人民政府|管委会|管理委员会))",
               "", s)
    if len(s) < 2:
        return None
    if " " in s:
        s = s.split()[-1]
    joint = _JOINT.match(s)
    if joint and len(s) <= 40:
        a, b = subject_of(joint.group("a"), year), subject_of(joint.group("b"), year)
        if a is not None and b is not None and "party" in (a.kind, b.kind):
            # 福建省委、省政府 / 自治区党委和政府: the government is the issuer
            body = a if a.kind == "party" else b
            other = b if body is a else a
            if other.kind == "org" and _GOV.search(other.name):
                return other
            return Subject("place", s, body.full) if body.full else Subject("generic", s)
    party = _PARTY.match(s)
    if party:
        rem = party.group("rem")
        place = _place_full(rem, year)
        if place or rem in _LEVEL_WORDS or s.startswith("中共") or s.endswith(
            ("党委", "党组", "党工委")
        ):
            return Subject("party", s, place)
    if _ZONE_ABBREV.match(s):
        return Subject("generic", s)
    if is_org(s):
        return Subject("generic" if is_generic(s) else "org", s)
    if _ZONE_WORD.search(s):
        return Subject("zone", s)
    t = region.table(year)
    hit = t.name_at_start(s)
    if hit is not None and len(hit[0]) == len(s):
        _, units, is_full = hit
        if is_full:
            return Subject("place", s, s)
        names = {(u.province, u.city, u.county)[u.rank - 1] for u in units}
        return Subject("place", s, names.pop() if len(names) == 1 else "")
    if re.fullmatch(r"(?:我|本|全)?(?:省|市|县|区|旗|州|盟|自治区)(?:政府|人民政府)?", s):
        return Subject("generic", s)
    return Subject("other", s)


def government_of(place: str) -> str:
    return place + "人民政府"


# ---------------------------------------------------------------- title

def _title_shape(s: str) -> bool:
    return (bool(s) and len(s) <= 90 and s[-1] not in "。，,；;：:" and bool(_TITLE_WORDS.search(s))
            and not _BREADCRUMB.search(s))


def clean_title(raw: str) -> str:
    """Spaces, 《》, a document number before it, and a cover letter's wrapper removed."""
    t = squash(to_simplified(raw))
    t = re.sub(r"^(?:【[^】]{1,12}】|\[[^\]]{1,20}\])+", "", t)  # 【权威发布】, [天政发〔2026〕7号]
    t = DOC_NUMBER.sub("", t, count=1) if DOC_NUMBER.match(t) else t
    cover = re.search(r"关于(?:报送|呈报|上报|印发|提交)《(.+?)》的(?:报告|函|通知)$", t)
    if cover:
        return cover.group(1)
    if t.startswith("《") and t.endswith("》"):
        t = t[1:-1]
    return t


def year_of_title(title: str | None) -> int | None:
    """The year a title reports on (one definition: ``govreports.classify.report_year``)."""
    return report_year(title) if title else None


def _is_column_name(t: str) -> bool:
    """法治政府建设年度报告, 工作报告: a column or category, not a report's title."""
    return year_of_title(t) is None and (subject_of(title_subject_text(t), None) is None)


def title_subject_text(title: str) -> str:
    """The words of a title before its year (or between a leading year and 法治…)."""
    t = re.sub(r"^关于", "", squash(title))
    y = re.search(r"(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}(?=年)", t)
    if y and y.start() > 0:
        return re.sub(r"关于$", "", t[: y.start()])
    if y:
        rest = t[y.end():]
        rest = re.sub(r"^\s*年度?", "", rest)
        m = re.search(r"(?:关于)?(?:法治|依法行政|全面依法)", rest)
        return rest[: m.start()] if m else ""
    m = re.search(r"(?:关于)?(?:法治|依法行政|全面依法)", t)
    return t[: m.start()] if m else ""


def _cut_site_name(ln: Line) -> Line:
    """长沙市司法局_关于…的报告 (a browser title): the part that looks like a title."""
    parts = re.split(r"\s*[_|｜]\s*|\s+-\s+", ln.simple)
    if len(parts) < 2:
        return ln
    best = next((p for p in parts if _title_shape(p)), None)
    if best is None:
        return ln
    i = ln.simple.find(best)
    return Line(ln.text[i : i + len(best)], best, ln.start + i, ln.where)


def _line_title(lines: list[Line]) -> tuple[str, Line, int, int] | None:
    """A title among head lines: (title, the line, span start, span end); joins an issuer
    line above it and a wrapped second line."""
    cands: list[int] = []
    lines = [_cut_site_name(ln) for ln in lines]
    for i, ln in enumerate(lines):
        s = ln.simple
        if is_chrome(s) or WEEKDAY.search(s) or _NUMBERED.match(s) or ANY_LABEL.match(s):
            continue  # a labelled line (标题：…) is read as a label
        if s.startswith(("——", "--", "—")):
            continue  # a subtitle
        if _title_shape(s) or (
            i + 1 < len(lines) and "法治" in s and len(s) <= 60 and s[-1] not in "。，,；;："
            and re.fullmatch(r"[\u4e00-\u9fff（）()]{2,20}报告", lines[i + 1].squashed)
        ):
            cands.append(i)
    if not cands:
        return None
    real = [i for i in cands if not _is_column_name(lines[i].squashed)] or []
    if not real:
        return None
    # A title printed twice (headline and body) is the title; else the first.
    squashed = [lines[i].squashed for i in real]
    i = next((i for i, s in zip(real, squashed, strict=True) if squashed.count(s) > 1), real[0])
    ln = lines[i]
    text = ln.squashed
    if not _TITLE_WORDS.search(text) and i + 1 < len(lines):
        text += lines[i + 1].squashed  # …关于2022年度法治政府 / 建设情况的报告
    prev = lines[i - 1] if i > 0 else None
    if prev is not None and not is_chrome(prev.simple) and prev.simple[-1] not in "。，,；;：:":
        p = prev.squashed
        simple = to_simplified(text)
        if (simple.startswith("关于") or re.match(r"(?:19|20)\d\d|[〇○零一二三四五六七八九]{4}",
                                                  simple)) and is_org(p) and len(p) <= 30:
            text = p + text
        elif "法治" in p and "法治" not in simple and len(p) <= 40 and not _title_shape(p):
            text = p + text  # wrapped: …关于2022年度法治政府 / 建设情况的报告
    return text, ln, 0, len(ln.text)


def _html_title(view: PageView) -> Reading:
    """The visible headline of an HTML page: the longest cut of ``<title>`` the page shows,
    else a headline element, else a report-shaped line just before the body. A body named on
    the line above the headline joins it (公文 header)."""
    from govreports.extract.html import title_from_tag, title_prefixes

    lines = view.head + view.body[:4]
    squashed = [ln.squashed for ln in lines]
    shown = "".join(squashed) + "".join(ln.squashed for ln in view.tail[:20])
    headline: str | None = None
    for cand in title_prefixes(view.title_tag):
        if squash(cand) in shown:
            headline = cand
            break
    if headline is None and view.title_tag:
        headline = next((h for h in view.headlines if h in view.title_tag), None)
    if headline is None and view.headlines:
        headline = view.headlines[0]
    if headline is not None:
        h = squash(to_simplified(headline))
        at = next((i for i, x in enumerate(squashed) if x == h), None)
        if at is not None:
            found = _line_title(lines[max(0, at - 1) : at + 2])
            if found is not None and h in squash(found[0]):
                t, ln, s, e = found
                return _from_line(clean_title(t), "title", ln, s, e)
            return _from_line(clean_title(headline), "title", lines[at])
        return Reading(clean_title(headline), Evidence("title", headline, "page"))
    found = _line_title(lines[-14:])
    if found is not None:
        t, ln, s, e = found
        return _from_line(clean_title(t), "title", ln, s, e)
    tag = title_from_tag(view.title_tag)
    if tag:
        return Reading(clean_title(tag), Evidence("title", view.title_tag or "", "page"))
    return _null("no title line, headline or meta ArticleTitle on the page")


def _issuer_line_above(view: PageView, title: str) -> Reading | None:
    """The page prints the title with its issuing body on the line above it (公文 header)
    while the meta tag or label holds the title alone: the title is both lines."""
    t = squash(title)
    if not re.match(r"^(?:关于|(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})", t):
        return None
    lines = view.head + view.body[:4]
    for i, ln in enumerate(lines[1:], start=1):
        if ln.squashed == t:
            prev = lines[i - 1]
            if is_org(prev.squashed) and len(prev.squashed) <= 30:
                r = _from_line(prev.squashed + t, "title", prev, 0, len(prev.text))
                r.evidence.end = ln.start + len(ln.text)
                r.evidence.quote = prev.text + "\n" + ln.text
                return r
    return None


_GLUED_TITLE = re.compile(
    r"(?P<t>(?:[\u4e00-\u9fff（）()]{2,30}?)?(?:关于)?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})"
    r"年度?[\u4e00-\u9fff（）()]{0,30}?(?:法治|依法行政)[\u4e00-\u9fff（）()]{0,30}?"
    r"(?:报告|工作总结|工作情况))"
    r"(?=(?:19|20)\d\d年|[一二三四五六七八九十]、|根据|按照|今年|近年|一年来|现将)"
)


def _glued_title(view: PageView) -> Reading | None:
    """A title glued to the body on one line (a flattened copy: …www.x.com湖北省人民政府关于
    2023年度法治政府建设情况的报告2023年，省政府…): the title-shaped run before the opening."""
    if view.head or not view.body:
        return None
    ln = view.body[0]
    m = _GLUED_TITLE.search(ln.simple[:200])
    if m is None:
        return None
    return _from_line(clean_title(m.group("t")), "title", ln, m.start("t"), m.end("t"))


def read_title(view: PageView) -> Reading:
    meta = view.meta.get("articletitle")
    if meta:
        joined = _issuer_line_above(view, clean_title(meta))
        if joined is not None:
            return joined
        return Reading(clean_title(meta), Evidence("meta_tag", f"ArticleTitle={meta}", "meta"))
    for lb in view.labels:
        if lb.name == "title" and len(lb.value) >= 6 and not _is_column_name(squash(lb.value)):
            return _from_label(clean_title(lb.value), lb)
    if view.is_html:
        return _html_title(view)
    found = _line_title(view.head)
    if found is None:
        glued = _glued_title(view)
        if glued is not None:
            return glued
        return _null("the text states no title (no title line before the body)")
    t, ln, s, e = found
    return _from_line(clean_title(t), "title", ln, s, e)


# ---------------------------------------------------------------- 落款


@dataclass
class Closing:
    issuer: str | None  # simplified
    issuer_verbatim: str | None
    issuer_line: Line | None
    sign_date: date | None
    date_line: Line | None
    issuer_span: tuple[int, int] = (0, 0)  # within the line
    date_span: tuple[int, int] = (0, 0)


_DATE_ONLY = re.compile(rf"^\s*(?:{NUM_DATE.pattern}|{CN_DATE.pattern})\s*$")
_TAIL_NOISE = re.compile(r"^(?:附件|抄送|[（(]此件|[（(]信息公开|主题词|联系人|联系电话)")


def _segments(lines: list[Line]) -> list[Line]:
    """The last lines cut at sentence ends and wide gaps, so an inline 落款
    (…上新的台阶。 某某局 2023年3月29日) stands on its own."""
    out: list[Line] = []
    for ln in lines:
        if len(ln.text) <= 80:
            out.append(ln)
            continue
        pos = 0
        for m in re.finditer(r"[。！？!?]\s*|\s{1,}", ln.text):
            piece = ln.text[pos : m.end()].strip()
            if piece:
                lead = len(ln.text[pos : m.end()]) - len(ln.text[pos : m.end()].lstrip())
                out.append(Line(piece, to_simplified(piece), ln.start + pos + lead, ln.where))
            pos = m.end()
        piece = ln.text[pos:].strip()
        if piece:
            out.append(Line(piece, to_simplified(piece), ln.start + pos, ln.where))
    return out


def _last_org(line: Line) -> tuple[str, int, int] | None:
    """The body a 落款 line names: the whole line, or where several bodies sign jointly on one
    line (中共某县委 某县人民政府), the last one."""
    whole = squash(line.simple)
    if is_org(whole) and len(whole) <= 30:
        parts = line.simple.split()
        if len(parts) > 1 and all(is_org(p) for p in parts):
            i = line.simple.rfind(parts[-1])
            return parts[-1], i, i + len(parts[-1])
        return whole, 0, len(line.text)
    return None


_COVER_END = re.compile(r"(?:请审阅|请审议|请审示|请予审阅|请阅示|特此报告|请审定|请批示)[。.]?$")


def cover_closing(lines: list[Line]) -> Closing | None:
    """The 落款 of a cover letter printed before its report (…现呈送…，请审阅。 / 某委 /
    2024年3月8日 / the report's own title and body)."""
    for i, ln in enumerate(lines[:20]):
        if not _COVER_END.search(ln.simple):
            continue
        nxt = [x for x in lines[i + 1 : i + 4] if not is_chrome(x.simple)]
        if len(nxt) >= 2 and (org := _last_org(nxt[0])) is not None and _DATE_ONLY.match(
            nxt[1].squashed
        ):
            name, s, e = org
            return Closing(name, nxt[0].text[s:e], nxt[0], parse_date(nxt[1].squashed), nxt[1],
                           (s, e), (0, len(nxt[1].text)))
        if len(nxt) >= 1:
            hit = find_date(nxt[0].simple)
            if hit is not None and is_org(squash(nxt[0].simple[: hit[1]])) and not nxt[0].simple[
                hit[2] :
            ].strip():
                org_s = squash(nxt[0].simple[: hit[1]])
                return Closing(org_s, org_s, nxt[0], hit[0], nxt[0], (0, hit[1]),
                               (hit[1], hit[2]))
    return None


def closing(body: list[Line], window: int = 12) -> Closing:
    """Issuer and sign date from the 落款 at the end of the body (chrome lines skipped)."""
    none = Closing(None, None, None, None, None)
    n = len(body)
    while n and (is_chrome(body[n - 1].simple) or _TAIL_NOISE.match(body[n - 1].simple)):
        n -= 1  # footers, 初审/复审 lines, (此件公开发布) after the 落款
    if not n:
        return none
    keep = max(3, min(window, n // 2))
    tail = body[max(0, n - keep) : n] if n > 3 else body[n - 1 : n]
    segs = _segments(tail)
    if len(body) <= 3:
        segs = segs[len(segs) // 2 :]  # the 落款 is never in the first half
    segs = [x for x in segs if not is_chrome(x.simple) and not _TAIL_NOISE.match(x.simple)]
    for pos in range(len(segs) - 1, max(len(segs) - 8, -1), -1):
        seg = segs[pos]
        compact = squash(seg.simple)
        if _DATE_ONLY.match(compact):
            signed = parse_date(compact)
            for back in range(pos - 1, max(pos - 3, -1), -1):
                cand = _last_org(segs[back])
                if cand is not None:
                    name, s, e = cand
                    return Closing(name, segs[back].text[s:e], segs[back], signed, seg, (s, e),
                                   (0, len(seg.text)))
            return Closing(None, None, None, signed, seg, (0, 0), (0, len(seg.text)))
        hit = find_date(seg.simple)
        if hit is not None:
            d, ds, de = hit
            org = squash(seg.simple[:ds])
            if seg.simple[de:].strip() == "" and is_org(org) and len(org) <= 30:
                s = len(seg.simple[:ds]) - len(seg.simple[:ds].lstrip())
                return Closing(org, seg.text[s:ds].strip(), seg, d, seg, (s, ds), (ds, de))
        if len(compact) > 40:
            break  # running text: the 落款 would have come after it
    return none


# ---------------------------------------------------------------- issuer


def _opening(view: PageView) -> tuple[Line, str, int] | None:
    """The opening sentence: the first body line with running text (simplified, its offset
    in the line)."""
    for ln in view.body[:6]:
        s = ln.simple
        if len(s) < 12 or _NUMBERED.match(s):
            continue
        if re.match(r"^[\u4e00-\u9fff、]{2,30}[:：]$", s):
            continue  # a salutation: 市人大常委会： names the recipient
        return ln, s, 0
    return None


def _opening_subject(s: str) -> tuple[str, int] | None:
    """The subject phrase of an opening sentence (after the year and 在…领导下)."""
    lead = _OPENING_LEAD.match(s)
    pos = lead.end() if lead else 0
    under = _UNDER.match(s[pos:])
    if under:
        pos += under.end()
    m = re.match(rf"([\u4e00-\u9fff（）()]{{2,30}}?){_SUBJECT_NEXT}", s[pos:])
    if not m:
        return None
    return m.group(1), pos


def _self_named(s: str, generic: str, year: int | None) -> tuple[str, int] | None:
    """我县…，安吉县法治政府建设取得新成效: the one division of the self-reference's kind that
    the opening sentence itself names (not a place named later in the body)."""
    kind = re.sub(r"^(?:我|本|全)", "", generic)[:1]
    if kind not in "市县区旗州盟":
        return None
    first = re.split(r"[。！？!?]", s, maxsplit=1)[0]
    names = {n: at for at, n in region.table(year).find(first, min_len=3) if n.endswith(kind)}
    if len(names) != 1:
        return None
    return next(iter(names.items()))


def _label_orgs(view: PageView, names: tuple[str, ...]) -> list[Label]:
    return [lb for lb in view.labels if lb.name in names and is_org(squash(lb.value))]


def _agreeing_label(view: PageView, sub: Subject) -> Label | None:
    """A 发布机构/来源 whose body the title's subject names (君山片区 → …君山片区管理局)."""
    for lb in _label_orgs(view, ("agency", "source")):
        v = squash(lb.value)
        if sub.name in v and not v.endswith(("办公室", "办")) and not _GOV.search(v):
            return lb
    return None


def _unique_full_form(view: PageView, generic: str) -> tuple[str, Line, int] | None:
    """The one place-qualified form of a generic self-reference the page prints
    (县人民政府 → 岳阳县人民政府), or None when it prints none or several."""
    core = generic.lstrip("我本该全")
    kind, rest = (core[0], core[1:]) if core[0] in "省市县区旗州盟" else ("", core)
    rx = re.compile(rf"([\u4e00-\u9fff]{{1,8}}?{kind}){re.escape(rest)}")
    seen: dict[str, tuple[Line, int]] = {}
    for ln in view.head + view.body[:20]:
        for m in rx.finditer(ln.simple):
            place = m.group(1)
            hit = region.table(None).name_at_start(place)
            if hit is None or not hit[2] or len(hit[0]) != len(place):
                continue
            seen.setdefault(place + rest, (ln, m.start()))
    if len(seen) != 1:
        return None
    name, (ln, at) = next(iter(seen.items()))
    return name, ln, at


def _stated_zone_authority(view: PageView, zone: str) -> tuple[str, Label | None] | None:
    """The zone's own authority as the page names it (a 发布机构/来源 or the site name):
    东莞滨海湾新区 → 东莞滨海湾新区管理委员会, 君山片区 → 平潭综合实验区君山片区管理局."""
    for lb in _label_orgs(view, ("agency", "source")):
        v = squash(lb.value)
        if zone in v and v.endswith(_AUTHORITY_OF_ZONE):
            return v, lb
    site = squash(to_simplified(view.meta.get("sitename", "")))
    if zone in site and site.endswith(_AUTHORITY_OF_ZONE):
        return site, None
    return None


_ZONE_FULL = {"高新区": ("高新技术产业开发区", "高新技术开发区"),
              "经开区": ("经济技术开发区", "经济开发区"), "综保区": ("综合保税区",)}


def _zone_full_name(view: PageView, zone: str) -> str:
    """The zone's full name where the page also states it (天津滨海高新区 in the title,
    天津滨海高新技术产业开发区 as its 来源): the label's form, else the title's."""
    for short, fulls in _ZONE_FULL.items():
        if not zone.endswith(short):
            continue
        stem = zone[: -len(short)]
        values = [squash(lb.value) for lb in view.labels if lb.name in ("agency", "source")]
        values.append(squash(to_simplified(view.meta.get("sitename", ""))))
        for v in values:
            v = re.sub(r"(?:管委会|管理委员会)$", "", v)
            if any(v == stem + f for f in fulls):
                return v
    return zone


def _org_reading(name: str, source: str, ln: Line, s: int, year: int | None) -> Reading:
    full = canonical_government(name, year)
    r = _from_line(full, source, ln, s, s + len(name))
    if full != name:
        r.evidence.candidates = [name]  # as written: 延边州政府
    return r


def read_issuer(view: PageView, title: Reading, end: Closing, year: int | None) -> Reading:
    cands: list[str] = []
    if end.issuer and end.issuer_line is not None and not is_generic(end.issuer):
        i0, i1 = end.issuer_span
        return _from_line(end.issuer, "closing", end.issuer_line, i0, i1)
    if end.issuer:
        cands.append(end.issuer)

    tsub = subject_of(title_subject_text(title.value), year) if title.value else None
    if tsub is not None and tsub.kind == "org":
        canonical = canonical_government(tsub.name, year)
        ev = _title_evidence(title, tsub.name)
        if canonical != tsub.name:
            ev.candidates = [tsub.name]
        return Reading(canonical, ev)

    op = _opening(view)
    osub: Subject | None = None
    at = 0
    if op is not None:
        ln, s, _ = op
        as_follows = _REPORT_AS_FOLLOWS.search(s)
        if as_follows:
            who = subject_of(as_follows.group("who"), year)
            if who is not None and who.kind == "org":
                i = max(s.find(who.name, as_follows.start("who")), 0)
                return _org_reading(who.name, "opening", ln, i, year)
            if who is not None and who.kind in ("generic", "place"):
                osub, at = who, max(s.find(who.name, as_follows.start("who")), 0)
        found = _opening_subject(s)
        if found is not None and osub is None:
            phrase, at = found
            osub = subject_of(phrase, year)
            if osub is not None and osub.kind == "org":
                return _org_reading(osub.name, "opening", ln, at, year)

    government_report = bool(title.value and _GOVERNMENT_REPORT.search(title.value)) or bool(
        any(_GOVERNMENT_REPORT.search(ln.simple) for ln in view.body[:3]))

    # a zone or an area inside one: its own authority, as the page names it or inferred
    for sub, where in ((tsub, "title"), (osub, "opening")):
        if sub is None or sub.kind != "zone":
            continue
        stated = _stated_zone_authority(view, sub.name)
        if stated is not None:
            name, lb = stated
            if lb is not None:
                return _from_label(name, lb, inferred=True)
            if government_report:  # a site name is weak evidence: only for a 法治政府 report
                return Reading(name, Evidence("meta_tag", f"SiteName={name}", "meta",
                                              inferred=True))
        if government_report and not sub.name.endswith("片区"):
            name = _zone_full_name(view, sub.name) + "管理委员会"
            if where == "title":
                return Reading(name, _title_evidence(title, sub.name, inferred=True))
            assert op is not None
            return _from_line(name, "opening", op[0], at, at + len(sub.name), inferred=True)
    for sub in (tsub, osub):
        if sub is not None and sub.kind == "other":
            lb = _agreeing_label(view, sub)
            if lb is not None:
                return _from_label(squash(lb.value), lb, inferred=True)

    # a department speaking of itself (我局…) published by one department
    self_ref = bool(op and re.search(r"[我本](?:局|厅|委|办|中心|院|署|队|站|所)", op[1][:120]))
    if self_ref and (tsub is None or tsub.kind not in ("place", "zone")):
        labs = _label_orgs(view, ("agency", "source"))
        depts = [lb for lb in labs if region.is_department(squash(lb.value))
                 and not squash(lb.value).endswith(("办公室", "办"))]
        if len({squash(lb.value) for lb in depts}) == 1:
            return _from_label(squash(depts[0].value), depts[0], inferred=True)

    # a place (or a joint party-and-government subject): that place's government, inferred
    if tsub is not None and tsub.full and tsub.kind == "place" and government_report:
        return Reading(government_of(tsub.full),
                       _title_evidence(title, tsub.name, inferred=True))
    if op is not None and osub is not None and osub.kind == "place" and osub.full and (
        government_report or title.value is None
    ):
        ln, s, _ = op
        i = s.find(osub.name)
        return _from_line(government_of(osub.full), "opening", ln, i, i + len(osub.name),
                          inferred=True)
    if op is not None and osub is not None and osub.kind == "generic" and (
        government_report or title.value is None
    ) and (named := _self_named(op[1], osub.name, year)) is not None:
        name, at = named
        return _from_line(government_of(name), "opening", op[0], at, at + len(name),
                          inferred=True)
    generic = osub if (osub is not None and osub.kind == "generic") else (
        tsub if tsub is not None and tsub.kind == "generic" else None)
    if generic is not None and _GOV.search(generic.name):
        form = _unique_full_form(view, generic.name)
        if form is not None:
            name, fln, fat = form
            return _from_line(name, "opening", fln, fat, fat + len(name), inferred=True)
    for sub in (tsub, osub):
        if sub is not None:
            cands.append(sub.name)
    return _null("no 落款, title or opening sentence names the issuing body", cands)


def _title_evidence(title: Reading, words: str, inferred: bool = False) -> Evidence:
    ev = title.evidence
    quote = ev.quote
    start, end = ev.start, ev.end
    if ev.where in ("text", "page") and start is not None:
        i = to_simplified(quote).find(words)
        if i >= 0:
            start, end, quote = start + i, start + i + len(words), quote[i : i + len(words)]
    src = "title" if ev.source in ("title", None) else ev.source
    return Evidence(source=src, quote=quote, where=ev.where, start=start, end=end,
                    inferred=inferred)


# ---------------------------------------------------------------- year and dates


def read_year(view: PageView, title: Reading) -> Reading:
    y = year_of_title(title.value)
    if y is not None:
        return Reading(y, title.evidence)
    op = _opening(view)
    if op is not None:
        ln, s, _ = op
        m = _REPORT_AS_FOLLOWS.search(s)
        if m:
            return _from_line(int(m.group("year")), "opening", ln, m.start("year"),
                              m.end("year") + 1)
    for ln in view.body[:6]:
        s = ln.simple
        m = re.search(r"((?:19|20)\d{2})\s*年度", s[:600])
        if m and not re.search(r"\d{4}\s*[-—–至~]\s*$", s[: m.start()]):
            return _from_line(int(m.group(1)), "opening", ln, m.start(), m.end())
        o = re.match(r"^\s*((?:19|20)\d{2})\s*年", s)
        # "2023年，我县…" states the year reported on; a bare date line does not.
        if o and (len(s) >= 40 or re.match(r"\s*[，,]|以来", s[o.end():])) and not re.match(
            r"\s*\d{1,2}\s*月", s[o.end():]
        ):
            return _from_line(int(o.group(1)), "opening", ln, o.start(1), o.end())
    return _null("neither the title nor the opening sentence states the year reported on")


def _date_under_headline(view: PageView, title: str | None) -> Reading | None:
    """An unlabelled publish date printed just under the headline (2023-12-01 14:43,
    • 2021年03月22日 16时47分); a date with a weekday is a header widget, not it."""
    lines = view.head
    if not lines:
        return None
    start = 0
    if title:
        t = squash(title)
        start = next((i + 1 for i, ln in enumerate(lines) if ln.squashed and (
            ln.squashed in t or t in ln.squashed)), 0)
        if start == 0:
            return None
    for ln in lines[start : start + 8]:
        s = ln.simple
        if len(s) > 60 or WEEKDAY.search(s) or _WRITTEN.search(s):
            continue  # a 成文日期 is read by its label, as the sign date
        hit = find_date(s)
        if hit is None:
            continue
        d, ds, de = hit
        rest = s[:ds] + s[de:]
        after = s[de:]
        if (
            re.match(r"^\s*\d{1,2}[:：∶时]\d{2}", after)
            or len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 4
            # 2024-01-29　来源：市生态环境局　【字体】: a date line carrying other labels
            or (not s[:ds].strip(" •·|") and (ANY_LABEL.match(after.strip()) or is_chrome(after)))
        ):
            return _from_line(d, "page_date", ln, ds, de)
    return None


def read_publish_date(view: PageView, title: Reading) -> Reading:
    for name in ("pubdate", "publishdate", "firstpublishedtime"):
        meta = view.meta.get(name)
        if meta and (d := parse_date(meta)) is not None:
            return Reading(d, Evidence("meta_tag", f"{name}={meta}", "meta"))
    for lb in view.labels:
        if lb.name == "publish_date" and (hit := label_date(lb)) is not None:
            return _from_line(hit[0], "page_label", lb.line, hit[1], hit[2])
    under = _date_under_headline(view, title.value)
    if under is not None:
        return under
    cands: list[str] = []
    if view.url and (m := _URL_DATE.search(view.url)):
        g = [x for x in m.groups() if x]
        d = mkdate(int(g[0]), int(g[1]), int(g[2]))
        if d is not None:  # the CMS's document date: a hint, not the page's statement
            cands.append(f"{d.isoformat()} (url {m.group(0)})")
    return _null("no 发布时间/日期 label, meta PubDate or date under the headline", cands)


def read_sign_date(view: PageView, end: Closing) -> Reading:
    if end.sign_date is not None and end.date_line is not None:
        s, e = end.date_span
        return _from_line(end.sign_date, "closing", end.date_line, s, e)
    written = read_written_date(view)
    return _null("no 落款 date (a 成文日期 label is kept as written_date)"
                 if written.value else "no 落款 date",
                 [written.value.isoformat()] if written.value else [])


def read_written_date(view: PageView) -> Reading:
    """成文日期/印发日期 as the page's information table states it."""
    for lb in view.labels:
        if lb.name == "written_date" and (hit := label_date(lb)) is not None:
            return _from_line(hit[0], "page_label", lb.line, hit[1], hit[2])
    return _null("no 成文日期 label")


def read_source_agency(view: PageView) -> Reading:
    meta = view.meta.get("contentsource")
    if meta:
        return Reading(meta, Evidence("meta_tag", f"ContentSource={meta}", "meta"))
    for name in ("source", "agency"):
        for lb in view.labels:
            v = squash(lb.value)
            v = v.lstrip("]】)）:：")
            if lb.name == name and 2 <= len(v) <= 40 and not re.search(r"\d{4}", v) and not (
                is_chrome(v) or v.startswith(("【", "[")) or ANY_LABEL.match(v)
            ):
                return _from_label(v, lb)
    return _null("no 来源/信息来源/发布机构 on the page")


def read_label(view: PageView, name: str, valid: re.Pattern[str] | None = None) -> Reading:
    for lb in view.labels:
        v = squash(lb.value)
        if lb.name == name and v and (valid is None or valid.search(v)):
            return _from_label(v, lb)
    return _null(f"no {name} label on the page")


def read_doc_number(view: PageView) -> Reading:
    r = read_label(view, "doc_number", DOC_NUMBER)
    if r.value is not None:
        return r
    for ln in view.head[-8:] + view.body[:3]:
        m = DOC_NUMBER.fullmatch(ln.squashed)
        if m:
            return _from_line(m.group(0), "title", ln)
    return _null("no document number next to the title")


# ---------------------------------------------------------------- all fields


@dataclass
class Metadata:
    fields: dict[str, Reading] = field(default_factory=dict)
    closing: Closing | None = None

    def value(self, name: str) -> Any:
        r = self.fields.get(name)
        return r.value if r is not None else None


def read_metadata(view: PageView) -> Metadata:
    """Every metadata field of a page with its evidence (region and code: see
    ``resolve_region``)."""
    out = Metadata()
    f = out.fields
    f["title"] = read_title(view)
    f["report_year"] = read_year(view, f["title"])
    end = closing(view.body)
    if end.issuer is None and end.sign_date is None:
        end = cover_closing(view.head + view.body) or end
    out.closing = end
    f["issuer"] = read_issuer(view, f["title"], end, f["report_year"].value)
    f["publish_date"] = read_publish_date(view, f["title"])
    f["sign_date"] = read_sign_date(view, end)
    f["written_date"] = read_written_date(view)
    f["source_agency"] = read_source_agency(view)
    f["index_number"] = read_label(view, "index_number", re.compile(r"^[0-9A-Za-z]"))
    f["doc_number"] = read_doc_number(view)
    return out


def context_of(view: PageView) -> str:
    """Text whose names may tell same-named places apart: the head, labels, title, opening
    and 落款 (not the whole body: a body names many places)."""
    parts = [ln.simple for ln in view.head] + [ln.simple for ln in view.body[:2]]
    parts += [ln.simple for ln in view.body[-3:]] + [lb.value for lb in view.labels]
    parts += [to_simplified(v) for k, v in view.meta.items() if k in (
        "articletitle", "contentsource", "sitename", "columnname")]
    return "\n".join(parts)


def index_code(index_number: str | None) -> tuple[str, ...]:
    """The six-digit admin code a 索引号 may start with (11370103…/2023-00012 → 370103)."""
    if not index_number:
        return ()
    # a unified social credit code (1 + type + six-digit code + …), or the code itself
    m = re.match(r"^1[1-9](\d{6})[0-9A-Z]{10}", index_number) or re.match(
        r"^(\d{6})(?!\d)", index_number)
    return (m.group(1),) if m else ()
