"""One-process alternative to a work pool: Prefect ``serve`` for the three deployments."""

from __future__ import annotations

from typing import Any

from prefect import serve
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.nightly import nightly_crawl
from flows.reparse import reparse

NIGHTLY_CRON = "30 2 * * *"
TIMEZONE = "Asia/Shanghai"


def deployments() -> list[Any]:
    """The same three deployments as prefect.yaml, as runner deployments."""
    return [
        nightly_crawl.to_deployment(
            name="nightly", schedule=Cron(NIGHTLY_CRON, timezone=TIMEZONE), concurrency_limit=1
        ),
        backfill.to_deployment(name="backfill"),
        reparse.to_deployment(name="reparse"),
    ]


def serve_all() -> None:
    serve(*deployments())
