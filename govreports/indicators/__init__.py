"""Indicators: every quantity in a report, mapped to the canonical catalog.

Public API (kept light to import: no pandas, DuckDB or Prefect)::

    extract_mentions(text, sections=()) -> list[Mention]
    check_consistency(mentions) -> list[dict]
    load_catalog(path=None) -> Catalog
"""

from __future__ import annotations

from collections.abc import Sequence

from govreports.indicators.catalog import Catalog, CatalogError, Indicator, load_catalog
from govreports.indicators.consistency import check_consistency
from govreports.models import Mention, Section

__all__ = [
    "Catalog",
    "CatalogError",
    "Indicator",
    "check_consistency",
    "extract_mentions",
    "load_catalog",
]


def extract_mentions(
    text: str, sections: Sequence[Section] = (), *, catalog: Catalog | None = None
) -> list[Mention]:
    """Every quantity mention in ``text`` with its indicator id (or None) and evidence.

    ``sections`` (with ``offset`` or ``line`` of each heading) fill ``section`` and
    ``section_role``; ``catalog`` defaults to the bundled one.
    """
    from govreports.indicators.assign import Assigner
    from govreports.indicators.mentions import find_mentions

    cat = catalog if catalog is not None else load_catalog()
    found, geometry = find_mentions(text, sections, cat.cues)
    Assigner(geometry, cat).assign(found)
    return [x.mention for x in found]
