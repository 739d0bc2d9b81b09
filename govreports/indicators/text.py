"""Sentence and clause geometry of folded text, and the found-mention record, shared by
mention finding, breakdown linking and assignment."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from govreports.models import Mention

SENTENCE_END = "。!?\n"
CLAUSE_END = ",;:" + SENTENCE_END
QUOTES = "“”‘’\""
_SENTENCE_END_RE = re.compile("[" + re.escape(SENTENCE_END) + "]")
_QUOTES_RE = re.compile("[" + QUOTES + "]")


@dataclass(frozen=True)
class Geometry:
    """Sentence starts of a folded text and a quote-free copy for trigger matching."""

    text: str
    sentence_starts: tuple[int, ...]
    bare: str  # text without quote marks: “省内通办”事项 → 省内通办事项
    bare_to_text: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Geometry:
        starts = [0] + [m.end() for m in _SENTENCE_END_RE.finditer(text)]
        quotes = [m.start() for m in _QUOTES_RE.finditer(text)]
        if not quotes:
            return cls(text, tuple(starts), text, tuple(range(len(text) + 1)))
        keep: list[int] = []
        prev = 0
        for q in quotes:  # quote marks are rare: copy the ranges between them
            keep.extend(range(prev, q))
            prev = q + 1
        keep.extend(range(prev, len(text)))
        bare = _QUOTES_RE.sub("", text)
        keep.append(len(text))
        return cls(text, tuple(starts), bare, tuple(keep))

    def sentence(self, pos: int) -> tuple[int, int]:
        """[start, end) of the sentence holding ``pos`` (end excludes the 。)."""
        k = bisect_right(self.sentence_starts, pos) - 1
        start = self.sentence_starts[k]
        end = self.sentence_starts[k + 1] - 1 if k + 1 < len(self.sentence_starts) else len(
            self.text
        )
        return start, max(end, start)

    def clause_start(self, pos: int, floor: int = 0) -> int:
        """Start of the clause ending at ``pos``: after the nearest , ; : 。 not inside
        brackets, or after an unclosed ( that holds ``pos``."""
        t = self.text
        depth = 0
        j = pos - 1
        while j >= floor:
            c = t[j]
            if c == ")":
                depth += 1
            elif c == "(":
                if depth == 0:
                    return j + 1
                depth -= 1
            elif depth == 0 and c in CLAUSE_END:
                return j + 1
            j -= 1
        return floor

    def clause_end(self, pos: int, ceiling: int | None = None) -> int:
        """End of the clause starting at ``pos`` (skipping bracketed asides)."""
        t = self.text
        stop = len(t) if ceiling is None else ceiling
        depth = 0
        j = pos
        while j < stop:
            c = t[j]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return j
                depth -= 1
            elif depth == 0 and c in CLAUSE_END:
                return j
            j += 1
        return stop


@dataclass
class Found:
    """A mention with its span in the folded text (the record keeps original offsets)."""

    mention: Mention
    start: int  # folded span
    end: int
    unit_key: str  # simplified unit without the (次) suffix, for comparisons
    part_of_idx: int | None = None
