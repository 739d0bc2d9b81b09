"""Outline of a report: numbered headings, their roles, and the required elements.

Headings are recognised at the start of a line: 一、 (level 1), (一)/（一） (level 2),
1./1、/(1)/（1）/一是 (level 3). A heading that runs into its paragraph ends at the first 。 or
：/: (the punctuation is not part of the heading). Numbering must advance one step at a time
within its parent, so a stray "三、" inside a paragraph list cannot open a new section.

Roles follow the five elements that 《法治政府建设与责任落实督察工作规定》 requires a report to
contain: measures and results, shortcomings, the principal leaders' performance of their duty
as first responsible person, next year's plans, and other matters.
"""

from __future__ import annotations

import re

from govreports.models import Role, Section
from govreports.normalize import to_simplified
from govreports.numerals import small_number

_NUM = "[一二三四五六七八九十]{1,3}"
_L1 = re.compile(rf"^({_NUM})\s*[、.．]")
_L2 = re.compile(rf"^[(（]\s*({_NUM})\s*[)）]")
_L3 = re.compile(
    rf"^(?:(\d{{1,2}})\s*[.．、](?!\d)|[(（]\s*(\d{{1,2}})\s*[)）]|({_NUM})是)"
)
_RUN_IN_END = re.compile(r"[。：:]")
_LIST_SEP = re.compile(r"[；;]")
_MAX_HEADING = 60  # a whole line longer than this is a paragraph, not a heading

_CLOSING_PLANS = re.compile(
    r"(?:^|[。\n])\s*(?:下一步|下步|下一阶段|今后|(?:19|20)\d{2}年[,，]?[^。]{0,12}将)"
)
REQUIRED_ELEMENTS: tuple[Role, ...] = (
    "achievements", "problems", "leadership_duty", "plans", "other",
)

# Checked in this order: a leadership-duty heading often also says 情况, a problems heading
# may say 下一步 after the problems, so the more specific cue wins.
_ROLE_CUES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("leadership_duty", re.compile(
        r"第一责任人|主要负责人|主要负责同志|党政主要负责|履行推进法治建设")),
    ("problems", re.compile(r"问题|不足|短板|差距|困难|薄弱|弱项")),
    ("plans", re.compile(
        r"计划|打算|思路|安排|下一步|下步|下一阶段|明年|来年|新的一年|今后|展望|谋划|"
        r"工作重点|重点工作|工作要点|工作目标|努力方向")),
    ("other", re.compile(r"其他|其它")),
    ("achievements", re.compile(
        r"情况|成效|举措|措施|做法|成绩|成果|主要工作|工作开展|进展|开展|推进|落实|完成|亮点")),
)


cn_number = small_number  # 一..九十九 → int (headings never go higher)


def cue_role(heading: str) -> Role | None:
    """The role a heading's words name, or None when they name none."""
    h = to_simplified(heading)
    for role, cue in _ROLE_CUES:
        if cue.search(h):
            return role
    return None


def role_of(heading: str) -> Role:
    return cue_role(heading) or "other"


def _assign_roles(top: list[Section]) -> None:
    """Roles of top-level headings. A thematic heading with no cue (一、坚持高位推动，压实
    责任) reports work done when it comes before the problems and plans parts (a leadership-duty
    part may come first); after them it is some other matter."""
    after_work = False
    for sec in top:
        role = cue_role(sec.heading)
        if role is None:
            role = "other" if after_work else "achievements"
        if role in ("problems", "plans"):
            after_work = True
        sec.role = role


def _heading(line: str, prefix_end: int) -> tuple[str, bool] | None:
    """The heading text of ``line`` and whether it runs into a paragraph."""
    m = _RUN_IN_END.search(line, prefix_end)
    if m is None:
        if len(line) > _MAX_HEADING or _LIST_SEP.search(line):
            return None
        return line.rstrip(), False
    rest = line[m.end() :].strip()
    head = line[: m.start()].rstrip()
    if len(head) <= prefix_end or len(head) > _MAX_HEADING or _LIST_SEP.search(head):
        return None  # 一是…；二是…。 is a list inside a sentence, not a heading
    return head, bool(rest)


def find_sections(text: str) -> list[Section]:
    """Top-level sections (with level-2 and level-3 headings nested) of ``text``.

    A short report whose outline starts at (一) (no 一、 at all) has (一) as its top level."""
    top = _outline(text, (_L1, _L2, _L3))
    if not top:
        top = _outline(text, (_L2, _L3))
    _assign_roles(top)
    return top


