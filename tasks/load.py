"""Validate and load one batch into the warehouse (one short write transaction)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from govreports.models import Batch
from govreports.settings import Settings
from warehouse import LoadSummary, Warehouse


def load_batch(batch: Batch, settings: Settings) -> LoadSummary:
    with Warehouse(settings) as wh:
        return wh.load_batch(batch)


# Loads are idempotent MERGEs, so a retry after a lock timeout cannot double anything.
load_batch_task = task(
    load_batch, name="load-batch", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2
)
