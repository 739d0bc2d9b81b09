"""Consistency checks are recorded next to the stated numbers, never replacing them."""

from __future__ import annotations

from typing import Any

from govreports.indicators import check_consistency, extract_mentions


def _checks(text: str, name: str) -> list[dict[str, Any]]:
    return [c for c in check_consistency(extract_mentions(text)) if c["check"] == name]


def test_parts_sum_with_two_breakdowns_of_one_total() -> None:
    checks = _checks("共办理法律援助案件407件,民事86件,刑事321件;其中,法院指定辩护271件,"
                     "检察院法律帮助136件。", "parts_sum")
    assert [c["status"] for c in checks] == ["pass", "pass"]
    assert "86 + 321 = 407" in checks[0]["detail"]


def test_parts_that_exceed_the_total_fail() -> None:
    ms = extract_mentions("审结行政复议案件9件(其中维持5件、撤销3件、驳回2件)。")
    (check,) = [c for c in check_consistency(ms) if c["check"] == "parts_sum"]
    assert check["status"] == "fail" and "= 10" in check["detail"]
    assert ms[0].value == 9  # the stated total is kept


def test_partial_breakdown_is_not_a_failure() -> None:
    (check,) = _checks("我区共639项政务服务事项,其中611项进驻政务服务中心。", "parts_sum")
    assert check["status"] == "partial"


def test_closed_not_more_than_received() -> None:
    ok = _checks("共受理行政复议申请12件,现结案9件。", "closed_le_received")
    bad = _checks("共受理行政复议申请12件,审结行政复议案件15件。", "closed_le_received")
    assert [c["status"] for c in ok] == ["pass"]
    assert [c["status"] for c in bad] == ["fail"]


def test_government_service_cases_carry_over_and_are_not_checked() -> None:
    assert _checks("平台共受理依申请事项177219件,办结186222件。", "closed_le_received") == []


def test_stated_rate_against_recomputed() -> None:
    low = _checks("受理矛盾纠纷1805件,成功调处1749件,调解成功率达98%以上。", "rate_recomputed")
    fine = _checks("排查出纠纷544件,化解527件,纠纷调解成功率达到97%。", "rate_recomputed")
    assert [c["status"] for c in low] == ["fail"] and "96.90%" in low[0]["detail"]
    assert [c["status"] for c in fine] == ["pass"]


def test_rate_right_after_a_part() -> None:
    (check,) = _checks("我区共639项政务服务事项,其中611项进驻区政务服务中心,进厅比率为95.61%。",
                       "rate_recomputed")
    assert check["status"] == "pass" and "95.62%" in check["detail"]


def test_implausible_level_is_a_warning() -> None:
    (check,) = _checks("全年共制定重大行政决策500项。", "plausible_range")
    assert check["status"] == "warn" and "major_admin_decisions" in check["detail"]


def test_repeated_totals_with_the_same_text_are_kept_apart() -> None:
    text = ("我区共639项政务服务事项,其中611项进驻区政务服务中心。"
            "我区639项政务服务事项,479项纳入无差别综合窗口。")
    checks = _checks(text, "parts_sum")
    assert [(c["status"], c["detail"].split(" = ")[0]) for c in checks] == [
        ("partial", "611"), ("partial", "479")]
