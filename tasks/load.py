"""Validate and load into the warehouse (short write transactions, several sources each)."""

from __future__ import annotations

from collections.abc import Sequence

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
    crawls: Sequence[SourceCrawl], run_id: str, settings: Settings
) -> list[tuple[LoadSummary, list[RunError]]]:
    """Sources' crawls → their batches → the warehouse; per source, its summary and what
    failed, in the order given.

    One task for the sources whose crawls ended while the last load ran: they load in as
    few transactions as their keys allow (``Warehouse.load_batches``), which on DuckLake is
    most of a load's cost; each source's counts are the same as loaded alone. Extraction and
    loading are retried together (a load is an idempotent MERGE).
    """
    from schemas import load_catalog

    catalog = load_catalog(settings.catalog)
    extracted = [extract_source(sc, run_id, catalog, attachment_tries=settings.attachment_tries)
                 for sc in crawls]
    with Warehouse(settings) as wh:
        summaries = wh.load_batches([batch for batch, _ in extracted])
        wh.record_walks_of([_walks(sc) for sc in crawls], run_id)
    return [(s, errors) for s, (_, errors) in zip(summaries, extracted, strict=True)]


def _walks(crawled: SourceCrawl) -> tuple[str, list[str], list[str], list[tuple[str, str]]]:
    return (crawled.source.id, list(crawled.source.lists),
            [page.url for page in crawled.list_pages], list(crawled.broken_walks))


def record_walks(crawled: SourceCrawl, run_id: str, settings: Settings) -> None:
    """Where this source's column walks broke, so the next run resumes there."""
    with Warehouse(settings) as wh:
        wh.record_walks_of([_walks(crawled)], run_id)


# Loads are idempotent MERGEs, so a retry after a lock timeout cannot double anything.
load_batch_task = task(name="load-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)(
    load_batch
)
extract_and_load_task = task(
    name="extract-load-sources", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2
)(extract_and_load)
