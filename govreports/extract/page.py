"""A page as lines with offsets, split into head (chrome, labels, title) and body, and the
labelled fields real government pages print (发布时间:, 标  题, 发布机构 in a table cell …).

Pure. Every line keeps its span in the text it came from (``where``: ``text`` is the report's
text, ``page`` the visible text of an HTML page), so a value read from a line carries its
evidence span. Labels are matched on the simplified form of a line (traditional pages read
the same); ``to_simplified`` keeps lengths, so spans found on it hold for the original too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from govreports.extract.html import CHROME_LINE
from govreports.extract.sections import cn_number
from govreports.normalize import to_simplified
from govreports.numerals import year_digits

NUM_DATE = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)(?:\s*日)?"
)
CN_DATE = re.compile(
    r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*"
    r"([一二三四五六七八九十]{1,3})\s*日"
)
# A date widget in a site header shows today's date with the weekday: never a publish date.
WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]|礼拜")


def cn_year(s: str) -> int:
    """A year the date pattern matched digit by digit (so always four digits)."""
    year = year_digits(s)
    if year is None:
        raise ValueError(f"not a year written digit by digit: {s!r}")
    return year


def mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_date(s: str, pos: int = 0) -> tuple[date, int, int] | None:
    """The first valid date in ``s`` at or after ``pos``, with its span."""
    for rx in (NUM_DATE, CN_DATE):
        for m in rx.finditer(s, pos):
            if rx is NUM_DATE:
                d = mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                d = mkdate(cn_year(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3)))
            if d is not None:
                return d, m.start(), m.end()
    return None


def parse_date(s: str | None) -> date | None:
    """The first date in ``s``: 2022-02-17, 2022/2/17, 2022年2月16日 or 二〇二三年三月二十日."""
    if not s:
        return None
    hit = find_date(s)
    return hit[0] if hit else None


@dataclass(frozen=True)
class Line:
    text: str  # as the page prints it (whitespace collapsed for HTML)
    simple: str  # simplified, same length
    start: int  # offset of the line in ``where``
    where: str  # "text" | "page"

    @property
    def squashed(self) -> str:
        return re.sub(r"\s+", "", self.simple)


def lines_of(text: str, where: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(stripped, to_simplified(stripped), pos + lead, where))
        pos += len(raw) + 1
    return out


def is_chrome(line: str) -> bool:
    return bool(CHROME_LINE.search(line)) or len(line.strip()) <= 2


# ---------------------------------------------------------------- labelled fields

_SEP = r"\s*[:：]\s*|\s+|\s*$"  # "发布时间:" / "发布时间 2024年…" / label and value in two cells
_LABELS: dict[str, str] = {
    # name -> pattern of the label (simplified); the value follows _SEP
    "title": r"(?<![\u4e00-\u9fff])(?:标\s*题|题\s*目|文章标题|文件名称|名\s*称)",
    "publish_date": (
        r"(?:发布时间|发布日期|发文日期|公开日期|公开时间|发表时间|发稿时间|上网时间|更新时间|"
        r"更新日期|发布于|(?<![成生印签施效止录写文])(?:日期|时间))"
    ),
    "written_date": r"(?:成文日期|成文时间|印发日期|签发日期|生成日期)",
    "source": r"(?:信息来源|来源单位|文章来源|稿件来源|来源)",
    "agency": r"(?:发布机构|发文机关|发文单位|发布单位|发布部门|信息公开主体|公开主体)",
    "index_number": r"索\s*引\s*号",
    "doc_number": r"(?:发文字号|文\s*号)",
    "url": r"(?:原文链接|原文地址|原始链接|原文网址)",
    "column": r"(?:所属栏目|栏\s*目|主题分类|信息分类)",
}
_LABEL_RE = {k: re.compile(rf"({v})(?:{_SEP})") for k, v in _LABELS.items()}
ANY_LABEL = re.compile("|".join(f"(?:{v})(?:{_SEP})" for v in _LABELS.values()))
# Words that end a label's value though they label nothing we read (作者：, 浏览次数：, 打印)
_VALUE_STOP = re.compile(
    r"[|｜【\[]|\s{2,}|\s*(?:作\s*者|编\s*辑|责任编辑|浏览|阅读|点击|访问|字号|打印|分享|收藏|关闭)"
)
_BULLET = re.compile(r"^[•·●◆■▪\-—*>\]】\s]+")
ORG_VALUE = re.compile(r"[^\s|｜【\[:：,，;；。]{2,40}")


@dataclass(frozen=True)
class Label:
    name: str
    value: str  # simplified, trimmed
    line: Line
    start: int  # span of the value within ``line.text``
    end: int

    @property
    def span(self) -> tuple[int, int]:
        return self.line.start + self.start, self.line.start + self.end


def _value_end(s: str, start: int) -> int:
    """Where a label's value ends: at the next label, a bar, or a wide gap."""
    nxt = ANY_LABEL.search(s, start + 1)
    end = nxt.start() if nxt else len(s)
    stop = _VALUE_STOP.search(s, start, end)
    if stop and stop.start() > start:
        end = stop.start()
    return end


