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
from govreports.extract.html import HtmlParts, parse_html
from govreports.extract.page import PageView, html_view, text_view
from govreports.extract.sections import find_sections, missing_elements
from govreports.models import Evidence, ExtractionError, Report, Section
from govreports.normalize import detect_script, fold

EXTRACTOR_VERSION = "extract-0.7.0"

__all__ = ["EXTRACTOR_VERSION", "extract_document", "extract_file", "report_to_dict",
           "resolve_region"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_MIN_BODY_CHARS = 40
_MIN_LONGEST_LINE = 15


def _where(url: str | None, filename: str | None) -> str:
    return filename or url or "document"


# A report page is at most a few hundred KB of markup; past this, what is left after scripts,
# styles and inline images is refused (the HTML tree costs ~30x the markup in memory).
MAX_MARKUP_CHARS = 3_000_000
# libxml2 stops building the tree 256 elements deep: text below is silently lost.
MAX_NESTING = 250
_BULK = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.I | re.S)
_DATA_URI = re.compile(r"""(src|href)\s*=\s*(["'])data:[^"']{256,}\2""", re.I)
_CONTAINER_TAG = re.compile(
    r"<(/?)(div|section|article|table|ul|ol|blockquote)\b[^>]*?(/?)>", re.I)


def bounded_markup(text: str, where: str, warnings: list[str]) -> str:
    """The page's markup, or a clear error when it is too big or too deep to read safely.

    Scripts, styles, comments and inline ``data:`` images are removed only from a page over
    the size limit (a small page is read as it is); a page still over it is refused. A page
    whose containers nest deeper than the parser keeps is refused rather than read as an
    empty page."""
    if len(text) > MAX_MARKUP_CHARS:
        slim = _DATA_URI.sub(r'\1=""', _BULK.sub("", text))
        if len(slim) > MAX_MARKUP_CHARS:
            raise ExtractionError(
                f"{where}: page too large to extract: {len(slim) / 1e6:.1f} million characters"
                f" of markup without scripts, styles and inline images (limit"
                f" {MAX_MARKUP_CHARS / 1e6:.0f} million)")
        warnings.append(f"large page: {len(text) - len(slim):,} characters of scripts, styles"
                        " and inline images dropped before reading")
        text = slim
    depth = deepest = 0
    for m in _CONTAINER_TAG.finditer(text):
        if m.group(3):  # <div/>
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            raise ExtractionError(
                f"{where}: markup nested more than {MAX_NESTING} levels deep: the text below"
                " that depth cannot be read (a generated or broken page, not a report)")
    return text


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


def _fill(report: Report, view: PageView) -> None:
    """Metadata (with evidence), region and structure of ``report.text``."""
    text = report.text
    folded = fold(text)
    report.normalized_text = folded.text
    report.script = "traditional" if detect_script(text) == "traditional" else "simplified"
    report.sections = find_sections(text)
    report.missing_elements = missing_elements(report.sections, text)

    meta = md.read_metadata(view)
    report.family = family_of(meta.fields["title"].value, folded.text)
    f = meta.fields
    report.title = f["title"].value
    report.title_in_text = report.title is not None
    report.report_year = f["report_year"].value
    report.issuer = f["issuer"].value
    report.issuer_in_text = report.issuer is not None and not f["issuer"].evidence.inferred
    report.publish_date = f["publish_date"].value
    report.sign_date = f["sign_date"].value
    report.written_date = f["written_date"].value
    report.source_agency = f["source_agency"].value
    report.index_number = f["index_number"].value
    report.doc_number = f["doc_number"].value
    evidence = {k: r.evidence for k, r in f.items()}
    evidence["script"] = Evidence(source="content", quote=report.script, where="text")
    report.evidence = evidence
    resolve_region(report, md.context_of(view))
    if report.title is None and report.issuer and report.report_year and (
        "法治政府" in folded.text[:3000]
    ):
        # Offered for display only, and marked so: the page states no title.
        place = re.sub(r"(?:人民政府|政府)$", "", report.issuer)
        report.display_title = f"{place}{report.report_year}年度法治政府建设情况报告"


_DISCLOSURE_TEXT = re.compile(
    r"政府信息公开.{0,6}年度?报告|根据《中华人民共和国政府信息公开条例》[^。]{0,80}编制"
)


