"""The indicator phrasing sets (tests/gold/phrasings*): sentences in the manner of reports from
many provinces, levels and departments, each with every quantity and its catalog id. The
development set drives the catalog and the scoring; the validation set is measured on.

Floors sit just under today's scores, so a rule that gains on one indicator and loses on
another shows here; `govreports eval tests/gold` prints per-indicator precision and recall and
the confusion list."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from govreports.indicators import extract_mentions, load_catalog
from govreports.indicators.evaluate import evaluate_phrasings, load_phrasings

GOLD = Path(__file__).resolve().parents[1] / "gold"
FLOORS = {  # set: (mention F1, indicator precision, indicator F1)
    "phrasings": (0.995, 0.97, 0.965),
    "phrasings_validation": (0.995, 0.95, 0.95),
    # written after the rules and never tuned on: a sentence alone, without its report's
    # context, and heavy on traps; the floor guards against regressions only
    "phrasings_blind": (0.98, 0.89, 0.81),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_phrasing_set_scores(name: str) -> None:
    cases = load_phrasings(GOLD / name)
    ev = evaluate_phrasings(cases)
    m_f1, i_p, i_f1 = FLOORS[name]
    detail = "\n".join(ev.failures[:40])
    assert ev.mentions.f1 >= m_f1, detail
    assert ev.indicators.precision >= i_p, detail
    assert ev.indicators.f1 >= i_f1, detail


def test_every_catalog_id_has_three_phrasings() -> None:
    cases = load_phrasings(GOLD / "phrasings") + load_phrasings(GOLD / "phrasings_validation")
    per_id = Counter(m["indicator"] for c in cases for m in c["mentions"] if m.get("indicator"))
    short = {i.id: per_id[i.id] for i in load_catalog().indicators if per_id[i.id] < 3}
    assert short == {}


def test_the_cases_are_well_formed() -> None:
    ids = load_catalog().by_id
    for name in FLOORS:
        for c in load_phrasings(GOLD / name):
            for m in c["mentions"]:
                assert str(m["span"]) in c["sentence"], (c["id"], m["span"])
                assert m.get("indicator") is None or m["indicator"] in ids, (c["id"], m)


@pytest.mark.parametrize(
    ("sentence", "span", "indicator"),
    [
        # a rate list shares one value across its names: each name its own id (or none)
        ("人大代表建议、政协提案办结率、满意率均为100%。", "100%", "suggestions_proposals_rates"),
        # crossing domains: a training count is no petition visit
        ("开展执法人员跟班轮训4人次。", "4人次", "enforcement_personnel_trained"),
        ("编制不予处罚事项清单，涵盖不予处罚事项3项。", "3项", None),
        ("全年受理依申请公开81件，办结依申请公开81件。", "81件", None),
        # two items with no separator
        ("共办理人大议案建议12件政协提案4件。", "12件", "npc_suggestions_handled"),
        ("共办理人大议案建议12件政协提案4件。", "4件", "cppcc_proposals_handled"),
        # totals and parts: the totals carry the id as much as the part
        ("全年接待群众来访102批458人次，其中集体访51批次。", "102批", "petition_visits_received"),
        ("全年接待群众来访102批458人次，其中集体访51批次。", "458人次", "petition_visits_received"),
        # bookkeeping is no hotline count
        ("12345平台挂起件131件（目前4件未办结）。", "131件", None),
        # a change or a target is no level
        ("新收行政复议申请较上年增加23件。", "23件", None),
        ("力争行政复议调解和解率不低于25%。", "25%", None),
    ],
)
def test_error_kinds_seen_on_held_out_reports(sentence: str, span: str,
                                              indicator: str | None) -> None:
    got = [m.indicator for m in extract_mentions(sentence) if m.text == span]
    assert got and all(g == indicator for g in got), [
        (m.text, m.indicator, m.candidates) for m in extract_mentions(sentence)]


def test_no_mention_without_a_digit_and_no_rate_from_zero() -> None:
    assert extract_mentions("开展普法宣传，受众万余人次。") == []
    assert [m.text for m in extract_mentions("行政诉讼败诉率为零。")] == []


def test_a_close_contest_abstains_and_keeps_its_candidates() -> None:
    # 法律顾问 (the subject) and 合同 (the object) both name an indicator of 份
    (m,) = extract_mentions("局法律顾问审核采购合同、租赁协议等23份。")
    assert m.candidates and m.confidence is not None and m.margin is not None
    if m.indicator is None:
        assert len(m.candidates) >= 2  # abstained: both kept for a reader
    else:
        assert m.indicator == "contracts_reviewed" and m.margin >= 1.5
