"""One-process alternative to a work pool: Prefect ``serve`` for the four deployments.

The served deployments are named ``nightly-serve``, ``backfill-serve``, ``reparse-serve`` and
``maintain-serve``: ``prefect deploy --all`` registers ``nightly``, ``backfill``, ``reparse``
and ``maintain`` (with a work pool and pull steps), and a served deployment of the same
name would replace them on the server, leaving later worker runs without their pull steps.
Both can coexist on one server.
"""

from __future__ import annotations

from typing import Any

from prefect import serve
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.maintain import maintain_warehouse
from flows.nightly import nightly_crawl
from flows.reparse import reparse

NIGHTLY_CRON = "30 2 * * *"
MAINTAIN_CRON = "0 6 * * 0"  # Sundays, after the night
TIMEZONE = "Asia/Shanghai"


SERVED_SUFFIX = "-serve"


def deployments() -> list[Any]:
    """The same four deployments as prefect.yaml, as runner deployments (``-serve`` names)."""
    return [
        nightly_crawl.to_deployment(
            name="nightly" + SERVED_SUFFIX, schedule=Cron(NIGHTLY_CRON, timezone=TIMEZONE),
            concurrency_limit=1,
        ),
        backfill.to_deployment(name="backfill" + SERVED_SUFFIX),
        reparse.to_deployment(name="reparse" + SERVED_SUFFIX),
        maintain_warehouse.to_deployment(
            name="maintain" + SERVED_SUFFIX, schedule=Cron(MAINTAIN_CRON, timezone=TIMEZONE),
            concurrency_limit=1, parameters={"keep_days": 7},
        ),
    ]


def serve_all() -> None:
    serve(*deployments())
