"""Composition of the pure stages: a fetched document (and its attachments) → a full Report.

Extraction (metadata, text, sections) and indicator mentions are built by separate modules;
this is the one place that puts them together, so the CLI, the flows and the re-parse path
produce exactly the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from govreports.models import ExtractionError, FetchResult, Report, Section

# A report page whose own body is shorter than this, and which links an attachment, is
# taken to be a cover note: the report's text is the attachment's.
COVER_NOTE_CHARS = 600


def flatten_sections(sections: Iterable[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten_sections(s.subsections))
    return out


def analyse(report: Report) -> Report:
    """Add quantity mentions and consistency checks to an extracted report."""
    from govreports.indicators import check_consistency, extract_mentions

    report.mentions = extract_mentions(report.text, flatten_sections(report.sections))
    report.checks = check_consistency(report.mentions)
    return report


def process_document(
    data: bytes,
    *,
    url: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
) -> Report:
    from govreports.extract import extract_document

    return analyse(extract_document(data, url=url, filename=filename, content_type=content_type))


def process_file(path: Path, url: str | None = None) -> Report:
    from govreports.extract import extract_file

    return analyse(extract_file(path, url=url))


def process_report_document(
    page: FetchResult, attachments: Sequence[FetchResult] = ()
) -> tuple[Report, list[tuple[str, str]]]:
    """A report page plus its fetched attachments → one Report, and per-file problems.

    The page supplies what the site states about the document (title, publish date,
    索引号, source agency); when its body is only a cover note, the longest attachment that
    extracts supplies the text, sections and mentions. Attachments that cannot be read
    (DOC/WPS, scanned PDF) are returned as (url, reason) so the run records them.
    """
    from govreports.extract import extract_document

    problems: list[tuple[str, str]] = []
    report = extract_document(
        page.content, url=page.final_url or page.url, content_type=page.content_type
    )
    if len(report.text) < COVER_NOTE_CHARS and attachments:
        best: Report | None = None
        for att in attachments:
            if att.outcome != "ok" or not att.content:
                problems.append(
                    (att.url, f"attachment not fetched: {att.outcome} {att.error or ''}")
                )
                continue
            try:
                candidate = extract_document(
                    att.content,
                    url=att.final_url or att.url,
                    filename=(att.final_url or att.url).rsplit("/", 1)[-1],
                    content_type=att.content_type,
                )
            except ExtractionError as exc:
                problems.append((att.url, f"attachment unsupported: {exc}"))
                continue
            if best is None or len(candidate.text) > len(best.text):
                best = candidate
        if best is not None and len(best.text) > len(report.text):
            report = _merge_attachment(report, best)
    return analyse(report), problems


def _merge_attachment(page: Report, body: Report) -> Report:
    """Body from the attachment, page-level facts from the page where the file lacks them."""
    body.url = page.url
    body.title = page.title or body.title
    body.publish_date = page.publish_date or body.publish_date
    body.source_agency = page.source_agency or body.source_agency
    body.index_number = page.index_number or body.index_number
    body.doc_number = body.doc_number or page.doc_number
    if body.report_year is None:
        body.report_year = page.report_year
    if body.issuer is None:
        body.issuer, body.region, body.admin_code = page.issuer, page.region, page.admin_code
    body.attachments = page.attachments
    body.warnings = [*page.warnings, *body.warnings, f"text taken from attachment {body.file}"]
    return body
