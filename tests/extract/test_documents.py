"""HTML built from a seed, PDF and DOCX generated from seeds, and unsupported formats."""

from __future__ import annotations

import io
import re

import pytest

from govreports import yamlfile
from govreports.extract import extract_document, report_to_dict
from govreports.extract.attachments import OLE2_MAGIC
from govreports.models import ExtractionError

from .conftest import GOLD, SEEDS
from .pages import trs_page

SAME_FOR_ANY_CARRIER = ("title", "issuer", "region", "admin_code", "functional_zone",
                        "is_department", "report_year", "sign_date", "script")


def _gold(stem: str) -> dict:  # type: ignore[type-arg]
    return yamlfile.safe_load((GOLD / f"{stem}.yaml").read_text(encoding="utf-8"))


def _seed(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _headings(out: dict) -> list[tuple[str, str, list[str]]]:  # type: ignore[type-arg]
    return [(s["heading"], s["role"], [c["heading"] for c in s["subsections"]])
            for s in out["sections"]]


def test_html_page_around_a_seed_extracts_to_the_gold() -> None:
    stem = "001_d68dadcd5706f4a5"
    gold = _gold(stem)
    lines = _seed(stem).split("\n")
    body = lines[6:34]  # the seed's own page chrome (lines 1-5, 35) is replaced by the template
    html = trs_page(gold["metadata"]["title"], body).encode("utf-8")
    out = report_to_dict(extract_document(html, url="http://127.0.0.1:8000/art/2022/2/17/a.html"))
    md = out["metadata"]
    for key in SAME_FOR_ANY_CARRIER + ("publish_date", "source_agency"):
        assert md[key] == gold["metadata"].get(key, False), key
    assert _headings(out) == _headings(gold)
    text = out["text"]
    assert text.split("\n")[0].startswith("2021年,在内江市委")
    for chrome in ("首页", "当前位置", "【字体", "打印本页", "公网安备", "相关附件", "版权所有"):
        assert chrome not in text
    assert out["attachments"] == ["http://127.0.0.1:8000/art/2022/2/17/P020220217.pdf"]


def test_gbk_page_with_a_false_utf8_declaration() -> None:
    stem = "001_d68dadcd5706f4a5"
    gold = _gold(stem)
    page = trs_page(gold["metadata"]["title"], _seed(stem).split("\n")[6:34], charset="utf-8")
    report = extract_document(page.encode("gb18030"), content_type="text/html; charset=utf-8")
    assert report.encoding == "gb18030"
    assert report.title == gold["metadata"]["title"]
    assert report.admin_code == "511083"


def _pdf(paragraphs: list[str], width: int = 38) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800.0
    for para in paragraphs:
        # wrap as a word processor would: full lines, then the paragraph's short last line
        for i in range(0, len(para), width):
            if y < 50:
                c.showPage()
                y = 800.0
            c.setFont("STSong-Light", 12)
            c.drawString(50, y, para[i : i + width])
            y -= 16
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_pdf_text_layer_gives_the_seed_text_and_outline() -> None:
    stem = "000_0e31c3dbbb217a42"
    gold = _gold(stem)
    seed = _seed(stem)
    paras = [x for x in seed.split("\n") if x.strip()]
    out = report_to_dict(extract_document(_pdf(paras), filename="wanyuan_2022.pdf"))
    assert _squash(out["text"]) == _squash(seed)
    # wrapped lines are joined back into paragraphs, so headings and run-in ends survive
    assert _headings(out) == _headings(gold)
    for key in SAME_FOR_ANY_CARRIER:
        assert out["metadata"][key] == gold["metadata"].get(key, False), key


def test_docx_gives_the_seed_text_and_metadata() -> None:
    stem = "001_d68dadcd5706f4a5"
    gold = _gold(stem)
    seed = _seed(stem)
    paras = [x for x in seed.split("\n") if x.strip()]
    out = report_to_dict(extract_document(_docx(paras), filename="longchang_2021.docx"))
    assert out["text"] == "\n".join(paras)
    assert _headings(out) == _headings(gold)
    for key in SAME_FOR_ANY_CARRIER + ("publish_date", "source_agency", "title_in_text"):
        assert out["metadata"][key] == gold["metadata"].get(key, False), key


def test_traditional_docx_keeps_script_and_folds_for_matching() -> None:
    stem = "003_fc5a606910346e4f"
    gold = _gold(stem)
    paras = [x for x in _seed(stem).split("\n") if x.strip()]
    report = extract_document(_docx(paras), filename="chuanying.docx")
    assert report.script == "traditional"
    assert report.issuer == "船营区人民政府" and report.admin_code == "220204"
    assert report.title == gold["metadata"]["title"]
    assert "法治政府建设" in report.normalized_text and "法治政府建設" in report.text
    assert len(report.normalized_text) == len(report.text)


def test_scanned_pdf_is_recorded_as_unsupported() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 400, 600, fill=1)  # an "image" page: no text layer at all
    c.showPage()
    c.save()
    with pytest.raises(ExtractionError, match=r"scan\.pdf: unsupported: scanned PDF"):
        extract_document(buf.getvalue(), filename="scan.pdf")


@pytest.mark.parametrize(
    ("name", "reason"),
    [("report.doc", "legacy Word .doc"), ("report.wps", "WPS document"), (None, "legacy Word")],
)
def test_ole2_documents_are_recorded_as_unsupported(name: str | None, reason: str) -> None:
    data = OLE2_MAGIC + bytes(4096)
    with pytest.raises(ExtractionError, match=f"unsupported: {reason}"):
        extract_document(data, filename=name, url="http://127.0.0.1/f")


def test_broken_pdf_and_non_docx_zip() -> None:
    with pytest.raises(ExtractionError, match=r"bad\.pdf: "):
        extract_document(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", filename="bad.pdf")
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data.csv", "a,b\n1,2\n")
    with pytest.raises(ExtractionError, match="not a DOCX"):
        extract_document(buf.getvalue(), filename="x.docx")


def test_density_fallback_with_div_paragraphs_leaves_out_nav_and_footer() -> None:
    paras = ["2022年，我县坚持以习近平法治思想为指导，扎实推进法治政府建设，取得明显成效。",
             "一、主要举措和成效", "（一）加强组织领导。县政府常务会议专题研究法治政府建设3次。",
             "二、存在的问题", "依法行政能力有待提升，执法队伍力量不足，需要进一步加强。",
             "三、下一步工作安排", "持续推进依法决策，完善制度体系建设，加强监督检查工作。",
             "某某县人民政府", "2023年3月1日"]
    html = ("<html><body><div class='nav'><a href='/'>首页</a><a href='/x'>政务公开</a></div>"
            "<div class='left'>" + "".join(f"<div>{p}</div>" for p in paras) + "</div>"
            "<div class='footer'>地址：某某县某某路1号 电话：0000-0000000 邮编：000000</div>"
            "</body></html>")
    report = extract_document(html.encode(), filename="d.html")
    assert report.text.split("\n") == paras
    assert [s.role for s in report.sections] == ["achievements", "problems", "plans"]
    assert report.issuer == "某某县人民政府" and report.sign_date is not None
    assert any("density" in w for w in report.warnings)
