"""Where a column walk broke is remembered, and forgotten once the page is read again."""

from __future__ import annotations

from govreports.settings import Settings
from warehouse import Warehouse

LIST = "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html"
PAGE2 = "http://www.wanyuan.gov.cn/zwgk/fzzfjs/index_1.html"


def test_a_broken_walk_is_pending_until_its_page_is_read(settings: Settings) -> None:
    with Warehouse(settings) as wh:
        wh.record_walks("sc-wanyuan", [LIST], [LIST], [(LIST, PAGE2)], "run-1")
        assert wh.pending_pages(LIST) == [PAGE2]
        wh.record_walks("sc-wanyuan", [LIST], [LIST], [(LIST, PAGE2)], "run-2")  # again
        assert wh.pending_pages(LIST) == [PAGE2]  # still once
        assert wh.pending_pages("http://other.gov.cn/list.html") == []
        wh.record_walks("sc-wanyuan", [LIST], [LIST, PAGE2], [], "run-3")
        assert wh.pending_pages(LIST) == []


def test_pending_pages_on_the_ducklake_target(lake_settings: Settings) -> None:
    with Warehouse(lake_settings) as wh:
        wh.record_walks("sc-wanyuan", [LIST], [LIST], [(LIST, PAGE2)], "run-1")
        assert wh.pending_pages(LIST) == [PAGE2]
