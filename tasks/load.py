"""Validate and load into the warehouse (one short write transaction per batch)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from govreports.crawl import SourceCrawl
from govreports.errors import RunError
from govreports.models import Batch
from govreports.settings import Settings
from tasks.extract import extract_source
from warehouse import LoadSummary, Warehouse


def load_batch(batch: Batch, settings: Settings) -> LoadSummary:
    with Warehouse(settings) as wh:
        return wh.load_batch(batch)


def extract_and_load(
    crawled: SourceCrawl, run_id: str, settings: Settings
) -> tuple[LoadSummary, list[RunError]]:
    """One source's crawl → its batch → the warehouse; returns the summary and what failed.

    One task per source rather than two: a Prefect task costs milliseconds of bookkeeping,
    and extraction and loading of one source are retried together anyway.
    """
    from schemas import load_catalog

    batch, errors = extract_source(crawled, run_id, load_catalog(settings.catalog),
                                   attachment_tries=settings.attachment_tries)
    summary = load_batch(batch, settings)
    record_walks(crawled, run_id, settings)
    return summary, errors


def record_walks(crawled: SourceCrawl, run_id: str, settings: Settings) -> None:
    """Where this source's column walks broke, so the next run resumes there."""
    with Warehouse(settings) as wh:
        wh.record_walks(
            crawled.source.id,
            crawled.source.lists,
            [page.url for page in crawled.list_pages],
            crawled.broken_walks,
            run_id,
        )


# Loads are idempotent MERGEs, so a retry after a lock timeout cannot double anything.
load_batch_task = task(name="load-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)(
    load_batch
)
extract_and_load_task = task(
    name="extract-load-source", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2
)(extract_and_load)
