"""The local test web: virtual Chinese government sites served on 127.0.0.1.

Every crawler, extractor, warehouse and flow test runs against these sites instead of the
internet. Sites (one port each, in this order; ``base_port=N`` puts them on N, N+1, ...):

- ``trs``     万源市人民政府, TRS static CMS: ``/zwgk/fzzfjs/index.html``, ``index_1.html`` …
  (``createPageHTML(countPage, …)`` paging), articles ``./YYYYMM/tYYYYMMDD_<id>.html`` with the
  body in ``div.TRS_Editor`` and ArticleTitle/PubDate/ContentSource meta tags. robots.txt
  disallows ``/preview/``, where the last list page links a report-looking decoy.
- ``hanweb``  隆昌市人民政府, 大汉 CMS: ``/col/col6157/index.html`` embeds the first 10 records in
  a ``<script type="text/xml"><datastore>`` block; the rest (the report included) come only
  from ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&columnid=6157…`` (GET or
  POST); articles ``/art/Y/M/D/art_6157_<id>.html`` with ``<!--ContentStart-->`` markers.
- ``legacy``  船營區人民政府 (繁體), old ASP site in GB18030/GBK bytes, ``Content-Type: text/html``
  without charset, ``<meta … charset=gb2312>``; ``list.asp?page=N`` with 首頁/上一頁/下一頁/尾頁.
- ``attach``  四川省司法厅 专栏: notice pages whose 相关附件 are a PDF (万源 2022, text layer) and
  a DOCX (隆昌 2021), plus a look-alike 工作要点 DOCX.
- ``xxgk``    船营区政府信息公开平台 (简体): list table and detail pages with the
  索引号/发布机构/成文日期/发布日期/主题分类/文号 table. The same column is also served as a
  TRS-style JSON API (``/xxgk/api/list?channelid=880&page=N``, two records a page) for the
  ``trs_json`` family; the default registry does not use it.
- ``mirror``  万源 繁体镜像: opencc s2t of the 万源 report with pinyin after some characters.
- ``vsb``     万源市司法局, rendered from the ``vsb`` family's declaration alone
  (``govreports/data/cms_families.yaml``, ``testweb/declared.py``): ``/fzzfjs.htm`` then
  ``/fzzfjs/1.htm`` (下页 links), articles ``/info/1021/<id>.htm`` in ``#vsb_content``; the
  report page is a cover note whose text is the 万源 PDF behind a suffix-less
  ``/system/_content/download.jsp?…&wbfileid=<id>`` link. Any declared family with a
  ``testweb`` section gets such a site, after the hand-built ones.
- ``gen-000`` … ``gen-NNN`` with ``generated_sites=N``: TRS-like county sites (40 articles of
  ~30 KB each, one a 转载 copy of a seed report), deterministic from ``seed``.

Exactly three distinct reports exist (万源 2022, 隆昌 2021, 船营 2023); every other report page
is a copy of one of them, and ``expected_reports`` lists every copy (for ``attach`` and ``vsb``
the copy is the attachment file URL, not the notice page that links it). Look-alikes
(政府信息公开工作年度报告 in the 法治 columns, 工作要点, 实施方案, 解读, 五年总结,
统计年报) and notices sit beside them.

The second family, 政府信息公开工作年度报告 (tables from ``disclosure.py``), eight in all,
listed with the numbers their tables print by ``expected_disclosures``:
- ``trs`` has a dedicated column ``/zwgk/zfxxgknb/index.html`` (registry ``sc-wanyuan-xxgknb``,
  ``families: [disclosure_annual]``): 万源 2022 (national layout), 2021 (a table split in two,
  published 6 days late), 2020 (2019 format, plain rows), beside a 解读 and a notice;
- ``hanweb``'s 法治 column also carries 隆昌 2021 (nested tables, full-width digits); its entry
  lists both families;
- ``legacy`` has ``/xxgknb.asp?page=1`` (繁體, GB18030): 船营 2023 (zeros left blank) and 2022,
  whose grand total disagrees with its parts (``numbers.planted`` names the cell);
- ``attach`` has ``/xxgk/ndbg/index.html``: 四川省司法厅 2022 (DOCX, merged group cells) and
  2021 (PDF text layer, 8 days after the department deadline of 31 January).

Public API::

    from govreports.testweb import TestWeb, Faults
    with TestWeb(base_port=0, latency=0.0, faults=None, generated_sites=0, seed=0) as web:
        web.sites                     # {"trs": "http://127.0.0.1:PORT", ...}
        web.registry_yaml()           # registry YAML (allow_private: true, min_delay: 0.0)
        web.write_registry(path)      # -> Path
        web.set_faults(Faults(reset=0.3, first_n=2, seed=1))   # or Faults.only("timeout")
        web.set_latency(0.05, jitter=0.02, site="trs")  # site=None: all; per-site adds
        web.change_report("trs")      # -> URL of the changed page (new ETag/Last-Modified)
        web.request_log               # list[RequestRecord]; web.clear_log()
        web.expected_reports          # list[(issuer, report_year, url)]
        web.expected_disclosures      # list[(issuer, report_year, url, Numbers)]
    # web.start() / web.stop() when not used as a context manager.

Every response carries ETag and Last-Modified and honours If-None-Match/If-Modified-Since
(304); unknown paths give 404. Fault modes are listed in ``faults.MODES``.
"""

from govreports.testweb.faults import MODES, Faults, Latency
from govreports.testweb.httpserver import RequestRecord
from govreports.testweb.server import TestWeb

__all__ = ["MODES", "Faults", "Latency", "RequestRecord", "TestWeb"]
