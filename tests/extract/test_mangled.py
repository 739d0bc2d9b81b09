"""Mangled input never crashes a run: it is a Report or an ExtractionError naming the file."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreports.extract import extract_document
from govreports.models import ExtractionError, Report

from .conftest import SEEDS
from .pages import trs_page

SEED_LINES = (SEEDS / "001_d68dadcd5706f4a5.txt").read_text(encoding="utf-8").split("\n")[6:34]
PAGE = trs_page("隆昌市2021年度法治政府建设情况报告", SEED_LINES).encode("utf-8")


def test_zero_byte_file() -> None:
    with pytest.raises(ExtractionError, match=r"^empty\.html: empty file \(0 bytes\)$"):
        extract_document(b"", filename="empty.html")


def test_binary_junk() -> None:
    junk = random.Random(7).randbytes(20000)
    with pytest.raises(ExtractionError, match=r"http://127\.0\.0\.1/x: .*(binary|no body|markup)"):
        extract_document(junk, url="http://127.0.0.1/x")


def test_empty_body() -> None:
    page = b"<html><head><title>t</title></head><body><div class='TRS_Editor'></div></body></html>"
    with pytest.raises(ExtractionError, match="no body"):
        extract_document(page, filename="blank.html")


def test_whitespace_only_text() -> None:
    with pytest.raises(ExtractionError, match="empty document"):
        extract_document("\u3000 \n\n\t".encode(), filename="blank.txt")


def test_truncated_before_the_body_is_an_error() -> None:
    cut = PAGE[: PAGE.index(b"TRS_Editor") - 40]
    with pytest.raises(ExtractionError, match="no body"):
        extract_document(cut, filename="cut.html")


def test_truncated_inside_the_body_extracts_with_a_warning() -> None:
    cut = PAGE[: int(len(PAGE) * 0.6)]
    report = extract_document(cut, filename="cut.html")
    assert any("truncated HTML" in w for w in report.warnings)
    assert report.text.startswith("2021年,在内江市委")
    assert report.title == "隆昌市2021年度法治政府建设情况报告"


def test_utf8_cut_mid_character_is_decoded_or_recorded() -> None:
    cut = PAGE[: PAGE.index("二、存在的问题".encode()) + 1]  # ends inside a 3-byte character
    try:
        report = extract_document(cut, filename="cut.html")
    except ExtractionError as exc:
        assert str(exc).startswith("cut.html: ")
    else:
        assert "一、工作开展情况" in report.text


def _outcome(data: bytes, **kw: str) -> None:
    try:
        result = extract_document(data, **kw)  # type: ignore[arg-type]
    except ExtractionError as exc:
        assert str(exc).startswith(kw.get("filename") or kw.get("url") or "document")
        assert "\n" not in str(exc)  # one clear line
    else:
        assert isinstance(result, Report)
        assert result.text.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.html", "a.txt", "a.pdf", "a.docx", "a.doc"]))
def test_arbitrary_bytes_never_crash(data: bytes, name: str) -> None:
    _outcome(data, filename=name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=0, max_value=len(PAGE)),
    st.integers(min_value=0, max_value=len(PAGE)),
    st.binary(max_size=64),
    st.sampled_from([None, "text/html", "text/html; charset=gbk", "application/pdf"]),
)
def test_damaged_real_page_never_crashes(a: int, b: int, junk: bytes, ctype: str | None) -> None:
    lo, hi = sorted((a, b))
    data = PAGE[:lo] + junk + PAGE[hi:]
    try:
        extract_document(data, url="http://127.0.0.1/p.html", content_type=ctype)
    except ExtractionError as exc:
        assert str(exc).startswith("http://127.0.0.1/p.html: ")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _outcome(text.encode("utf-8", "surrogatepass"), filename="t.txt")


def test_cover_note_with_only_an_attachment_link_is_kept() -> None:
    page = ("<html><head><meta name='ArticleTitle' content='隆昌市2021年度法治政府建设情况报告'>"
            "<meta name='PubDate' content='2022-02-17 09:00'></head><body>"
            "<div class='TRS_Editor'><p>详见附件。</p>"
            "<p><a href='./P02022.pdf'>隆昌市2021年度法治政府建设情况报告.pdf</a></p></div>"
            "</body></html>").encode()
    report = extract_document(page, url="http://127.0.0.1/a/t.html")
    assert report.attachments == ["http://127.0.0.1/a/P02022.pdf"]
    assert report.title == "隆昌市2021年度法治政府建设情况报告" and report.report_year == 2021
    assert any("cover note" in w for w in report.warnings)


def test_utf16_page_without_a_name_is_read_as_html() -> None:
    report = extract_document(PAGE.decode("utf-8").encode("utf-16"), url="http://127.0.0.1/u")
    assert report.encoding == "utf-16-le"
    assert report.title == "隆昌市2021年度法治政府建设情况报告" and "公网安备" not in report.text
