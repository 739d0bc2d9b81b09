"""CMS families are one declaration each (govreports/data/cms_families.yaml): discovery, the
extractor, the crawler's attachment finder and the test web read it; no module names one."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from govreports import cms
from govreports.crawl import attachment_urls
from govreports.discover import parse_list_page, sniff_family
from govreports.extract import extract_document
from govreports.fetch import FetchResult
from govreports.pipeline import process_report_document
from govreports.testweb import TestWeb
from govreports.testweb.content import seed_reports

ROOT = Path(__file__).resolve().parents[2]


def test_every_family_is_declared_once_with_the_fallback_last() -> None:
    fams = cms.families()
    assert list(fams)[-1] == cms.FALLBACK
    assert {"trs_static", "trs_json", "hanweb", "vsb", "xxgk_directory"} <= set(fams)
    # sniffing tries families by their declared order; the fallback is never sniffed
    order = [f.name for f in cms.sniff_order()]
    assert order[0] == "trs_json" and cms.FALLBACK not in order
    # the body rules follow the file: the fallback's shapes are the last tried
    rules = [name for name, _ in cms.body_rules()]
    assert rules[:3] == ["trs_editor", "zoom", "ucap"] and rules[-1] == "content_id"


def test_no_module_of_the_core_names_a_family() -> None:
    names = [n for n in cms.names() if n != cms.FALLBACK]
    pattern = re.compile(r"""["'](?:""" + "|".join(names) + r""")["']""")
    readers = [ROOT / "govreports" / f for f in ("discover.py", "crawl.py", "fetch.py",
                                                  "filetypes.py", "cms.py", "sourcecheck.py")]
    readers += sorted((ROOT / "govreports" / "extract").glob("*.py"))
    readers += [ROOT / "govreports" / "testweb" / "declared.py"]
    offenders = [f"{p.name}:{n}" for p in readers
                 for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("families: []", "expected a non-empty `families:` list"),
    ("families:\n  - name: Bad-Name", "name must be a lower-case identifier"),
    ("families:\n  - {name: x, sniff: {body: [a]}}", "(x): sniff needs an integer order"),
    ("families:\n  - {name: x, list: {paging: [scroll]}}", "(x): unknown paging reader(s) scroll"),
    ("families:\n  - {name: x, article: {urls: ['(']}}", "(x): article.urls: bad regex"),
    ("families:\n  - {name: x, selectors: {}}", "(x): unknown key(s) selectors"),
    ("families:\n  - {name: x}\n  - {name: x}", "family 'x' is declared twice"),
    ("families:\n  - {name: x}", "the fallback family 'generic' is missing"),
    ("families:\n  - {name: x, article: {body: [[a]]}}", "expected a list of [name, pattern]"),
])
def test_a_bad_declaration_is_one_line_naming_file_family_and_key(yaml_text: str,
                                                                  message: str) -> None:
    with pytest.raises(cms.FamilyDeclarationError) as err:
        cms.parse_families(yaml_text, "fams.yaml")
    text = str(err.value)
    assert text.startswith("fams.yaml: ") and message in text and "\n" not in text


def test_extra_declarations_add_families_before_the_fallback() -> None:
    base = cms.parse_families(cms.DECLARATIONS.read_text("utf-8"))
    extra = cms.parse_families("families:\n  - {name: zz, article: {body: [[zz_body, '//x']]}}\n"
                               "  - {name: hanweb, title: replaced}", need_fallback=False)
    merged = cms.merge(base, extra)
    assert list(merged)[-2:] == ["zz", cms.FALLBACK]
    assert merged["hanweb"].title == "replaced" and list(merged)[:3] == list(base)[:3]


def _fetch(client: httpx.Client, url: str) -> FetchResult:
    r = client.get(url)
    return FetchResult(url=url, source_id="t", outcome="ok", status=r.status_code,
                       content=r.content,
                       content_type=r.headers.get("content-type"))


def test_the_declared_vsb_site_is_walked_and_read_from_its_declaration(
        web: TestWeb, client: httpx.Client) -> None:
    """Sniffed by its signature, paged by 下页 links, the report's text read from the PDF
    behind VSB's suffix-less download.jsp link."""
    src = next(s for s in web.registry() if s["cms"] == "vsb")
    url: str | None = src["lists"][0]
    first = client.get(url)
    assert sniff_family(first.content, url) == "vsb"
    links, pages = [], 0
    while url:
        page = parse_list_page(client.get(url).content, url, cms="vsb")
        links += page.links
        pages += 1
        url = page.next_pages[0] if page.next_pages else None
    assert pages == 2 and all("/info/1021/" in link.url for link in links)
    reports = [link for link in links if link.kind == "report"]
    assert len(reports) == 1 and sum(link.kind == "lookalike" for link in links) == 2
    page = _fetch(client, reports[0].url)
    files = attachment_urls(page.content or b"", page.url, page.content_type)
    assert len(files) == 1 and "download.jsp" in files[0] and "wbfileid=" in files[0]
    assert extract_document(page.content or b"", url=page.url).attachments == files
    report, problems = process_report_document(page, [_fetch(client, files[0])])
    seed = seed_reports()["wanyuan"]
    assert problems == []
    assert (report.title, report.issuer, report.report_year) == (seed.title, seed.issuer,
                                                                 seed.report_year)
    assert len(report.text) > 2_000 and report.mentions  # the PDF's text, not the cover note
    assert "予以转载" not in report.text


