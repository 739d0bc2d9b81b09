"""CMS families as data: ``govreports/data/cms_families.yaml`` read into typed, frozen records.

Discovery, the HTML extractor, the crawler's attachment finder and the test web ask here; none
of them names a family in code. Pure apart from reading the declarations once per process:
the package's file, then ``Settings.cms_families`` (``GOVREPORTS_CMS_FAMILIES``, a YAML file
of the same shape; the environment or ``.env``) if set,
whose families are added before the fallback ``generic`` (or replace a package family of the
same name), so a site-specific family needs no edit of the package.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govreports import yamlfile

DECLARATIONS = Path(__file__).resolve().parent / "data" / "cms_families.yaml"
FALLBACK = "generic"  # the family of a site whose software is unknown
PAGING_READERS = ("create_page_html", "next_links", "js_paging_note", "directory_columns")


class FamilyDeclarationError(ValueError):
    """The declarations file is malformed; the message names the file, family and key."""


@dataclass(frozen=True)
class Sniff:
    order: int
    body: tuple[re.Pattern[str], ...] = ()
    url: tuple[re.Pattern[str], ...] = ()
    content_types: tuple[str, ...] = ()
    head: int | None = None  # body patterns only see this many leading characters


@dataclass(frozen=True)
class CmsFamily:
    name: str
    title: str = ""
    sniff: Sniff | None = None
    containers: tuple[str, ...] = ()  # CSS selectors of the list container, most specific first
    next: tuple[str, ...] = ()  # CSS selectors of next-page anchors
    paging: tuple[str, ...] = ()  # paging readers applied to its list pages
    list_urls: tuple[str, ...] = ()  # regexes of list-page paths
    article_urls: tuple[str, ...] = ()  # regexes of article paths
    body: tuple[tuple[str, str], ...] = ()  # (rule name, XPath) of the main-text container
    markers: tuple[tuple[str, str], ...] = ()  # (start, end) regexes around the body
    attachments: tuple[str, ...] = ()  # regexes of suffix-less download links
    testweb: Mapping[str, Any] = field(default_factory=dict)


def _strs(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise FamilyDeclarationError(f"{where}: expected a list of strings")
    return tuple(raw)


def _pairs(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x) for x in raw
    ):
        raise FamilyDeclarationError(f"{where}: expected a list of [name, pattern] pairs")
    return tuple((x[0], x[1]) for x in raw)


def _compile(patterns: tuple[str, ...], where: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, flags))
        except re.error as exc:
            raise FamilyDeclarationError(f"{where}: bad regex {p!r}: {exc}") from exc
    return tuple(out)


_KEYS = {"name", "title", "sniff", "list", "article", "attachments", "testweb"}


def parse_family(raw: Mapping[str, Any], where: str) -> CmsFamily:
    """One declaration → a ``CmsFamily``; every mistake is one line naming ``where`` and key."""
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise FamilyDeclarationError(f"{where}: name must be a lower-case identifier, got {name!r}")
    where = f"{where} ({name})"
    if unknown := set(raw) - _KEYS:
        raise FamilyDeclarationError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    sniff = None
    if (s := raw.get("sniff")) is not None:
        if not isinstance(s, dict) or not isinstance(s.get("order"), int):
            raise FamilyDeclarationError(f"{where}: sniff needs an integer order")
        head = s.get("head")
        if head is not None and not isinstance(head, int):
            raise FamilyDeclarationError(f"{where}: sniff.head must be an integer")
        sniff = Sniff(order=s["order"],
                      body=_compile(_strs(s.get("body"), f"{where}: sniff.body"),
                                    f"{where}: sniff.body"),
                      url=_compile(_strs(s.get("url"), f"{where}: sniff.url"),
                                   f"{where}: sniff.url"),
                      content_types=_strs(s.get("content_types"), f"{where}: content_types"),
                      head=head)
    lst = raw.get("list") or {}
    art = raw.get("article") or {}
    if not isinstance(lst, dict) or not isinstance(art, dict):
        raise FamilyDeclarationError(f"{where}: list and article must be mappings")
    paging = _strs(lst.get("paging"), f"{where}: list.paging")
    if bad := [p for p in paging if p not in PAGING_READERS]:
        raise FamilyDeclarationError(f"{where}: unknown paging reader(s) {', '.join(bad)} "
                                     f"(one of {', '.join(PAGING_READERS)})")
    fam = CmsFamily(
        name=name,
        title=str(raw.get("title") or ""),
        sniff=sniff,
        containers=_strs(lst.get("containers"), f"{where}: list.containers"),
        next=_strs(lst.get("next"), f"{where}: list.next"),
        paging=paging,
        list_urls=_strs(lst.get("urls"), f"{where}: list.urls"),
        article_urls=_strs(art.get("urls"), f"{where}: article.urls"),
        body=_pairs(art.get("body"), f"{where}: article.body"),
        markers=_pairs(art.get("markers"), f"{where}: article.markers"),
        attachments=_strs(raw.get("attachments"), f"{where}: attachments"),
        testweb=dict(raw.get("testweb") or {}),
    )
    for label, pats in (("list.urls", fam.list_urls), ("article.urls", fam.article_urls),
                        ("attachments", fam.attachments)):
        _compile(pats, f"{where}: {label}")
    for start, end in fam.markers:
        _compile((start, end), f"{where}: article.markers")
    return fam


def parse_families(text: str, where: str = str(DECLARATIONS),
                   need_fallback: bool = True) -> dict[str, CmsFamily]:
    try:
        doc = yamlfile.safe_load(text)
    except yamlfile.YAMLError as exc:
        raise FamilyDeclarationError(f"{where}: not YAML: {exc}") from exc
    items = doc.get("families") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise FamilyDeclarationError(f"{where}: expected a non-empty `families:` list")
    out: dict[str, CmsFamily] = {}
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise FamilyDeclarationError(f"{where}: family #{i + 1} is not a mapping")
        fam = parse_family(raw, f"{where}: family #{i + 1}")
        if fam.name in out:
            raise FamilyDeclarationError(f"{where}: family {fam.name!r} is declared twice")
        out[fam.name] = fam
    if need_fallback and FALLBACK not in out:
        raise FamilyDeclarationError(f"{where}: the fallback family {FALLBACK!r} is missing")
    return out


EXTRA_ENV = "GOVREPORTS_CMS_FAMILIES"  # Settings.cms_families


def merge(base: dict[str, CmsFamily], extra: dict[str, CmsFamily]) -> dict[str, CmsFamily]:
    """``base`` with ``extra``'s families: same name replaces, new ones go before the
    fallback (whose body rules stay the last tried)."""
    out = {n: extra.get(n, f) for n, f in base.items() if n != FALLBACK}
    out.update({n: f for n, f in extra.items() if n not in base and n != FALLBACK})
    out[FALLBACK] = extra.get(FALLBACK, base[FALLBACK])
    return out


@lru_cache(maxsize=1)
def families() -> dict[str, CmsFamily]:
    """Every declared family by name, in file order (the extractor's body rules follow it)."""
    from govreports.settings import get_settings

    fams = parse_families(DECLARATIONS.read_text(encoding="utf-8"))
    if (path := get_settings().cms_families) is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FamilyDeclarationError(
                f"{path}: cannot read ({EXTRA_ENV}): {exc.strerror or exc}") from exc
        fams = merge(fams, parse_families(text, str(path), need_fallback=False))
    return fams


def names() -> tuple[str, ...]:
    return tuple(families())


def sniff_order() -> tuple[CmsFamily, ...]:
    """Families that can be recognised from a page, in the order they are tried."""
    fams = [f for f in families().values() if f.sniff is not None]
    return tuple(sorted(fams, key=lambda f: f.sniff.order if f.sniff else 0))


@lru_cache(maxsize=1)
def article_url_pattern() -> str:
    """One alternation of every family's article-path regexes."""
    return "|".join(p for f in families().values() for p in f.article_urls)


@lru_cache(maxsize=1)
def list_url_pattern() -> str:
    return "|".join(p for f in families().values() for p in f.list_urls)


def body_rules() -> tuple[tuple[str, str], ...]:
    """Every family's body containers, in file order."""
    return tuple(rule for f in families().values() for rule in f.body)


@lru_cache(maxsize=1)
def body_markers() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((re.compile(s, re.I), re.compile(e, re.I))
                 for f in families().values() for s, e in f.markers)


@lru_cache(maxsize=1)
def attachment_link() -> re.Pattern[str] | None:
    """Suffix-less download links any family declares (``None`` when none does)."""
    pats = [p for f in families().values() for p in f.attachments]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None


@lru_cache(maxsize=1)
def attachment_hint() -> re.Pattern[bytes] | None:
    """The same links as ``attachment_link``, as a cheap pre-test on raw page bytes."""
    pats = [p for f in families().values() for p in f.attachments]
    return re.compile("|".join(f"(?:{p})" for p in pats).encode(), re.I) if pats else None
