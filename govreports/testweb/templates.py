# ruff: noqa: E501  (HTML templates read best with one element per line)
"""HTML templates for the test web's CMS families, written after the real pages in
/work/shared/real_html (TRS, Hanweb, legacy ASP, xxgk platform) but not copied from them.

Every function returns ``str``; the site builder encodes it (UTF-8, or GB18030 for the legacy
site). Chrome is deliberately realistic (navigation, 【字体：大 中 小】, 打印/关闭, share bars,
footers with 公网安备 numbers) because extractors must learn to drop it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class SiteInfo:
    name: str  # 万源市人民政府
    domain: str  # www.wanyuan.gov.cn (printed only; never contacted)
    icp: str  # 蜀ICP备05012345号
    beian: str  # 川公网安备 51178102000123号
    site_code: str  # 网站标识码


@dataclass(frozen=True)
class ListItem:
    href: str
    title: str
    date: str  # YYYY-MM-DD


def paragraphs(lines: Iterable[str], indent: bool = True) -> str:
    style = ' style="text-indent: 2em;"' if indent else ""
    return "\n".join(f"<p{style}>{escape(ln)}</p>" for ln in lines)


def _footer(site: SiteInfo) -> str:
    return f"""<div class="footer">
  <p><a href="/">网站地图</a> | <a href="/">联系我们</a> | <a href="/">隐私声明</a></p>
  <p>主办：{escape(site.name)}办公室　承办：{escape(site.name)}大数据中心</p>
  <p>{escape(site.icp)}　<img src="/images/beian.png" alt="">{escape(site.beian)}　网站标识码：{site.site_code}</p>
</div>"""


def _nav(site: SiteInfo) -> str:
    return f"""<div class="header"><div class="logo"><a href="/">{escape(site.name)}</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjxq/">走进{escape(site.name[:2])}</a></li></ul>
<form class="search" action="/search/"><input name="q" placeholder="请输入关键字"></form></div>"""


# --------------------------------------------------------------------------- TRS
_TRS_PAGER = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span> ");
  else document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a> ");
  if(nCurrIndex > 1) document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex - 1) + "." + _sPageExt + "\\">上一页</a> ");
  else if(nCurrIndex == 1) document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">上一页</a> ");
  if(nCurrIndex + 1 < _nPageCount) document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a> ");
  document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\\">尾页</a>");
}"""


