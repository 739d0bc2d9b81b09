"""The Pandera schemas on realistic rows: each check fails exactly the rows it should."""

from __future__ import annotations

import pandas as pd
import pytest

from schemas import load_catalog, parse_catalog, tables, validate
from warehouse import rows

CATALOG = load_catalog()


def _mentions(**over: object) -> pd.DataFrame:
    base = {
        "report_key": "511083:2021", "revision": 1, "ordinal": 0, "mention_id": "m001",
        "text": "28次", "char_offset": 330, "value": 28.0, "unit": "次", "kind": "count",
        "line": 11, "context": "开展会前学法28次", "sentence": "开展会前学法28次",
        "raw_unit": None, "approx": None, "indicator": "pre_meeting_law_study_sessions",
        "not_a_level": False, "scope": None, "part_of": None, "rate_name": None,
        "subtype": None, "section": None, "section_role": None,
        "url": "http://www.longchang.gov.cn/a.html", "extractor_version": "0.1.0",
        "run_id": "r1", "_level": "county",
    }  # fmt: skip
    base.update(over)
    return rows.frame([base], rows.MENTIONS)


def _check(df: pd.DataFrame) -> list[str]:
    v = validate("mentions", df, tables.mentions(CATALOG), run_id="r1", key=rows.KEYS["mentions"])
    return sorted(v.quarantine["check_name"])


def test_a_plausible_county_value_passes() -> None:
    assert _check(_mentions()) == []


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"value": 280.0}, "value outside the catalog's plausible range"),
        (
            {"kind": "rate", "unit": "%", "value": 101.5, "indicator": None},
            "value is a rate outside 0-100",
        ),  # fmt: skip
        ({"indicator": "law_study_sessions_typo"}, "indicator id not in the catalog"),
        (
            {"scope": "part", "part_of": "1.6万件", "value": 17000.0, "indicator": None},
            "value of a part exceeds its total (part_of)",
        ),  # fmt: skip
        ({"kind": "guess"}, "kind not in ['count', 'rate', 'amount', 'area', 'duration', 'other']"),
        ({"char_offset": -1}, "greater_than_or_equal_to(0)"),
    ],
)
def test_each_check_quarantines_its_rows(over: dict[str, object], reason: str) -> None:
    assert _check(_mentions(**over)) == [reason]


def test_ranges_scale_with_the_level_and_skip_non_levels() -> None:
    # 280 sessions is implausible for a county, plausible for a province
    assert _check(_mentions(value=280.0, _level="province")) == []
    # a change (not_a_level), a subset and a sub-measure are not held to the level range
    assert _check(_mentions(value=280.0, not_a_level=True)) == []
    assert _check(_mentions(value=280.0, scope="subset")) == []
    assert _check(_mentions(value=280.0, subtype="参学人次")) == []
    # money: the catalog states 万元, mentions are in 元
    assert _check(_mentions(indicator="fines_amount", unit="元", raw_unit="万元",
                            kind="amount", value=2_000_000.0)) == []  # fmt: skip
    huge = _mentions(indicator="fines_amount", unit="元", kind="amount", value=5e12)
    assert _check(huge) == ["value outside the catalog's plausible range"]
    # a rate's range is never scaled: 45% on-time completion is implausible at any level
    ind = CATALOG.by_id["on_time_completion_rate"]
    assert ind.bounds("province", "%") == (80.0, 100.0)


def test_catalog_errors_name_the_file_and_entry() -> None:
    bad = "indicators:\n- id: x\n  name_zh: 次数\n  category: a\n  value_type: count\n  unit: 次\n"
    with pytest.raises(ValueError, match=r"cat.yaml: indicator 'x': bad entry: no range_county"):
        parse_catalog(bad, "cat.yaml")
    assert len(CATALOG.indicators) >= 60


def test_closed_cannot_exceed_received_in_one_report() -> None:
    # 共受理行政复议申请12件,现结案9件 — and the same with the numbers swapped
    def pair(received: float, closed: float, key: str) -> list[dict[str, object]]:
        base = _mentions(report_key=key).iloc[0].to_dict()
        return [
            {**base, "ordinal": 0, "text": f"{received:g}件", "value": received, "unit": "件",
             "indicator": "admin_reconsideration_cases_accepted"},
            {**base, "ordinal": 1, "text": f"{closed:g}件", "value": closed, "unit": "件",
             "indicator": "admin_reconsideration_cases_closed"},
        ]  # fmt: skip

    df = rows.frame(pair(12, 9, "511781:2022") + pair(9, 12, "511083:2021"), rows.MENTIONS)
    v = validate("mentions", df, tables.mentions(CATALOG), run_id="r1", key=rows.KEYS["mentions"])
    assert v.quarantine[["row_key", "check_name"]].values.tolist() == [
        ["511083:2021|1|1", "value exceeds an indicator it cannot exceed (at_most)"]
    ]


def test_small_counts_and_other_measures_are_not_quarantined() -> None:
    # 6家专业性人民调解委员会: below the county range's floor, but real data
    six = _mentions(indicator="mediation_committees", unit="家", value=6.0, text="6家")
    assert _check(six) == []
    # 参演人数达2.5萬人 under 应急演练: a head count, not a count of drills
    people = _mentions(indicator="emergency_drills", unit="人", value=25000.0, text="2.5萬人")
    assert _check(people) == []
    # the same indicator in its own measure is still held to the upper bound
    drills = _mentions(indicator="emergency_drills", unit="场", value=250000.0, text="25万场")
    assert _check(drills) == ["value outside the catalog's plausible range"]
    # a rate below its floor is still implausible
    rate = _mentions(indicator="on_time_completion_rate", unit="%", kind="rate", value=45.0)
    assert _check(rate) == ["value outside the catalog's plausible range"]
