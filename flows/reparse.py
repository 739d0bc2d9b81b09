"""Re-extract stored raw documents with the current extractor: no network at all.

Rows produced by an older extractor version are replaced by the loader, never doubled.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from prefect import flow

from flows.common import _logger, publish_artifacts
from govreports.models import FetchResult
from govreports.settings import get_settings
from tasks.extract import build_reparse_batch_task
from tasks.load import load_batch_task
from warehouse import Warehouse


REPORT_PAGES_SQL = """
    select url from report_documents
    union
    select url from skips
    where reason like 'extraction failed%' or reason like 'not loadable%'
"""
_FILE_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".ofd")


def _is_file(url: str) -> bool:
    return url.lower().split("?", 1)[0].endswith(_FILE_SUFFIXES)


@flow(name="reparse")
def reparse(sources: list[str] | None = None, since: datetime | None = None) -> dict[str, Any]:
    """Re-parse every stored document (or those of `sources`, fetched since `since`)."""
    settings = get_settings()
    log = _logger()
    by_source: dict[str | None, list[tuple[FetchResult, bytes]]] = defaultdict(list)
    with Warehouse(settings) as wh:
        run_id = wh.start_run("reparse", {"sources": sources, "since": str(since or "")})
        # Only report pages (loaded, or once taken for reports but not loadable) and the
        # files they link are re-read; list pages are stored too but hold no report.
        _, rows = wh.query(REPORT_PAGES_SQL)
        wanted = {r[0] for r in rows}
        for fr, data in wh.stored_documents(sources, since):
            if fr.url in wanted or _is_file(fr.url):
                by_source[fr.source_id].append((fr, data))
    rows = []
    for source_id, docs in sorted(by_source.items(), key=lambda kv: kv[0] or ""):
        batch = build_reparse_batch_task(run_id, source_id, docs)
        summary = load_batch_task(batch, settings)
        log.info("%s: %s", source_id, summary.line())
        rows.append({
            "source": source_id, "documents": len(docs), "reports": len(batch.reports),
            "new_revisions": summary.new_revisions, "loaded": summary.loaded,
            "quarantined": summary.quarantined, "skipped": summary.skipped,
            "errors": len(batch.errors),
        })
    result: dict[str, Any] = {
        "run_id": run_id, "kind": "reparse", "sources_visited": len(rows), "per_source": rows,
        "pages_fetched": 0, "new_reports": 0,
        **{k: sum(r[k] for r in rows) for k in ("new_revisions", "loaded", "quarantined",
                                                "skipped", "errors")},
        "documents": sum(r["documents"] for r in rows),
    }
    with Warehouse(settings) as wh:
        wh.finish_run(run_id, result)
    publish_artifacts(result)
    return result
