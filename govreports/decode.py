"""Bytes → text for pages whose declared charset cannot be trusted.

Order: BOM → HTTP header charset → ``<meta>`` charsets (each checked by actually decoding)
→ UTF-8 → GB18030 → detection. GB2312 and GBK are read as GB18030, their superset, so a
page that declares gb2312 but uses a rarer character still decodes. A candidate "passes"
only if it decodes strictly (no replacement characters needed).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-]+)", re.IGNORECASE)

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "big5": "big5hkscs",
}


@dataclass(frozen=True)
class Decoded:
    """Text and how it was decoded."""

    text: str
    encoding: str  # the codec that decoded it
    declared: str | None  # what the page or server claimed, if anything
    replaced: bool = False  # True only if nothing decoded strictly
    replaced_chars: int = 0  # bytes that could not be decoded and became U+FFFD

    def _replace_declared(self, declared: str | None) -> Decoded:
        from dataclasses import replace

        return replace(self, declared=declared)


def canonical(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().lower()
    n = _ALIASES.get(n, n)
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return m.group(1) if m else None


def meta_charsets(data: bytes, limit: int = 8192) -> list[str]:
    """Charsets declared in ``<meta>`` tags, in document order (head first)."""
    return [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(data[:limit])]


def _try(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        # A body cut short (truncated download) may end inside a multi-byte character:
        # that is no evidence against the codec, so decode what came before it.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[: exc.start].decode(enc)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


_MAX_BAD_SHARE = 1 / 2000  # at most one bad byte in 2000 (and at least 8 are forgiven)


def _agree(declared: list[str]) -> bool:
    """Every declaration names the same charset (header and meta, or a lone one)."""
    return len(set(declared)) == 1


def _tolerant(data: bytes, enc: str) -> Decoded | None:
    try:
        text = data.decode(enc, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd") - data.decode(enc, errors="ignore").count("\ufffd")
    if bad > max(8, int(len(data) * _MAX_BAD_SHARE)):
        return None
    return Decoded(text, enc, None, True, bad)


def decode_bytes(
    data: bytes, content_type: str | None = None, override: str | None = None
) -> Decoded:
    """Decode ``data`` to text, trusting declarations only as far as they actually decode."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(enc, errors="replace")
            return Decoded(text, enc, enc, "\ufffd" in text)

    declared_header = header_charset(content_type)
    metas = meta_charsets(data)
    declared = declared_header or (metas[0] if metas else None)
    candidates: list[str] = []
    for name in [override, declared_header, *metas, "utf-8", "gb18030"]:
        c = canonical(name)
        if c and c not in candidates:
            candidates.append(c)
    # Valid UTF-8 with non-ASCII bytes is almost never an accident, while GB18030 decodes
    # nearly any byte soup: so UTF-8 that decodes beats a gb-family declaration (x01 trap).
    if override is None and not data.isascii():
        as_utf8 = _try(data, "utf-8")
        if as_utf8 is not None:
            return Decoded(as_utf8, "utf-8", declared)
    declared_codecs = [c for c in (canonical(n) for n in [override, declared_header, *metas])
                       if c]
    for enc in candidates:
        decoded = _try(data, enc)
        if decoded is not None:
            return Decoded(decoded, enc, declared)
        if enc in declared_codecs and enc == declared_codecs[0] and _agree(declared_codecs):
            # What the page and its server both declare, spoiled by a few bad bytes (a stray
            # 0xff): read it so, replacing those bytes, rather than as another charset's soup.
            tolerant = _tolerant(data, enc)
            if tolerant is not None:
                return tolerant._replace_declared(declared)

    from charset_normalizer import from_bytes  # last resort; slower

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        return Decoded(text, best.encoding, declared, "\ufffd" in text)
    text = data.decode("gb18030", errors="replace")
    return Decoded(text, "gb18030", declared, True)
