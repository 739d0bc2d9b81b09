"""Ad-hoc backfill: walk list pages fully for the given report years and sources."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.common import crawl_and_load


@flow(name="backfill")
def backfill(
    years: list[int] | None = None,
    sources: list[str] | None = None,
    refetch: bool = False,
    registry: str | None = None,
) -> dict[str, Any]:
    """Full walk of every list page; only reports of `years` are fetched; `refetch` re-downloads."""
    return crawl_and_load(
        "backfill", sources=sources, registry=registry, full=True, years=years, refetch=refetch
    )
