"""Mention → catalog indicator, from the triggers around it.

Rules, in order (all driven by the catalog's ``trigger``, unit, ``context_any`` and
``context_none`` fields, so improving a mapping is a YAML edit). The mention's *window* is
its clause up to the number, starting after the previous mention when a list shares the
clause (…咨询375件、出具法律意见23件):

1. a trigger in the window, the nearest one (the longest when several end at the same place:
   重大行政处罚 beats 处罚);
2. else a trigger after the number in its clause, the last one not followed by another
   mention (a count placed before its noun: 74件行政决策…进行合法性审查), unless the
   number counts the units doing something (23个单位在…发起);
3. a breakdown part takes a ``breakdown`` indicator named in its own clause, else its own
   trigger, else its total's indicator (民事86件 is a 法律援助案件);
4. a bare continuation (办结186222件, 、完成21个: at most a short verb) takes the nearest
   trigger earlier in the sentence;
5. a verbless item of a list (…列席常务会议19次,各类专题会议20余次) takes the indicator of
   the item before it when their units agree.
An indicator only fits a mention whose unit it accepts and whose sentence has its context.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from govreports.indicators.catalog import Catalog, Indicator
from govreports.indicators.text import Found, Geometry

_FILLER = re.compile(r"[共计累总合达为至是了约近超过其中全年今年度以来分别均\s:、()]")
_NEAR = 6  # chars before a trigger that context_none also looks at
_LIST_ITEM_MAX = 8  # own words of a verbless list item
_BARE_MAX = 3  # chars of own words left of a number that still make a "continuation"
# After "N个": the number counts these units, which then act (23个单位在…发起…方案36个).
_SUBJECT_NOUN = re.compile(r"^(?:乡镇|乡\(镇\)|街道|部门|单位|县\(市、区\)|镇\(街\)|成员单位)")
# Verbs that start a new item; a list item without one repeats the previous item's verb.
_VERBS = re.compile(
    "开展|组织|办理|受理|完成|审查|审核|查处|发放|印制|建立|出动|检查|发现|整改|处理|提出|"
    "移送|召开|举办|制定|化解|排查|引导|调解|协助|参与|代写|出具|提供|推送|发出|停业|整治|"
    "拆除|劝离|纠正|规范|下发|立案|处罚|罚款|培训|考试|录入|公示|发布|印发|签订|聘请|选聘|查询|"
    "配备|建成|新建|打造|接待|回复|答复|督查|抽查|约谈|收回|注销|换发|申请|作出|撤销|驳回|"
    "解除|新增|新收|接收|收到|结案|审结|办结|报送|上报|归集|录用|招录|任命|聘用|评选|表彰|"
    "命名|创建|设立|成立|组建|增加|减少|取消|保留|下放|承接|认领|纳入|进驻|实现|覆盖|"
    "举行|召集|走访|宣讲|讲授|播放|刊发|印制|制发|张贴|悬挂|挂牌|审计|查出|核减|挽回|追回|"
    "回应|解答|接听|处置|转办|督办|交办|征集|征求|听取|研究|审议|通过|出台|修订|废止"
)


_CAMPAIGN = re.compile(r"专项行动|联合执法行动|联合行动|专项整治行动|行动\d{4}|集中整治")
_RATE_NAME = re.compile("率|比例|比率")  # a newly named rate is not the previous one again


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
            if trig.startswith("re:"):
                for m in re.finditer(trig[3:], bare):
                    if m.end() > m.start():
                        hits.append(Hit(back[m.start()], back[m.end() - 1] + 1, ind, trig))
                continue
            i = bare.find(trig)
            while i >= 0:
                hits.append(Hit(back[i], back[i + len(trig) - 1] + 1, ind, trig))
                i = bare.find(trig, i + 1)
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def _nearest(hits: list[Hit]) -> Hit:
    return max(hits, key=lambda h: (h.end, h.end - h.start))


_JOIN = re.compile(r"[和及与、]|以及")


def _coordinated(best: Hit, hits: list[Hit], text: str) -> bool:
    """人大代表建议和政协委员提案共计158件: two indicators joined, the count is of both."""
    return any(
        h.indicator.id != best.indicator.id
        and h.end <= best.start
        and _JOIN.fullmatch(text[h.end : best.start])
        for h in hits
    )


_ENTITY_UNITS = frozenset({"户", "家", "户次", "家次", "个次"})


def _family(unit: str) -> str:
    """Units a list may switch between and still count the same thing (商户 by 户次/家次)."""
    return "entity" if unit in _ENTITY_UNITS else unit


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

    def _fits(self, h: Hit, x: Found, sentence: str, clause: tuple[int, int]) -> bool:
        ind = h.indicator
        if not ind.accepts_unit(x.unit_key, x.mention.kind):
            return False
        if ind.context_any and not any(w in sentence for w in ind.context_any):
            return False
        if not ind.context_none:
            return True
        # the mention's clause and the words just before the trigger (取消证明事项 → 事项)
        near = self.g.text[max(0, min(clause[0], h.start - _NEAR)) : clause[1]]
        return not any(w in near for w in ind.context_none)

    def assign(self, found: list[Found]) -> None:
        g, t = self.g, self.g.text
        for i, x in enumerate(found):
            ss, se = g.sentence(x.start)
            cs = g.clause_start(x.start, ss)
            ce = g.clause_end(x.end, se)
            prev = found[i - 1] if i > 0 and found[i - 1].end <= x.start else None
            if prev is not None and prev.end <= cs:
                prev_in_clause = None
            else:
                prev_in_clause = prev
            ws = prev_in_clause.end if prev_in_clause is not None else cs
            sentence = t[ss:se]
            ok = [h for h in self._between(ss, se) if self._fits(h, x, sentence, (cs, ce))]
            window = [h for h in ok if h.start >= ws and h.end <= x.start]
            # a hit followed by another mention in the clause belongs to that mention
            last_later = x.start
            for j in range(i + 1, len(found)):
                if found[j].start >= ce:
                    break
                last_later = found[j].start
            right = [h for h in ok if h.start >= x.end and h.end <= ce and h.end > last_later]
            if _SUBJECT_NOUN.match(t[x.end : x.end + 8]):
                right = []
            own = t[ws : x.start]
            ends_clause = len(t[x.end : ce].strip()) <= 2
            bare = len(_FILLER.sub("", own)) <= _BARE_MAX and ends_clause
            pick: Hit | None = None
            inherit: str | None = None
            if x.part_of_idx is not None:
                typed = [h for h in window + right if h.indicator.value_type == "breakdown"]
                if typed:
                    pick = _nearest(typed)
                elif window:
                    pick = _nearest(window)
                else:
                    inherit = found[x.part_of_idx].mention.indicator
            elif window:
                pick = _nearest(window)
                if _coordinated(pick, window, t):
                    pick = None
            elif right:
                pick = _nearest(right)
            elif bare and (before := [h for h in ok if h.end <= ws]):
                pick = _nearest(before)
            elif (
                prev is not None
                and ends_clause
                and prev.start >= ss
                and not _VERBS.search(own)
                and len(_FILLER.sub("", own)) <= _LIST_ITEM_MAX
                and not _RATE_NAME.search(own)
                and _family(prev.unit_key) == _family(x.unit_key)
                and prev.mention.kind == x.mention.kind
            ):
                inherit = prev.mention.indicator
            x.mention.indicator = pick.indicator.id if pick else inherit
            if x.mention.indicator and x.mention.scope is None and _CAMPAIGN.search(sentence):
                x.mention.scope = "subset"  # one campaign's figures, not the year's
