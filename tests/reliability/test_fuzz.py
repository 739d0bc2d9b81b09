"""Parsers under hostile input: mutated real pages, mutated test-web pages, random bytes.

Property: every parser returns its typed result or raises only its documented error
(``ExtractionError``; ``load_registry`` returns errors, never raises). Inputs tried per run
(hypothesis, derandomized so CI is reproducible; no example database is written):
``decode_bytes`` 200, ``parse_list_page`` 150 (every CMS family), ``extract_document`` 80,
``extract_mentions`` 150, ``load_registry`` 120 — 700 inputs in all; each test asserts its
own count (``pytest -s`` prints it). atheris is not used (no wheel for this interpreter in the
lock).
"""

from __future__ import annotations

import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreports.decode import decode_bytes
from govreports.discover import CMS_FAMILIES, parse_list_page
from govreports.extract import extract_document
from govreports.indicators import extract_mentions
from govreports.models import ExtractionError, ListPage, Report
from govreports.registry import load_registry
from govreports.testweb import TestWeb

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
TRIED: Counter[str] = Counter()


def _tried(target: str, examples: int) -> None:
    """The property really ran on that many inputs (a filter or a health check that
    quietly cut the run short would otherwise pass unnoticed)."""
    print(f"fuzz inputs tried: {target} {TRIED[target]}")
    assert TRIED[target] >= examples, (target, TRIED[target])

# Fragments that break naive parsers: comment/CDATA openers, NULs, half a GBK character,
# entity bombs, nested markup, a BOM in the middle, charset declarations that lie.
NASTY = [b"<!--", b"<![CDATA[", b"\x00", b"\xd5", b"&#0;", b"&#x110000;", b"<script>",
         b"</html>", b"<table><tr><td>", b"\xef\xbb\xbf", b'<meta charset="utf-16">',
         b'<meta charset="x-nonsense">', b"2022\xe5\xb9\xb4", b"\xff\xfe", b"<a href='javascript:",
         b"<a href=\"//evil.example/x.html\">", "第一百二十三万".encode(), b"%%%", b"\r\r\n"]


def _pages(web: TestWeb) -> list[tuple[str, bytes]]:
    """Seed pages: list and report pages of the test web, plus the smaller saved real pages."""
    urls = [u for s in web.registry() for u in s["lists"]] + [u for _, _, u in web.expected_reports
                                                              if u.endswith(".html")]
    out = []
    for url in urls[:12]:
        with urllib.request.urlopen(url, timeout=10) as resp:  # 127.0.0.1 only
            out.append((url, resp.read()))
    real = SHARED / "real_html"
    if real.is_dir():
        files = sorted(p for p in real.glob("*.html") if p.stat().st_size < 60_000)
        out += [(f"http://www.example.gov.cn/{p.name}", p.read_bytes()) for p in files[:10]]
    return out


@pytest.fixture(scope="module")
def pages(web: TestWeb) -> list[tuple[str, bytes]]:
    got = _pages(web)
    assert len(got) >= 8
    return got


@st.composite
def mutated(draw: st.DrawFn, pages: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    url, data = draw(st.sampled_from(pages))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "nasty", "dup", "drop"]))
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if op == "cut":
            del buf[at:]
        elif op == "flip" and buf:
            buf[at] ^= draw(st.integers(1, 255))
        elif op == "insert":
            buf[at:at] = draw(st.binary(max_size=64))
        elif op == "nasty":
            buf[at:at] = draw(st.sampled_from(NASTY)) * draw(st.integers(1, 50))
        elif op == "dup":
            buf[at:at] = buf[at:at + draw(st.integers(1, 4096))] * 3
        else:
            del buf[at:at + draw(st.integers(1, 4096))]
    return url, bytes(buf)


def inputs(pages: list[tuple[str, bytes]]) -> st.SearchStrategy[tuple[str, bytes]]:
    random_bytes = st.tuples(st.just("http://www.example.gov.cn/x.html"), st.binary(max_size=4000))
    return st.one_of(mutated(pages), random_bytes)


CTYPES = st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
                          "application/octet-stream", "text/html; charset=bogus", "text/plain",
                          "application/pdf"])
