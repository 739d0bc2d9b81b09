"""The classification development set (tests/gold/classify): list titles of every shape, and
for titles that leave it open, the opening of the page's body. A title-decided case must be
decided by its title alone; a body-decided one by title and body together."""

from __future__ import annotations

# ruff: noqa: E501  (titles and page lines are kept whole)
from pathlib import Path
from typing import Any

import pytest

from govreports import yamlfile
from govreports.classify import decide, decide_body, decide_title
from govreports.discover import parse_list_page

CASES: list[dict[str, Any]] = yamlfile.safe_load(
    (Path(__file__).resolve().parents[1] / "gold" / "classify" / "cases.yaml").read_text("utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_classify_case(case: dict[str, Any]) -> None:
    by_title = decide_title(case["title"])
    final = decide(case["title"], case.get("body"))
    assert final.kind == case["expect"], final.reason
    if case["decided_by"] == "title":
        assert by_title.kind == case["expect"] and not by_title.provisional, by_title.reason
    else:
        # the title alone must not drop a page the body shows to be a report: it leaves the
        # body to decide, is already right, or says report (every fetched report's body is
        # read, and a plainly different page is overturned)
        assert by_title.provisional or by_title.kind in (case["expect"], "report"), by_title.reason


def test_the_set_covers_every_kind() -> None:
    kinds = {c["kind"] for c in CASES}
    assert {"annual_report", "plan", "interpretation", "news", "evaluation",
            "disclosure_annual", "leaders_duty", "statistics"} <= kinds
    assert sum(c["decided_by"] == "body" for c in CASES) >= 20


def test_combined_title_is_a_report_the_body_confirms() -> None:
    title = "某某实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告"
    d = decide_title(title)
    assert (d.kind, d.provisional, d.year) == ("report", True, 2022)
    page = ("一、2022年法治工作情况\n（一）全年审查规范性文件6件，办理行政复议2件。\n"
            "二、存在的不足\n执法力量不足。\n三、2023年工作要点\n健全制度。\n")
    assert decide(title, "现将2022年法治工作情况和2023年工作要点报告如下。\n" + page).kind == "report"
    plan = ("为推进法治建设，制定本工作要点。\n一、指导思想\n二、重点任务\n（一）修订制度。"
            "牵头单位：局办公室；完成时限：6月底前。\n三、保障措施\n")
    assert decide(title, plan).kind == "lookalike"


def test_a_clear_title_is_overturned_only_by_a_plain_lookalike_body() -> None:
    title = "某县水利局2023年度依法行政工作情况报告"
    report = ("2023年，我局坚持依法行政，现将有关情况报告如下。\n一、主要工作及成效\n"
              "审查规范性文件3件，办理行政处罚案件12件。\n二、存在的问题\n三、下一步工作打算\n")
    assert decide(title, report).kind == "report"
    self_check = ("对照考核细则逐项自评，现将自评情况报告如下。\n一、组织领导（满分10分，自评10分）\n"
                  "二、制度建设（满分15分，自评14分）\n三、行政执法（满分30分，自评27分）\n")
    d = decide(title, self_check)
    assert d.kind == "lookalike" and "self-assessment" in d.reason
    assert decide_body("").provisional  # nothing to go on: kept, marked unconfirmed


def test_a_real_list_page_of_the_same_site_family(real_html: Path) -> None:
    """The real TRS list page holds only 政府信息公开工作年度报告: the second family, no
    法治政府建设 report and no candidate."""
    path = real_html / "lists" / "p01_pingtan_zfxxgknb_list_index.html"
    page = parse_list_page(path.read_bytes(), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    reports = [lk for lk in page.links if lk.kind == "report"]
    assert reports == []
    assert sum(lk.kind == "disclosure" for lk in page.links) >= 10