NEW_FAMILY = """
families:
  - name: pageadmin
    title: PageAdmin CMS (declared in a test, nowhere in the package)
    sniff:
      order: 26
      body: ['/skin/js/pageadmin', 'PageAdmin CMS']
    list:
      containers: [div.nlist]
      next: [a.pagenext]
      paging: [next_links]
    article:
      urls: ['/Item/\\d+\\.aspx$']
      body:
        - [pa_detail, "//*[@id='detail_body']"]
    attachments: ['/Tools/DownFile\\.ashx\\?id=\\d+']
    testweb:
      site: {key: pageadmin, id: sc-longchang-pageadmin, seed: longchang,
             name: 隆昌市司法局 法治政府建设（PageAdmin）, host_name: 隆昌市司法局,
             column: 法治建设, per_page: 3, notices: 5}
      list_path: /Category_12/Index.aspx
      page_path: /Category_12/Index_{n}.aspx
      article_path: /Item/{id}.aspx
      head: >-
        <meta name="generator" content="PageAdmin CMS">
        <script src="/skin/js/pageadmin.js"></script>
      list: '<div class="nlist"><ul>{rows}</ul></div><div class="pages">共{total}条 {next}</div>'
      row: '<li><span>{date}</span><a href="{href}" target="_blank">{title}</a></li>'
      next: '<a class="pagenext" href="{href}">下一页</a>'
      body: '<div id="detail_body">{body}</div><div class="files">{attachments}</div>'
      attachment: '<li><a href="/Tools/DownFile.ashx?id={id}">{name}</a></li>'
"""

CHILD = """
import json, httpx
from govreports import cms
from govreports.crawl import attachment_urls
from govreports.discover import parse_list_page, sniff_family
from govreports.fetch import FetchResult
from govreports.pipeline import process_report_document
from govreports.registry import parse_registry
from govreports.testweb import TestWeb

def fetch(c, url):
    r = c.get(url)
    return FetchResult(url=url, source_id="t", outcome="ok", status=r.status_code,
                       content=r.content,
                       content_type=r.headers.get("content-type"))

with TestWeb() as web, httpx.Client(trust_env=False) as c:
    found, errors = parse_registry(web.registry_yaml())  # the registry accepts the name
    assert errors == [], errors
    source = next(s for s in found if s.id == "sc-longchang-pageadmin")
    url, kinds, pages, report = source.lists[0], [], 0, None
    sniffed = sniff_family(c.get(url).content, url)
    while url:
        lp = parse_list_page(c.get(url).content, url, cms=source.cms)
        pages += 1
        kinds += [l.kind for l in lp.links]
        for l in lp.links:
            if l.kind == "report":
                page = fetch(c, l.url)
                files = attachment_urls(page.content, l.url, page.content_type)
                rep, problems = process_report_document(page, [fetch(c, f) for f in files])
                report = dict(files=files, title=rep.title, issuer=rep.issuer,
                              year=rep.report_year, chars=len(rep.text), problems=problems)
        url = lp.next_pages[0] if lp.next_pages else None
    print(json.dumps(dict(names=list(cms.names()), sniffed=sniffed, pages=pages,
                          kinds=kinds, report=report), ensure_ascii=False))
"""


def test_a_new_family_is_one_declaration(tmp_path: Path) -> None:
    """A family no module knows, declared in a YAML file named by GOVREPORTS_CMS_FAMILIES:
    the registry accepts it, the test web serves a site of it, discovery sniffs and pages
    it, and the crawler finds its download links and reads the report behind one."""
    extra = tmp_path / "families.yaml"
    extra.write_text(textwrap.dedent(NEW_FAMILY), "utf-8")
    env = {**os.environ, cms.EXTRA_ENV: str(extra)}
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["names"][-2:] == ["pageadmin", "generic"]
    assert got["sniffed"] == "pageadmin" and got["pages"] == 3
    assert got["kinds"].count("report") == 1 and got["kinds"].count("lookalike") == 2
    seed = seed_reports()["longchang"]
    rep = got["report"]
    assert rep["files"] and all("/Tools/DownFile.ashx?id=" in f for f in rep["files"])
    assert (rep["title"], rep["issuer"], rep["year"]) == (seed.title, seed.issuer,
                                                          seed.report_year)
    assert rep["chars"] > 2_000 and rep["problems"] == []


def test_an_unreadable_extra_declaration_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, cms.EXTRA_ENV: str(tmp_path / "missing.yaml")}
    out = subprocess.run([sys.executable, "-c", "from govreports import cms; cms.families()"],
                         cwd=ROOT, env=env, text=True, capture_output=True, timeout=60)
    assert out.returncode != 0
    assert f"{tmp_path / 'missing.yaml'}: cannot read (GOVREPORTS_CMS_FAMILIES)" in out.stderr