def labels(lines: list[Line], max_len: int = 200) -> list[Label]:
    """Every labelled field on short lines, in page order. A label alone on its line (a
    table cell) takes the next line as its value."""
    out: list[Label] = []
    for n, ln in enumerate(lines):
        s = ln.simple
        if len(s) > max_len:
            continue
        lead = _BULLET.match(s)
        if lead:
            s = " " * lead.end() + s[lead.end():]  # • 发布时间：… (keeps offsets)
        for name, rx in _LABEL_RE.items():
            for m in rx.finditer(s):
                if name == "publish_date" and re.search(
                    r"(?:成文|生成|印发|签发|会议|活动)$", s[: m.start()]
                ):
                    continue
                vs = m.end()
                ve = _value_end(s, vs)
                if name in ("publish_date", "written_date"):
                    ve = len(s)  # a date may hold spaces: 2024年 3月 22日 14:30
                value = s[vs:ve].strip()
                if not value and m.end() >= len(s.rstrip()) and n + 1 < len(lines):
                    nxt = lines[n + 1]
                    bare = _BULLET.sub("", nxt.simple)
                    if len(nxt.simple) <= 80 and not ANY_LABEL.match(bare):
                        out.append(Label(name, nxt.simple.strip(), nxt, 0, len(nxt.text)))
                    continue
                if value:
                    out.append(Label(name, value, ln, vs, vs + len(s[vs:ve].rstrip())))
    out.sort(key=lambda lb: (lb.line.start, lb.start))
    return out


def label_date(lb: Label) -> tuple[date, int, int] | None:
    """The date a date label holds, with its span in the line."""
    hit = find_date(lb.line.simple, lb.start)
    if hit is None or hit[1] > lb.start + 3:
        return None
    return hit


# ---------------------------------------------------------------- head and body

_SEPARATOR = re.compile(r"^[=＝\-—_*#~]{5,}.*$|^.{0,8}正\s*文.{0,8}$")
_PARAGRAPH_END = re.compile(r"[。；;！!？?]$|[。；;]")


def is_paragraph(line: Line) -> bool:
    """A line of running text: long, with sentence punctuation, not a label line."""
    s = line.simple
    if is_chrome(s) or (ANY_LABEL.match(s) and len(s) < 120):
        return False
    if len(s) >= 40:
        return bool(_PARAGRAPH_END.search(s)) or (s[-1] in "：:" and "，" in s + line.text)
    if re.search(r"(?:报告|汇报|总结)如下", s):
        return True
    # a short opening sentence: 2023年，我县…取得新进展。 (not a slogan such as 欢迎访问！)
    return len(s) >= 12 and s[-1] == "。" and ("，" in s or "," in s)


def body_start(lines: list[Line]) -> int:
    """Index of the first body line of a saved page's text: after a ``=== 正文 ===``
    separator, else the first paragraph or outline heading (what comes before is head:
    chrome, labels, the title)."""
    for i, ln in enumerate(lines[:40]):
        if _SEPARATOR.match(ln.simple) and not re.match(r"^[一二三四五六七八九十]+、", ln.simple):
            return i + 1
    for i, ln in enumerate(lines[:60]):
        if is_paragraph(ln) or re.match(r"^[一二三四五六七八九十]{1,2}、", ln.simple):
            return i
    return 0


@dataclass
class PageView:
    """What the metadata readers look at: the head lines (before the body), the body lines,
    the labelled fields, meta tags and headline candidates (HTML), and the URL."""

    head: list[Line]
    body: list[Line]
    labels: list[Label] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    headlines: list[str] = field(default_factory=list)
    title_tag: str | None = None
    url: str | None = None
    is_html: bool = False
    tail: list[Line] = field(default_factory=list)  # HTML: visible lines after the body


_GAP_SPLIT = 200  # a longer line is a flattened page: its gaps separate what were lines


def split_gaps(lines: list[Line]) -> list[Line]:
    """Long lines cut at their whitespace gaps (a crawler joined the page's blocks with
    spaces: title, date line, paragraphs, the 落款 all on one line)."""
    out: list[Line] = []
    for ln in lines:
        if len(ln.text) < _GAP_SPLIT or not re.search(r"\s", ln.text):
            out.append(ln)
            continue
        pos = 0
        for m in re.finditer(r"\s+", ln.text + " "):
            piece = ln.text[pos : m.start()]
            if piece:
                out.append(Line(piece, ln.simple[pos : m.start()], ln.start + pos, ln.where))
            pos = m.end()
    return out


def text_view(text: str, url: str | None) -> PageView:
    """A saved text (a report body, or a page's visible text with its chrome and labels)."""
    lines = split_gaps(lines_of(text, "text"))
    k = body_start(lines)
    head, body = lines[:k], lines[k:]
    found = labels(head + body[:3])
    if url is None:
        url = next((lb.value for lb in found if lb.name == "url"
                    and lb.value.startswith("http")), None)
    return PageView(head=head, body=body, labels=found, url=url)


def html_view(
    page_lines: list[str],
    body_text: str,
    meta: dict[str, str],
    headlines: list[str],
    title_tag: str | None,
    url: str | None,
) -> PageView:
    page = lines_of("\n".join(page_lines), "page")
    body = lines_of(body_text, "text")
    first = body[0].squashed if body else ""
    k = next((i for i, ln in enumerate(page) if first and ln.squashed == first), len(page))
    last = body[-1].squashed if body else ""
    e = next((i for i in range(len(page) - 1, k - 1, -1) if last and page[i].squashed == last),
             len(page) - 1)
    head = page[:k]
    found = labels(head + page[k : k + 12] + page[e + 1 : e + 40])
    return PageView(head=head, body=body, labels=found, meta=meta, headlines=headlines,
                    title_tag=title_tag, url=url, is_html=True, tail=page[e + 1 :])
