from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from govreports.decode import decode_bytes
from govreports.normalize import detect_script, fold, to_simplified

SEEDS = Path(__file__).resolve().parents[2] / "govreports" / "data" / "seeds"
TEXT = "建设法治政府，依法行政。全年办理行政复议案件１２件（含调解）。"


def test_fold_maps_every_character_back_to_the_original() -> None:
    original = "建設(shè)法治政府，全年辦理行政復議案件１２件（含調解）"
    f = fold(original)
    assert f.text == "建设法治政府,全年办理行政复议案件12件(含调解)"
    start = f.text.index("12件")
    a, b = f.original_span(start, start + 3)
    assert original[a:b] == "１２件"
    a, b = f.original_span(0, 2)
    assert original[a:b] == "建設"


def test_fold_keeps_length_on_the_traditional_seed() -> None:
    text = (SEEDS / "003_fc5a606910346e4f.txt").read_text(encoding="utf-8")
    f = fold(text)
    assert len(f.offsets) == len(f.text) + 1
    i = f.text.index("法治政府建设")
    a, b = f.original_span(i, i + 6)
    assert text[a:b] == "法治政府建設"


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("000_0e31c3dbbb217a42.txt", "simplified"),
        ("001_d68dadcd5706f4a5.txt", "simplified"),
        ("003_fc5a606910346e4f.txt", "traditional"),
    ],
)
def test_detect_script_on_the_seeds(name: str, script: str) -> None:
    assert detect_script((SEEDS / name).read_text(encoding="utf-8")) == script


def test_to_simplified() -> None:
    assert to_simplified("法治政府建設年度報告") == "法治政府建设年度报告"


@pytest.mark.parametrize(
    ("data", "content_type", "encoding"),
    [
        (b'<meta charset="gb2312">' + TEXT.encode("gbk"), "text/html", "gb18030"),
        (b"<meta charset=utf-8>" + TEXT.encode("gb18030"), None, "gb18030"),  # a lying meta
        (b'<meta charset="gb2312">' + TEXT.encode("utf-8"), None, "utf-8"),  # the x01 trap
        (TEXT.encode("gbk"), "text/html; charset=GBK", "gb18030"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8"),
        (TEXT.encode("utf-16-le"), None, None),
    ],
)
def test_decode_bytes_finds_the_real_encoding(
    data: bytes, content_type: str | None, encoding: str | None
) -> None:
    d = decode_bytes(data, content_type)
    if encoding is None:  # no declaration, no BOM: detection must still not crash
        assert isinstance(d.text, str)
        return
    assert d.encoding == encoding
    assert TEXT in d.text and not d.replaced


def test_gb2312_declared_page_with_a_gbk_only_character_still_decodes() -> None:
    text = "镕基同志讲话：依法行政"  # 镕 is outside GB2312
    d = decode_bytes(b"<meta charset=gb2312>" + text.encode("gb18030"))
    assert text in d.text


def test_real_pages_decode_without_replacement(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "real_html").rglob("*.html"))
    assert pages
    for page in pages:
        d = decode_bytes(page.read_bytes())
        assert "\ufffd" not in d.text, page.name
