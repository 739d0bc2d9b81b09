"""The metadata development set (tests/gold/metadata: pages of every level and province,
written for this project) and the validation set measured on but never tuned on
(tests/gold/metadata_validation): per-field accuracy floors, and no invented value at all.

The floors sit just under today's scores so that a rule that gains on one layout and loses on
another shows up here; `govreports eval tests/gold` prints the full per-field table."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.extract.evaluate import evaluate_cases, load_cases

GOLD = Path(__file__).resolve().parents[1] / "gold"

FLOORS = {
    "metadata": {"title": 0.97, "issuer": 0.96, "admin_code": 0.95, "report_year": 0.97,
                 "publish_date": 0.96, "sign_date": 0.96, "source_agency": 0.95},
    "metadata_validation": {"title": 0.9, "issuer": 0.9, "admin_code": 0.88,
                            "report_year": 0.95, "publish_date": 0.9, "source_agency": 0.9},
}


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_metadata_cases(folder: str) -> None:
    cases = load_cases(GOLD / folder)
    assert len(cases) >= 45
    ev = evaluate_cases(cases)
    assert ev.invented == 0, [c.invented for c in ev.cases if c.invented]
    low = {f: round(ev.fields[f].accuracy, 3) for f, floor in FLOORS[folder].items()
           if ev.fields[f].accuracy < floor}
    assert low == {}
    assert ev.section_f1 >= 0.95


def test_the_set_is_as_wide_as_the_country() -> None:
    cases = load_cases(GOLD / "metadata") + load_cases(GOLD / "metadata_validation")
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    assert len({c["province"] for c in cases}) >= 25
    levels = {c["level"] for c in cases}
    assert {"province_gov", "prefecture_gov", "county_gov", "district_gov", "department",
            "functional_zone"} <= levels
    assert sum(c.get("script") == "traditional" for c in cases) >= 6
    assert sum(bool(c.get("sections") or (c.get("expect") or {}).get("sections"))
               for c in cases) >= 10  # flattened bodies with their outline
