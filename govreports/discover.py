"""List (column) pages → article links and next-page URLs. Pure: bytes + URL in, ``ListPage`` out.

Government sites are built on a handful of CMS families. Each family is described as data in
``CMS_FAMILIES`` (where its list sits, how it pages, what its article URLs look like); small
functions read the paging conventions (TRS ``createPageHTML``, Hanweb ``datastore`` records and
``dataproxy.jsp`` groups, JSON search APIs, 下一页/尾页 links). Only lxml is used, and only the
list container's anchors become ``str`` values: bs4 trees cost ten times more per page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from govreports import cms as declared
from govreports import filetypes
from govreports.classify import classify, decide_title
from govreports.cms import CmsFamily
from govreports.decode import decode_bytes
from govreports.models import Link, ListPage

# Every family's list containers, paging and URL shapes are declared in
# govreports/data/cms_families.yaml (read by ``govreports.cms``); this module names none.
CMS_FAMILIES: dict[str, CmsFamily] = declared.families()

_ARTICLE_URL = re.compile(
    "(?:" + declared.article_url_pattern() + "|" + filetypes.READ_SUFFIX + ")", re.IGNORECASE
)
_NOT_ARTICLE = re.compile(
    r"/index(?:_\d+)?\.s?html?$|/$|/list"
    + ("|" + declared.list_url_pattern() if declared.list_url_pattern() else ""),
    re.IGNORECASE,
)
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEXT_TEXT = re.compile(
    r"^\s*(?:下一[页頁]|下[页頁]|后一[页頁]|後一頁|next|>|›|»)\s*$", re.IGNORECASE
)
_DIGITS = re.compile(r"^\s*\[?\s*(\d{1,4})\s*\]?\s*$")
_DROP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")


@lru_cache(maxsize=256)
def _css(selector: str) -> CSSSelector:
    return CSSSelector(selector)


def _iso_date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _absolute(href: str, base: str) -> str | None:
    href = href.strip()
    if not href or href.lower().startswith(_DROP_SCHEMES):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit(parts._replace(fragment=""))


def _link(url: str, title: str, date: str | None) -> Link:
    d = decide_title(title, url)
    return Link(url=url, title=title, date=date, kind=d.kind, reason=d.reason,
                report_year=d.year, provisional=d.provisional)


# --------------------------------------------------------------------------- HTML lists
def _anchor_title(a: Any) -> str:
    text = _clean(a.text_content())
    attr = _clean(a.get("title") or "")
    # Lists truncate long titles ("…") and keep the full one in @title.
    return attr if len(attr) > len(text) or (attr and text.endswith(("…", "...", ".."))) else text


def _row_date(a: Any) -> str | None:
    node = a
    for _ in range(3):  # the date sits in the same li/tr/dl, one or two levels up
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        date = _iso_date(node.text_content())
        if date:
            return date
    return None


def _is_article(url: str, title: str, in_container: bool) -> bool:
    path = urlsplit(url).path
    if _ARTICLE_URL.search(path):
        return True
    if _NOT_ARTICLE.search(path):
        return False
    # Inside a list container a long Chinese title is an article whatever the URL shape.
    return in_container and len(_CJK.findall(title)) >= 6


def _links_from(anchors: Iterable[Any], base: str, in_container: bool) -> list[Link]:
    out: dict[str, Link] = {}
    for a in anchors:
        url = _absolute(a.get("href") or "", base)
        if url is None:
            continue
        title = _anchor_title(a)
        if not title or not _is_article(url, title, in_container):
            continue
        prev = out.get(url)
        if prev is None or len(title) > len(prev.title):
            out[url] = _link(url, title, _row_date(a) or (prev.date if prev else None))
    return list(out.values())


def _html_links(doc: Any, base: str, family: CmsFamily, selectors: Mapping[str, str]) -> list[Link]:
    if selectors.get("links"):
        return _links_from(_css(selectors["links"])(doc), base, True)
    for sel in family.containers:
        anchors = [a for c in _css(sel)(doc) for a in c.iter("a")]
        links = _links_from(anchors, base, True)
        if links:
            return links
    # No known container: outside the page chrome, keep anchors with an article-shaped URL
    # or a long title with a date beside it (the shape of every list row).
    body = [a for a in doc.iter("a") if not _in_chrome(a)]
    shaped = _links_from(body, base, False)
    dated = [link for link in _links_from(body, base, True) if link.date]
    return list({link.url: link for link in shaped + dated}.values())


def _in_chrome(a: Any) -> bool:
    for anc in a.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        cls = f"{anc.get('class') or ''} {anc.get('id') or ''}".lower()
        if tag in ("header", "footer", "nav") or re.search(r"\b(?:footer|header|nav|menu)", cls):
            return True
    return False


# --------------------------------------------------------------------------- paging
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
_JS_INT_VAR = re.compile(r"var\s+(\w+)\s*=\s*['\"]?(\d+)['\"]?")


def _js_args(raw: str) -> list[str]:
    return [a.strip().strip("'\"") for a in raw.split(",")]


def trs_static_pages(text: str, url: str) -> list[str]:
    """Remaining pages of a TRS static column: ``index_1.html`` … from createPageHTML/countPage.

    Both call shapes exist: ``createPageHTML(count, current, "index", "html")`` and the newer
    ``createPageHTML("page_div", count, current, "index", "html", records)``; arguments may be
    variables (``countPage``) set earlier in the script. The function's own definition, which
    some sites inline, is skipped.
    """
    ints = {m.group(1): int(m.group(2)) for m in _JS_INT_VAR.finditer(text)}
    for m in _CREATE_PAGE.finditer(text):
        if text[max(0, m.start() - 9) : m.start()].rstrip().endswith("function"):
            continue
        args = _js_args(m.group(1))
        values = [ints.get(a, int(a) if a.isdigit() else None) for a in args]
        if values and values[0] is None and len(values) > 2 and values[1] is not None:
            args, values = args[1:], values[1:]  # leading container id
        if len(values) < 2 or values[0] is None:
            continue
        count, current = values[0], values[1] or 0
        name = args[2] if len(args) > 3 and args[2] else "index"
        ext = args[3] if len(args) > 3 and args[3] else "html"
        if count <= 1:
            return []
        folder = urljoin(url, "./")
        return [urljoin(folder, f"{name}_{i}.{ext}") for i in range(current + 1, count)]
    if (c := _COUNT_PAGE.search(text)) and int(c.group(1)) > 1:
        cur_m = _CURRENT_PAGE.search(text)
        current = int(cur_m.group(1)) if cur_m else 0
        folder = urljoin(url, "./")
        return [urljoin(folder, f"index_{i}.html") for i in range(current + 1, int(c.group(1)))]
    return []


_LIST_MODEL = re.compile(r"listModel\s*\(\s*\{(?P<body>.*?)\}\s*\)\s*;", re.DOTALL)


def trs_js_paging_note(text: str, static_links: int) -> str | None:
    """Explain a TRS "动静结合" column whose later pages exist only behind a JS search API."""
    m = _LIST_MODEL.search(text)
    if not m or "trsapi" not in text:
        return None
    body = m.group("body")

    def val(key: str) -> str | None:
        k = re.search(rf"{key}\s*:\s*(?:\"\"\s*\|\|\s*)?['\"]?([^'\",\n}}]+)", body)
        return k.group(1).strip() if k else None

    records, per = val("recordCount"), val("prepage")
    chnl = val("classsql")
    if records and records.isdigit() and per and per.isdigit() and int(records) > static_links:
        pages = -(-int(records) // int(per))
        return (
            f"JS-only paging: recordCount {records} at {per} per page = {pages} pages, "
            f"{static_links} links are static; later pages come from the list2.trsapi search "
            f"API ({chnl or 'channel unknown'}) whose endpoint is not in the page: no next "
            "page URL can be inferred; register the API as a trs_json list to walk it"
        )
    return None


_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.DOTALL | re.IGNORECASE)
_TOTALRECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)


def hanweb_records(text: str) -> list[str]:
    """The HTML snippets in a Hanweb ``<datastore>`` (one list row each)."""
    return _RECORD.findall(text)


def hanweb_next_group(text: str, url: str, records_here: int) -> list[str]:
    """The next ``dataproxy.jsp`` group URL, from ``<nextgroup>`` params and ``<totalrecord>``."""
    total_m = _TOTALRECORD.search(text)
    group_m = _NEXTGROUP.search(text)
    if not total_m:
        return []
    total = int(total_m.group(1))
    href = re.search(r"href\s*=\s*['\"]([^'\"]+)['\"]", group_m.group(1)) if group_m else None
    if href:
        base = urljoin(url, href.group(1).replace("&amp;", "&"))
    elif "dataproxy.jsp" in url:
        base = url  # a proxy response carries an empty nextgroup: keep our own parameters
    else:
        return []
    parts = urlsplit(base)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    here = dict(parse_qsl(urlsplit(url).query))
    per = int(m.group(1)) if (m := _PERPAGE.search(text)) else int(here.get("perpage", 15))
    start = int(here["startrecord"]) if here.get("startrecord", "").isdigit() else 1
    done = start - 1 + records_here
    if "endrecord" in here and here["endrecord"].isdigit():
        group = int(here["endrecord"]) - start + 1
    else:
        group = per * 3  # jpage fetches three pages per proxy call
    if records_here == 0 or done >= total:
        return []
    params.update(
        startrecord=str(done + 1), endrecord=str(min(done + group, total)), perpage=str(per)
    )
    params.pop("page", None)
    return [urlunsplit(parts._replace(query=urlencode(params)))]


def generic_next_pages(
    doc: Any, url: str, family: CmsFamily, selectors: Mapping[str, str]
) -> list[str]:
    """下一页 / ``a.next`` first, then numbered page links after the current one."""
    out: list[str] = []
    chosen = [selectors["next"]] if selectors.get("next") else list(family.next)
    for sel in chosen:
        for a in _css(sel)(doc):
            if (u := _absolute(a.get("href") or "", url)) and u != url:
                out.append(u)
    numbered: list[tuple[int, str]] = []
    current = None
    for a in doc.iter("a"):
        text = _clean(a.text_content())
        href = a.get("href") or ""
        if _NEXT_TEXT.match(text):
            if (u := _absolute(href, url)) and u != url:
                out.append(u)
        elif (d := _DIGITS.match(text)) and (u := _absolute(href, url)):
            numbered.append((int(d.group(1)), u))
            if u == url:
                current = int(d.group(1))
    if numbered:
        cur = current if current is not None else 1
        out.extend(u for n, u in sorted(numbered) if n > cur and u != url)
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- JSON lists
_TITLE_KEYS = ("doctitle", "title", "srcdoctitle", "name", "docname", "f_title", "mc")
_URL_KEYS = ("docpuburl", "chnldocurl", "srcdocpuburl", "url", "link", "href", "docurl", "puburl")
_DATE_KEYS = (
    "docreltime",
    "pubdate",
    "publishdate",
    "publishtime",
    "reltime",
    "date",
    "time",
    "docpubtime",
    "crtime",
    "fbrq",
)
_TOTAL_KEYS = ("pagecount", "totalpage", "totalpages", "pages", "page_count")
_RECORDS_KEYS = ("total", "recordcount", "totalcount", "totalrecord", "count", "totalelements")
_PAGE_PARAMS = ("page", "pageno", "pageindex", "curpage", "page_no", "pagenum", "p", "currpage")
_SIZE_KEYS = ("pagesize", "prepage", "perpage", "size", "page_size", "rows")


def _records(obj: Any) -> Iterator[list[dict[str, Any]]]:
    if isinstance(obj, list):
        if obj and all(isinstance(x, dict) for x in obj):
            yield obj
        for x in obj:
            yield from _records(x)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _records(v)


def _scalars(obj: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict) and depth < 4:
        for k, v in obj.items():
            if isinstance(v, dict):
                yield from _scalars(v, depth + 1)
            elif not isinstance(v, list):
                yield str(k).lower(), v


def _pick(rec: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    lower = {str(k).lower(): v for k, v in rec.items()}
    for k in keys:
        if lower.get(k) not in (None, ""):
            return lower[k]
    return None


def _json_date(value: Any) -> str | None:
    if isinstance(value, int | float) and value > 10**11:  # epoch milliseconds
        return datetime.fromtimestamp(value / 1000, UTC).date().isoformat()
    return _iso_date(str(value)) if value is not None else None


def parse_json_list(text: str, url: str) -> ListPage:
    """A JSON search-API response: the biggest list of records with a title and a URL."""
    page = ListPage(url=url)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        page.notes.append(f"not JSON ({exc.msg} at line {exc.lineno}): no links read")
        return page
    best: list[Link] = []
    for recs in _records(obj):
        links: dict[str, Link] = {}
        for rec in recs:
            href, title = _pick(rec, _URL_KEYS), _pick(rec, _TITLE_KEYS)
            if not isinstance(href, str) or title is None:
                continue
            if (u := _absolute(href, url)) is None:
                continue
            title = _clean(re.sub(r"<[^>]+>", "", str(title)))  # search APIs highlight hits
            links.setdefault(u, _link(u, title, _json_date(_pick(rec, _DATE_KEYS))))
        if len(links) > len(best):
            best = list(links.values())
    page.links = best
    meta = dict(_scalars(obj))
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k.lower() for k, _ in query]
    param = next((p for p in _PAGE_PARAMS if p in keys), None)
    cur = int(dict((k.lower(), v) for k, v in query)[param]) if param else 1
    pages = _int(_first(meta, _TOTAL_KEYS))
    if pages is None:
        total, size = _int(_first(meta, _RECORDS_KEYS)), _int(_first(meta, _SIZE_KEYS))
        size = (
            size or (dict((k.lower(), v) for k, v in query).get("pagesize") and None) or len(best)
        )
        if total is not None and size:
            pages = -(-total // size)
    if pages is not None and cur < pages and best:
        if param is None:
            query.append(("page", str(cur + 1)))
        else:
            query = [(k, str(cur + 1) if k.lower() == param else v) for k, v in query]
        page.next_pages.append(urlunsplit(parts._replace(query=urlencode(query))))
    elif pages is None and best:
        page.notes.append("JSON list without a page count: next page unknown")
    return page


def _first(meta: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((meta[k] for k in keys if meta.get(k) not in (None, "")), None)


def _int(v: Any) -> int | None:
    try:
        return int(v) if v is not None and not isinstance(v, bool) else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- entry points
def sniff_family(data: bytes | str, url: str = "", content_type: str | None = None) -> str:
    """Guess the CMS family from the body (first 200 KB), the URL and the Content-Type, by
    each declared family's sniff signature in its declared order."""
    head = data[:200_000].decode("utf-8", "ignore") if isinstance(data, bytes) else data[:200_000]
    ctype = (content_type or "").lower()
    for fam in declared.sniff_order():
        sn = fam.sniff
        assert sn is not None
        if ctype and any(c in ctype for c in sn.content_types):
            return fam.name
        seen = head[: sn.head] if sn.head else head
        if any(p.search(seen) for p in sn.body) or any(p.search(url) for p in sn.url):
            return fam.name
    return declared.FALLBACK


