"""Mention → catalog indicator: every candidate scored, the best taken only when it wins
clearly; otherwise the mention stays unassigned and keeps its candidates.

A candidate is an indicator with a trigger in the mention's sentence that fits the mention
(its unit, ``context_any``, ``context_none``, and no outside-domain cue in the clause). Its
score adds up:

- where the trigger stands (the clause structure): inside the rate's own name; in the
  mention's own window (its clause up to the number, after the previous mention); right after
  the number in the clause (74件行政决策…); before a previous mention of the clause (a list
  sharing its noun); an earlier clause of the sentence (a bare continuation: 办结186222件).
  Nearer is better; a trigger that belongs to another mention of the clause counts little;
- how specific the trigger is: longer and owned by fewer indicators is better (重大行政处罚
  beats 处罚);
- the unit: the indicator's own unit over one of its variants;
- the domain: the sentence names the indicator's category (复议 for the 复议 ids).

Inherited candidates take part in the same contest: a breakdown part may take its total's
indicator, a verbless list item the previous item's (…列席常务会议19次,各类专题会议20余次).
The best candidate is assigned when its score reaches ``MIN_SCORE`` and beats the best other
indicator by ``MARGIN``; a join of two names (人大建议和政协提案共158件) or a close contest
abstains. A level that is no level (a change, a target, a plan) is never assigned: its
candidates are kept. Each mention carries ``confidence`` (the winning score), ``margin``
and the ``candidates`` considered.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from govreports.indicators.catalog import Catalog, Indicator
from govreports.indicators.text import Found, Geometry

MIN_SCORE = 9.0
MARGIN = 1.5
_NEAR = 6  # chars before a trigger that context_none also looks at
_LIST_ITEM_MAX = 8  # own words of a verbless list item
_BARE_MAX = 3  # own words left of a number that still make a "continuation"
_ENTITY_UNITS = frozenset({"户", "家", "户次", "家次", "个次"})


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    indicator: Indicator
    trigger: str


@dataclass
class Candidate:
    indicator: str
    score: float
    how: str  # where the evidence stood

    def label(self) -> str:
        return f"{self.indicator}:{self.score:.1f}:{self.how}"


def trigger_hits(g: Geometry, catalog: Catalog) -> list[Hit]:
    """Every trigger occurrence in the text (matched with quote marks removed); a trigger
    written ``word@cue|cue`` counts only in a sentence holding one of the cues."""
    hits: list[Hit] = []
    bare, back = g.bare, g.bare_to_text
    for ind in catalog.indicators:
        for trig in ind.triggers:
            word, _, gate = trig.partition("@")
            cues = [c for c in gate.split("|") if c]
            spans: list[tuple[int, int]] = []
            if word.startswith("re:"):
                spans = [(m.start(), m.end()) for m in re.finditer(word[3:], bare)
                         if m.end() > m.start()]
            else:
                i = bare.find(word)
                while i >= 0:
                    spans.append((i, i + len(word)))
                    i = bare.find(word, i + 1)
            for a, b in spans:
                if not word.startswith("re:") and bare[b : b + 1] in _ORG_AFTER and (
                    bare[b : b + 1]
                ):
                    continue  # 信访局, 审计局: a body's name, not what is counted
                start, end = back[a], back[b - 1] + 1
                if cues:
                    ss, se = g.sentence(start)
                    if not any(c in g.text[ss:se] for c in cues):
                        continue
                hits.append(Hit(start, end, ind, trig))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


_RECIPIENT = re.compile(r"[为对给向]")
_SEPARATOR = re.compile(r"[、,;。和]")
_SHARE_OF = re.compile(r"^占[^,;。]{0,12}?的?$")
_PREDICATES = re.compile(r"\s*(?:均|全部|全都|都|已全部|悉数)")
_ORG_AFTER = "局厅委办署"  # 信访局, 审计局: a body's name, not what is counted


def _head(t: str, start: int) -> str:
    """The two characters right before a number: the head noun of its item (…案件47件)."""
    w = t[max(0, start - 2) : start]
    return w if len(w) == 2 and all("\u4e00" <= c <= "\u9fff" for c in w) else ""


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a trigger that lies inside a longer one of another indicator (学习 in 学习活动,
    处罚 in 重大行政处罚): the longer words are the more specific reading."""
    out = []
    for h in hits:
        if not any(o is not h and o.indicator.id != h.indicator.id and o.start <= h.start
                   and h.end <= o.end and (o.end - o.start) > (h.end - h.start) for o in hits):
            out.append(h)
    return out


