"""Report metadata from meta tags, visible page lines, the opening lines and the 落款.

All functions are pure and work on lines of text. Labels are matched on the simplified form
of a line, so traditional pages (發布時間, 來源) are read by the same patterns; values taken
from such lines are returned simplified too (the gold keeps issuer/title simplified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from govreports.extract.html import CHROME_LINE
from govreports.extract.sections import cn_number
from govreports.normalize import to_simplified

_CN_YEAR_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3,
                   "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*"
    r"([一二三四五六七八九十]{1,3})\s*日"
)
_DATE_ONLY = re.compile(
    rf"^\s*(?:{_NUM_DATE.pattern}|{_CN_DATE.pattern})\s*$"
)
_ORG = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff（）()·]{2,40}?"
    r"(人民政府|政府|委员会|管委会|管理委员会|司法局|局|厅|办公室|工作委员会|委|办|院|中心|署)$"
)
_LABEL_VALUE = r"\s*[:：]\s*"
_PUBLISH = re.compile(
    rf"(?:发布时间|发布日期|时间发布|公开日期|发文日期|发表时间|发布于|(?<!成文)(?<!生成)(?<!印发)日期)"
    rf"{_LABEL_VALUE}"
    rf"(?:{_NUM_DATE.pattern})"
)
_SOURCE = re.compile(rf"(?:信息来源|来源单位|来源){_LABEL_VALUE}([^\s【\[|｜:：]+)")
_INDEX = re.compile(rf"索\s*引\s*号{_LABEL_VALUE}?([0-9A-Za-z][0-9A-Za-z/\-_.]+)")
_AGENCY = re.compile(rf"发布机构{_LABEL_VALUE}?([^\s【\[|｜:：]+)")
_WRITTEN = re.compile(rf"成文日期{_LABEL_VALUE}?(?:{_NUM_DATE.pattern})")
_DOCNO_FIELD = re.compile(rf"(?:文\s*号|发文字号){_LABEL_VALUE}?([^\s【\[|｜:：]+号)")
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR_IN_TITLE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
_YEAR_NIANDU = re.compile(r"((?:19|20)\d{2})\s*年度")
_OPENING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年")


def _cn_year(s: str) -> int:
    return int("".join(str(_CN_YEAR_DIGITS[c]) for c in s))


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(s: str | None) -> date | None:
    """The first date in ``s``: 2022-02-17, 2022/2/17, 2022年2月16日 or 二〇二三年三月二十日."""
    if not s:
        return None
    m = _NUM_DATE.search(s)
    if m:
        return _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    c = _CN_DATE.search(s)
    if c:
        return _mkdate(_cn_year(c.group(1)), cn_number(c.group(2)), cn_number(c.group(3)))
    return None


@dataclass
class Fields:
    """Labelled values found on visible lines (or in meta tags)."""

    publish_date: date | None = None
    source_agency: str | None = None
    index_number: str | None = None
    agency: str | None = None  # 发布机构
    written_date: date | None = None  # 成文日期
    doc_number: str | None = None


def visible_fields(lines: list[str]) -> Fields:
    """发布时间/信息来源/索引号/发布机构/成文日期/文号 from page lines (first hit wins)."""
    f = Fields()
    for raw in lines:
        if len(raw) > 300:
            continue  # a paragraph, not a label line
        line = to_simplified(raw)
        if f.publish_date is None and (m := _PUBLISH.search(line)):
            f.publish_date = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if f.source_agency is None and (m := _SOURCE.search(line)):
            f.source_agency = m.group(1)
        if f.index_number is None and (m := _INDEX.search(line)):
            f.index_number = m.group(1)
        if f.agency is None and (m := _AGENCY.search(line)):
            f.agency = m.group(1)
        if f.written_date is None and (m := _WRITTEN.search(line)):
            f.written_date = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if f.doc_number is None and (m := _DOCNO_FIELD.search(line)):
            if DOC_NUMBER.search(m.group(1)):
                f.doc_number = m.group(1)
    return f


def meta_fields(meta: dict[str, str]) -> tuple[str | None, Fields]:
    """Title and fields from the standard government-site meta tags."""
    f = Fields()
    f.publish_date = parse_date(meta.get("pubdate") or meta.get("publishdate"))
    src = meta.get("contentsource")
    f.source_agency = src or None
    title = meta.get("articletitle") or None
    return title, f


@dataclass
class Closing:
    issuer: str | None  # simplified
    issuer_verbatim: str | None
    issuer_line: int | None  # index into the lines given
    sign_date: date | None
    date_line: int | None


def is_chrome(line: str) -> bool:
    return bool(CHROME_LINE.search(line)) or len(line.strip()) <= 2


def closing(lines: list[str], window: int = 12) -> Closing:
    """Issuer and sign date from the 落款 at the end of the text (chrome lines skipped)."""
    idx = [i for i, x in enumerate(lines) if x.strip()]
    first = len(idx) - min(window, max(3, len(idx) // 2))  # the 落款 is never in the first half
    for pos in range(len(idx) - 1, max(first, 0) - 1, -1):
        i = idx[pos]
        line = lines[i].strip()
        if is_chrome(line):
            continue
        compact = re.sub(r"\s+", "", line)
        if _DATE_ONLY.match(compact):
            signed = parse_date(compact)
            for back in range(pos - 1, max(pos - 3, -1), -1):
                j = idx[back]
                cand = _last_org(lines[j])
                if cand is not None:
                    return Closing(to_simplified(cand), cand, j, signed, i)
            return Closing(None, None, None, signed, i)
        # 落款 and date on one line: 隆昌市人民政府 2022年2月16日
        m = _NUM_DATE.search(compact) or _CN_DATE.search(compact)
        if m and m.end() == len(compact) and _ORG.match(to_simplified(compact[: m.start()])):
            org = compact[: m.start()]
            return Closing(to_simplified(org), org, i, parse_date(compact), i)
    return Closing(None, None, None, None, None)


def _last_org(line: str) -> str | None:
    """The body a 落款 line names: the whole line, or where several bodies sign jointly on one
    line (中共某县委 某县人民政府), the last one, as with bodies on separate lines."""
    whole = re.sub(r"\s+", "", line)
    if _ORG.match(to_simplified(whole)) and len(whole) <= 30:
        parts = line.split()
        if len(parts) > 1 and all(_ORG.match(to_simplified(p)) for p in parts):
            return parts[-1]
        return whole
    return None


def year_of_title(title: str | None) -> int | None:
    if not title:
        return None
    m = _YEAR_IN_TITLE.search(title)
    if m:
        return int(m.group(1))
    c = _CN_YEAR_IN_TITLE.search(title)
    return _cn_year(c.group(1)) if c else None


def year_of_body(lines: list[str]) -> int | None:
    """年度 near the top, else the year the opening sentence starts with."""
    head = "\n".join(lines[:8])
    m = _YEAR_NIANDU.search(head[:600])
    if m:
        return int(m.group(1))
    for line in lines[:8]:
        o = _OPENING_YEAR.match(line)
        # "2023年，我县…" states the year reported on even in a short sentence; a bare date
        # line (2023年3月1日) does not.
        if o and (len(line) >= 40 or re.match(r"\s*[，,]|以来", line[o.end():])):
            return int(o.group(1))
    return None


# 报告 names a report; a title may also end 工作情况 or 工作总结 (…法治政府建设工作情况)
_TITLE_WORDS = re.compile(r"报告|報告|法治.*(?:情况|情況|总结|總結)$")


def title_line(lines: list[str], before: int) -> int | None:
    """Index of a title line among the first lines (before the first heading)."""
    for i, line in enumerate(lines[: min(before, 8)]):
        s = line.strip()
        if not s or is_chrome(s) or _PUBLISH.search(to_simplified(s)):
            continue
        if len(s) <= 60 and s[-1] not in "。，,；;：:" and _TITLE_WORDS.search(s):
            return i
    return None


def title_text(lines: list[str], i: int) -> str:
    """The title on line ``i``, with the issuing body prefixed when the title is split as
    real 公文 headers are (绵阳市人民政府 / 关于2022年度…的报告 on two lines)."""
    title = strip_label(lines[i].strip())
    prev = next((x.strip() for x in reversed(lines[:i]) if x.strip()), "")
    if not prev or is_chrome(prev) or prev[-1] in "。，,；;：:":
        return title
    simple = to_simplified(title)
    if simple.startswith("关于"):
        squashed = re.sub(r"\s+", "", prev)
        if len(squashed) <= 30 and _ORG.match(to_simplified(squashed)):
            return squashed + title
    elif "法治" not in simple and "法治" in to_simplified(prev) and len(prev) <= 40:
        # A title wrapped over two lines: …关于2022年度法治政府 / 建设情况的报告
        return prev + title
    return title


def doc_number_in_head(lines: list[str]) -> str | None:
    """A document number standing alone on one of the first lines (not one cited later)."""
    for line in lines[:6]:
        s = re.sub(r"\s+", "", line)
        m = DOC_NUMBER.fullmatch(s)
        if m:
            return m.group(0)
    return None


_LABEL = re.compile(r"^(?:标题|題目|题目|名称|名稱)\s*[:：]\s*")
_TIME_AFTER = re.compile(r"^\s*\d{1,2}[:：∶]\d{2}")


def strip_label(s: str) -> str:
    return _LABEL.sub("", s)


def date_near(page_lines: list[str], title: str, span: int = 8) -> date | None:
    """An unlabelled publish date printed just under the headline (2023-12-01 14:43).

    Only short lines count, and only where the date carries a time or the line is little
    more than the date, so a date inside the first sentence is not taken for it.
    """
    squashed = re.sub(r"\s+", "", title)
    start = next(
        (i for i, x in enumerate(page_lines) if squashed and squashed in re.sub(r"\s+", "", x)),
        None,
    )
    if start is None:
        return None
    for line in page_lines[start + 1 : start + 1 + span]:
        if len(line) > 60:
            continue
        m = _NUM_DATE.search(line)
        if not m:
            continue
        rest = line[: m.start()] + line[m.end() :]
        if _TIME_AFTER.match(line[m.end() :]) or len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 12:
            return _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None