def parse_list_page(
    data: bytes,
    url: str,
    *,
    cms: str = "generic",
    content_type: str | None = None,
    selectors: Mapping[str, str] | None = None,
    encoding: str | None = None,
) -> ListPage:
    """Article links (classified) and next-page URLs of one list page, as the server sent it."""
    if cms not in CMS_FAMILIES:
        raise ValueError(f"{url}: unknown CMS family {cms!r} (one of {', '.join(CMS_FAMILIES)})")
    text = decode_bytes(data, content_type, encoding).text
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped[:1] in ("[", "{"):  # a JSON API answer, whatever the registry or header says
        return parse_json_list(stripped, url)
    family = CMS_FAMILIES[cms]
    selectors = selectors or {}
    page = ListPage(url=url)
    records = hanweb_records(text)
    if records:
        # Only the datastore rows are the list; the rest of the page is site chrome.
        doc = lxml.html.fromstring("<ul>" + "".join(records) + "</ul>")
        page.links = _links_from(doc.iter("a"), url, True)
        page.next_pages = hanweb_next_group(text, url, len(records))
        return page
    if not stripped:
        page.notes.append("empty page")
        return page
    if stripped.startswith("<?xml"):  # lxml refuses str input with an encoding declaration
        text = stripped.split("?>", 1)[-1]
    try:
        doc = lxml.html.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        page.notes.append(f"unparseable HTML: {exc}")
        return page
    if not isinstance(doc.tag, str):  # a lone comment or processing instruction, no element
        page.notes.append("no HTML element on the page")
        return page
    page.links = _html_links(doc, url, family, selectors)
    page.notes.extend(_refused_report_links(doc, url))
    # the family's declared paging readers, in the order they are listed
    nexts: list[str] = []
    if "create_page_html" in family.paging:
        nexts += trs_static_pages(text, url)
    if "next_links" in family.paging or selectors.get("next"):
        nexts += generic_next_pages(doc, url, family, selectors)
    known = {link.url for link in page.links}
    page.next_pages = [u for u in dict.fromkeys(nexts) if u not in known and u != url]
    if (not page.next_pages and "js_paging_note" in family.paging
            and (note := trs_js_paging_note(text, len(page.links)))):
        page.notes.append(note)
    if "directory_columns" in family.paging:
        page.next_pages += _directory_columns(doc, url, known | set(page.next_pages))
    return page