# Where a flattened line (a saved page whose paragraphs were joined onto one line) may hold
# a heading: after a sentence end or a gap, or (for （一）) anywhere; the numbering check
# below keeps a stray （二） inside a sentence out.
_INLINE_L1 = re.compile(rf"(?<=[。！？!?；;：:\s”\d%）)])(?={_NUM}\s*[、．])")
_INLINE_L2 = re.compile(rf"(?=[(（]\s*{_NUM}\s*[)）])")
_INLINE_L3 = re.compile(r"(?<=[。！？!?；;\s])(?=\d{1,2}\s*[.．、](?!\d))")
_GAP = re.compile(r"\s+")
_FLAT_MIN = 120  # a line this long with several inline 一、 headings is a flattened body
# Where an inline heading with no 。/： of its own gives way to its paragraph.
_INLINE_HEAD_END = re.compile(
    r"(?:19|20)\d{2}年(?:以来|度)?[,，]|今年以来|近年来|一年来|(?<=[\u4e00-\u9fff])(?=[我全本]"
    r"(?:局|委|厅|办|市|县|区|旗|单位|部门|中心))"
    # the words a heading ends with, before text that is no part of it (a table's first cell)
    r"|(?<=情况|方面|问题|举措|成效|事项|安排|打算|计划|思路)(?=[^的和及、与,，。：:\s])"
)


def _segments(line: str) -> list[tuple[int, str, bool]]:
    """(offset in line, text, inline) pieces of a line: the line itself, or for a flattened
    line, pieces cut at gaps and before inline headings."""
    if len(line) < _FLAT_MIN or len(_INLINE_L1.findall(line)) < 2:
        return [(0, line, False)]
    cuts = {0, len(line)}
    for rx in (_INLINE_L1, _INLINE_L2, _INLINE_L3):
        cuts.update(m.start() for m in rx.finditer(line))
    for m in _GAP.finditer(line):
        cuts.update((m.start(), m.end()))
    pos = sorted(cuts)
    out = []
    for a, b in zip(pos, pos[1:], strict=False):
        piece = line[a:b]
        if piece.strip():
            out.append((a + len(piece) - len(piece.lstrip()), piece.strip(), True))
    return out


def _inline_heading(piece: str, prefix_end: int) -> str | None:
    """An inline heading that runs into its paragraph with no 。 or ： between them."""
    m = _INLINE_HEAD_END.search(piece, prefix_end)
    if m is None or m.start() - prefix_end < 2 or m.start() > _MAX_HEADING:
        return None
    return piece[: m.start()].rstrip(" ,，")


def _outline(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[Section]:
    top: list[Section] = []
    offset = 0
    for lineno, raw in enumerate(text.split("\n"), start=1):
        start = offset
        offset += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        base = start + (len(raw) - len(raw.lstrip()))
        for at, line, inline in _segments(stripped):
            _place(top, patterns, line, lineno, base + at, inline)
    return top


def _place(top: list[Section], patterns: tuple[re.Pattern[str], ...], line: str, lineno: int,
           lead: int, inline: bool) -> None:
    if True:
        for level, pattern in enumerate(patterns, start=1):
            m = pattern.match(line)
            if m is None:
                continue
            number = cn_number(next(g for g in m.groups() if g))
            parent_list = _parent_list(top, level)
            if parent_list is None:
                break
            expected = len(parent_list) + 1
            if number != expected:
                break
            found = _heading(line, m.end())
            if inline and (h := _inline_heading(line, m.end())) and (
                found is None or len(h) < len(found[0])
            ):
                found = (h, True)  # a flattened line: the heading ends where its words do
            if found is None:
                break
            head, run_in = found
            sec = Section(heading=head, line=lineno, run_in=run_in, level=level, offset=lead)
            parent_list.append(sec)
            break


def _parent_list(top: list[Section], level: int) -> list[Section] | None:
    if level == 1:
        return top
    if not top:
        return None
    parent = top[-1]
    if level == 2:
        return parent.subsections
    # Level 3 sits under the last level-2 heading, or directly under level 1 without one.
    if not parent.subsections:
        return parent.subsections
    last = parent.subsections[-1]
    return last.subsections if last.level == 2 else parent.subsections


def missing_elements(sections: list[Section], text: str) -> list[str]:
    """Required elements with no section of their own (and, for the leadership duty, no
    statement of it in the text either: many reports cover it inside the first section)."""
    roles = {s.role for s in sections}
    folded = to_simplified(text)
    present = set(roles)
    if re.search(r"第一责任人", folded):
        present.add("leadership_duty")
    last = sections[-1].offset if sections and sections[-1].offset is not None else 0
    if "plans" not in present and _CLOSING_PLANS.search(folded, last):
        present.add("plans")  # an unnumbered closing part: 下一步，我局将…
    return [e for e in REQUIRED_ELEMENTS if e not in present]
