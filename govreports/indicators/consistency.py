"""Consistency checks over one report's mentions, recorded and never overwriting.

- ``parts_sum``: the parts of a stated breakdown add up to its total (several breakdowns of
  one total, e.g. 民事/刑事 and 法院指定/检察院, are split where a running sum closes);
- ``closed_le_received``: a closed count does not exceed its received count, for the id
  pairs the catalog declares with ``at_most`` (政务服务 cases carry over, so they have none);
- ``rate_recomputed``: a rate stated next to its counts matches the rate recomputed from
  them (catalog ``recompute``, or a rate right after a breakdown part: 611 of 639 → 95.6%);
- ``plausible_range``: a level outside the catalog's county range (a hint, not an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govreports.indicators.catalog import Catalog
from govreports.models import Mention

_RATE_TOL = 0.5  # percentage points: reports round and truncate


def _level(m: Mention) -> bool:
    return not m.not_a_level and m.scope is None and m.part_of is None


def _total_of(part: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """The stated total a part belongs to: the last mention before it with that text."""
    best = None
    for t in mentions:
        if t.offset >= part.offset:
            break
        if t.text == part.part_of and t.part_of is None:
            best = t
    return best


def _parts_sum(mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    groups: dict[str, tuple[Mention, list[Mention]]] = {}
    for m in mentions:
        if m.part_of and (total := _total_of(m, mentions)) is not None:
            groups.setdefault(total.id or str(total.offset), (total, []))[1].append(m)
    for total, parts in groups.values():
        run: list[Mention] = []
        acc = 0.0
        for p in parts:
            run.append(p)
            acc += p.value
            if abs(acc - total.value) < 1e-6 or acc > total.value + 1e-6 or p is parts[-1]:
                if abs(acc - total.value) < 1e-6:
                    status = "pass"
                elif acc > total.value:
                    status = "fail"
                else:
                    status = "partial"  # 其中611项: a breakdown that names only some parts
                out.append({
                    "check": "parts_sum", "status": status,
                    "detail": f"{' + '.join(f'{x.value:g}' for x in run)} = {acc:g}"
                              f" vs total {total.text} ({total.value:g})",
                    "mentions": [total.id, *[x.id for x in run]],
                })
                run, acc = [], 0.0
    return out


def _first(mentions: Sequence[Mention], ind: str) -> Mention | None:
    return next((m for m in mentions if m.indicator == ind and _level(m) and not m.approx), None)


def check_consistency(
    mentions: Sequence[Mention], catalog: Catalog | None = None
) -> list[dict[str, Any]]:
    """All checks for one report; each ``{"check", "status", "detail", "mentions"}``."""
    if catalog is None:
        from govreports.indicators.catalog import load_catalog

        catalog = load_catalog()
    out = _parts_sum(mentions)
    for ind in catalog.indicators:
        for other in ind.at_most:
            small, big = _first(mentions, ind.id), _first(mentions, other)
            if small is None or big is None:
                continue
            ok = small.value <= big.value
            out.append({
                "check": "closed_le_received", "status": "pass" if ok else "fail",
                "detail": f"{ind.id} {small.text} {'≤' if ok else '>'} {other} {big.text}",
                "mentions": [small.id, big.id],
            })
        if ind.recompute:
            rate = next((m for m in mentions if m.indicator == ind.id and m.unit == "%"
                         and not m.not_a_level and m.scope is None), None)
            num = _first(mentions, ind.recompute["numerator"])
            den = _first(mentions, ind.recompute["denominator"])
            if rate and num and den and den.value:
                out.append(_rate_check(rate, num, den))
    for i, m in enumerate(mentions):
        if m.unit != "%" or m.not_a_level or i == 0:
            continue
        prev = mentions[i - 1]
        if prev.part_of and prev.sentence == m.sentence:
            total = _total_of(prev, mentions)
            if total and total.value and total.sentence == m.sentence and not any(
                c["mentions"][0] == m.id for c in out if c["check"] == "rate_recomputed"
            ):
                out.append(_rate_check(m, prev, total))
    for m in mentions:
        ind_ = catalog.get(m.indicator) if m.indicator else None
        if ind_ is None or ind_.range_county is None or not _level(m):
            continue
        value = m.value / 10_000 if m.kind == "amount" and ind_.unit == "万元" else m.value
        lo, hi = ind_.range_county
        if not lo <= value <= hi:
            out.append({
                "check": "plausible_range", "status": "warn",
                "detail": f"{m.indicator} {m.text} outside county range [{lo:g}, {hi:g}]",
                "mentions": [m.id],
            })
    return out


def _rate_check(rate: Mention, num: Mention, den: Mention) -> dict[str, Any]:
    got = 100.0 * num.value / den.value
    if rate.approx == "gte":
        ok = got + _RATE_TOL >= rate.value
    else:
        ok = abs(got - rate.value) <= _RATE_TOL
    return {
        "check": "rate_recomputed", "status": "pass" if ok else "fail",
        "detail": f"stated {rate.text}{' or more' if rate.approx else ''} vs "
                  f"{num.text}/{den.text} = {got:.2f}%",
        "mentions": [rate.id, num.id, den.id],
    }
