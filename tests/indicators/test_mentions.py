"""Mention records: offsets into the original, shared rates, levels, scope, breakdowns."""

from __future__ import annotations

from govreports.indicators import extract_mentions
from govreports.models import Mention, Section


def _by_text(ms: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in ms}


def test_offsets_point_into_the_original_traditional_text() -> None:
    text = "今年共受理行政復議申請12件,其中維持8件。"
    ms = extract_mentions(text)
    assert [(m.text, m.offset) for m in ms] == [("12件", 11), ("8件", 19)]
    for m in ms:
        assert text[m.offset : m.offset + len(m.text)] == m.text


def test_offsets_survive_inserted_pinyin() -> None:
    text = "法治政府建設(shè)成效明顯,辦理法律援(yuán)助案件120件。"
    (m,) = extract_mentions(text)
    assert text[m.offset : m.offset + len(m.text)] == "120件"
    assert m.indicator == "legal_aid_cases"


def test_one_rate_phrase_shared_by_several_names() -> None:
    ms = extract_mentions("全年办理人大代表建议86件、政协委员提案102件,办复率、满意率均达100%。")
    rates = [m for m in ms if m.unit == "%"]
    assert sorted(m.rate_name or "" for m in rates) == ["办复率", "满意率"]
    assert {m.offset for m in rates} == {rates[0].offset}
    assert {m.indicator for m in rates} == {"suggestions_proposals_rates"}


def test_rate_names_with_he_and_ji_inside_are_not_split() -> None:
    ms = extract_mentions("行政复议调解和解率达35%,报备率、及时率均为100%。")
    assert sorted(m.rate_name or "" for m in ms) == ["及时率", "报备率", "行政复议调解和解率"]


def test_changes_targets_ranks_and_reductions_are_not_levels() -> None:
    ms = _by_text(extract_mentions(
        "刑事立案120起,同比下降12.5%;败诉率3.2%,同比下降2.1个百分点;网上可办率98.5%,"
        "排名全市第三;承诺时限压缩比为70%;力争纠错率达到15%以上。"))
    assert not ms["120起"].not_a_level
    assert ms["12.5%"].not_a_level
    assert ms["2.1个百分点"].not_a_level and ms["2.1个百分点"].kind == "rate"
    assert not ms["98.5%"].not_a_level
    assert ms["第三"].unit == "名次" and ms["第三"].kind == "other" and ms["第三"].not_a_level
    assert ms["70%"].not_a_level
    assert ms["15%"].not_a_level and ms["15%"].approx == "gte"
    assert not ms["3.2%"].not_a_level


def test_target_in_right_context() -> None:
    ms = _by_text(extract_mentions(
        "联合抽查比例达到41.67%,达到上级要求的联合抽查比例30%以上的目标。"))
    assert not ms["41.67%"].not_a_level
    assert ms["30%"].not_a_level


def test_part_of_year_cutoff_is_a_subset() -> None:
    ms = extract_mentions("截至11月,行政许可共计22410条。截至目前,共受理行政复议申请12件。")
    assert [m.scope for m in ms] == ["subset", None]


def test_comma_list_breakdown_that_adds_up() -> None:
    ms = extract_mentions("共办理法律援助案件407件,民事86件,刑事321件;其中,法院指定辩护271件,"
                          "检察院法律帮助136件;另办理农民工案件93件。")
    parts = {m.text: m for m in ms if m.part_of}
    assert set(parts) == {"86件", "321件", "271件", "136件"}
    assert {m.part_of for m in parts.values()} == {"407件"}
    assert parts["86件"].subtype == "民事"
    assert {m.indicator for m in ms if m.text != "93件"} == {"legal_aid_cases"}
    assert _by_text(ms)["93件"].part_of is None


def test_parenthetical_breakdown_without_separator() -> None:
    ms = _by_text(extract_mentions(
        "认真做好151件建议提案(人大议案1件、人大建议73件政协提案77件)办理工作。"))
    assert [ms[t].part_of for t in ("1件", "73件", "77件")] == ["151件"] * 3
    assert ms["73件"].indicator == "npc_suggestions_handled"
    assert ms["77件"].indicator == "cppcc_proposals_handled"
    assert ms["151件"].indicator is None  # both instruments together: no single id


def test_qizhong_breakdown_with_typed_parts() -> None:
    ms = extract_mentions("全年共收到行政复议申请56件,受理48件,审结45件,其中维持32件、撤销5件、"
                          "确认违法2件、驳回3件、终止3件,直接纠错率15.6%。")
    got = [(m.text, m.indicator, m.part_of) for m in ms]
    assert got[:3] == [
        ("56件", "admin_reconsideration_applications_received", None),
        ("48件", "admin_reconsideration_cases_accepted", None),
        ("45件", "admin_reconsideration_cases_closed", None),
    ]
    assert all(p == "45件" and i == "admin_reconsideration_decisions_by_type"
               for _, i, p in got[3:8])
    assert got[8] == ("15.6%", "admin_reconsideration_correction_rate", None)