def trs_list(site: SiteInfo, column: str, items: Sequence[ListItem], count_page: int,
             current: int) -> str:
    lis = "\n".join(
        f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">'
        f"{escape(i.title)}</a><span>{i.date}</span></li>"
        for i in items
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="SiteName" content="{escape(site.name)}">
<meta name="SiteDomain" content="{site.domain}">
<meta name="ColumnName" content="{escape(column)}">
<meta name="ColumnType" content="{escape(column)}">
<title>{escape(column)}_{escape(site.name)}</title>
<link rel="stylesheet" href="/images/style.css"></head>
<body>
{_nav(site)}
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="./index.html">{escape(column)}</a></div>
<div class="main"><div class="left-menu"><h3>政务公开</h3><ul><li><a href="../zcwj/">政策文件</a></li>
<li class="on"><a href="./index.html">{escape(column)}</a></li><li><a href="../rsxx/">人事信息</a></li></ul></div>
<div class="list-box"><h2>{escape(column)}</h2>
<ul class="list">
{lis}
</ul>
<div class="page"><script type="text/javascript">
{_TRS_PAGER}
var countPage = {count_page}//共多少页
createPageHTML(countPage, {current}, "index", "html");
</script></div></div></div>
{_footer(site)}
</body></html>
"""


def trs_detail(site: SiteInfo, column: str, title: str, pub: str, source: str,
               body_html: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="SiteName" content="{escape(site.name)}">
<meta name="SiteDomain" content="{site.domain}">
<meta name="SiteIDCode" content="{site.site_code}">
<meta name="ColumnName" content="{escape(column)}">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{pub}">
<meta name="ContentSource" content="{escape(source)}">
<meta name="Keywords" content="{escape(column)}">
<title>{escape(title)}_{escape(site.name)}</title>
<link rel="stylesheet" href="/images/style.css"></head>
<body>
{_nav(site)}
<div class="crumb">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a> &gt; <a href="../">{escape(column)}</a></div>
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info"><span>发布时间：{pub}</span>　<span>来源：{escape(source)}</span>　<span>浏览次数：<script src="/hits.js"></script></span>
　<span class="font">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>
<div class="content" id="zoom"><div class="TRS_Editor">
{body_html}
</div></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>　<a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="share">分享到：<a class="wx">微信</a> <a class="wb">微博</a> <a class="qz">QQ空间</a></div>
</div>
{_footer(site)}
</body></html>
"""


# --------------------------------------------------------------------------- Hanweb
def hanweb_record(item: ListItem) -> str:
    return (
        f'<record><![CDATA[\n<li><a href="{escape(item.href)}" target="_blank" '
        f'title="{escape(item.title)}">{escape(item.title)}</a><span>{item.date}</span></li>\n'
        "]]></record>"
    )


def hanweb_datastore(records: Sequence[ListItem], nextgroup: str, total: int,
                     perpage: int) -> str:
    recs = "\n".join(hanweb_record(r) for r in records)
    totalpage = (total + perpage - 1) // perpage
    return (
        f"<datastore>\n<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n"
        f"<recordset>\n{recs}\n</recordset>\n"
        f"<totalrecord>{total}</totalrecord><totalpage>{totalpage}</totalpage>\n</datastore>"
    )


def hanweb_column(site: SiteInfo, column: str, column_id: int, unit_id: int, web_id: int,
                  datastore: str, total: int, perpage: int) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{escape(site.name)}">
<meta name="ColumnName" content="{escape(column)}">
<title>{escape(column)} {escape(site.name)}</title>
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script></head>
<body>
{_nav(site)}
<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/col/col{column_id}/index.html">{escape(column)}</a></div>
<div class="lm-list"><div class="lm-title">{escape(column)}</div>
<div id="{unit_id}"><script type="text/xml">
{datastore}
</script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>
$(document).ready(function(){{
  $('#{unit_id}').jpage({{
    dataStore: '#{unit_id}', perPage: {perpage}, totalRecord: {total},
    proxyUrl: '/module/web/jpage/dataproxy.jsp',
    ajaxParam: 'col=1&appid=1&webid={web_id}&path=/&columnid={column_id}&sourceContentType=1&unitid={unit_id}&webname={escape(site.name)}&permissiontype=0'
  }});
}});
</script></div>
{_footer(site)}
</body></html>
"""


def hanweb_detail(site: SiteInfo, column: str, title: str, pub: str, source: str,
                  body_html: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{escape(site.name)}">
<meta name="ColumnName" content="{escape(column)}">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{pub}">
<meta name="ContentSource" content="{escape(source)}">
<title>{escape(title)} {escape(site.name)}</title></head>
<body>
{_nav(site)}
<div class="position">您当前的位置：<a href="/">首页</a> &gt; {escape(column)}</div>
<table class="article" width="100%"><tr><td class="title">{escape(title)}</td></tr>
<tr><td class="info">发布日期：{pub[:10]}　信息来源：{escape(source)}　浏览次数：<script src="/module/visitcount/articlehits.jsp"></script>
　字体：[ <a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(12)">小</a> ]</td></tr>
<tr><td id="zoom"><!--ZJEG_RSS.content.begin--><!--ContentStart-->{body_html}<!--ContentEnd--><!--ZJEG_RSS.content.end--></td></tr>
<tr><td class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></td></tr></table>
{_footer(site)}
</body></html>
"""


# --------------------------------------------------------------------------- legacy ASP (GBK)
def legacy_list(site: SiteInfo, column: str, items: Sequence[ListItem], page: int,
                pages: int, total: int, script: str = "list.asp") -> str:
    rows = "\n".join(
        f'<tr><td class="dot">·</td><td><a href="{escape(i.href)}" target="_blank">'
        f'{escape(i.title)}</a></td><td class="date">[{i.date}]</td></tr>'
        for i in items
    )
    prev_p, next_p = max(1, page - 1), min(pages, page + 1)
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(column)}--{escape(site.name)}</title></head>
<body bgcolor="#FFFFFF" topmargin="0">
<table width="980" align="center"><tr><td class="top"><a href="index.asp">首頁</a> | <a href="{script}?page=1">{escape(column)}</a></td></tr></table>
<table width="980" align="center" class="list">
{rows}
</table>
<table width="980" align="center"><tr><td align="center">共{total}條記錄　頁次：{page}/{pages}頁
<a href="{script}?page=1">首頁</a> <a href="{script}?page={prev_p}">上一頁</a>
<a href="{script}?page={next_p}">下一頁</a> <a href="{script}?page={pages}">尾頁</a></td></tr></table>
<table width="980" align="center"><tr><td class="foot">版權所有：{escape(site.name)}　{escape(site.icp)}<br>{escape(site.beian)}</td></tr></table>
</body></html>
"""


def legacy_detail(site: SiteInfo, title: str, pub: str, source: str, body_html: str) -> str:
    return f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(title)}--{escape(site.name)}</title></head>
<body bgcolor="#FFFFFF" topmargin="0">
<table width="980" align="center"><tr><td class="top"><a href="index.asp">首頁</a> | <a href="list.asp?page=1">政務公開</a></td></tr></table>
<table width="900" align="center">
<tr><td align="center" class="title"><b>{escape(title)}</b></td></tr>
<tr><td align="center" class="info">發布時間：{pub}　信息來源：{escape(source)}　點擊數：1523
　【字體：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td id="fontzoom" class="content">
{body_html}
</td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">關閉</a>】</td></tr>
</table>
<table width="980" align="center"><tr><td class="foot">初審| 趙明 復審| 孫麗 終審| 周強<br>
版權所有：{escape(site.name)}　{escape(site.icp)}<br>{escape(site.beian)}</td></tr></table>
</body></html>
"""


