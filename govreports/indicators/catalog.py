"""The indicator catalog: canonical ids, triggers, unit constraints and plausible ranges.

The catalog is data (``govreports/data/indicators.yaml``); adding an indicator or a trigger is
a YAML edit. Fields read here beyond the shared catalog's own:

``context_any``   the indicator applies only when one of these words is in the sentence
                  (generic triggers such as 办结 or 合法率 need a subject: 复议, 规范性文件);
``context_none``  ...and none of these is in the mention's own clause;
``at_most``       ids whose stated value this one cannot exceed (closed ≤ received);
``recompute``     ``{numerator: id, denominator: id}`` for a rate stated next to its counts.
Triggers and context words are folded (t2s) on load, so traditional spellings work too; a
trigger written ``re:<pattern>`` is a regular expression over the folded, quote-free text
(``re:审[查核][^,;。]{0,8}规范性文件``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govreports.normalize import fold

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"

_VALUE_KINDS = {"count": {"count", "duration", "other"}, "rate": {"rate"}, "amount": {"amount"},
                "breakdown": {"count"}}


class CatalogError(ValueError):
    """The catalog file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    value_type: str
    unit: str
    unit_variants: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    context_any: tuple[str, ...] = ()
    context_none: tuple[str, ...] = ()
    range_county: tuple[float, float] | None = None
    at_most: tuple[str, ...] = ()
    recompute: dict[str, str] | None = None
    examples: tuple[dict[str, Any], ...] = ()
    category: str = ""

    def accepts_unit(self, unit: str, kind: str) -> bool:
        """Units are checked by dimension for money and rates, literally for counts."""
        if kind not in _VALUE_KINDS.get(self.value_type, {"count"}):
            return False
        if kind in ("rate", "amount"):
            return True
        allowed = {self.unit, *self.unit_variants}
        if unit == "件次":  # 审查315件次: cases counted per occurrence, as 件(次)
            unit = "件"
        return unit.replace("(次)", "").replace("/次", "") in allowed or unit in allowed


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    path: str = ""
    by_id: dict[str, Indicator] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        self.by_id.update({i.id: i for i in self.indicators})

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, id_: str) -> Indicator | None:
        return self.by_id.get(id_)


def _words(raw: Any, where: str) -> tuple[str, ...]:
    """Words folded to simplified; ``re:`` patterns are checked and kept as written."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(w, str | int) for w in raw):
        raise CatalogError(f"{where}: expected a list of words, got {raw!r}")
    out = []
    for w in map(str, raw):
        if w.startswith("re:"):
            try:
                re.compile(w[3:])
            except re.error as exc:
                raise CatalogError(f"{where}: bad pattern {w!r}: {exc}") from exc
            out.append(w)
        elif w:
            out.append(fold(w).text)
    return tuple(out)


def _indicator(entry: Any, where: str) -> Indicator:
    if not isinstance(entry, dict) or not entry.get("id"):
        raise CatalogError(f"{where}: every indicator needs an 'id'")
    where = f"{where} ({entry['id']})"
    rng = entry.get("range_county")
    if rng is not None and not (isinstance(rng, list) and len(rng) == 2):
        raise CatalogError(f"{where}: range_county must be [low, high], got {rng!r}")
    recompute = entry.get("recompute")
    if recompute is not None and not (
        isinstance(recompute, dict) and {"numerator", "denominator"} <= set(recompute)
    ):
        raise CatalogError(f"{where}: recompute needs numerator and denominator ids")
    examples = entry.get("examples") or []
    if not isinstance(examples, list):
        raise CatalogError(f"{where}: examples must be a list")
    return Indicator(
        id=str(entry["id"]),
        name_zh=str(entry.get("name_zh", "")),
        value_type=str(entry.get("value_type", "count")),
        unit=fold(str(entry.get("unit", ""))).text,
        unit_variants=_words(entry.get("unit_variants"), where),
        triggers=_words(entry.get("trigger"), where),
        context_any=_words(entry.get("context_any"), where),
        context_none=_words(entry.get("context_none"), where),
        range_county=(float(rng[0]), float(rng[1])) if rng else None,
        at_most=tuple(str(x) for x in entry.get("at_most") or ()),
        recompute={k: str(v) for k, v in recompute.items()} if recompute else None,
        examples=tuple(e for e in examples if isinstance(e, dict)),
        category=str(entry.get("category", "")),
    )


def parse_catalog(data: Any, where: str = "<catalog>") -> Catalog:
    """Build a ``Catalog`` from the YAML document (already loaded)."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogError(f"{where}: expected a top-level 'indicators:' list")
    items = [_indicator(e, f"{where} indicator #{n}") for n, e in enumerate(data["indicators"], 1)]
    seen: set[str] = set()
    for ind in items:
        if ind.id in seen:
            raise CatalogError(f"{where}: duplicate indicator id {ind.id!r}")
        seen.add(ind.id)
    return Catalog(tuple(items), path=where)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Catalog:
    import yaml  # only on first load; keeps `import govreports.indicators` light

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    return parse_catalog(data, path)


def load_catalog(path: Path | None = None) -> Catalog:
    """Load the catalog (default: the bundled ``govreports/data/indicators.yaml``)."""
    p = Path(path) if path is not None else DEFAULT_CATALOG
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise CatalogError(f"{p}: cannot read catalog: {exc.strerror}") from exc
    return _load_cached(str(p), mtime)