def _family(unit: str) -> str:
    """Units a list may switch between and still count the same thing (商户 by 户次/家次)."""
    return "entity" if unit in _ENTITY_UNITS else unit


class Assigner:
    def __init__(self, g: Geometry, catalog: Catalog) -> None:
        self.g = g
        self.catalog = catalog
        self.cues = catalog.cues
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

    def _fits(self, h: Hit, x: Found, sentence: str, own: tuple[int, int]) -> bool:
        ind = h.indicator
        if not ind.accepts_unit(x.unit_key, x.mention.kind):
            return False
        if ind.context_any and not any(w in sentence for w in ind.context_any):
            return False
        if ind.context_none_sentence and any(w in sentence for w in ind.context_none_sentence):
            return False
        if ind.context_none:
            near = self.g.text[max(0, min(own[0], h.start - _NEAR)) : own[1]]
            if any(w in near for w in ind.context_none):
                return False
        return True

    def _outside(self, clause_text: str) -> frozenset[str] | None:
        """The ids an outside-domain cue in the clause leaves open (None: no such cue)."""
        allowed: frozenset[str] | None = None
        for cue, ids in self.cues.outside:
            if cue in clause_text:
                allowed = ids if allowed is None else allowed & ids
        return allowed

    def _specificity(self, h: Hit) -> float:
        length = min(h.end - h.start, 8) - (1 if "@" in h.trigger else 0)
        owners = self.catalog.trigger_owners.get(h.trigger, 1)
        return 0.8 * length - (1.0 if owners > 1 else 0.0)

    def _unit_bonus(self, ind: Indicator, x: Found) -> float:
        if x.mention.kind in ("rate", "amount"):
            return 0.0
        return 1.0 if x.unit_key == ind.unit else 0.0

    def _candidates(self, i: int, found: list[Found]) -> tuple[list[Candidate], str, bool]:
        """Every candidate indicator of mention ``i`` with its score, best first; and the
        mention's sentence and whether its winner is joined with another name."""
        g, t = self.g, self.g.text
        domains = self.cues.domains
        x = found[i]
        ss, se = g.sentence(x.start)
        cs = g.clause_start(x.start, ss)
        ce = g.clause_end(x.end, se)
        prev = found[i - 1] if i > 0 and found[i - 1].end <= x.start else None
        prev_in_clause = prev if prev is not None and prev.end > cs else None
        ws = prev_in_clause.end if prev_in_clause is not None else cs
        sentence = t[ss:se]
        allowed = self._outside(t[ws : min(ce, x.end + 4)])
        # the mention's own words; a breakdown part's include its total's clause
        own_lo = ws
        if x.part_of_idx is not None:
            total_f = found[x.part_of_idx]
            own_lo = min(ws, g.clause_start(total_f.start, ss))
        ok = [h for h in self._between(ss, se)
              if self._fits(h, x, sentence, (own_lo, min(ce, x.end + 2)))
              and (allowed is None or h.indicator.id in allowed
                   or h.indicator.category in allowed)]
        # a hit followed by another mention in the clause belongs to that mention
        last_later = x.start
        for j in range(i + 1, len(found)):
            if found[j].start >= ce:
                break
            last_later = found[j].start
        own = t[ws : x.start]
        # 占办件总量的43%: a share of what the sentence counted before
        filler_free = self.cues.filler.sub("", _SHARE_OF.sub("", own))
        ends_clause = len(t[x.end : ce].strip()) <= 2
        bare = len(filler_free) <= _BARE_MAX
        outcome = bool(self.cues.outcome_verbs.search(own))
        # 23个单位在…发起: the number counts units that then act (为59个村配备: they receive)
        counted_units = (
            x.unit_key in ("个", "家")
            and bool(self.cues.subject_nouns.match(t[x.end : x.end + 8]))
            and not _RECIPIENT.match(t[cs : x.start].lstrip())
        )
        rate_span = None if "占" in t[ws : x.start] else self._rate_name_span(x, ws)
        sentence_domains = {k for k, rx in domains.items() if rx.search(sentence)}

        best: dict[str, Candidate] = {}

        def offer(ind: Indicator, score: float, how: str) -> None:
            if ind.category in sentence_domains:
                score += 1.5
            c = best.get(ind.id)
            if c is None or score > c.score:
                best[ind.id] = Candidate(ind.id, round(score, 2), how)

        ok = _longest(ok)
        is_part = x.part_of_idx is not None
        window = [h for h in ok if ws <= h.start and h.end <= x.start]
        # …出台规范性文件3件,均按规定报市政府备案: a clause predicating the count goes on
        ce_after = ce
        if ends_clause and ce < se and _PREDICATES.match(t, ce + 1):
            next_end = g.clause_end(ce + 1, se)
            if not any(ce < f.start < next_end for f in found[i + 1 :]):
                ce_after = next_end
        after = [h for h in ok if x.end <= h.start and h.end <= ce_after
                 and (h.end > last_later
                      or (h.start - x.end <= 3 and not _SEPARATOR.search(t[x.end:h.start])))
                 and not counted_units]
        named_rate = rate_span is not None
        for h in ok:
            spec = self._specificity(h) + self._unit_bonus(h.indicator, x)
            if h.indicator.value_type == "breakdown":
                spec += 4.0  # a part names its kind (维持/撤销/驳回…), as does 维持…的复议决定N件
            if rate_span and rate_span[0] <= h.start and h.end <= rate_span[1]:
                offer(h.indicator, 14 + spec, "rate name")
            elif named_rate:
                continue  # a rate with a name of its own is that name or nothing
            elif h.start < x.start and h.end > x.end and h.start >= ws:
                offer(h.indicator, 12 + spec, "around the number")  # 审查32件规范性文件
            elif h in window:
                # a trigger followed by a verb before the number is the clause's subject
                # (厅法律顾问 审查 各类合同48份): what is counted comes after the verb
                subject = 2.0 if self.cues.verbs.search(t[h.end : x.start]) else 0.0
                offer(h.indicator, 10 + spec - 0.3 * (x.start - h.end) - subject,
                      "own clause")
            elif h in after:
                if is_part and h.indicator.value_type != "breakdown":
                    continue  # a part's reason phrase (因…撤回申请) names no other count
                offer(h.indicator, 8.5 + spec - 0.05 * (h.start - x.end),
                      "after the number")
            elif window or after:
                continue  # the mention's own words name it: earlier ones are another's
            elif cs <= h.start and h.end <= ws:
                offer(h.indicator, 3 + spec - 0.05 * (x.start - h.end), "earlier in clause")
            elif h.end <= cs and h.start >= ss and bare and ends_clause and not outcome:
                offer(h.indicator, 6.0 + spec - 0.03 * (x.start - h.end), "earlier clause")

        def inherit(src: Found | None, minus: float, how: str,
                    score: float | None = None) -> None:
            """Offer the indicator ``src`` was given (a list's earlier item, a total), at
            its score less ``minus`` (or at ``score``)."""
            if src is None or not src.mention.indicator or src.mention.confidence is None:
                return
            ind = self.catalog.get(src.mention.indicator)
            if ind is not None and ind.accepts_unit(x.unit_key, x.mention.kind):
                s = min(src.mention.confidence, 14.0) - minus if score is None else score
                offer(ind, s, how)

        own_words = bool(window or after)
        same_family = prev is not None and _family(prev.unit_key) == _family(x.unit_key)
        if is_part:
            # a part takes its total's indicator unless it names its own
            inherit(found[x.part_of_idx], 0.0, "its total",  # type: ignore[index]
                    score=8.0 if own_words else 11.0)
        elif own_words or outcome or prev is None or prev.start < ss:
            pass
        elif (
            same_family and prev.mention.kind == x.mention.kind
            and (ends_clause or _SEPARATOR.match(t[x.end : x.end + 1]))
            and not self.cues.verbs.search(own)
            and len(filler_free) <= _LIST_ITEM_MAX
            and not self.cues.rate_words.search(own)
        ):
            inherit(prev, 1.0, "list item")  # …列席常务会议19次,各类专题会议20余次
        elif same_family and _head(t, x.start) and _head(t, x.start) == _head(
            t, prev.start
        ) and not self.cues.verbs.search(own):
            # 查处食品安全案件158件、药品医疗器械化妆品案件47件: items with one head noun
            inherit(prev, 1.0, "same head noun")
        elif (
            prev is prev_in_clause and same_family
            and 0 < len(filler_free) <= 4 and self.cues.verbs.fullmatch(filler_free)
        ):
            inherit(prev, 1.5, "same noun, another verb")  # 换发证件316个注销41个
        if not own_words and not is_part and not outcome and prev is not None and (
            not self.cues.filler.sub("", t[prev.end : x.start]).strip("/")
        ):
            inherit(prev, 0.5, "same count")  # 215批963人次, 102批/458人次
        ranked = sorted(best.values(), key=lambda c: c.score, reverse=True)
        coordinated = bool(ranked) and self._coordinated(window, ranked[0].indicator)
        return ranked, sentence, coordinated

    def assign(self, found: list[Found]) -> None:
        for i, x in enumerate(found):
            ranked, sentence, coordinated = self._candidates(i, found)
            m = x.mention
            m.candidates = [c.label() for c in ranked[:4]]
            if not ranked:
                m.indicator, m.confidence, m.margin = None, None, None
                continue
            top = ranked[0]
            second = ranked[1].score if len(ranked) > 1 else 0.0
            m.confidence, m.margin = top.score, round(top.score - second, 2)
            if top.score < MIN_SCORE or top.score - second < MARGIN or coordinated:
                m.indicator = None
                continue
            m.indicator = top.indicator
            if m.scope is None and self.cues.campaign.search(sentence):
                m.scope = "subset"  # one campaign's figures, not the year's
        for x in found:
            if x.mention.not_a_level and x.mention.indicator:
                # a change, a target, a plan: no level of the indicator (candidate kept)
                x.mention.indicator = None

    def _coordinated(self, window: list[Hit], winner: str) -> bool:
        """人大代表建议和政协提案共计158件: two indicators joined, the count is of both."""
        t = self.g.text
        mine = [h for h in window if h.indicator.id == winner]
        return any(
            h.indicator.id != winner and (
                (h.end <= b.start and self.cues.join.fullmatch(t[h.end : b.start]))
                or (b.end <= h.start and self.cues.join.fullmatch(t[b.end : h.start]))
            )
            for b in mine for h in window
        )

    def _rate_name_span(self, x: Found, ws: int) -> tuple[int, int] | None:
        """The span of a rate's own name (办结率 in 办结率、满意率均为100%) in the text."""
        name = x.mention.rate_name
        if x.mention.kind != "rate" or not name:
            return None
        from govreports.normalize import fold

        full = fold(name).text
        i = self.g.text.rfind(full, max(0, ws - 40), x.start)
        if i >= 0:
            return i, i + len(full)
        # 调解成功98% → 调解成功率: the 率 was added to the written name
        stem = full.rstrip("率") or full
        i = self.g.text.rfind(stem, max(0, ws - 40), x.start)
        return (i, i + len(stem)) if i >= 0 else None