# --------------------------------------------------------------------------- xxgk platform
@dataclass(frozen=True)
class XxgkMeta:
    index_no: str
    agency: str
    written: str
    published: str
    topic: str
    doc_no: str


def xxgk_list(site: SiteInfo, column: str, rows: Sequence[tuple[XxgkMeta, ListItem]]) -> str:
    trs = "\n".join(
        f"<tr><td>{m.index_no}</td><td class=\"tit\"><a href=\"{escape(i.href)}\" "
        f"title=\"{escape(i.title)}\">{escape(i.title)}</a></td><td>{escape(m.doc_no)}</td>"
        f"<td>{i.date}</td></tr>"
        for m, i in rows
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(column)}-政府信息公开-{escape(site.name)}</title></head>
<body>
<div class="xxgk-top">{escape(site.name)} 政府信息公开平台</div>
<div class="xxgk-nav"><a href="/xxgk/">信息公开指南</a> <a href="/xxgk/">信息公开制度</a> <a href="/xxgk/fdzdgknr/">法定主动公开内容</a> <a href="/xxgk/ndbg/">信息公开年报</a></div>
<table class="xxgk-list"><thead><tr><th>索引号</th><th>标题</th><th>文号</th><th>发布日期</th></tr></thead>
<tbody>
{trs}
</tbody></table>
{_footer(site)}
</body></html>
"""


def xxgk_detail(site: SiteInfo, column: str, title: str, meta: XxgkMeta, body_html: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{meta.published}">
<meta name="ContentSource" content="{escape(meta.agency)}">
<meta name="ColumnName" content="{escape(column)}">
<title>{escape(title)}-政府信息公开-{escape(site.name)}</title></head>
<body>
<div class="xxgk-top">{escape(site.name)} 政府信息公开平台</div>
<table class="xxgk-meta">
<tr><th>索引号：</th><td>{meta.index_no}</td><th>发布机构：</th><td>{escape(meta.agency)}</td></tr>
<tr><th>成文日期：</th><td>{meta.written}</td><th>发布日期：</th><td>{meta.published}</td></tr>
<tr><th>主题分类：</th><td>{escape(meta.topic)}</td><th>文号：</th><td>{escape(meta.doc_no)}</td></tr>
<tr><th>标题：</th><td colspan="3">{escape(title)}</td></tr>
</table>
<div class="xxgk-article"><h1>{escape(title)}</h1>
<div class="view" id="zoom">
{body_html}
</div>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></div></div>
{_footer(site)}
</body></html>
"""


# --------------------------------------------------------------------------- mirror / notice
def simple_list(site: SiteInfo, column: str, items: Sequence[ListItem]) -> str:
    lis = "\n".join(
        f'<li><span class="date">{i.date}</span><a href="{escape(i.href)}">{escape(i.title)}</a></li>'
        for i in items
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(column)} - {escape(site.name)}</title></head>
<body>
<div class="header"><a href="/">{escape(site.name)}</a></div>
<h2>{escape(column)}</h2>
<ul class="news-list">
{lis}
</ul>
{_footer(site)}
</body></html>
"""


def simple_detail(site: SiteInfo, title: str, pub: str, source: str, body_html: str,
                  attachments: Sequence[tuple[str, str]] = ()) -> str:
    att = ""
    if attachments:
        att = '<div class="attachments"><p>相关附件：</p><ul>' + "".join(
            f'<li><a href="{escape(h)}">{escape(n)}</a></li>' for h, n in attachments
        ) + "</ul></div>"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{pub}">
<meta name="ContentSource" content="{escape(source)}">
<title>{escape(title)} - {escape(site.name)}</title></head>
<body>
<div class="header"><a href="/">{escape(site.name)}</a></div>
<div class="article"><h1>{escape(title)}</h1>
<div class="info">发布时间：{pub}　来源：{escape(source)}　【字体：大 中 小】</div>
<div class="article-content">
{body_html}
</div>
{att}
</div>
{_footer(site)}
</body></html>
"""


def robots(disallow: Sequence[str]) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in disallow]
    return "\n".join(lines) + "\n"
