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


def pdf_text(data: bytes, filename: str | None = None) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable noise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{_where(filename)}: unsupported: encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
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


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """A DOCX's tables as rows of cell texts; a merged cell (which python-docx repeats in
    every grid column it spans) counted once. Empty when the file is not a readable DOCX."""
    from docx import Document

    try:
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
