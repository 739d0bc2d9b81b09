"""Quantity mentions: every number with a unit, or a percentage, in a report's text.

Conventions (gold README): 万/亿 multiplied out, money in 元 with ``raw_unit`` kept, 余/多/
以上/至少 as ``approx: gte``, one mention per rate name where one phrase covers several
(办结率、满意率均为100%), changes/targets/ranks flagged ``not_a_level``, breakdown parts linked
to their total (``part_of``), part-of-year cut-offs (截至11月) flagged ``scope: subset``.
Matching runs on ``normalize.fold(text)``; offsets and ``text`` refer to the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache

from govreports.indicators.breakdowns import link_parts
from govreports.indicators.exclude import exclusion_reason
from govreports.indicators.lexicon import Lexicon, load_lexicon
from govreports.indicators.numbers import (
    ARABIC,
    CHINESE,
    MULTIPLIERS,
    is_plain_digit_run,
    number_value,
)
from govreports.indicators.text import Found, Geometry
from govreports.indicators.units import (
    CHINESE_NUMERAL_UNITS,
    CHINESE_SIMPLE_ONLY_WITH_TENS,
    MONEY,
    strip_times,
    unit_kind,
    unit_regex,
)
from govreports.models import Approx, Mention, Section
from govreports.normalize import Folded, fold

_CONTEXT_BEFORE, _CONTEXT_AFTER = 18, 10  # as the gold files quote it


@lru_cache(maxsize=1)
def _quantity_re() -> re.Pattern[str]:
    return re.compile(
        r"(?P<pre>至少|超过|不少于|逾)?"
        rf"(?P<num>{ARABIC}|{CHINESE})"
        r"(?P<sp> ?)(?P<a1>余|多)?(?P<mul>万|亿|千)?(?P<a2>余|多)?"
        rf"(?P<unit>{unit_regex()}|元)(?P<post>及以上|以上|多)?"
    )


_RANK = re.compile(
    r"(?:排名|位列|位居|名列|居于|排在|排位)(?:全[国省市区县州盟]|[^,。;:]{0,8}?)"
    r"(?P<span>第(?P<num>\d+|[一二三四五六七八九十]+)(?P<u>名|位)?)"
    r"(?![批次届季期个年章条款项轮])"  # 第三批, 第16次: ordinals, not ranks
)
_CONNECTOR = re.compile(
    r"(?:均为|均达到|均达|均|都保持在|都达到|都为|都|分别为|分别达到|分别达|为|达到了|达到|达|是|:|"
    r"保持在|保持|"
    r"提高到|提高至|提升到|提升至|稳定在)$"
)
_RATE_WORD = re.compile(r"(?:率|比例|比率|占比|压缩比|比)$")
_RATE_NAMED = re.compile(r"率|比例|比率|占比")
# 、/和/与/以及 join rate names; 和解率 and 及时率 are names, not joins.
_RATE_JOIN = r"(?:、|以及|与|和(?!解)|及(?!时))"
# “即办件”和“全程网办”占比均达到100%: names sharing one rate word after them
_SHARED_WORD = re.compile(
    rf"(?P<names>[^,;、]{{1,12}}?(?:{_RATE_JOIN}[^,;、]{{1,12}}?)+?)(?P<word>占比|比例|比率)$"
)
_RESPECTIVELY = re.compile(r"分别")
_VALUE_JOIN = re.compile(r"^\s*(?:和|、|及|与|,)\s*$")
_SHARED_RATES = re.compile(
    rf"(?P<names>[^,;、]{{1,12}}?率(?:{_RATE_JOIN}[^,;、]{{1,12}}?率)+)$"
)
_PER_UNIT_MAX = 3
_CUTOFF = re.compile(
    r"截[至止](?:到)?(?:\d{4}年)?\d{1,2}月(?!底)"
    # a named part of the year: 上半年, 前三季度, 1-10月
    r"|(?<!\d)(?:上半年|前三季度|第?[一二三1-3]季度|1月?[-—–至~](?:[2-9]|1[01])月(?!\d*日))"
)


def _chinese_ok(num: str, unit: str, t: str, start: int, end: int) -> bool:
    # 百余场, 千余件: a bare 百/千 with 余/多 is "one hundred and more"; bare 百 alone is no count
    rough = num in ("百", "千") and t[start + len(num) : start + len(num) + 1] in ("余", "多")
    if num[0] not in "一二两三四五六七八九十" and not rough:
        return False
    if is_plain_digit_run(num) or num == "一":
        return False
    if t[start - 1 : start] in ("数", "几", "若", "上", "近"):  # 数十次, 几十家: vague
        return False
    if unit not in CHINESE_NUMERAL_UNITS:
        return False
    if unit in CHINESE_SIMPLE_ONLY_WITH_TENS and not any(c in num for c in "十百千"):
        return False
    # 二期工程, 三期项目: phase ordinals; 三次产业: a term; 五个方面 fails the unit test above.
    return not t.startswith(("工程", "项目", "建设", "产业", "方面"), end)


_LOWER_BOUND_BEFORE = re.compile(r"(?:至少|不少于|超过)[^,;。\d]{0,3}$")


def _approx(m: re.Match[str]) -> Approx | None:
    if m["pre"] or m["a1"] or m["a2"] or m["post"]:
        return "gte"
    # 至少配备1名: the bound may sit before a short verb
    before = m.string[max(0, m.start("num") - 7) : m.start("num")]
    return "gte" if _LOWER_BOUND_BEFORE.search(before) else None


def _scan(f: Folded, original: str) -> list[Found]:
    t = f.text
    found: list[Found] = []
    rx = _quantity_re()
    pos = 0
    while (m := rx.search(t, pos)) is not None:
        pos = m.end()
        num, unit = m["num"], m["unit"]
        start, end = m.start("num"), m.end("unit")
        is_cn = not num[0].isdigit()
        if is_cn and not _chinese_ok(num, strip_times(unit), t, start, end):
            continue
        if exclusion_reason(t, start, end, num, unit):
            continue
        if "," in num and "，" in original[slice(*f.original_span(start, m.end("num")))]:
            pos = start + num.index(",") + 1  # 12，345件: a list comma, rescan after it
            continue
        try:
            value = number_value(num)
        except ValueError:
            continue
        mul = m["mul"]
        if mul:
            value *= MULTIPLIERS[mul]
        o_start, o_end = f.original_span(start, end)
        u0, u1 = f.original_span(m.start("unit"), m.end("unit"))
        unit_orig = original[u0:u1]
        raw_unit: str | None = None
        money = unit in MONEY
        if mul:
            mu0, mu1 = f.original_span(m.start("mul"), m.end("mul"))
            raw_unit = original[mu0:mu1] + unit_orig
        if money:
            unit_orig = "元"
        mention = Mention(
            text=original[o_start:o_end],
            offset=o_start,
            value=round(value, 6),
            unit=unit_orig,
            kind=unit_kind(unit),
            raw_unit=raw_unit,
            approx=_approx(m),
        )
        found.append(Found(mention, start, end, strip_times(unit)))
    for m in _RANK.finditer(t):
        s, e = m.span("span")
        try:
            value = number_value(m["num"])
        except ValueError:
            continue
        o_start, o_end = f.original_span(s, e)
        mention = Mention(
            text=original[o_start:o_end], offset=o_start, value=value, unit="名次",
            kind="other", not_a_level=True,
        )
        found.append(Found(mention, s, e, "名次"))
    found.sort(key=lambda x: x.start)
    return found


def _rate_name(left: str) -> str | None:
    left = left.strip(" 、,;:")
    while (c := _CONNECTOR.search(left)) and c.start() < len(left):
        left = left[: c.start()].rstrip()
    if not left:
        return None
    if _RATE_WORD.search(left):
        return left[-12:]
    named = list(_RATE_NAMED.finditer(left))
    if named:  # 出庭应诉率连续三年保持100%: the name is what ends in 率
        return left[max(0, named[-1].end() - 12) : named[-1].end()]
    return left[-6:] + "率"


def _in_original(
    name: str | None, left: str, cs: int, orig: Callable[[int, int], str]
) -> str | None:
    """The rate name as the report writes it (traditional stays traditional)."""
    if not name:
        return name
    added = "" if name in left else "率"  # 调解成功98% → 调解成功率: the 率 is ours
    base = name[: len(name) - len(added)]
    i = left.rfind(base)
    return name if i < 0 else orig(cs + i, cs + i + len(base)) + added


def _split_shared_rates(
    found: list[Found], g: Geometry, orig: Callable[[int, int], str]
) -> list[Found]:
    """One mention per name in 办结率、满意率均为100%; with 分别 (办结率、满意率分别为98%和
    100%) each value takes its own name in order; rate_name on every rate."""
    out: list[Found] = []
    prev_end = 0
    named: dict[int, str | None] = {}  # found index → name given by a 分别 list before it
    t = g.text
    for i, x in enumerate(found):
        if x.mention.kind != "rate" or x.unit_key != "%":
            out.append(x)
            prev_end = x.end
            continue
        if i in named:
            x.mention.rate_name = named[i]
            out.append(x)
            prev_end = x.end
            continue
        ss, _ = g.sentence(x.start)
        cs = max(g.clause_start(x.start, ss), prev_end)
        prev_end = x.end
        left = t[cs : x.start]
        trimmed = left.strip()
        connector = ""
        while (c := _CONNECTOR.search(trimmed)) and trimmed:
            connector = trimmed[c.start():] + connector
            trimmed = trimmed[: c.start()].rstrip()
        shared = _SHARED_RATES.search(trimmed)
        word = ""
        if shared is None and (sw := _SHARED_WORD.search(trimmed)):
            shared, word = sw, sw["word"]
        if shared:
            # split where a name ends (…率 和 …率), not inside one (建议和提案的满意率)
            joints = (r"(?<=率)" + _RATE_JOIN) if not word else _RATE_JOIN
            names = [n.strip().strip("“”\"") + word for n in re.split(joints, shared["names"])]
            originals = [_in_original(n, left, cs, orig) for n in names]
            values = [i]
            if _RESPECTIVELY.search(connector):
                j = i + 1
                while j < len(found) and len(values) < len(names):
                    y = found[j]
                    if y.mention.kind != "rate" or not _VALUE_JOIN.match(
                        t[found[values[-1]].end : y.start]
                    ):
                        break
                    values.append(j)
                    j += 1
            if len(values) == len(names) > 1:
                for k, idx in zip(values[1:], originals[1:], strict=True):
                    named[k] = idx
                x.mention.rate_name = originals[0]
                out.append(x)
                continue
            for rate_name in reversed(originals):
                m = Mention(**{**x.mention.__dict__, "rate_name": rate_name})
                out.append(Found(m, x.start, x.end, x.unit_key))
            continue
        x.mention.rate_name = _in_original(_rate_name(left), left, cs, orig)
        out.append(x)
    return out


def _flag_levels(found: list[Found], g: Geometry, cues: Lexicon) -> None:
    t = g.text
    for x in found:
        m = x.mention
        ss, se = g.sentence(x.start)
        cs = g.clause_start(x.start, ss)
        ce = g.clause_end(x.end, se)
        left, right = t[cs : x.start], t[x.end : ce]
        if x.unit_key in ("个百分点", "百分点"):
            m.not_a_level = True
        elif cues.change_verb.search(left) and (
            cues.change.search(left) or cues.change.search(t[ss : x.start]) or x.unit_key == "%"
        ):
            m.not_a_level = True
        elif cues.target_left.search(left) or (
            m.kind == "rate" and cues.target_right.search(right)  # 95%的目标; 42项任务 counts
        ) or cues.target_sentence.search(t[ss : x.start]):
            m.not_a_level = True
        elif cues.baseline.search(left):
            m.not_a_level = True  # 由上年的9.6%下降至5.1%: the 9.6% is a baseline
        elif x.unit_key == "%" and cues.reduction.search(left):
            m.not_a_level = True  # 压缩比为70%: a reduction ratio (folded text: 壓縮 → 压缩)
        elif (
            m.value <= _PER_UNIT_MAX
            and cues.require_verb.search(left)
            and cues.distributive.search(t[ss : x.start])
        ):
            m.not_a_level = True  # 各部门明确1名…: a rule for each unit, not a count
        if _CUTOFF.search(t[ss : x.start]):
            m.scope = "subset"


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _sections_index(
    sections: Sequence[Section], lines: list[int]
) -> list[tuple[int, str, str | None]]:
    """(offset, heading, role of its top-level section) for every heading, in text order.

    Accepts a tree (subsections nested) or a flat list (as ``pipeline.flatten_sections``
    gives): a heading without a role takes the role of the top-level heading before it.
    """
    seen: dict[tuple[int, str], tuple[int, int, str, str | None]] = {}

    def walk(secs: Sequence[Section], role: str | None) -> None:
        for s in secs:
            r = s.role if s.role is not None else role
            off = s.offset
            if off is None and s.line and 0 < s.line <= len(lines):
                off = lines[s.line - 1]
            if off is not None:
                key = (off, s.heading)
                if key not in seen or seen[key][3] is None:
                    seen[key] = (off, s.level, s.heading, r)
            walk(s.subsections, r)

    walk(sections, None)
    out: list[tuple[int, str, str | None]] = []
    role: str | None = None
    for off, level, heading, r in sorted(seen.values(), key=lambda e: (e[0], e[1])):
        if level <= 1 and r is not None:
            role = r
        out.append((off, heading, r if r is not None else role))
    return out


def find_mentions(
    text: str, sections: Sequence[Section] = (), cues: Lexicon | None = None
) -> tuple[list[Found], Geometry]:
    """Mentions (without indicators) plus the folded geometry they were found in."""
    if cues is None:
        cues = load_lexicon()
    f = fold(text)
    g = Geometry.of(f.text)
    def orig(start: int, end: int) -> str:
        a, b = f.original_span(start, end)
        return text[a:b]

    found = _split_shared_rates(_scan(f, text), g, orig)
    _flag_levels(found, g, cues)
    link_parts(found, g)
    for x in found:  # part labels (民事, 部門內) as the report writes them
        label = x.mention.subtype
        if label and (i := g.text.rfind(label, 0, x.start)) >= 0:
            x.mention.subtype = orig(i, i + len(label))
    lines = _line_starts(text)
    secs = _sections_index(sections, lines)
    sec_offsets = [s[0] for s in secs]
    for n, x in enumerate(found, 1):
        m = x.mention
        m.id = f"m{n:03d}"
        end = m.offset + len(m.text)
        line = bisect_right(lines, m.offset)
        m.line = line
        line_start = lines[line - 1]
        line_end = lines[line] - 1 if line < len(lines) else len(text)
        m.context = text[
            max(line_start, m.offset - _CONTEXT_BEFORE) : min(line_end, end + _CONTEXT_AFTER)
        ]
        ss, se = g.sentence(x.start)
        o_ss = f.original_span(ss, ss)[0]
        o_se = f.original_span(se, se)[0] if se < len(f.text) else len(text)
        stop = o_se + (1 if o_se < len(text) and text[o_se] in "。!?！？" else 0)
        m.sentence = text[o_ss:stop].strip()
        k = bisect_right(sec_offsets, m.offset) - 1
        if k >= 0:
            m.section, m.section_role = secs[k][1], secs[k][2]
            if m.section_role == "plans":
                m.not_a_level = True  # numbers in next year's plans are targets
    for x in found:
        if x.part_of_idx is not None:
            x.mention.part_of = found[x.part_of_idx].mention.text
    return found, g
