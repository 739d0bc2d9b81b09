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


def test_one_stray_byte_does_not_lose_a_page_its_header_and_meta_call_utf8() -> None:
    """A single 0xff in a page whose header and meta both say UTF-8 is a bad byte, not a
    sign of GB18030: the page is read as UTF-8 with the byte replaced, and says so."""
    from govreports.extract import extract_document

    para = "2023年，我县深入推进法治政府建设，全年审查规范性文件12件，办理行政复议案件8件。"
    page = ('<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="某县2023年度'
            '法治政府建设情况报告"></head><body><div class="TRS_Editor"><p>' + para * 30
            + "</p></div></body></html>").encode()
    spoiled = page[:500] + b"\xff" + page[500:]
    d = decode_bytes(spoiled, "text/html; charset=utf-8")
    assert (d.encoding, d.replaced) == ("utf-8", True) and 1 <= d.replaced_chars <= 4
    report = extract_document(spoiled, url="http://x.gov.cn/a.html",
                              content_type="text/html; charset=utf-8")
    assert report.title == "某县2023年度法治政府建设情况报告" and report.encoding == "utf-8"
    assert any("undecodable" in w for w in report.warnings)
    # many bad bytes are no stray: then the declaration is not trusted blindly
    noisy = b"".join(page[i:i + 40] + b"\xff" for i in range(0, len(page), 40))
    assert decode_bytes(noisy, "text/html; charset=utf-8").encoding != "utf-8" or (
        decode_bytes(noisy, "text/html; charset=utf-8").replaced_chars == 0)
