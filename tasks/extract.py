"""Turn one source's crawl (or stored documents) into a Batch of reports ready to load."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from prefect import task
from prefect.cache_policies import NO_CACHE

from govreports import filetypes
from govreports.crawl import SourceCrawl
from govreports.errors import RunError
from govreports.fetch import is_passing
from govreports.indicators.catalog import Catalog
from govreports.models import Batch, ExtractionError, FetchResult
from govreports.pipeline import (
    COVER_NOTE_CHARS,
    apply_registry,
    confirm_report,
    process_report_document,
)

log = logging.getLogger(__name__)


def build_batch(crawled: SourceCrawl, run_id: str, catalog: Catalog | None = None,
                attachment_tries: int = 3) -> Batch:
    """One source's crawl → its batch (``extract_source`` without the error records)."""
    return extract_source(crawled, run_id, catalog, attachment_tries)[0]


def extract_source(crawled: SourceCrawl, run_id: str, catalog: Catalog | None = None,
                   attachment_tries: int = 3) -> tuple[Batch, list[RunError]]:
    """One source's crawl → its batch, mentions read with ``catalog`` (the settings' one),
    and what failed (the crawl's errors, then extraction's), as records; the batch holds the
    same errors as the (url, reason) pairs the warehouse stores.

    A report page that is only a cover note for an attachment which failed for a passing
    reason waits for it (``Batch.pending_attachments``), for up to ``attachment_tries``
    runs, rather than being loaded without its text."""
    batch = Batch(
        run_id=run_id,
        source_id=crawled.source.id,
        fetches=list(crawled.fetches),
        skipped=list(crawled.skipped),
    )
    errors = list(crawled.run_errors)
    src = crawled.source
    for doc in crawled.reports:
        _add_report(batch, errors, doc.page, doc.attachments,
                    registry=(src.issuer, src.admin_code), link_title=doc.link.title,
                    catalog=catalog, tries=(doc.attachment_tries, attachment_tries))
    batch.errors = [e.pair() for e in errors]
    return batch, errors


def build_reparse_batch(
    run_id: str,
    source_id: str | None,
    documents: Iterable[tuple[FetchResult, bytes]],
    registry: tuple[str | None, str | None] | None = None,
    catalog: Catalog | None = None,
) -> Batch:
    """Stored documents (no network) → a Batch, exactly as a crawl would have produced.
    ``registry`` is the (issuer, admin_code) of the source's registry entry."""
    batch = Batch(run_id=run_id, source_id=source_id)
    errors: list[RunError] = []
    pages = list(documents)
    by_url = {fr.url: (fr, data) for fr, data in pages}
    for fr, data in pages:
        fr.content = data
        if _is_attachment(fr):
            continue  # read through the page that links it
        _add_report(batch, errors, fr, [], attachments_by_url=by_url, registry=registry,
                    catalog=catalog)
    batch.errors = [e.pair() for e in errors]
    return batch




def _is_attachment(fr: FetchResult) -> bool:
    if filetypes.is_listed_file(fr.final_url or fr.url):
        return True
    ct = (fr.content_type or "").lower()
    return bool(ct) and "html" not in ct and "text/" not in ct


def _add_report(
    batch: Batch,
    errors: list[RunError],
    page: FetchResult,
    attachments: list[FetchResult],
    attachments_by_url: dict[str, tuple[FetchResult, bytes]] | None = None,
    registry: tuple[str | None, str | None] | None = None,
    link_title: str | None = None,
    catalog: Catalog | None = None,
    tries: tuple[int, int] | None = None,
) -> None:
    """Add one report page to ``batch``, or say why not: skipped in the batch, failed in
    ``errors``. ``tries``: (runs that already fetched this page without its attachment, the
    most it waits) — a crawl's report pages only; a re-parse reads what is stored."""
    url = page.final_url or page.url
    source = batch.source_id or ""
    try:
        extracted = None
        if attachments_by_url is not None:  # a re-parse: the page says which files it links
            from govreports.extract import extract_document

            extracted = extract_document(page.content, url=url, content_type=page.content_type)
            for a in extracted.attachments:
                if a in attachments_by_url:
                    fr, data = attachments_by_url[a]
                    fr.content = data
                    attachments.append(fr)
        report, problems = process_report_document(page, attachments, catalog, extracted)
        if registry is not None:
            apply_registry(report, *registry, source_id=batch.source_id)
    except ExtractionError as exc:
        errors.append(RunError(source, url, "extraction failed", f"extraction failed: {exc}"))
        log.warning("%s: extraction failed: %s", url, exc)
        return
    waiting = [a for a in attachments if is_passing(a)]
    from_file = any(w.startswith("text taken from attachment") for w in report.warnings)
    if tries is not None and waiting and not from_file and len(report.text) < COVER_NOTE_CHARS:
        done, most = tries
        first = waiting[0]
        reason = first.error or first.outcome
        if done + 1 < most:
            batch.pending_attachments.append((url, first.url, reason))
            errors.append(RunError(source, url, "waiting for an attachment",
                                   f"waits for its attachment {first.url} ({reason}): "
                                   f"tried in {done + 1} of {most} runs, again next run"))
            return
        report.warnings.append(f"attachment {first.url} could not be fetched in {most} runs "
                               f"({reason}): loaded from the page alone")
    # attachments that could not be read, as text ("attachment unsupported: …", or an
    # extractor's bug: "… extractor failed (…)"): their kind is read from it
    errors.extend(RunError.from_text(source, u, r) for u, r in problems)
    is_report, why = confirm_report(report, link_title)
    if not is_report:
        batch.skipped.append((url, f"lookalike (read the page): {why}"))
        return
    if report.report_year is None or not report.issuer:
        missing = "report year" if report.report_year is None else "issuer"
        batch.skipped.append((url, f"not loadable as a report: no {missing} found"))
        return
    batch.reports.append((page, report))


build_batch_task = task(name="extract-source", cache_policy=NO_CACHE)(build_batch)
build_reparse_batch_task = task(name="reparse-source", cache_policy=NO_CACHE)(build_reparse_batch)
