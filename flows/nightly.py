"""The scheduled job: incremental discovery and fetch, extract, validate, load."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.common import crawl_and_load


@flow(name="nightly_crawl", log_prints=False)
def nightly_crawl(
    sources: list[str] | None = None, registry: str | None = None, shard: str | None = None
) -> dict[str, Any]:
    """Crawl every registered source (or the named ones) incrementally and load new reports.
    ``shard="K/N"``: only the K-th of N shards of the registry (sources split by host), so N
    workers can run the night side by side against one DuckLake warehouse."""
    return crawl_and_load(
        "nightly", sources=sources, registry=registry, full=False, years=None, refetch=False,
        shard=shard,
    )
