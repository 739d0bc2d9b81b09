"""Text folding for matching, with a map back to the original code-point offsets.

Reports come in simplified and traditional script, with full-width and half-width
punctuation mixed, and some traditional mirrors insert pinyin after characters
(``建設(shè)``). Matching runs on the folded text; every position in it maps back to a
position in the original so that evidence offsets stay verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Pinyin inserted by conversion mirrors: one CJK character followed by a parenthesised
# romanisation with tone marks (or plain letters + tone digit).
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（]"
    r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[1-5]?"
    r"[)）]"
)

# Full-width forms folded to ASCII where they carry the same meaning for matching.
# Chinese sentence punctuation (。，、；：？！“”《》) is kept: headings and sentences depend on it,
# but the comma/colon/semicolon/parenthesis variants are folded to one form each.
_PUNCT = {
    "，": ",",
    "：": ":",
    "；": ";",
    "（": "(",
    "）": ")",
    "！": "!",
    "？": "?",
    "％": "%",
    "﹪": "%",
    "．": ".",
    "\u3000": " ",
    "\xa0": " ",
    "〇": "〇",
}


@dataclass(frozen=True)
class Folded:
    """Folded text plus, for each of its characters, the offset in the original."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text to the original text."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # a C extension: imported on first use to keep start-up light

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (character-wise fallback if needed)."""
    if not text:
        return text
    out: str = _t2s().convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length: convert each character on its own instead.
    conv = _t2s().convert
    return "".join(c if len(s := conv(c)) != 1 else s for c in text)


def _fold_char(c: str) -> str:
    if c in _PUNCT:
        return _PUNCT[c]
    o = ord(c)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return unicodedata.normalize("NFKC", c)
    return c


# _fold_char as one str.translate table: folding runs on every report, char by char was slow.
_FOLD_TABLE = {ord(c): _fold_char(c) for c in _PUNCT} | {
    o: _fold_char(chr(o))
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for o in range(lo, hi + 1)
}


def fold(text: str) -> Folded:
    """Fold ``text`` for matching: drop inserted pinyin, t2s, fold punctuation and digits."""
    keep: list[int] = []
    pos = 0
    pieces: list[str] = []
    for m in _PINYIN.finditer(text):
        pieces.append(text[pos : m.start()])
        keep.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(text[pos:])
    keep.extend(range(pos, len(text)))
    stripped = "".join(pieces)
    simplified = to_simplified(stripped)
    folded = simplified.translate(_FOLD_TABLE)
    keep.append(len(text))
    return Folded(folded, tuple(keep))


def detect_script(text: str) -> str:
    """``traditional`` when folding to simplified changes a noticeable share of characters."""
    han = [c for c in text[:5000] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return "simplified"
    sample = "".join(han)
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=True) if a != b)
    return "traditional" if changed / len(han) > 0.03 else "simplified"