FUZZ = dict(deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture])


def test_decode_bytes(pages: list[tuple[str, bytes]]) -> None:
    @settings(max_examples=200, **FUZZ)  # type: ignore[arg-type]
    @given(inputs(pages), CTYPES, st.sampled_from([None, "gbk", "utf-8", "nonsense"]))
    def run(page: tuple[str, bytes], ctype: str | None, override: str | None) -> None:
        TRIED["decode_bytes"] += 1
        got = decode_bytes(page[1], ctype, override)
        assert isinstance(got.text, str) and got.encoding

    run()
    _tried("decode_bytes", 200)


def test_parse_list_page(pages: list[tuple[str, bytes]]) -> None:
    @settings(max_examples=150, **FUZZ)  # type: ignore[arg-type]
    @given(inputs(pages), st.sampled_from(sorted(CMS_FAMILIES)), CTYPES)
    def run(page: tuple[str, bytes], cms: str, ctype: str | None) -> None:
        TRIED["parse_list_page"] += 1
        got = parse_list_page(page[1], page[0], cms=cms, content_type=ctype)
        assert isinstance(got, ListPage)
        assert all(link.url.startswith(("http://", "https://")) for link in got.links)

    run()
    _tried("parse_list_page", 150)


def test_extract_document(pages: list[tuple[str, bytes]]) -> None:
    @settings(max_examples=80, **FUZZ)  # type: ignore[arg-type]
    @given(inputs(pages), CTYPES)
    def run(page: tuple[str, bytes], ctype: str | None) -> None:
        TRIED["extract_document"] += 1
        try:
            got = extract_document(page[1], url=page[0], content_type=ctype)
        except ExtractionError as exc:
            # a clear error about the input, never a bug wrapped as one (extract_document
            # turns an unexpected exception into "extractor failed (TypeError: …)" so a run
            # goes on; here that is a failure)
            assert str(exc) and "extractor failed" not in str(exc), str(exc)
            return
        assert isinstance(got, Report)

    run()
    _tried("extract_document", 80)


def test_extract_mentions(pages: list[tuple[str, bytes]]) -> None:
    alphabet = list("0123456789.,%％万亿千百十个件人次元年月日起项第余近约"
                    "共计其中同比增长下降（）()、；。\n 一二三四五六七八九零")
    texts = st.one_of(
        mutated(pages).map(lambda p: decode_bytes(p[1]).text[:20_000]),
        st.text(alphabet=st.sampled_from(alphabet), max_size=2000),
    )

    @settings(max_examples=150, **FUZZ)  # type: ignore[arg-type]
    @given(texts)
    def run(text: str) -> None:
        TRIED["extract_mentions"] += 1
        for m in extract_mentions(text):
            assert 0 <= m.offset <= len(text)

    run()
    _tried("extract_mentions", 150)


REGISTRY = """\
sources:
- id: sc-wanyuan
  name: 万源市人民政府
  issuer: 万源市人民政府
  homepage: http://www.wanyuan.gov.cn/
  cms: trs_static
  lists: [http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html]
  admin_code: '511781'
  attachment_hosts: [files.wanyuan.gov.cn]
"""


def test_load_registry(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    base = REGISTRY.encode()

    @settings(max_examples=120, **FUZZ)  # type: ignore[arg-type]
    @given(st.lists(st.tuples(st.integers(0, len(base)), st.sampled_from(
        [b":", b"- ", b"\n  ", b"&a *a", b"!!python/object:os.system", b"[", b"{", b"'", b"\t",
         b"\x00", b"\xff", b"lists: file:///etc/passwd", b"id: ../../x"])), max_size=5))
    def run(edits: list[tuple[int, bytes]]) -> None:
        TRIED["load_registry"] += 1
        data = bytearray(base)
        for at, piece in edits:
            data[at:at] = piece
        path.write_bytes(bytes(data))
        sources, errors = load_registry(path)
        assert all(str(e) for e in errors)
        for s in sources:  # anything accepted is a usable http(s) source
            assert all(u.startswith(("http://", "https://")) for u in (s.homepage, *s.lists))

    run()
    _tried("load_registry", 120)
