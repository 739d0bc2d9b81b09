"""One-process alternative to a work pool: Prefect ``serve`` for the three deployments.

The served deployments are named ``nightly-serve``, ``backfill-serve`` and ``reparse-serve``:
``prefect deploy --all`` registers ``nightly``, ``backfill`` and ``reparse`` (with a work
pool and pull steps), and a served deployment of the same name would replace them on the
server, leaving later worker runs without their pull steps. Both can coexist on one server.
"""

from __future__ import annotations

from typing import Any

from prefect import serve
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.nightly import nightly_crawl
from flows.reparse import reparse

NIGHTLY_CRON = "30 2 * * *"
TIMEZONE = "Asia/Shanghai"


SERVED_SUFFIX = "-serve"


def deployments() -> list[Any]:
    """The same three deployments as prefect.yaml, as runner deployments (``-serve`` names)."""
    return [
        nightly_crawl.to_deployment(
            name="nightly" + SERVED_SUFFIX, schedule=Cron(NIGHTLY_CRON, timezone=TIMEZONE),
            concurrency_limit=1,
        ),
        backfill.to_deployment(name="backfill" + SERVED_SUFFIX),
        reparse.to_deployment(name="reparse" + SERVED_SUFFIX),
    ]


def serve_all() -> None:
    serve(*deployments())
