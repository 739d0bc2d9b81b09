"""Discover and fetch: one call crawls every source, hosts in parallel, each host politely."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prefect import task
from prefect.cache_policies import NO_CACHE

from govreports import progress
from govreports.crawl import CrawlState, SourceCrawl, crawl
from govreports.models import Source
from govreports.settings import Settings


def crawl_sources(
    sources: Sequence[Source],
    state: CrawlState,
    settings: Settings,
    *,
    full: bool = False,
    years: set[int] | None = None,
    refetch: bool = False,
    on_source_done: Callable[[SourceCrawl], None] | None = None,
) -> list[SourceCrawl]:
    """Every source's crawl; ``on_source_done`` gets each as it ends (the flow loads it)."""
    progress.report("crawl", 0, total=len(sources), label="sources crawled")
    return crawl(
        sources,
        state,
        settings,
        full=full,
        years=years,
        refetch=refetch,
        on_source_done=on_source_done
        or (lambda sc: progress.report("crawl", 1, label=sc.source.id)),
    )


# No task-level retries: the fetcher retries each request with backoff itself, and a failed
# source comes back as errors in its SourceCrawl rather than as an exception.
crawl_sources_task = task(name="crawl-sources", cache_policy=NO_CACHE)(crawl_sources)
