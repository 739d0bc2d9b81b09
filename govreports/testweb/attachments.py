"""Make the attachment site's PDF and DOCX files from the seed texts.

The files are committed under ``files/`` so the test web starts in milliseconds (reportlab
takes about half a second per PDF). Regenerate them with::

    .venv/bin/python -m govreports.testweb.attachments

The PDF has a real text layer (CID font STSong-Light, which every PDF reader maps to Unicode),
so pypdf recovers the Chinese text; the DOCX is one paragraph per line, as offices export them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from govreports.testweb.content import lookalikes, seed_reports

FILES = Path(__file__).resolve().parent / "files"


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


def build_all(out: Path = FILES) -> list[Path]:
    reps = seed_reports()
    wy, lc = reps["wanyuan"], reps["longchang"]
    yaodian = lookalikes("四川省", "四川省司法厅", 2022)[1]
    out.mkdir(parents=True, exist_ok=True)
    made = {
        "wanyuan_2022.pdf": make_pdf(wy.title, wy.text.splitlines(), wy.issuer),
        "longchang_2021.docx": make_docx(lc.title, lc.text.splitlines(), lc.issuer),
        "gongzuoyaodian_2023.docx": make_docx(yaodian.title, yaodian.body, "四川省司法厅"),
    }
    from govreports.testweb.disclosure import docx_bytes, numbers, pdf_bytes
    from govreports.testweb.sites import SFT_DISCLOSURES, disclosure_file_name

    for d in SFT_DISCLOSURES:  # a department's 政府信息公开工作年度报告, as offices export them
        make = docx_bytes if d.markup == "docx" else pdf_bytes
        made[disclosure_file_name(d)] = make(d.title, d.issuer, d.year, numbers(d.seed, d.fmt))
    paths = []
    for name, data in made.items():
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in build_all():
        print(f"wrote {p} ({p.stat().st_size} bytes)")