def _refused_report_links(doc: Any, base: str) -> list[str]:
    """Report-looking links whose scheme is never fetched (file://, ftp://, …), as notes.

    They are dropped from the list like any non-http link, but a report that cannot be
    reached is worth a line in the run's errors rather than silence.
    """
    notes: list[str] = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        scheme = urlsplit(urljoin(base, href)).scheme.lower()
        if not href or scheme in ("http", "https") or href.lower().startswith(_DROP_SCHEMES):
            continue
        title = _anchor_title(a)
        if classify(title, href)[0] == "report":
            notes.append(f"refused link {href}: scheme {scheme or '?'} is never fetched ({title})")
    return notes


def _directory_columns(doc: Any, url: str, seen: set[str]) -> list[str]:
    """Sub-columns of a 政府信息公开 directory that may hold reports (法治政府建设, 年度报告)."""
    out: list[str] = []
    for a in doc.iter("a"):
        text = _clean(a.text_content())
        u = _absolute(a.get("href") or "", url)
        if u and u not in seen and re.search(r"法治政府|依法行政|法治建设", text):
            if not _ARTICLE_URL.search(urlsplit(u).path):
                out.append(u)
                seen.add(u)
    return out


def discover_file(path: Path, url: str, cms: str | None = None) -> ListPage:
    """Parse a saved list page; ``cms=None`` sniffs the family from the page."""
    data = path.read_bytes()
    family = cms or sniff_family(data, url)
    return parse_list_page(data, url, cms=family)
