"""The indicator catalog as the validators see it: the one catalog type of
``govreports.indicators.catalog`` (ids, units, plausible ranges scaled by level), loaded from
the file settings name, with the stricter check the warehouse needs: every entry states the
plausible range the range check holds values to.
"""

from __future__ import annotations

from pathlib import Path

from govreports.indicators.catalog import (
    DEFAULT_CATALOG,
    LEVEL_SCALE,
    Catalog,
    CatalogError,
    Indicator,
)
from govreports.indicators.catalog import load_catalog as _load
from govreports.indicators.catalog import parse_catalog as _parse

BUNDLED = DEFAULT_CATALOG
VALUE_TYPES = ("count", "rate", "amount", "breakdown")

__all__ = ["BUNDLED", "LEVEL_SCALE", "Catalog", "Indicator", "load_catalog", "parse_catalog"]


def _check(cat: Catalog) -> Catalog:
    for ind in cat.indicators:
        if ind.range_county is None:
            raise ValueError(f"{cat.path}: indicator {ind.id!r}: bad entry: no range_county")
        if ind.value_type not in VALUE_TYPES:
            raise ValueError(f"{cat.path}: indicator {ind.id!r}: bad entry: value_type "
                             f"{ind.value_type!r}")
    return cat


def parse_catalog(text: str, path: str = "<catalog>") -> Catalog:
    """Parse catalog YAML; a malformed entry raises ValueError naming the file and the id."""
    from govreports import yamlfile

    try:
        return _check(_parse(yamlfile.safe_load(text) or {}, path))
    except CatalogError as exc:
        raise ValueError(str(exc)) from exc


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog (and its cue lexicon) at ``path``, default the bundled one; cached."""
    try:
        return _check(_load(path))
    except CatalogError as exc:
        raise ValueError(str(exc)) from exc
