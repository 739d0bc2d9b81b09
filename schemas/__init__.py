"""Pandera schemas, one per warehouse table, and lazy validation into quarantine records."""

from schemas.catalog import Catalog, Indicator, load_catalog, parse_catalog
from schemas.validate import QUARANTINE_COLUMNS, Validated, validate

__all__ = [
    "QUARANTINE_COLUMNS",
    "Catalog",
    "Indicator",
    "Validated",
    "load_catalog",
    "parse_catalog",
    "validate",
]
