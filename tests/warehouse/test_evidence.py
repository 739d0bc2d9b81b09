"""Metadata evidence in the warehouse: every field's source and span (report_fields), and per
report which fields the page states and which came from the registry (report_field_origins)."""

from __future__ import annotations

# ruff: noqa: E501  (report lines are kept whole)
from collections.abc import Callable
from datetime import UTC, datetime

from govreports.models import Batch, FetchResult, Report
from govreports.pipeline import apply_registry, process_document
from govreports.settings import Settings
from warehouse import Warehouse

_P = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，规范行政执法行为。"
_BODY = f"一、主要成效\n{_P}全年审查规范性文件12件。\n二、存在的问题\n{_P}\n三、下一步工作安排\n{_P}\n"
# A county page that names itself, and a department page that names nobody: its registry
# entry (the column the crawler walked) supplies the issuer, marked as such.
STATED = ("隆昌市2021年度法治政府建设情况报告\n发布时间:2022-02-17 信息来源: 隆昌市司法局\n"
          f"2021年，隆昌市坚持以习近平法治思想为指导，深入推进法治政府建设。\n{_BODY}"
          "隆昌市人民政府\n2022年2月16日\n")
UNSTATED = f"2023年，我们深入推进依法行政，取得新成效，现将有关情况报告如下。\n{_BODY}"


def _page(url: str, source_id: str, text: str) -> FetchResult:
    return FetchResult(url=url, source_id=source_id, status=200, outcome="ok",
                       content=text.encode(), content_type="text/plain; charset=utf-8",
                       fetched_at=datetime(2024, 5, 1, tzinfo=UTC))


def _report(page: FetchResult, registry: tuple[str, str]) -> Report:
    r = process_document(page.content, url=page.url, filename="page.txt")
    return apply_registry(r, *registry, source_id=page.source_id)


def test_registry_fills_only_what_the_page_does_not_state() -> None:
    stated = _report(_page("http://a.gov.cn/1.html", "sc-longchang", STATED),
                     ("某某县人民政府", "510000"))
    assert stated.issuer == "隆昌市人民政府" and stated.evidence["issuer"].source == "closing"
    unstated = _report(_page("http://b.gov.cn/2.html", "sc-lcsfj", UNSTATED),
                       ("隆昌市司法局", "511083"))
    ev = unstated.evidence["issuer"]
    assert (unstated.issuer, unstated.admin_code, unstated.is_department) == (
        "隆昌市司法局", "511083", True)
    assert (ev.source, ev.where, ev.inferred) == ("registry", "registry", True)
    assert "sc-lcsfj" in ev.quote and unstated.evidence["admin_code"].source == "registry"


def test_registry_code_decides_among_units_sharing_a_name() -> None:
    text = f"市中区司法局2023年度法治政府建设情况报告\n2023年，我局深入推进依法行政。\n{_BODY}"
    r = _report(_page("http://c.gov.cn/3.html", "sd-szq", text), ("济南市市中区人民政府", "370103"))
    assert (r.issuer, r.admin_code) == ("市中区司法局", "370103")
    assert r.evidence["issuer"].source == "title" and r.evidence["admin_code"].source == "registry"
    r = _report(_page("http://c.gov.cn/3.html", "sd-x", text), ("某县人民政府", "999999"))
    assert r.admin_code is None  # a code that is none of the candidates decides nothing


def test_report_fields_and_origins_views(
    settings: Settings, make_batch: Callable[..., Batch]
) -> None:
    pairs = [
        (p := _page("http://a.gov.cn/1.html", "sc-longchang", STATED),
         _report(p, ("隆昌市人民政府", "511083"))),
        (q := _page("http://b.gov.cn/2.html", "sc-lcsfj", UNSTATED),
         _report(q, ("隆昌市司法局", "511083"))),
    ]
    with Warehouse(settings) as wh:
        wh.load_batch(make_batch(pairs))
        _, rows = wh.query(
            "select field, value, origin, source, location, span_start, span_end, quote, inferred "
            "from report_fields where primary_url = 'http://a.gov.cn/1.html' order by field")
        _, origins = wh.query(
            "select primary_url, from_page, from_registry, not_stated from report_field_origins "
            "order by primary_url")
    got = {r[0]: r[1:] for r in rows}
    assert got["issuer"][:4] == ("隆昌市人民政府", "page", "closing", "text")
    start, end, quote = got["issuer"][4:7]
    assert STATED[start:end] == quote == "隆昌市人民政府"
    assert got["publish_date"][:3] == ("2022-02-17", "page", "page_label")
    assert got["sign_date"][:3] == ("2022-02-16", "page", "closing")
    assert got["title"][1] == "page" and got["admin_code"][:3] == ("511083", "page", "issuer")
    assert got["doc_number"][:2] == (None, "none")
    stated, unstated = origins
    assert "issuer" in stated[1] and stated[2] is None and "doc_number" in stated[3]
    assert unstated[2] == "admin_code, functional_zone, is_department, issuer, region"
    assert "title" in unstated[3]
