"""Composition of the pure stages: a fetched document (and its attachments) → a full Report.

Extraction (metadata, text, sections) and indicator mentions are built by separate modules;
this is the one place that puts them together, so the CLI, the flows and the re-parse path
produce exactly the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from govreports.models import ExtractionError, FetchResult, Report, Section

if TYPE_CHECKING:
    from govreports.indicators.catalog import Catalog

# A report page whose own body is shorter than this, and which links an attachment, is
# taken to be a cover note: the report's text is the attachment's.
COVER_NOTE_CHARS = 600


def flatten_sections(sections: Iterable[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten_sections(s.subsections))
    return out


def analyse(report: Report, catalog: Catalog | None = None) -> Report:
    """Add quantity mentions and consistency checks to an extracted report, with ``catalog``
    (the one the settings name; default the bundled one)."""
    from govreports.indicators import check_consistency, extract_mentions, load_catalog

    cat = catalog if catalog is not None else load_catalog()
    report.mentions = extract_mentions(report.text, flatten_sections(report.sections),
                                       catalog=cat)
    report.checks = check_consistency(report.mentions, cat)
    report.catalog_version = cat.version
    return report


def process_document(
    data: bytes,
    *,
    url: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
    catalog: Catalog | None = None,
) -> Report:
    from govreports.extract import extract_document

    return analyse(extract_document(data, url=url, filename=filename, content_type=content_type),
                   catalog)


def process_file(path: Path, url: str | None = None, catalog: Catalog | None = None) -> Report:
    from govreports.extract import extract_file

    return analyse(extract_file(path, url=url), catalog)


def process_report_document(
    page: FetchResult, attachments: Sequence[FetchResult] = (), catalog: Catalog | None = None,
    extracted: Report | None = None,
) -> tuple[Report, list[tuple[str, str]]]:
    """A report page plus its fetched attachments → one Report, and per-file problems.

    The page supplies what the site states about the document (title, publish date,
    索引号, source agency); when its body is only a cover note, the longest attachment that
    extracts supplies the text, sections and mentions. Attachments that cannot be read
    (DOC/WPS, scanned PDF) are returned as (url, reason) so the run records them.
    ``extracted``: the page already read by ``extract_document`` (a re-parse reads it first to
    find its attachments), so it is not read twice.
    """
    from govreports.extract import extract_document

    problems: list[tuple[str, str]] = []
    report = extracted if extracted is not None else extract_document(
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
    return analyse(report, catalog), problems


def confirm_report(report: Report, link_title: str | None = None) -> tuple[bool, str]:
    """Is the extracted page a report? The link's title (else the page's own title) decides
    where it is clear; the body confirms a title that leaves it open, and overturns a clear one
    only when it is plainly something else (govreports.classify). Returns (is_report, reason);
    the reason is kept on the report."""
    from govreports.classify import decide, decide_body

    if report.family == "disclosure_annual":
        report.classification = "政府信息公开工作年度报告 (the disclosure family): " + (
            f"template {report.disclosure.template}" if report.disclosure else "no tables")
        return True, report.classification
    title = link_title or report.title
    if title:
        d = decide(title, report.text)
    else:
        d = decide_body(report.text, firm=True)
        d = type(d)(d.kind, f"no title: {d.reason}", d.year, d.provisional)
    report.classification = d.reason
    return d.kind == "report", d.reason


def apply_registry(report: Report, issuer: str | None, admin_code: str | None,
                   source_id: str | None = None) -> Report:
    """Fill what the page does not state from the registry entry the crawler came from,
    marked as such (``evidence[...].source == "registry"``). A page that names its issuer
    keeps it; where its place name is shared by several units, the registry's code decides
    among them when it is one of them."""
    from govreports.extract import resolve_region
    from govreports.models import Evidence

    where = f"registry entry {source_id}" if source_id else "registry entry"
    if report.issuer is None and issuer:
        report.issuer = issuer
        report.issuer_in_text = False
        report.evidence["issuer"] = Evidence(source="registry", quote=f"{where}: {issuer}",
                                             where="registry", inferred=True)
        resolve_region(report, prefer=(admin_code,) if admin_code else ())
        if report.admin_code is None and admin_code:
            report.admin_code = admin_code
        for k in ("region", "admin_code", "is_department", "functional_zone"):
            if report.evidence.get(k) is not None and report.evidence[k].source is None and (
                k != "admin_code" or report.admin_code is None
            ):
                continue
            report.evidence[k] = Evidence(source="registry", quote=f"{where}: {issuer}"
                                          f"{' ' + admin_code if admin_code else ''}",
                                          where="registry", inferred=True)
        report.warnings.append(f"issuer taken from the {where}: the page names none")
    elif report.admin_code is None and admin_code and admin_code in (
        report.evidence.get("admin_code") or Evidence()
    ).candidates:
        resolve_region(report, prefer=(admin_code,))
        if report.admin_code == admin_code:
            for k in ("region", "admin_code"):
                report.evidence[k] = Evidence(
                    source="registry", quote=f"{where}: {admin_code} (one of the units named"
                    f" {report.issuer})", where="registry", inferred=True)
    return report


def _merge_attachment(page: Report, body: Report) -> Report:
    """Body from the attachment, page-level facts from the page where the file lacks them."""
    body.url = page.url
    ev = body.evidence
    # Evidence taken from the page points into the page, not into the attachment's text.
    page_ev = {k: replace(e, where="page", start=None, end=None) if e.where == "text" else e
               for k, e in page.evidence.items()}
    for name in ("title", "publish_date", "source_agency", "index_number"):
        if getattr(page, name) is not None:  # what the site states about the document
            setattr(body, name, getattr(page, name))
            ev[name] = page_ev[name]
    if body.doc_number is None and page.doc_number is not None:
        body.doc_number, ev["doc_number"] = page.doc_number, page_ev["doc_number"]
    if body.written_date is None and page.written_date is not None:
        body.written_date, ev["written_date"] = page.written_date, page_ev["written_date"]
    if body.title is not None:
        body.display_title = None
    if body.report_year is None:
        body.report_year = page.report_year
        ev["report_year"] = page_ev["report_year"]
    if body.issuer is None:
        body.issuer, body.region, body.admin_code = page.issuer, page.region, page.admin_code
        body.is_department, body.functional_zone = page.is_department, page.functional_zone
        body.issuer_in_text = page.issuer_in_text
        for k in ("issuer", "region", "admin_code", "is_department", "functional_zone"):
            if k in page_ev:
                ev[k] = page_ev[k]
    if page.family == "disclosure_annual" and body.family != page.family:
        # the page's title names the family; the file's own opening may not
        from govreports.disclosure import read_disclosure

        body.family = page.family
        body.disclosure = read_disclosure(body.text)
    body.attachments = page.attachments
    body.warnings = [*page.warnings, *body.warnings, f"text taken from attachment {body.file}"]
    return body
