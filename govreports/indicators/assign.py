"""Mention → catalog indicator, from the triggers around it.

Rules, in order (all driven by the catalog's ``trigger``, unit, ``context_any`` and
``context_none`` fields, so improving a mapping is a YAML edit):

1. a trigger in the mention's own clause before the number, the nearest one (the longest
   when several end at the same place: 重大行政处罚 beats 处罚);
2. else a trigger after the number in its own clause, the last one (the verb or noun that
   governs a count placed before its noun: 74件行政决策…进行合法性审查);
3. a breakdown part takes a ``breakdown`` indicator named in its own clause, else its own
   left trigger, else its total's indicator (民事86件 is a 法律援助案件);
4. a bare continuation (办结186222件: at most a verb before the number) takes the nearest
   trigger earlier in the sentence.
An indicator only fits a mention whose unit it accepts and whose sentence has its context.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from govreports.indicators.catalog import Catalog, Indicator
from govreports.indicators.mentions import Found
from govreports.indicators.text import Geometry

_FILLER = re.compile(r"[共计累总合达为至是了约近超过其中全年今年度以来分别均\s:、()]")
_BARE_MAX = 3  # chars of own words left of a number that still count as "continuation"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    indicator: Indicator
    trigger: str


def trigger_hits(g: Geometry, catalog: Catalog) -> list[Hit]:
    """Every trigger occurrence in the text (matched with quote marks removed)."""
    hits: list[Hit] = []
    bare, back = g.bare, g.bare_to_text
    for ind in catalog.indicators:
        for trig in ind.triggers:
            if not trig:
                continue
            i = bare.find(trig)
            while i >= 0:
                hits.append(Hit(back[i], back[i + len(trig) - 1] + 1, ind, trig))
                i = bare.find(trig, i + 1)
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


class Assigner:
    def __init__(self, g: Geometry, catalog: Catalog) -> None:
        self.g = g
        self.hits = trigger_hits(g, catalog)
        self.starts = [h.start for h in self.hits]

    def _between(self, lo: int, hi: int) -> list[Hit]:
        i = bisect_left(self.starts, lo)
        out = []
        while i < len(self.hits) and self.hits[i].start < hi:
            if self.hits[i].end <= hi:
                out.append(self.hits[i])
            i += 1
        return out

    def _fits(self, h: Hit, x: Found, sentence: str, clause: str) -> bool:
        ind = h.indicator
        if not ind.accepts_unit(x.unit_key, x.mention.kind):
            return False
        if ind.context_any and not any(w in sentence for w in ind.context_any):
            return False
        return not (ind.context_none and any(w in clause for w in ind.context_none))

    def candidates(self, x: Found) -> tuple[list[Hit], list[Hit], list[Hit], int]:
        g = self.g
        ss, se = g.sentence(x.start)
        cs = g.clause_start(x.start, ss)
        ce = g.clause_end(x.end, se)
        sentence, clause = g.text[ss:se], g.text[cs:ce]
        ok = [h for h in self._between(ss, se) if self._fits(h, x, sentence, clause)]
        left = [h for h in ok if h.start >= cs and h.end <= x.start]
        right = [h for h in ok if h.start >= x.end and h.end <= ce]
        before = [h for h in ok if h.end <= cs]
        return left, right, before, cs

    @staticmethod
    def _nearest_left(hits: list[Hit]) -> Hit:
        return max(hits, key=lambda h: (h.end, h.end - h.start))

    @staticmethod
    def _last_right(hits: list[Hit]) -> Hit:
        return max(hits, key=lambda h: (h.end, h.end - h.start))

    def assign(self, found: list[Found]) -> None:
        for x in found:
            left, right, before, cs = self.candidates(x)
            pick: Hit | None = None
            if x.part_of_idx is not None:
                typed = [h for h in left + right if h.indicator.value_type == "breakdown"]
                if typed:
                    pick = self._nearest_left(typed)
                elif left:
                    pick = self._nearest_left(left)
                else:
                    x.mention.indicator = found[x.part_of_idx].mention.indicator
                    continue
            elif left:
                pick = self._nearest_left(left)
            elif right:
                pick = self._last_right(right)
            elif before and len(_FILLER.sub("", self.g.text[cs : x.start])) <= _BARE_MAX:
                pick = self._nearest_left(before)
            x.mention.indicator = pick.indicator.id if pick else None
