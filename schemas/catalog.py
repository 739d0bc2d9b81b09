"""The indicator catalog as the validators need it: ids, units and plausible ranges.

The catalog (``govreports/data/indicators.yaml``) states ``range_county``: a plausible value
for one report-year of a county-level government. Larger governments report larger totals,
so the upper bound is scaled by the report's level (the catalog's own rule of thumb:
prefecture ×5–20, province ×50–500; we take the generous end so only the implausible fails).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

BUNDLED = Path(__file__).resolve().parent.parent / "govreports" / "data" / "indicators.yaml"

# Upper-bound multipliers per administrative level (rates are never scaled).
LEVEL_SCALE: Mapping[str, float] = {
    "county": 1.0,
    "prefecture": 20.0,
    "province": 500.0,
    "department": 1.0,
}
VALUE_TYPES = ("count", "rate", "amount", "breakdown")


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    category: str
    tier: str
    value_type: str
    unit: str
    range_lo: float
    range_hi: float
    unit_variants: tuple[str, ...] = ()
    at_most: tuple[str, ...] = ()  # ids this one cannot exceed in one report (closed <= received)

    def measures(self, unit: str | None) -> bool:
        """Whether a value in ``unit`` is on the catalog's scale (2.5万人 participants of
        an indicator counted in 次 is not, and cannot be range-checked)."""
        if unit is None:
            return False
        if self.unit == "万元" and unit in ("元", "万元"):
            return True
        return unit == self.unit or unit in self.unit_variants

    def bounds(self, level: str, unit: str | None) -> tuple[float, float]:
        """Plausible [lo, hi] for a level value stated in ``unit`` by a ``level`` government.

        The lower bound only binds for a county-level government: a department or a narrower
        scope can legitimately report less than a county total.
        """
        lo, hi = self.range_lo, self.range_hi
        if self.value_type != "rate":
            hi *= LEVEL_SCALE.get(level, 1.0)
            if level != "county":
                lo = 0.0
        # Money is stored in 元 (gold convention) while the catalog states 万元.
        if self.unit == "万元" and unit == "元":
            lo, hi = lo * 10_000, hi * 10_000
        return lo, hi


@dataclass(frozen=True)
class Catalog:
    version: str
    indicators: Mapping[str, Indicator]
    path: str

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "indicator_id": i.id,
                "name_zh": i.name_zh,
                "category": i.category,
                "tier": i.tier,
                "value_type": i.value_type,
                "unit": i.unit,
                "range_county_lo": i.range_lo,
                "range_county_hi": i.range_hi,
                "catalog_version": self.version,
            }
            for i in self.indicators.values()
        ]


def parse_catalog(text: str, path: str = "<catalog>") -> Catalog:
    """Parse catalog YAML; a malformed entry raises ValueError naming the file and the id."""
    data = yaml.safe_load(text) or {}
    out: dict[str, Indicator] = {}
    for n, entry in enumerate(data.get("indicators") or []):
        ident = entry.get("id") if isinstance(entry, dict) else None
        try:
            lo, hi = entry["range_county"]
            ind = Indicator(
                id=str(entry["id"]),
                name_zh=str(entry["name_zh"]),
                category=str(entry["category"]),
                tier=str(entry.get("tier") or ""),
                value_type=str(entry["value_type"]),
                unit=str(entry["unit"]),
                range_lo=float(lo),
                range_hi=float(hi),
                unit_variants=tuple(str(u) for u in entry.get("unit_variants") or ()),
                at_most=tuple(str(u) for u in entry.get("at_most") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: indicator #{n} ({ident}): bad entry: {exc}") from exc
        if ind.id in out:
            raise ValueError(f"{path}: indicator {ind.id!r} is listed twice")
        out[ind.id] = ind
    return Catalog(version=str(data.get("version", "")), indicators=out, path=path)


@lru_cache(maxsize=4)
def load_catalog(path: Path | None = None) -> Catalog:
    p = path or BUNDLED
    return parse_catalog(p.read_text(encoding="utf-8"), str(p))
