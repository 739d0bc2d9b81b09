"""Numbers as written in reports: Arabic (with decimals, ASCII thousands commas, spaces before
the unit), full-width digits (already folded by ``normalize.fold``) and Chinese numerals
(七期, 十余次, 二十三件), with 万/亿 multipliers multiplied out.

Pure functions over strings; the regular expressions are shared with ``mentions``.
"""

from __future__ import annotations

import re

from govreports.numerals import DIGITS

# An Arabic number not glued to a preceding digit, letter or decimal point. Thousands
# separators only in the 1,234,567 shape so that "86件,321" style lists never merge.
ARABIC = r"(?<![\d.A-Za-z])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"

CN_DIGITS = DIGITS  # govreports.numerals
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE = r"[零〇一二两三四五六七八九十百千]+"

MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000}


def parse_arabic(s: str) -> float:
    """``"1,234.5"`` → 1234.5 (spaces and thousands commas dropped)."""
    return float(s.replace(",", "").replace(" ", ""))


def parse_chinese(s: str) -> float:
    """Chinese numerals → value: ``二十三`` → 23, ``十`` → 10, ``三千五百`` → 3500,
    ``一万二千`` → 12000. Raises ``ValueError`` naming the input for anything else."""
    if not s:
        raise ValueError("empty Chinese numeral")
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"not a Chinese numeral: {s!r}")
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        elif ch in CN_BIG_UNITS:
            section += digit or 0
            total += (section or 1) * CN_BIG_UNITS[ch]
            section = 0
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return float(total + section + (digit or 0))


def is_plain_digit_run(s: str) -> bool:
    """Chinese numerals written digit by digit (二〇二二) are years or codes, not counts."""
    return len(s) > 1 and all(c in CN_DIGITS for c in s)


def number_value(raw: str) -> float:
    """Value of an Arabic or Chinese number as matched by ``ARABIC`` / ``CHINESE``."""
    if re.fullmatch(r"[\d,. ]+", raw):
        return parse_arabic(raw)
    return parse_chinese(raw)
