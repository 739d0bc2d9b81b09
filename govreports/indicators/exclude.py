"""Numbers that are never quantities: years and dates, plan periods, document numbers,
meeting and batch ordinals, slogans, hotline and registration numbers.

Most of them never reach the mention grammar because 年/月/日/号/届 are not units; this
module catches the ones that do look like "number + unit" (第16次, 第三批, “三项制度”,
《…20条…》) and names the reason for every digit run left over, so an evaluation can show
why a number was skipped.
"""

from __future__ import annotations

import re

HOTLINES = frozenset(
    {"12345", "12348", "12315", "12366", "12369", "12388", "12351", "12333", "12320",
     "12306", "12319", "12358", "12365", "12380", "110", "119", "120", "122"}
)
_QUOTE_OPEN, _QUOTE_CLOSE = "“‘\"", "”’\""
_MAX_QUOTED_NAME = 14  # a quoted programme name or slogan, not a quoted sentence


def in_quoted_name(text: str, start: int, end: int) -> bool:
    """Inside a short “…” (programme names, slogans: “三项制度”, “1+9+N”)."""
    lo = max(0, start - _MAX_QUOTED_NAME)
    left = text[lo:start]
    o = left.rfind("“")
    if o < 0 or "”" in left[o + 1 :]:
        return False
    c = text.find("”", end, end + _MAX_QUOTED_NAME)
    return c >= 0 and (c - (lo + o)) <= _MAX_QUOTED_NAME + 2


def in_book_title(text: str, start: int) -> bool:
    """Inside 《…》: numbers in document titles name the document, they count nothing."""
    left = text[max(0, start - 60) : start]
    o = left.rfind("《")
    return o >= 0 and "》" not in left[o + 1 :] and "》" in text[start : start + 60]


def is_ordinal(text: str, start: int) -> bool:
    """第16次, 第三批, 第 3 名: ordinals, not counts (ranks are handled apart)."""
    j = start - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and text[j] == "第"


_YEARISH = re.compile(r"(19|20)\d\d")
_SESSION_AFTER = re.compile(r"(?:会议|全会|全体会议|常委会)")
# page chrome: 浏览次数:1234次, 点击数: 56 (the body's 浏览量20万人次 has no colon)
_PAGE_COUNTER = re.compile(r"(?:浏览|点击|阅读|访问)(?:次数|数|量)?\s*[:]\s*$")


def exclusion_reason(text: str, start: int, end: int, number: str, unit: str) -> str | None:
    """Why a ``number + unit`` candidate at [start, end) of folded ``text`` is not a mention."""
    if is_ordinal(text, start):
        return "ordinal"
    if _PAGE_COUNTER.search(text[max(0, start - 8) : start]):
        return "page counter"
    if unit == "次" and _SESSION_AFTER.match(text, end) and "届" in text[max(0, start - 4) : start]:
        return "meeting ordinal"  # 十八届人大三次会议, 十一届二次会议
    if text[start - 1 : start] in ("×", "*", "x", "X", "+"):  # 7×24小时, “1+N”: slogans
        return "name or slogan"
    if in_book_title(text, start):
        return "document title"
    if in_quoted_name(text, start, end):
        return "name or slogan"
    if unit == "分" and text[start - 1 : start] in ("时", "点", ":"):
        return "time of day"
    digits = number.replace(",", "").replace(".", "")
    if digits.isdigit() and len(digits) >= 9 and "." not in number:
        return "registration or phone number"
    if _YEARISH.fullmatch(number) and unit in ("起", "本", "版") and text[start - 1 : start] in (
        "自", "从", "于", "(",
    ):
        return "year"
    return None


_DIGITS = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+")


def digit_reason(text: str, start: int, end: int) -> str:
    """Best-effort reason a digit run at [start, end) is not a quantity (for reports)."""
    run = text[start:end]
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    if is_ordinal(text, start):
        return "ordinal"
    if run in HOTLINES:
        return "hotline number"
    if run.isdigit() and len(run) >= 9:
        return "registration number"
    if re.match(r"\d{4}$", run) and (before.endswith("〔") or before.endswith("[")):
        return "document number"
    if after.startswith(("号", " 号")):
        return "document number"
    if _YEARISH.fullmatch(run) and (
        after.startswith(("年", "-", "—", "—", "工作", "”")) or before.endswith(("-", "—"))
    ):
        return "year or plan period"
    if _YEARISH.fullmatch(run):
        return "year"
    if after.startswith(("月", "日")) or before.endswith(("月", "年")):
        return "date"
    if in_book_title(text, start):
        return "document title"
    if in_quoted_name(text, start, end):
        return "name or slogan"
    if before.endswith("近") and after.startswith("年"):
        return "time window"
    return "no unit"


def non_mentions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    """Arabic digit runs of folded ``text`` outside every mention span: (offset, run, reason)."""
    out: list[tuple[int, str, str]] = []
    taken = sorted(spans)
    for m in re.finditer(r"\d+(?:\.\d+)?", text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        out.append((m.start(), m.group(), digit_reason(text, m.start(), m.end())))
    return out
