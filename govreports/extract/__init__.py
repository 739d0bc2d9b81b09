"""Report extraction: one document's bytes (+ URL, file name, content type) → ``models.Report``.

Public API::

    extract_document(data, *, url=None, filename=None, content_type=None) -> Report
    extract_file(path, url=None) -> Report
    report_to_dict(report) -> dict       # JSON-ready, the gold's shape
    EXTRACTOR_VERSION

Pure: no network, clock or database. Every failure is an ``ExtractionError`` whose message
names the file or URL and says what is wrong. Quantity mentions are not filled here (see
``govreports.indicators``); sections carry code-point offsets so mentions can be placed.

What counts as the text: for HTML, the main body found by ``html.parse_html`` (paragraphs one
per line); for .txt, the file's text exactly (offsets and lines index it as the gold does);
for PDF/DOCX, their text layer. A page with no article text at all (a header include such as
real_html/o01) raises ``ExtractionError("no body: …")``.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from govreports.decode import decode_bytes
from govreports.extract import attachments as att
from govreports.extract import metadata as md
from govreports.extract.html import HtmlParts, parse_html, title_from_tag, title_prefixes
from govreports.extract.sections import find_sections, missing_elements
from govreports.models import ExtractionError, Report, Section
from govreports.normalize import detect_script, fold, to_simplified

EXTRACTOR_VERSION = "extract-0.6.1"

__all__ = ["EXTRACTOR_VERSION", "extract_document", "extract_file", "report_to_dict"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_TITLE_PREFIX = re.compile(r"^(?:关于)?(.+?)(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年")
_ORG_SUFFIX = re.compile(r"(人民政府|政府|委员会|管委会|局|厅|办公室|委|办)$")
_MIN_BODY_CHARS = 40
_MIN_LONGEST_LINE = 15


def _where(url: str | None, filename: str | None) -> str:
    return filename or url or "document"


def _check_text(text: str, where: str) -> None:
    if not text.strip():
        raise ExtractionError(f"{where}: empty document (no text after decoding)")
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if bad > max(3, len(sample) // 100):
        raise ExtractionError(
            f"{where}: binary or undecodable content ({bad} control/replacement characters"
            f" in the first {len(sample)})"
        )


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _html_title(parts: HtmlParts) -> str | None:
    """The visible headline when the page has no ArticleTitle meta tag: the longest cut of
    ``<title>`` that the page shows, else a headline element, else ``<title>`` itself."""
    page = _squash("\n".join(parts.page_lines))
    for cand in title_prefixes(parts.title_tag):
        if _squash(cand) in page:
            return cand
    if parts.title_tag:
        for head in parts.headlines:
            if head in parts.title_tag:
                return head
    return parts.headlines[0] if parts.headlines else title_from_tag(parts.title_tag)


_YEAR_FIRST = re.compile(
    r"^(?:关于)?(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?\s*(.+?)(?:关于)?法治政府"
)
_PARTY_FIRST = re.compile(r"^中共[\u4e00-\u9fff]{2,20}?委(?:员会)?\s*(?=\S+(?:人民政府|管委会))")


def _issuer_from_title(title: str | None) -> str | None:
    if not title:
        return None
    t = to_simplified(title)
    if "法治政府" not in t:
        return None
    m = _TITLE_PREFIX.match(t)
    prefix = re.sub(r"关于$", "", m.group(1).strip(" ：:，,")) if m else ""
    if len(prefix) < 2 and (y := _YEAR_FIRST.match(t)):
        prefix = y.group(1).strip(" ：:，,")  # 2023年度浙江省生态环境厅法治政府建设情况报告
    # Party committee and government signing jointly: the government is the issuer (as in
    # a 落款 listing both).
    prefix = _PARTY_FIRST.sub("", prefix).strip()
    if len(prefix) < 2:
        return None
    return prefix if _ORG_SUFFIX.search(prefix) else prefix + "人民政府"


def _fill(report: Report, parts: HtmlParts | None) -> None:
    """Metadata, region and structure of ``report.text`` (and of the page, for HTML)."""
    from govreports.extract import region

    text = report.text
    lines = text.split("\n")
    folded = fold(text)
    simplified = folded.text
    report.normalized_text = simplified
    report.script = "traditional" if detect_script(text) == "traditional" else "simplified"
    report.sections = find_sections(text)
    report.missing_elements = missing_elements(report.sections, text)
    head_end = report.sections[0].line - 1 if report.sections else min(len(lines), 10)

    title: str | None = None
    fields = md.Fields()
    if parts is not None:
        title, fields = md.meta_fields(parts.meta)
        title = title or _html_title(parts)
        seen = md.visible_fields(parts.page_lines)
    else:
        seen = md.visible_fields(lines[:head_end])
        if (i := md.title_line(lines, head_end)) is not None:
            title = md.title_text(lines, i)
    report.publish_date = fields.publish_date or seen.publish_date
    if report.publish_date is None and parts is not None and title:
        report.publish_date = md.date_near(parts.page_lines, title)
    report.source_agency = fields.source_agency or seen.source_agency
    report.index_number = seen.index_number
    report.doc_number = seen.doc_number or md.doc_number_in_head(lines[:head_end])

    end = md.closing(lines)
    report.sign_date = end.sign_date or seen.written_date
    report.report_year = md.year_of_title(title) or md.year_of_body(
        [x for x in lines[:head_end] if x.strip()] or lines[:8]
    )

    issuer = end.issuer
    report.issuer_in_text = issuer is not None
    if issuer is None:
        issuer = _issuer_from_title(title)
    if issuer is None and "法治政府" in simplified:
        place = region.guess_place(simplified, report.report_year)
        if place is not None:
            name = place.county if place.rank == 3 else place.city
            issuer = name + "人民政府"
    if issuer is not None and end.issuer is None:
        # "In the text" means stated as the issuing body (落款 or title line), not merely
        # mentioned in a sentence (gold 000: 万源市人民政府牵头… is no 落款).
        report.issuer_in_text = bool(title) and issuer in to_simplified(title or "") and (
            to_simplified(title or "") in simplified
        )
    report.issuer = issuer

    if title is None and issuer and report.report_year and "法治政府" in simplified:
        place_name = re.sub(r"人民政府$", "", issuer)
        title = f"{place_name}{report.report_year}年度法治政府建设情况报告"
        report.title_in_text = False
        report.warnings.append("title inferred from issuer and year (none in the document)")
    # Like the issuer, the title is kept in simplified script (the gold's convention); the
    # verbatim form stays in the text.
    report.title = to_simplified(title) if title else None

    resolved = region.resolve(issuer, report.report_year, simplified[:5000])
    report.region = resolved.region
    report.admin_code = resolved.admin_code
    report.functional_zone = resolved.functional_zone
    report.is_department = resolved.is_department
    if issuer and resolved.admin_code is None:
        report.warnings.append(f"region not resolved for issuer {issuer!r}")


def _from_html(report: Report, text: str, url: str | None, where: str) -> HtmlParts:
    parts = parse_html(text, url)
    body_chars = sum(len(x) for x in parts.body)
    longest = max((len(x) for x in parts.body), default=0)
    if (body_chars < _MIN_BODY_CHARS or longest < _MIN_LONGEST_LINE) and parts.attachments:
        # A cover note whose report is the attached file: keep it, the caller reads the file.
        report.warnings.append("cover note: the body only points to attachments")
    elif body_chars < _MIN_BODY_CHARS or longest < _MIN_LONGEST_LINE:
        raise ExtractionError(
            f"{where}: no body: no article text found ({body_chars} characters outside page"
            " chrome; a list page, header fragment or script-rendered page?)"
        )
    if parts.container == "density":
        report.warnings.append("body found by text density (no known CMS container)")
    low = text[-2000:].lower()
    if "</html>" not in low and "</body>" not in low:
        report.warnings.append("truncated HTML: no </body> or </html> at the end")
    report.attachments = parts.attachments
    report.text = "\n".join(parts.body)
    return parts


def extract_document(
    data: bytes,
    *,
    url: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
) -> Report:
    """Extract one document; raises ``ExtractionError`` (never anything else) on failure."""
    where = _where(url, filename)
    if not data:
        raise ExtractionError(f"{where}: empty file (0 bytes)")
    try:
        return _extract(data, url, filename, content_type, where)
    except ExtractionError as exc:
        if str(exc).startswith(f"{where}: "):
            raise
        raise ExtractionError(f"{where}: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise ExtractionError(f"{where}: document too deeply nested or too large: {exc}") from exc
    except Exception as exc:  # a bug must not stop a run over many files: record it
        raise ExtractionError(
            f"{where}: extractor failed ({type(exc).__name__}: {exc})"
        ) from exc


def _extract(
    data: bytes, url: str | None, filename: str | None, content_type: str | None, where: str
) -> Report:
    kind = att.sniff(data, filename, content_type)
    report = Report(url=url, file=filename, extractor_version=EXTRACTOR_VERSION)
    parts: HtmlParts | None = None
    if kind == "ole2":
        raise ExtractionError(f"{where}: unsupported: {att.ole2_reason(filename)}")
    if kind == "pdf":
        report.text = att.pdf_text(data, where)
        report.encoding = None
    elif kind == "docx":
        report.text = att.docx_text(data, where)
    else:
        decoded = decode_bytes(data, content_type)
        report.encoding = decoded.encoding
        if decoded.replaced:
            report.warnings.append(
                f"bytes not valid in any candidate charset; read as {decoded.encoding}"
            )
        _check_text(decoded.text, where)
        if kind == "text" and not (filename or "").lower().endswith(".txt"):
            kind = att.sniff_text(decoded.text)  # UTF-16 or BOM-prefixed markup
        if kind == "html":
            parts = _from_html(report, decoded.text, url, where)
        else:
            report.text = decoded.text
    if parts is None or not parts.attachments:
        _check_text(report.text, where)
    _fill(report, parts)
    return report


def extract_file(path: Path, url: str | None = None) -> Report:
    """Extract a saved file (.html in any encoding, .txt, .pdf, .docx)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return extract_document(data, url=url, filename=str(path))


def _section_dict(s: Section) -> dict[str, Any]:
    return {
        "heading": s.heading,
        "line": s.line,
        "role": s.role,
        "offset": s.offset,
        "run_in": s.run_in,
        "subsections": [
            {"heading": c.heading, "line": c.line, "run_in": c.run_in, "offset": c.offset}
            for c in s.subsections
        ],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """JSON-ready dict in the gold's shape (plus text, checks, attachments, warnings)."""
    return {
        "file": report.file,
        "url": report.url,
        "metadata": report.metadata(),
        "sections": [_section_dict(s) for s in report.sections],
        "missing_elements": list(report.missing_elements),
        "mentions": [asdict(m) for m in report.mentions],
        "checks": list(report.checks),
        "attachments": list(report.attachments),
        "warnings": list(report.warnings),
        "extractor_version": report.extractor_version,
        "text": report.text,
    }
