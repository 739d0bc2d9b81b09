"""Re-extract stored raw documents with the current extractor: no network at all.

Rows produced by an older extractor version are replaced by the loader, never doubled.
Extraction is submitted in chunks, so the flow parallelises on whatever task runner it is
given: threads by default, a Dask cluster for a large re-parse (``reparse_on_dask``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from prefect import flow

from flows.common import _logger, publish_artifacts
from flows.summary import ReparseResult
from govreports import filetypes, progress
from govreports.models import FetchResult
from govreports.settings import Settings, get_settings
from schemas import load_catalog
from tasks.extract import build_reparse_batch_task
from tasks.load import load_batch_task
from warehouse import Warehouse, run_lock

REPORT_PAGES_SQL = """
    select url from report_documents
    union
    select url from skips
    where reason like 'extraction failed%' or reason like 'not loadable%'
"""
CHUNK = 100  # documents per extraction task


def _is_file(url: str) -> bool:
    return filetypes.is_listed_file(url)


def _chunks(docs: list[tuple[FetchResult, bytes]]) -> list[list[tuple[FetchResult, bytes]]]:
    """Chunks of pages, each with every stored file (a page's attachments must travel with it)."""
    files = [d for d in docs if _is_file(d[0].url)]
    pages = [d for d in docs if not _is_file(d[0].url)]
    return [pages[i : i + CHUNK] + files for i in range(0, len(pages), CHUNK)]


@flow(name="reparse")
def reparse(sources: list[str] | None = None, since: datetime | None = None) -> dict[str, Any]:
    """Re-parse every stored report page (or those of `sources`, fetched since `since`)."""
    settings = get_settings()
    with run_lock(settings, "reparse", wait=settings.run_lock_wait):  # one run per warehouse
        return _reparse(settings, sources, since)


def _reparse(settings: Settings, sources: list[str] | None,
             since: datetime | None) -> dict[str, Any]:
    catalog = load_catalog(settings.catalog)  # one catalog for extraction and validation
    log = _logger()
    by_source: dict[str | None, list[tuple[FetchResult, bytes]]] = defaultdict(list)
    with Warehouse(settings) as wh:
        run_id = wh.start_run("reparse", {"sources": sources, "since": str(since or "")})
        # Only report pages (loaded, or once taken for reports but not loadable) and the
        # files they link are re-read; list pages are stored too but hold no report.
        _, rows = wh.query(REPORT_PAGES_SQL)
        wanted = {r[0] for r in rows}
        # what each source's registry entry says, for pages that state no issuer
        _, src_rows = wh.query("select source_id, issuer, admin_code from sources")
        registry = {r[0]: (r[1], r[2]) for r in src_rows}
        for fr, data in wh.stored_documents(sources, since):
            if fr.url in wanted or _is_file(fr.url):
                by_source[fr.source_id].append((fr, data))
    submitted = [
        (source_id, len(chunk),
         build_reparse_batch_task.submit(run_id, source_id, chunk, registry.get(source_id),
                                         catalog))
        for source_id, docs in sorted(by_source.items(), key=lambda kv: kv[0] or "")
        for chunk in _chunks(docs)
    ]
    progress.report("reparse", 0, total=len(submitted), label="chunks re-parsed")
    run = ReparseResult(run_id)
    for source_id, n_docs, future in submitted:
        batch = future.result()
        summary = load_batch_task(batch, settings)  # loads stay sequential: one writer
        log.info("%s: %s", source_id, summary.line())
        progress.report("reparse", 1, label=str(source_id))
        run.row(source_id).add(n_docs, batch, summary)
    result = run.as_dict()
    with Warehouse(settings) as wh:
        wh.finish_run(run_id, result)
    publish_artifacts(result)
    return result


def reparse_on_dask(
    sources: list[str] | None = None,
    since: datetime | None = None,
    n_workers: int = 2,
    address: str | None = None,
) -> dict[str, Any]:
    """The same flow on a Dask cluster: a local one of `n_workers` processes, or `address`."""
    from prefect_dask.task_runners import DaskTaskRunner

    runner = (
        DaskTaskRunner(address=address)
        if address
        else DaskTaskRunner(
            cluster_kwargs={
                "n_workers": n_workers,
                "processes": True,
                "threads_per_worker": 1,
                "dashboard_address": None,
            }
        )
    )
    flow_on_dask = reparse.with_options(task_runner=runner)  # type: ignore[arg-type]
    result: dict[str, Any] = flow_on_dask(sources=sources, since=since)
    return result
