"""Hostile files end in one clear line within bounded memory: a 10 MB page, a page of inline
images, markup nested 100,000 deep, a DOCX that expands to hundreds of MB (a zip bomb), a
PDF longer than the page limit. Each runs in a child process so its peak memory is its own;
the bound is 10x the input's size over the child's state just before extracting."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from govreports.extract import attachments as att
from govreports.extract import extract_document

REPO = Path(__file__).resolve().parents[2]
PARA = "<p>" + "本年度我市深入推进法治政府建设，办理行政复议案件12件，" * 20 + "</p>\n"
HEAD = "<html><head><title>某县2023年度法治政府建设情况报告</title></head><body>"
CHILD = """
import json, resource, sys
from govreports.extract import extract_document
from govreports.models import ExtractionError
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    r = extract_document(data, filename=sys.argv[2])
    out = {"ok": True, "chars": len(r.text), "warnings": r.warnings}
except ExtractionError as exc:
    out = {"ok": False, "error": str(exc)}
out["extra_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def _extract_in_child(tmp_path: Path, data: bytes, name: str) -> dict[str, object]:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), name], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]  # never a traceback
    got: dict[str, object] = json.loads(done.stdout)
    assert float(got["extra_mb"]) < 10 * len(data) / 2**20 + 30, got  # type: ignore[arg-type]
    return got


def test_a_ten_megabyte_page_is_refused_with_its_size(tmp_path: Path) -> None:
    body = PARA * int(10e6 / len(PARA.encode()))
    got = _extract_in_child(tmp_path, (HEAD + f"<div>{body}</div></body></html>").encode(),
                            "big.html")
    assert got["ok"] is False
    assert "page too large to extract" in str(got["error"]) and "limit 3 million" in str(
        got["error"])


def test_inline_images_are_dropped_and_the_report_read(tmp_path: Path) -> None:
    img = '<img src="data:image/png;base64,' + "iVBOR" * 2_000_000 + '">'
    page = HEAD + "<div class='TRS_Editor'>" + PARA * 30 + img + "</div></body></html>"
    got = _extract_in_child(tmp_path, page.encode(), "images.html")
    assert got["ok"] is True and int(got["chars"]) > 10_000  # type: ignore[call-overload]
    assert any("inline images dropped" in w for w in got["warnings"])  # type: ignore[attr-defined]


def test_markup_nested_a_hundred_thousand_deep_is_named_not_called_empty(
    tmp_path: Path,
) -> None:
    page = HEAD + "<div>" * 100_000 + PARA * 3 + "</div>" * 100_000 + "</body></html>"
    got = _extract_in_child(tmp_path, page.encode(), "deep.html")
    assert got["ok"] is False and "nested more than 250 levels deep" in str(got["error"])


def _bomb(expanded: int) -> bytes:
    """A DOCX whose document.xml expands to ``expanded`` bytes of spaces (written in chunks:
    the test itself stays small)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(expanded >> 20):
                member.write(chunk)
    return buf.getvalue()


def test_a_docx_zip_bomb_is_refused_before_anything_is_decompressed(tmp_path: Path) -> None:
    data = _bomb(400 << 20)
    assert len(data) < 2 << 20  # a small download: the fetch cap does not catch it
    got = _extract_in_child(tmp_path, data, "bomb.docx")
    assert got["ok"] is False
    assert "DOCX expands to 400 MB" in str(got["error"]) and "zip bomb" in str(got["error"])


def test_a_pdf_over_the_page_limit_is_read_in_part_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govreports.testweb.documents import make_pdf

    lines = [f"第{i}页。本年度我市深入推进法治政府建设，办理行政复议案件{i}件。" * 40
             for i in range(6)]
    pdf = make_pdf("某县2023年度法治政府建设情况报告", lines, "某县人民政府")
    monkeypatch.setattr(att, "MAX_PDF_PAGES", 2)
    report = extract_document(pdf, filename="long.pdf")
    (note,) = [w for w in report.warnings if w.startswith("PDF truncated")]
    assert "the first 2 of" in note and "第5页" not in report.text
