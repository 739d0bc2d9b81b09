"""Make the attachment site's PDF and DOCX files from the seed texts.

The files are committed under ``files/`` so the test web starts in milliseconds (reportlab
takes about half a second per PDF). Regenerate them with::

    .venv/bin/python -m govreports.testweb.attachments

The PDF has a real text layer (CID font STSong-Light, which every PDF reader maps to Unicode),
so pypdf recovers the Chinese text; the DOCX is one paragraph per line, as offices export them.
"""

from __future__ import annotations

from pathlib import Path

from govreports.testweb.content import lookalikes, seed_reports
from govreports.testweb.documents import make_docx, make_pdf

FILES = Path(__file__).resolve().parent / "files"


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