def test_single_part_opening_the_next_clause() -> None:
    ms = _by_text(extract_mentions("我区639项政务服务事项,479项纳入无差别综合窗口。"))
    assert ms["479项"].part_of == "639项" and ms["479项"].scope == "part"
    ms = _by_text(extract_mentions("共发起联合抽查方案36个,25个部门配合完成抽查。"))
    assert ms["25个"].part_of is None


def test_evidence_fields_and_sections() -> None:
    text = "一、主要成效\n全年开展法治讲座15场,发放资料3000份。\n二、下步打算\n计划开展讲座20场。"
    sections = [Section("一、主要成效", 1, role="achievements", offset=0),
                Section("二、下步打算", 3, role="plans", offset=text.index("二、"))]
    ms = extract_mentions(text, sections)
    assert [m.id for m in ms] == ["m001", "m002", "m003"]
    first, _, plan = ms
    assert (first.line, first.section, first.section_role) == (2, "一、主要成效", "achievements")
    assert first.sentence == "全年开展法治讲座15场,发放资料3000份。"
    assert "15场" in first.context and "\n" not in first.context
    assert (plan.section_role, plan.not_a_level) == ("plans", True)


def test_sections_by_line_when_offsets_are_missing() -> None:
    text = "一、成效\n排查矛盾纠纷300次。"
    (m,) = extract_mentions(text, [Section("一、成效", 1, role="achievements")])
    assert (m.section, m.section_role, m.indicator) == ("一、成效", "achievements",
                                                        "dispute_screenings")


def test_per_unit_requirements_are_not_levels() -> None:
    ms = _by_text(extract_mentions(
        "全区各区直部门明确1名班子成员分管法治建设,每个村至少配备2名调解员;"
        "全县共配备专职调解员120名。"))
    assert ms["1名"].not_a_level and ms["2名"].not_a_level
    assert ms["2名"].approx == "gte"
    assert not ms["120名"].not_a_level


def test_one_campaigns_figures_are_a_subset() -> None:
    ms = _by_text(extract_mentions(
        "开展“春雷行动2021”专项执法,处理案件470件,罚款275.15万元。全年查处案件1500件。"))
    assert ms["470件"].scope == ms["275.15万元"].scope == "subset"
    assert ms["1500件"].scope is None


def test_flat_section_list_keeps_the_top_level_role() -> None:
    text = "一、主要成效\n(一)执法\n查处案件97起。\n二、问题\n仍有12个问题。"
    sub = Section("(一)执法", 2, level=2, offset=text.index("(一)"))
    top = Section("一、主要成效", 1, role="achievements", offset=0, subsections=[sub])
    probs = Section("二、问题", 4, role="problems", offset=text.index("二、"))
    for given in ([top, probs], [top, sub, probs]):  # a tree, or pipeline's flat list
        first, second = extract_mentions(text, given)
        assert (first.section, first.section_role) == ("(一)执法", "achievements")
        assert (second.section, second.section_role) == ("二、问题", "problems")


def test_rate_names_keep_the_reports_script() -> None:
    ms = extract_mentions("承辦人大代表建議35件,辦復率、滿意率均為100%,調解成功98%以上。")
    assert [m.rate_name for m in ms if m.unit == "%"] == ["滿意率", "辦復率", "調解成功率"]
    parts = extract_mentions("共編制年度抽查計劃48項,其中:部門內28項;跨部門20項。")
    assert [m.subtype for m in parts if m.part_of] == ["部門內", "跨部門"]


def test_ranks_need_a_ranking_verb() -> None:
    ms = extract_mentions("开展排查第三批问题线索,为居民第一次办理证件,"
                          "办结率排名全市第三,综合考核位居全省第5名。")
    assert [(m.text, m.value, m.unit) for m in ms] == [("第三", 3, "名次"), ("第5名", 5, "名次")]


def test_rate_name_is_what_ends_in_lv() -> None:
    (m,) = extract_mentions("全区行政机关负责人出庭应诉率连续三年保持100%。")
    assert m.rate_name is not None and m.rate_name.endswith("出庭应诉率")
    assert m.indicator == "leader_court_appearance_rate"


def test_empty_text() -> None:
    assert extract_mentions("") == [] and extract_mentions("\n\n") == []


def test_reduction_ratio_in_traditional_script() -> None:
    (m,) = extract_mentions("承諾辦結時限共計4487個工作日,壓縮比為70%。")[1:]
    assert m.not_a_level and m.rate_name == "壓縮比"
