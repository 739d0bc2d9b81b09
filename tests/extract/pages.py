"""A TRS-style article page built around a seed text (the shape real_html/d02 and p04 show:
meta tags, navigation, 【字体】 bar, body in div.TRS_Editor, 相关附件, footer)."""

from __future__ import annotations

from html import escape


def trs_page(title: str, body_lines: list[str], *, pubdate: str = "2022-02-17 10:30",
             source: str = "隆昌市司法局", charset: str = "utf-8") -> str:
    paras = "\n".join(f"<p style=\"text-indent:2em\">{escape(x)}</p>" for x in body_lines if x)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(title)}_隆昌市人民政府</title>
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{pubdate}">
<meta name="ContentSource" content="{escape(source)}">
<script>var s = "首页 > 政务公开";</script></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a>
 | <a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info">发布时间：{pubdate[:10]}　信息来源：{escape(source)}　【字体：大 中 小】</div>
<div class="TRS_Editor">
{paras}
</div>
<div class="fj">相关附件：<a href="./P020220217.pdf">{escape(title)}.pdf</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a>
 <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="footer">主办单位：隆昌市人民政府办公室 版权所有 川公网安备 51102802000101号</div>
</body></html>
"""
