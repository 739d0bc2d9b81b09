"""One slow host must not stall the night: a tarpit (a byte every 0.2 s, so no read ever
times out) is cut off by the response and source deadlines, the healthy sources are loaded
while it is still being tried, and the next night resumes it and ends at the clean tables."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.common import PLAIN, crawl_and_load
from govreports.testweb import Faults, TestWeb

from .conftest import SOURCES
from .harness import consistency_problems, fast_settings, rows, table_checksums

pytestmark = pytest.mark.slow


def test_a_tarpit_host_delays_only_itself_and_is_resumed_next_night(
    web: TestWeb, registry: Path, reference: dict[str, tuple[int, str]], tmp_path: Path
) -> None:
    # each attempt is cut after 1 s, and six attempts at the first list page would take
    # longer than the source may: the source deadline ends it
    settings = fast_settings(tmp_path, response_deadline=1.0, source_deadline=4.0,
                             max_retries=5)
    web.set_faults(Faults(tarpit=1.0, sites=frozenset({"hanweb"}), tarpit_interval=0.2))
    try:
        started = time.monotonic()
        first = crawl_and_load("nightly", sources=SOURCES, registry=str(registry), full=False,
                               years=None, refetch=False, settings=settings, steps=PLAIN)
        took = time.monotonic() - started
    finally:
        web.set_faults(None)
    assert took < 30, f"the run took {took:.0f}s: the deadlines did not hold"
    per = {r["source"]: r for r in first["per_source"]}
    assert per["sc-wanyuan-trs"]["new_reports"] == 1
    assert per["jl-chuanying-legacy"]["new_reports"] == 1
    assert per["sc-longchang-hanweb"]["new_reports"] == 0
    why = [r for u, r in rows(settings, "select url, reason from skips where kind = 'error'"
                              " and source_id = 'sc-longchang-hanweb'")]
    assert any("stopped at the source deadline (4s)" in r for r in why), why
    assert any("no complete response within 1s" in r for _, r in rows(
        settings, "select url, error from fetch_log where source_id = 'sc-longchang-hanweb'"
                  " and error is not null")), "the response deadline never cut a response"
    # the healthy sources were loaded while the tarpit was still being tried
    (loaded,) = rows(settings, "select min(loaded_at) from reports")[0]
    (last_try,) = rows(settings, "select max(fetched_at) from fetch_log"
                                 " where source_id = 'sc-longchang-hanweb'")[0]
    assert loaded < last_try
    assert consistency_problems(settings) == []

    # The next night, the host answers: the column is read again from its first page (not
    # conditionally) and the tables end as those of a clean run.
    second = crawl_and_load("nightly", sources=SOURCES, registry=str(registry), full=False,
                            years=None, refetch=False, settings=settings, steps=PLAIN)
    assert second["errors"] == 0 and second["new_reports"] == 2
    assert table_checksums(settings) == reference
