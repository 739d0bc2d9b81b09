"""Text of attached report files: PDF (text layer) and DOCX; the rest recorded as unsupported.

Legacy .doc/.wps (OLE2 compound files) and scanned PDFs carry no text we can read offline;
they raise ``ExtractionError("unsupported: <reason>")`` so the run records them instead of
skipping them silently.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Literal

from govreports.models import ExtractionError

Kind = Literal["pdf", "docx", "ole2", "html", "text"]
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype|html|head|body|meta|div|p|table|title)",
                         re.I | re.S)
_HTML_EXT = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
_HEADING_START = re.compile(r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十]")
_MIN_CHARS_PER_PAGE = 20  # fewer than this over the whole file: an image-only (scanned) PDF
# Bounds that keep one hostile file from taking the machine: a report is tens of pages and
# at most a few hundred thousand characters.
MAX_PDF_PAGES = 800  # pages read; the rest is dropped with a warning
MAX_TEXT_CHARS = 3_000_000  # characters kept from a file; the rest is dropped with a warning
MAX_ZIP_MEMBER = 64 << 20  # bytes one part of a DOCX may expand to
MAX_ZIP_TOTAL = 160 << 20  # bytes all parts of a DOCX may expand to


def sniff(data: bytes, filename: str | None, content_type: str | None) -> Kind:
    """What ``data`` is, by its magic bytes first (servers mislabel), then name and type."""
    name = (filename or "").lower()
    ctype = (content_type or "").lower()
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if name.endswith(_HTML_EXT) or "html" in ctype:
        return "html"
    if name.endswith(".txt") or ctype.startswith("text/plain"):
        return "text"
    if _HTML_START.match(data[:4096]):
        return "html"
    return "text"


_HTML_START_TEXT = re.compile(
    r"^\s*(<!--.*?-->\s*)*<(!doctype|html|head|body|meta|div|p|table|title)", re.I | re.S
)


def sniff_text(text: str) -> Kind:
    """Second look once decoded: markup that byte sniffing could not see."""
    return "html" if _HTML_START_TEXT.match(text[:4096]) else "text"


def _where(filename: str | None) -> str:
    return filename or "document"


def _unwrap(raw_lines: list[str]) -> list[str]:
    """Join the lines a PDF broke only because the text reached the margin (reflow).

    A paragraph starts on an indented line or an outline heading; a line continues onto the
    next when it is nearly as long as the page's full lines and does not end a sentence.
    """
    lines = [(x.strip(), x[:1].isspace()) for x in raw_lines if x.strip()]
    lengths = sorted(len(x) for x, _ in lines)
    if not lengths:
        return []
    full = lengths[int(len(lengths) * 0.75)]
    # Where the layout indents first lines, the indent alone marks paragraphs.
    by_indent = sum(ind for _, ind in lines) >= max(2, len(lines) // 20)
    out: list[str] = []
    joining = False
    for line, indented in lines:
        if joining and out and not indented and not _HEADING_START.match(line):
            out[-1] += line
        else:
            out.append(line)
        joining = by_indent or (
            len(line) >= 0.8 * full and not line.endswith(("。", "：", ":", "；", "！", "？"))
        )
    return out


def pdf_text(data: bytes, filename: str | None = None,
             warnings: list[str] | None = None) -> str:
    """The text layer, up to ``MAX_PDF_PAGES`` pages and ``MAX_TEXT_CHARS`` characters (what
    is dropped is said in ``warnings``)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable noise
    notes = warnings if warnings is not None else []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{_where(filename)}: unsupported: encrypted PDF")
        n_pages = len(reader.pages)
        pages: list[str] = []
        chars = 0
        for i, page in enumerate(reader.pages):
            if i >= MAX_PDF_PAGES or chars > MAX_TEXT_CHARS:
                notes.append(f"PDF truncated: the first {i} of {n_pages} pages read (limits "
                             f"{MAX_PDF_PAGES} pages, {MAX_TEXT_CHARS:,} characters)")
                break
            text = page.extract_text() or ""
            pages.append(text)
            chars += len(text)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, IndexError) as exc:
        raise ExtractionError(f"{_where(filename)}: PDF unreadable: {exc}") from exc
    lines = [x.rstrip() for p in pages for x in p.splitlines()]
    chars = sum(len(x.strip()) for x in lines)
    if chars < _MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise ExtractionError(
            f"{_where(filename)}: unsupported: scanned PDF (no text layer: {chars} characters"
            f" on {len(pages)} pages)"
        )
    return "\n".join(_unwrap(lines))


def docx_text(data: bytes, filename: str | None = None) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"{_where(filename)}: broken ZIP/DOCX: {exc}") from exc
    if "word/document.xml" not in names:
        raise ExtractionError(f"{_where(filename)}: unsupported: ZIP file that is not a DOCX")
    _check_expansion(zf, filename)
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on a damaged package
        raise ExtractionError(f"{_where(filename)}: DOCX unreadable: {exc}") from exc
    lines = [p.text.strip() for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            lines.append(" ".join(c for c in cells if c))
    return "\n".join(x for x in lines if x)


def _check_expansion(zf: zipfile.ZipFile, filename: str | None) -> None:
    """Refuse a DOCX whose parts expand past the limits before anything is decompressed."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    if biggest is not None and (biggest.file_size > MAX_ZIP_MEMBER or total > MAX_ZIP_TOTAL):
        raise ExtractionError(
            f"{_where(filename)}: DOCX expands to {total / 2**20:,.0f} MB ({biggest.filename}:"
            f" {biggest.file_size / 2**20:,.0f} MB; limits {MAX_ZIP_MEMBER >> 20} MB a part,"
            f" {MAX_ZIP_TOTAL >> 20} MB in all): a zip bomb, not a report"
        )


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """A DOCX's tables as rows of cell texts; a merged cell (which python-docx repeats in
    every grid column it spans) counted once. Empty when the file is not a readable DOCX."""
    from docx import Document

    try:
        _check_expansion(zipfile.ZipFile(io.BytesIO(data)), None)
        doc = Document(io.BytesIO(data))
    except Exception:  # docx_text has already said what is wrong with the file
        return []
    out: list[list[list[str]]] = []
    for table in doc.tables:
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            last = None
            for c in row.cells:
                if c._tc is last:
                    continue
                last = c._tc
                cells.append("".join(c.text.split()))
            rows.append(cells)
        out.append(rows)
    return out


def ole2_reason(filename: str | None) -> str:
    name = (filename or "").lower()
    if name.endswith(".wps"):
        return "WPS document (OLE2); convert it to DOCX or PDF"
    if name.endswith((".xls", ".et")):
        return "legacy spreadsheet (OLE2)"
    return "legacy Word .doc (OLE2); convert it to DOCX or PDF"
