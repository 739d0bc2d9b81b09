"""PDF and DOCX bytes from lines of text, as government offices export them (reportlab and
python-docx, deterministic: same input, same bytes). Used by the attachment files and the
disclosure reports the test web serves."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime


def make_pdf(title: str, lines: Sequence[str], author: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20,
                          wordWrap="CJK", firstLineIndent=24)
    head = ParagraphStyle("head", parent=body, fontSize=18, leading=28, alignment=1,
                          firstLineIndent=0)
    buf = io.BytesIO()
    # invariant=1 drops the creation timestamp and random ID: same input, same bytes.
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, title=title, author=author)
    flow = [Paragraph(title, head), Spacer(1, 12)]
    flow += [Paragraph(line, body) for line in lines if line.strip()]
    doc.build(flow)
    return buf.getvalue()


def make_docx(title: str, lines: Sequence[str], author: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = author
    document.core_properties.title = title
    fixed = datetime(2022, 1, 1)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.add_heading(title, level=1)
    for line in lines:
        if line.strip():
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
