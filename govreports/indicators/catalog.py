"""The indicator catalog: canonical ids, triggers, unit constraints and plausible ranges.

The catalog is data (``govreports/data/indicators.yaml``); adding an indicator or a trigger is
a YAML edit. Fields read here beyond the shared catalog's own:

``context_any``   the indicator applies only when one of these words is in the sentence
                  (generic triggers such as 办结 or 合法率 need a subject: 复议, 规范性文件);
``context_none``  ...and none of these is in the mention's own words (its window, or for a
                  breakdown part its total's) or just before the trigger;
``context_none_sentence``  ...and none of these anywhere in the sentence (行政复议 rules out
                  调解成功率 in a sentence about reconsideration);
``at_most``       ids whose stated value this one cannot exceed (closed ≤ received);
``recompute``     ``{numerator: id, denominator: id}`` for a rate stated next to its counts.
Triggers and context words are folded (t2s) on load, so traditional spellings work too; a
trigger written ``re:<pattern>`` is a regular expression over the folded, quote-free text
(``re:审[查核][^,;。]{0,8}规范性文件``); a trigger written ``word@cue|cue`` counts only in a
sentence holding one of the cues (``抽查@双随机``: a generic word given its subject).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govreports.indicators.lexicon import DEFAULT_LEXICON, Lexicon, load_lexicon
from govreports.normalize import fold

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"

# Upper-bound multipliers of a plausible range per administrative level (rates never scale):
# the catalog states ``range_county`` for one report-year of a county-level government.
LEVEL_SCALE: dict[str, float] = {"county": 1.0, "prefecture": 20.0, "province": 500.0,
                                 "department": 1.0}
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
    context_none_sentence: tuple[str, ...] = ()
    range_county: tuple[float, float] | None = None
    at_most: tuple[str, ...] = ()
    recompute: dict[str, str] | None = None
    examples: tuple[dict[str, Any], ...] = ()
    category: str = ""
    tier: str = ""

    @property
    def range_lo(self) -> float:
        return self.range_county[0] if self.range_county else 0.0

    @property
    def range_hi(self) -> float:
        return self.range_county[1] if self.range_county else float("inf")

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
        The lower bound only binds for a county-level government (a department or a narrower
        scope can legitimately report less than a county total)."""
        lo, hi = self.range_lo, self.range_hi
        if self.value_type != "rate":
            hi *= LEVEL_SCALE.get(level, 1.0)
            if level != "county":
                lo = 0.0
        if self.unit == "万元" and unit == "元":  # money is stored in 元
            lo, hi = lo * 10_000, hi * 10_000
        return lo, hi

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
    version: str = ""  # the catalog's own version + a digest of catalog and lexicon
    lexicon: Lexicon | None = field(default=None, compare=False, hash=False)
    # how many indicators list each trigger (a trigger several share tells less)
    trigger_owners: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        self.by_id.update({i.id: i for i in self.indicators})
        for ind in self.indicators:
            for t in set(ind.triggers):
                self.trigger_owners[t] = self.trigger_owners.get(t, 0) + 1

    @property
    def cues(self) -> Lexicon:
        """The cue lexicon (the bundled one when the catalog was built without one)."""
        return self.lexicon if self.lexicon is not None else load_lexicon()

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, id_: str) -> Indicator | None:
        return self.by_id.get(id_)

    def rows(self) -> list[dict[str, Any]]:
        """The catalog as rows of the warehouse's ``indicators`` table."""
        return [
            {"indicator_id": i.id, "name_zh": i.name_zh, "category": i.category, "tier": i.tier,
             "value_type": i.value_type, "unit": i.unit, "range_county_lo": i.range_lo,
             "range_county_hi": i.range_hi, "catalog_version": self.version}
            for i in self.indicators
        ]


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
        word, at, gate = w.partition("@")  # word@cue|cue: only where a cue is in the sentence
        gate = at + fold(gate).text if at else ""
        if word.startswith("re:"):
            try:
                re.compile(word[3:])
            except re.error as exc:
                raise CatalogError(f"{where}: bad pattern {w!r}: {exc}") from exc
            out.append(word + gate)
        elif word:
            out.append(fold(word).text + gate)
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
        context_none_sentence=_words(entry.get("context_none_sentence"), where),
        range_county=(float(rng[0]), float(rng[1])) if rng else None,
        at_most=tuple(str(x) for x in entry.get("at_most") or ()),
        recompute={k: str(v) for k, v in recompute.items()} if recompute else None,
        examples=tuple(e for e in examples if isinstance(e, dict)),
        category=str(entry.get("category", "")),
        tier=str(entry.get("tier") or ""),
    )


def parse_catalog(data: Any, where: str = "<catalog>", lexicon: Lexicon | None = None,
                  digest: str = "") -> Catalog:
    """Build a ``Catalog`` from the YAML document (already loaded)."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogError(f"{where}: expected a top-level 'indicators:' list")
    items = [_indicator(e, f"{where} indicator #{n}") for n, e in enumerate(data["indicators"], 1)]
    seen: set[str] = set()
    for ind in items:
        if ind.id in seen:
            raise CatalogError(f"{where}: duplicate indicator id {ind.id!r}")
        seen.add(ind.id)
    version = f"{data.get('version', '')}+{digest}" if digest else str(data.get("version", ""))
    return Catalog(tuple(items), path=where, version=version, lexicon=lexicon)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float, lexicon_path: str, lexicon_mtime: float) -> Catalog:
    import hashlib

    from govreports import yamlfile

    try:
        raw = Path(path).read_bytes()
        data = yamlfile.safe_load(raw.decode("utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog: {exc.strerror}") from exc
    except (yamlfile.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    lexicon = load_lexicon(Path(lexicon_path))
    digest = hashlib.sha256(raw + Path(lexicon_path).read_bytes()).hexdigest()[:10]
    return parse_catalog(data, path, lexicon, digest)


def load_catalog(path: Path | None = None) -> Catalog:
    """Load the catalog (default: the bundled ``govreports/data/indicators.yaml``) with the
    cue lexicon beside it (``lexicon.yaml`` in the same folder, else the bundled one)."""
    p = Path(path) if path is not None else DEFAULT_CATALOG
    lex = p.with_name("lexicon.yaml")
    if not lex.is_file():
        lex = DEFAULT_LEXICON
    try:
        mtime = p.stat().st_mtime
        lex_mtime = lex.stat().st_mtime
    except OSError as exc:
        raise CatalogError(f"{p}: cannot read catalog: {exc.strerror}") from exc
    return _load_cached(str(p), mtime, str(lex), lex_mtime)