def family_of(title: str | None, folded: str) -> str:
    """rule_of_law, or disclosure_annual for a 政府信息公开工作年度报告 (its title, or the
    template's opening: 本报告根据《中华人民共和国政府信息公开条例》…编制)."""
    from govreports.classify import decide_title

    if title and decide_title(title).kind == "disclosure":
        return "disclosure_annual"
    if not title or "法治" not in title:
        if _DISCLOSURE_TEXT.search(folded[:1500]):
            return "disclosure_annual"
    return "rule_of_law"


def resolve_region(report: Report, context: str = "", prefer: tuple[str, ...] = ()) -> None:
    """Region, admin code, zone and department flags from the issuer, with evidence."""
    from govreports.extract import region

    issuer_ev = report.evidence.get("issuer") or Evidence()
    codes = prefer + md.index_code(report.index_number)
    resolved = region.resolve(report.issuer, report.report_year, context, codes)
    report.region = resolved.region
    report.admin_code = resolved.admin_code
    report.functional_zone = resolved.functional_zone
    report.is_department = resolved.is_department
    if report.issuer is None:
        reason = "no issuer: nothing to resolve"
        for k in ("region", "admin_code", "is_department", "functional_zone"):
            report.evidence[k] = Evidence(reason=reason)
        return
    derived = Evidence(source="issuer", quote=report.issuer, where=issuer_ev.where,
                       start=issuer_ev.start, end=issuer_ev.end, inferred=issuer_ev.inferred)
    for k in ("is_department", "functional_zone"):
        report.evidence[k] = derived
    if resolved.admin_code is None:
        why = (f"{report.issuer} names a place shared by several units"
               f" ({', '.join(resolved.candidates)}) and the page does not say which"
               if resolved.candidates else f"no division found in {report.issuer!r}")
        for k in ("region", "admin_code"):
            report.evidence[k] = Evidence(reason=why, candidates=list(resolved.candidates))
        report.warnings.append(f"region not resolved for issuer {report.issuer!r}: {why}")
    else:
        for k in ("region", "admin_code"):
            report.evidence[k] = derived


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


def _view(report: Report, parts: HtmlParts | None, url: str | None) -> PageView:
    if parts is None:
        return text_view(report.text, url)
    return html_view(parts.page_lines, report.text, parts.meta, parts.headlines,
                     parts.title_tag, url)


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
    decoded_html: str | None = None
    docx_data: bytes | None = None
    if kind == "ole2":
        raise ExtractionError(f"{where}: unsupported: {att.ole2_reason(filename)}")
    if kind == "pdf":
        report.text = att.pdf_text(data, where, report.warnings)
        report.encoding = None
    elif kind == "docx":
        report.text = att.docx_text(data, where)
        docx_data = data
    else:
        decoded = decode_bytes(data, content_type)
        report.encoding = decoded.encoding
        if decoded.replaced:
            report.warnings.append(
                f"{decoded.replaced_chars or 'some'} undecodable character(s) replaced; read as"
                f" {decoded.encoding}" + (f" as declared ({decoded.declared})"
                                          if decoded.declared else "")
            )
        _check_text(decoded.text, where)
        if kind == "text" and not (filename or "").lower().endswith(".txt"):
            kind = att.sniff_text(decoded.text)  # UTF-16 or BOM-prefixed markup
        if kind == "html":
            markup = bounded_markup(decoded.text, where, report.warnings)
            parts = _from_html(report, markup, url, where)
            decoded_html = markup
        else:
            report.text = decoded.text
    if parts is None or not parts.attachments:
        _check_text(report.text, where)
    view = _view(report, parts, url)
    if report.url is None and view.url:
        report.url = view.url  # a saved page's own 原文链接
    _fill(report, view)
    if report.family == "disclosure_annual":
        from govreports.disclosure import html_tables, read_disclosure

        if decoded_html:
            report.disclosure = read_disclosure(report.text, html_tables(decoded_html))
        elif docx_data:
            report.disclosure = read_disclosure(report.text, att.docx_tables(docx_data),
                                                "docx_tables")
        else:
            report.disclosure = read_disclosure(report.text)
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
        # a 政府信息公开工作年度报告's template cells ({table, row, column, value, status,
        # note}); empty for a 法治政府建设 report
        "family": report.family,
        "disclosure": [c.as_dict() for c in report.disclosure.cells] if report.disclosure
        else [],
        "disclosure_template": report.disclosure.template if report.disclosure else None,
        "disclosure_checks": list(report.disclosure.checks) if report.disclosure else [],
        "attachments": list(report.attachments),
        "warnings": list(report.warnings),
        "extractor_version": report.extractor_version,
        "text": report.text,
    }
