"""Chinese numerals in one place: digits, years written digit by digit, and the small
numbers of headings and dates. ``govreports.indicators.numbers.parse_chinese`` builds on
these for quantities (百, 千, 万, 亿)."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
# A year written digit by digit (二〇二三年): its zero comes in look-alikes from other scripts
# (a circle, Cyrillic О, Latin O, a full-width Ｏ, an Arabic 0).
YEAR_DIGITS = {**{c: d for c, d in DIGITS.items() if c != "两"},
               "○": 0, "О": 0, "O": 0, "Ｏ": 0, "0": 0}
YEAR_ZEROS = "〇○零ОOＯ0"


def year_digits(s: str) -> int | None:
    """``二〇二三`` → 2023: four digits read one by one; None unless all four are digits."""
    if len(s) != 4 or any(c not in YEAR_DIGITS for c in s):
        return None
    return int("".join(str(YEAR_DIGITS[c]) for c in s))


def small_number(s: str) -> int:
    """``一`` … ``九十九`` → int (heading numbers, months and days); Arabic digits as they
    are; 0 when the text is neither."""
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + DIGITS.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return DIGITS.get(tens, 0) * 10 + (DIGITS.get(ones, 0) if ones else 0)
    return DIGITS.get(s, 0)
