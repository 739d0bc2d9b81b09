"""Breakdowns: which mentions are parts of a stated total (``scope: part``, ``part_of``).

Four shapes, all within one sentence and one unit:
(a) a bracket after the total: 151件建议提案(人大议案1件、人大建议73件政协提案77件);
(b) 其中 after the total, parts taken until they add up: 639项…,其中611项…;
(c) short labelled items right after the total that add up exactly: 407件,民事86件,刑事321件;
(d) the next clause opening with a smaller count: 639项政务服务事项,479项纳入….
Several breakdowns of one total are allowed (407 = 86 + 321 = 271 + 136).
"""

from __future__ import annotations

import re

from govreports.indicators.text import Found, Geometry

_PART_LABEL_MAX = 6
_SHORT_LABEL = re.compile(rf"[^,;。]{{0,{_PART_LABEL_MAX}}}")
_OPENER = re.compile(r"[\s其中共计有另]")
# "25个部门配合…": the number counts units that then act, it is no part of anything
_COUNTED_UNITS = re.compile(r"^(?:乡镇|街道|部门|单位|成员单位|村|社区)")


def _same_unit(a: Found, b: Found) -> bool:
    return a.unit_key == b.unit_key and a.mention.kind == b.mention.kind


def _close_paren(t: str, open_at: int, limit: int) -> int | None:
    depth = 0
    for j in range(open_at, min(len(t), limit)):
        if t[j] == "(":
            depth += 1
        elif t[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return None


def _link(total: int, parts: list[int], found: list[Found], g: Geometry) -> None:
    for p in parts:
        x = found[p]
        x.part_of_idx = total
        x.mention.scope = "part"
        cs = g.clause_start(x.start, g.sentence(x.start)[0])
        label = g.text[cs : x.start].strip(" (其中:、")
        if 0 < len(label) <= _PART_LABEL_MAX:
            x.mention.subtype = label


def link_parts(found: list[Found], g: Geometry) -> None:
    """Breakdowns: 151件建议提案(…1件、…73件…77件); 639项…,其中611项; 407件,民事86件,刑事321件."""
    t = g.text
    n = len(found)
    for i, x in enumerate(found):
        if x.part_of_idx is not None or x.mention.kind not in ("count", "amount"):
            continue
        ss, se = g.sentence(x.start)
        later = []
        for j in range(i + 1, n):
            if found[j].start >= se:
                break
            if _same_unit(x, found[j]):
                later.append(j)
        if not later:
            continue
        # (a) a bracket right after the total (or after a short noun) holding its parts
        k = t.find("(", x.end, min(se, x.end + 9))
        if k >= 0 and not re.search(r"[,;。]", t[x.end : k]):
            close = _close_paren(t, k, se + 1)
            inside = [j for j in later if close is not None and k < found[j].start < close]
            if inside and (t.startswith("(其中", k) or len(inside) >= 2):
                _link(i, inside, found, g)
                continue
        # (c) short labelled items right after the total that add up to it exactly
        parts: list[int] = []
        total = 0.0
        prev_end = x.end
        for j in later:
            y = found[j]
            gap = t[prev_end : y.start]
            cs = g.clause_start(y.start, ss)
            short_label = re.fullmatch(_SHORT_LABEL, t[cs : y.start])
            if not short_label or not re.match(r"^[,、;]", gap):
                break
            parts.append(j)
            total += y.mention.value
            prev_end = y.end
            if abs(total - x.mention.value) < 1e-9:
                break
        if len(parts) >= 2 and abs(total - x.mention.value) < 1e-9:
            _link(i, parts, found, g)
        else:
            parts = []
        # (b) 其中 after the total: parts until they add up to it (or the sentence ends)
        q = t.find("其中", x.end, se)
        if q >= 0 and not any(
            found[j].start < q and found[j].part_of_idx != i for j in later
        ):
            parts, total = [], 0.0
            for j in later:
                if found[j].start < q:
                    continue
                if total + found[j].mention.value > x.mention.value + 1e-9:
                    break
                parts.append(j)
                total += found[j].mention.value
                if abs(total - x.mention.value) < 1e-9:
                    break
            if parts:
                _link(i, parts, found, g)
                continue
        # (d) "639项政务服务事项,479项纳入…": the next clause opens with a smaller count
        nxt = found[i + 1] if i + 1 < n else None
        if (
            nxt is not None
            and nxt.part_of_idx is None
            and nxt.start < se
            and _same_unit(x, nxt)
            and nxt.mention.value < x.mention.value
            and not _OPENER.sub("", t[g.clause_start(nxt.start, ss) : nxt.start])
            and g.clause_start(nxt.start, ss) > x.end
            and not _COUNTED_UNITS.match(t[nxt.end : nxt.end + 8])
        ):
            _link(i, [i + 1], found, g)
