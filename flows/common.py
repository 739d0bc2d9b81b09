"""What the nightly and backfill flows share: crawl → extract → validate/load, per source."""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.summary import RunResult
from govreports import progress
from govreports.crawl import SourceCrawl
from govreports.errors import RunError
from govreports.settings import Settings, get_settings
from tasks.crawl import crawl_sources, crawl_sources_task
from tasks.load import extract_and_load, extract_and_load_task
from tasks.sources import load_sources, load_sources_task
from warehouse import LoadSummary, Warehouse, run_lock
from warehouse.load import GROUP_BATCHES


@dataclass(frozen=True)
class Steps:
    """The steps a crawl run calls: Prefect tasks in the flows, plain functions in the
    overhead benchmark, so both do exactly the same work."""

    load_sources: Callable[..., Any]
    crawl_sources: Callable[..., Any]
    extract_and_load: Callable[..., Any]


TASKS = Steps(load_sources_task, crawl_sources_task, extract_and_load_task)
PLAIN = Steps(load_sources, crawl_sources, extract_and_load)


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    try:
        return get_run_logger()
    except Exception:  # called outside a flow run (plain-function benchmark)
        return logging.getLogger("govreports.flows")


class _Loader:
    """Extract and load the sources' crawls in a thread of its own, in the order they end.

    While one load runs, the crawls that end queue up; the next load takes all of them (up
    to ``GROUP_BATCHES``) in one task, and they are written in as few transactions as their
    keys allow. A quick source therefore loads at once, and a backlog costs one transaction
    per group instead of one per source. The thread runs in a copy of the flow's context, so
    Prefect records the tasks under this flow run. A load that raises is tried again source
    by source: the one that raises is recorded as that source's error; the others load."""

    def __init__(self, steps: Steps, run_id: str, settings: Settings) -> None:
        self._queue: queue.Queue[SourceCrawl | None] = queue.Queue()
        self._done: dict[int, tuple[LoadSummary, list[RunError]]] = {}
        self._steps, self._run_id, self._settings = steps, run_id, settings
        ctx = contextvars.copy_context()
        self._thread = threading.Thread(target=ctx.run, args=(self._work,), daemon=True,
                                        name="govreports-loader")
        self._thread.start()

    def put(self, crawled: SourceCrawl) -> None:
        progress.report("crawl", 1, label=crawled.source.id)
        self._queue.put(crawled)

    def _work(self) -> None:
        last = False
        while not last and (sc := self._queue.get()) is not None:
            group = [sc]
            while len(group) < GROUP_BATCHES:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    last = True
                    break
                group.append(nxt)
            self._load(group)

    def _load(self, group: list[SourceCrawl]) -> None:
        try:
            done = self._steps.extract_and_load(group, self._run_id, self._settings)
        except Exception as exc:
            if len(group) > 1:  # find the source that fails; the others still load
                for sc in group:
                    self._load([sc])
                return
            sc = group[0]
            logging.getLogger("govreports.flows").exception("load of %s failed", sc.source.id)
            failed = RunError(sc.source.id, sc.source.homepage, "load failed",
                              f"{sc.source.id}: load failed: {exc!r}")
            done = [(LoadSummary(run_id=self._run_id), [failed])]
        for sc, result in zip(group, done, strict=True):
            self._done[id(sc)] = result
            progress.report("load", 1, label=sc.source.id)

    def finish(self) -> dict[int, tuple[LoadSummary, list[RunError]]]:
        self._queue.put(None)
        self._thread.join()
        return self._done


def crawl_and_load(
    kind: str,
    *,
    sources: list[str] | None,
    registry: str | None,
    full: bool,
    years: list[int] | None,
    refetch: bool,
    settings: Settings | None = None,
    steps: Steps = TASKS,
    shard: str | None = None,
) -> dict[str, Any]:
    settings = settings or get_settings()
    # one run per warehouse, or per shard: shards (sources split by host) run side by side
    with run_lock(settings, kind, wait=settings.run_lock_wait, shard=shard):
        return _crawl_and_load(kind, sources=sources, registry=registry, full=full,
                               years=years, refetch=refetch, settings=settings, steps=steps,
                               shard=shard)


def _crawl_and_load(
    kind: str,
    *,
    sources: list[str] | None,
    registry: str | None,
    full: bool,
    years: list[int] | None,
    refetch: bool,
    settings: Settings,
    steps: Steps,
    shard: str | None = None,
) -> dict[str, Any]:
    log = _logger()
    registry_path = Path(registry) if registry else settings.sources
    found, registry_problems = steps.load_sources(registry_path, sources, shard)
    if not settings.contact and any(not s.allow_private for s in found):
        log.warning(
            "GOVREPORTS_CONTACT is not set: site operators cannot reach you about this crawler"
        )
    with Warehouse(settings) as wh:
        run_id = wh.start_run(
            kind,
            {
                "sources": sources,
                "registry": str(registry_path),
                "years": years,
                "full": full,
                "refetch": refetch,
                "shard": shard,
            },
        )
        wh.upsert_sources(found)
        # Each source is extracted and loaded as soon as its crawl ends (one loader thread,
        # one writer), so a slow host delays only itself. The warehouse answers the
        # crawler's "already stored?" from its read snapshot: the crawl never holds the
        # write lock. Which copy of a report is primary does not depend on the order
        # sources finish in (warehouse.load.document_rank).
        progress.report("load", 0, total=len(found), label="sources loaded")
        loader = _Loader(steps, run_id, settings)
        try:
            crawled = steps.crawl_sources(
                found,
                wh,
                settings,
                full=full,
                years=set(years) if years else None,
                refetch=refetch,
                on_source_done=loader.put,
            )
        finally:
            loaded = loader.finish()
    run = RunResult(run_id, kind, shard)
    run.reject_entries(str(registry_path), registry_problems)
    for line in registry_problems:
        log.warning(line)
    for sc in crawled:
        summary, errors = loaded[id(sc)]
        for error in errors:
            log.warning("%s", error.line())
        run.add_source(sc, summary, errors)
        log.info("%s: %s", sc.source.id, summary.line())
    result = run.as_dict()
    with Warehouse(settings) as wh:
        wh.finish_run(run_id, result)
    publish_artifacts(result)
    return result


def publish_artifacts(result: dict[str, Any]) -> None:
    """A markdown summary and a per-source table on the flow run (no-ops outside a run)."""
    lines = [
        f"# {result['kind']} run `{result['run_id']}`",
        "",
        "| what | count |",
        "| --- | --- |",
    ]
    for key in (
        "sources_visited",
        "pages_fetched",
        "reports_found",
        "new_reports",
        "new_revisions",
        "unchanged",
        "written",
        "quarantined",
        "skipped",
        "errors",
    ):
        lines.append(f"| {key.replace('_', ' ')} | {result.get(key, 0)} |")
    if result.get("errors_by_reason"):
        lines += ["", "## Errors by reason", ""]
        lines += [f"- {reason}: {n}" for reason, n in sorted(result["errors_by_reason"].items())]
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:  # plain-function run: no flow run to attach them to
        return
    try:
        create_markdown_artifact("\n".join(lines), key=f"{result['kind']}-summary")
        if result.get("per_source"):
            create_table_artifact(result["per_source"], key=f"{result['kind']}-sources")
    except Exception as exc:  # artifacts need a run context; never fail a load over them
        logging.getLogger("govreports.flows").debug("artifacts not published: %s", exc)
