"""Test-web sites rendered from a CMS family's declaration alone (its ``testweb`` section in
``govreports/data/cms_families.yaml``): no per-family code.

The site has one column: a cover-note page for a seed report whose text is an attachment
behind the family's download link, look-alikes and notices; list pages chained by the
family's next-page markup, paged as the declaration says. Discovery, extraction and the
crawler then meet the family exactly as they would a real site of it, which is how a new
family's declaration is proved end to end.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from govreports import cms as declared
from govreports.cms import CmsFamily
from govreports.testweb import templates as t
from govreports.testweb.content import lookalikes, notices, seed_reports
from govreports.testweb.sites import (
    DOCX,
    FILES,
    PDF,
    Article,
    ReportCopy,
    Resource,
    Site,
    _at,
    _source,
    html_resource,
    text_resource,
)

# the seed reports' files (as the attachment site serves them)
_SEED_FILES = {"wanyuan": ("wanyuan_2022.pdf", PDF), "longchang": ("longchang_2021.docx", DOCX)}


class _Fmt(dict[str, Any]):
    """``str.format_map`` values; a field the declaration uses but the builder does not
    supply fails with its name."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"testweb template field {{{key}}} has no value")


def _fill(template: str, **values: Any) -> str:
    return template.format_map(_Fmt(values))


def _shell(host: str, title: str, head: str, content: str) -> str:
    info = t.SiteInfo(host, "", "蜀ICP备05003671号", "川公网安备 51178102000123号", "")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(title)}-{escape(host)}</title>
{head}</head>
<body>
<div class="header"><a href="/">{escape(host)}</a></div>
{content}
{t._footer(info)}
</body></html>
"""


def _article_html(tw: Mapping[str, Any], host: str, a: Article, extra: list[str],
                  attachments: str = "") -> str:
    body = _fill(tw["body"], body=a.body(extra), attachments=attachments)
    content = (f'<div class="article"><h1 class="arti_title">{escape(a.title)}</h1>'
               f'<div class="arti_metas">发布日期：{a.day:%Y-%m-%d}　来源：{escape(host)}</div>'
               f"{body}</div>")
    return _shell(host, a.title, tw.get("head", ""), content)


def declared_families() -> list[CmsFamily]:
    """Families whose declaration says how the test web renders them."""
    return [f for f in declared.families().values() if f.testweb]


def build_declared(fam: CmsFamily) -> Site:
    tw = fam.testweb
    cfg = tw["site"]
    rep = seed_reports()[cfg["seed"]]
    host, column = cfg["host_name"], cfg["column"]
    place = rep.issuer.removesuffix("人民政府")
    y = rep.report_year
    site = Site(cfg["key"], _source(rep, cfg["id"], cfg["name"], fam.name, [tw["list_path"]],
                                    issuer=host, level="department"))

    # the report: a cover note, the text behind the family's download link
    fname, ctype = _SEED_FILES[rep.key]
    file_id = 5000 + sum(map(ord, fam.name)) % 1000
    note = Article(rep.title, rep.publish_date,
                   (f"现将《{rep.title}》予以转载，全文详见附件。", f"{host}办公室"), "report")
    att_html = "<ul>" + _fill(tw["attachment"], id=file_id,
                              name=escape(f"{rep.title}.{fname.rsplit('.', 1)[1]}")) + "</ul>"
    href = _fill(tw["attachment"], id=file_id, name="").split('href="', 1)[1].split('"', 1)[0]
    file_path = href.replace("&amp;", "&")
    site.resources[file_path] = Resource((FILES / fname).read_bytes(), ctype, _at(rep.publish_date))
    site.reports.append(ReportCopy(rep.key, file_path))

    arts = [note]
    alikes = lookalikes(place, rep.issuer, y)
    arts += [Article(alikes[i].title, date(y + 1, 2 + i, 6), alikes[i].body, "lookalike")
             for i in cfg.get("lookalikes", (1, 3))]
    arts += [Article(p.title, date(y + 1, 4 + i, 9), p.body, "notice")
             for i, p in enumerate(notices(place, rep.issuer, y)[: cfg.get("notices", 4)])]
    arts.sort(key=lambda a: (a.day, a.title), reverse=True)

    rows: list[tuple[str, Article]] = []
    for n, a in enumerate(arts):
        path = _fill(tw["article_path"], id=2300 + n * 7)
        rows.append((path, a))
        if a is note:
            def rerender(extra: list[str], a: Article = a,
                         path: str = path) -> tuple[str, Resource]:
                return path, html_resource(_article_html(tw, host, a, extra, att_html), a.day)

            site.rerender = rerender
            site.resources[path] = html_resource(_article_html(tw, host, a, [], att_html), a.day)
        else:
            site.resources[path] = html_resource(_article_html(tw, host, a, []), a.day)

    per = int(cfg.get("per_page", 10))
    pages = max(1, -(-len(rows) // per))
    # page 1 is list_path; later pages count down from pages-1 to 1 (page_path's {n})
    paths = [tw["list_path"]] + [_fill(tw["page_path"], n=pages - k) for k in range(1, pages)]
    for k, path in enumerate(paths):
        chunk = rows[k * per:(k + 1) * per]
        lis = "\n".join(_fill(tw["row"], n=i, href=escape(p), title=escape(a.title),
                              date=f"{a.day:%Y-%m-%d}") for i, (p, a) in enumerate(chunk))
        nxt = _fill(tw["next"], href=paths[k + 1]) if k + 1 < len(paths) else ""
        listing = _fill(tw["list"], rows=lis, total=len(rows), next=nxt)
        html = _shell(host, column, tw.get("head", ""), f"<h2>{escape(column)}</h2>{listing}")
        site.resources[path] = html_resource(html, arts[0].day)
    site.resources["/robots.txt"] = text_resource(t.robots(["/system/admin/"]))
    return site


def build_declared_sites() -> list[Site]:
    return [build_declared(f) for f in declared_families()]
