"""Main text of a government article page, without the page chrome around it.

Pure: takes the decoded page (and its URL) and returns the body as lines (one paragraph a
line), the page's meta tags, visible headline candidates and attachment links. The body is
found by rules kept as data (CMS containers, in the order tried), then by a paragraph-density
fallback; a line-level filter then drops chrome that CMS templates put inside containers
(【字体】 bars, print/close links, 公网安备 footers, 初审/复审/终审 lines, 相关附件 lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from govreports import cms as declared
from govreports import filetypes
from govreports.models import ExtractionError

# Body containers and markers are declared per CMS family in
# govreports/data/cms_families.yaml. Containers are tried in file order; the first rule that
# yields text wins. TRS nests TRS_Editor divs, so among one rule's matches the one holding the
# most text is taken. Markers (Hanweb's ContentStart/ContentEnd) come before containers.
CONTAINER_XPATHS: tuple[tuple[str, str], ...] = declared.body_rules()
_MARKERS = declared.body_markers()
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "select", "button", "input", "textarea",
    "object", "embed", "svg", "canvas", "template", "title",
)
_BLOCK = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article blockquote pre dd dt dl "
    "center hr tbody thead tfoot caption form header footer main nav figure figcaption address"
    .split()
)
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u200b\ufeff]+")
# A line that is page chrome, wherever it sits (simplified and traditional forms).
CHROME_LINE = re.compile(
    r"【\s*字[体體]|字[体體]\s*[:：]?\s*[【\[]?\s*大|打印本[页頁]|[关關]闭[窗視]口|[关關]閉窗口|"
    r"[【\[]\s*打印\s*[】\]]|[【\[]\s*[关關][闭閉]\s*[】\]]|分享到|公[网網]安[备備]|ICP[备備]|"
    r"[初复復终終][审審]\s*[|｜:：]|[责責]任[编編][辑輯]|网站标识码|網站標識碼|版[权權]所有|"
    r"主办单位|主辦單位|当前位置|當前位置|您现在的位置|您的位置|首[页頁]\s*[>＞»/]|"
    r"浏览器版本|建议您?(?:升级|使用)[^。]{0,12}浏览器|最佳分辨率|兼容模式|"
    r"扫一扫|掃一掃|在手机上查看|用手机扫描|收藏本[页頁]|加入收藏|[语語]音播[报報]|"
    r"^[(（]?\s*[责責][编編]\s*[:：]|^(?:【\d{1,2}】)+$"
)
# The body ends where a related-files or related-links list starts.
_TAIL_CUT = re.compile(
    r"^(相关附件|相關附件|附件下载|附件下載|相关链接|相關鏈接|相关阅读|相关文章)\s*[:：]?"
)
_TITLE_HINT = re.compile(r"title|bt|tit|headline|biaoti", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|-\s|\s-|—)\s*")


@dataclass
class HtmlParts:
    body: list[str]  # paragraphs of the main text, chrome removed
    meta: dict[str, str]  # meta name (lower case) → content
    title_tag: str | None
    headlines: list[str]  # visible headline candidates, best first
    page_lines: list[str]  # every visible line of the page (for 发布时间/索引号 lines)
    attachments: list[str] = field(default_factory=list)
    container: str = ""  # the rule that found the body


def _clean_line(s: str) -> str:
    return _WS.sub(" ", s).strip()


def block_lines(root: etree._Element) -> list[str]:
    """Visible text of ``root``: one line per block element, whitespace collapsed."""
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None:
                continue
            if tag in _BLOCK:
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if el.text:
                parts.append(el.text)
        else:
            if tag in _BLOCK:
                parts.append("\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    lines = (_clean_line(x) for x in "".join(parts).split("\n"))
    return [x for x in lines if x]


# Article-info lines that templates put inside the body container (short lines only).
_INFO_LINE = re.compile(
    r"^(发布时间|发布日期|时间发布|發佈時間|發布時間|信息来源|信息來源|来源|來源|阅读次数|閱讀次數|"
    r"浏览次数|瀏覽次數|点击数|點擊數|访问量|作者|字号|字號|文章来源|索\s*引\s*号|索\s*引\s*號|"
    r"发布机构|發布機構|成文日期|生成日期|文\s*号|文\s*號|发文字号|标\s*题|標\s*題|主题分类|"
    r"主題分類|信息分类|所属栏目|公开方式|公開方式|有效性|发文机关)\s*[:：]"
)
# Leftovers of 字号 大/中/小 switches and print/close links once their markup is gone.
_WIDGET_LINE = re.compile(r"^[\[【(（]?\s*[大中小]\s*[\]】)）]?$|^【[^】]{1,6}】$")


def strip_chrome(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if _TAIL_CUT.match(line) and len(out) > 0:
            break
        if CHROME_LINE.search(line) or _WIDGET_LINE.match(line):
            continue
        if len(line) < 80 and _INFO_LINE.match(line):
            continue
        out.append(line)
    while out and re.fullmatch(r"附件\s*[:：]?", out[-1]):
        out.pop()  # an attachment label whose list was a link bar
    return out


def _parse(text: str) -> etree._Element:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str with an encoding decl
    # An early </html> (templates that include a second page, GNE issue #129) makes libxml2
    # hang the rest of the page outside the tree; the closers carry no information.
    text = re.sub(r"</(?:html|body)\s*>", "", text, flags=re.I)
    if "<" not in text:
        raise ExtractionError("not HTML: no markup")
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"HTML parse failed: {exc}") from exc
    return doc


def _clean(doc: etree._Element) -> None:
    etree.strip_elements(doc, *_DROP_TAGS, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)
    # Elements hidden by inline style are chrome or duplicates (mobile menus, templates).
    for el in doc.xpath("//*[contains(translate(@style, ' ', ''), 'display:none')"
                        " or contains(concat(' ', normalize-space(@class), ' '), ' ng-hide ')]"):
        if el.getparent() is not None:
            el.drop_tree()


def _text_len(el: etree._Element) -> int:
    return len(_WS.sub("", el.text_content()))


def _link_len(el: etree._Element) -> int:
    return sum(_text_len(a) for a in el.iter("a"))


def _by_rules(doc: etree._Element) -> tuple[str, etree._Element] | None:
    for name, xp in CONTAINER_XPATHS:
        found = [e for e in doc.xpath(xp) if isinstance(e.tag, str)]
        if not found:
            continue
        best = max(found, key=_text_len)
        if _text_len(best) - _link_len(best) >= 20:
            return name, best
    return None


def _by_density(doc: etree._Element) -> etree._Element | None:
    """The element whose direct paragraph children hold the most non-link text."""
    best: tuple[int, etree._Element] | None = None
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("p", "a", "span", "font", "html"):
            continue
        score = len(_WS.sub("", el.text or ""))
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag in ("p", "span", "font", "strong", "b", "section", "br", "h2", "h3") or (
                # Word-pasted and some TRS bodies use leaf <div>s as paragraphs
                child.tag == "div" and child.find(".//div") is None
                and child.find(".//table") is None and child.find(".//ul") is None
            ):
                score += _text_len(child) - _link_len(child)
            score += len(_WS.sub("", child.tail or ""))
        if best is None or score > best[0]:
            best = (score, el)
    if best is None or best[0] < 10:
        return None
    return best[1]


def _headlines(doc: etree._Element, title_tag: str | None) -> list[str]:
    cands: list[str] = []
    for el in doc.xpath("//h1|//h2|//h3|//*[@class or @id]"):
        if not isinstance(el.tag, str):
            continue
        if el.tag not in ("h1", "h2", "h3") and not _TITLE_HINT.search(
            f"{el.get('class', '')} {el.get('id', '')}"
        ):
            continue
        t = _clean_line(re.sub(r"\s+", " ", el.text_content()))
        if 4 <= len(t) <= 120 and t not in cands:
            cands.append(t)
    if title_tag:
        # Prefer the candidate the <title> agrees with (it usually is "headline_site name").
        agreeing = [c for c in cands if c in title_tag]
        rest = [c for c in cands if c not in agreeing]
        agreeing.sort(key=len, reverse=True)
        cands = agreeing + rest
    return cands


def title_from_tag(title_tag: str | None) -> str | None:
    if not title_tag:
        return None
    parts = [p for p in _TITLE_SPLIT.split(title_tag) if p.strip()]
    return parts[0].strip() if parts else None


def title_prefixes(title_tag: str | None) -> list[str]:
    """``<title>`` cut at each separator (site names follow the headline), longest first."""
    if not title_tag:
        return []
    cuts = [m.start() for m in re.finditer(r"\s*[_|｜\-—–]+\s*", title_tag)]
    out = [title_tag.strip()] + [title_tag[:c].strip() for c in reversed(cuts)]
    return [x for x in out if len(x) >= 4]


def parse_html(text: str, url: str | None = None) -> HtmlParts:
    """Split a decoded article page into body paragraphs, meta tags and headline candidates."""
    doc = _parse(text)
    meta: dict[str, str] = {}
    for m in doc.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        content = m.get("content")
        if name and content is not None and name not in meta:
            meta[name] = _clean_line(content)
    titles = doc.xpath("//title")
    title_tag = _clean_line(titles[0].text_content()) if titles else None

    container_name = ""
    container: etree._Element | None = None
    for start_re, end_re in _MARKERS:
        s = start_re.search(text)
        e = end_re.search(text, s.end()) if s else None
        if s and e and e.start() > s.end():
            try:
                frag = lxml_html.fragment_fromstring(text[s.end() : e.start()], create_parent="div")
            except (etree.ParserError, ValueError):
                continue
            _clean(frag)
            if _text_len(frag) >= 20:
                container_name, container = "content_markers", frag
                break

    _clean(doc)
    if container is None:
        hit = _by_rules(doc)
        if hit is not None:
            container_name, container = hit
    if container is None:
        container = _by_density(doc)
        container_name = "density"
    page_lines = block_lines(doc)
    body = strip_chrome(block_lines(container)) if container is not None else []

    attachments: list[str] = []
    for scope in ([container] if container is not None else []) + [doc]:
        for a in scope.iter("a"):
            href = (a.get("href") or "").strip()
            if href and filetypes.names_listed_file(href):
                absolute = urljoin(url, href) if url else href
                if absolute not in attachments:
                    attachments.append(absolute)
        if attachments:
            break
    return HtmlParts(
        body=body,
        meta=meta,
        title_tag=title_tag,
        headlines=_headlines(doc, title_tag),
        page_lines=page_lines,
        attachments=attachments,
        container=container_name,
    )
