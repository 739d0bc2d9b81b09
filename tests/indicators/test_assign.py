"""Mention → indicator on other counties' phrasing: one sentence per assignment rule."""

from __future__ import annotations

import pytest

from govreports.indicators import extract_mentions


def _assigned(sentence: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.indicator) for m in extract_mentions(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # nearest trigger left of the number; the longer one wins at the same end
        ("县政府常务会议会前学法12次,县委理论学习中心组集中学法6次。",
         [("12次", "pre_meeting_law_study_sessions"), ("6次", "collective_law_study_sessions")]),
        ("审核重大行政处罚案件38件。", [("38件", "major_enforcement_decision_reviews")]),
        # count before its noun: the clause's last trigger governs
        ("对县政府58件行政决策以及21件合作协议等进行合法性审查。",
         [("58件", "legality_reviews_decisions_docs"),
          ("21件", "legality_reviews_decisions_docs")]),
        ("组织全县1200余名行政执法人员参加网上培训和考试,合格率98.6%。",
         [("1200余名", "enforcement_personnel_trained"), ("98.6%", None)]),
        ("建成村(社区)公共法律服务工作室312个,实现全覆盖。",
         [("312个", "public_legal_service_stations")]),
        # ...unless the number counts the units that act
        ("共有15个部门在平台上发起联合抽查方案30个。",
         [("15个", None), ("30个", "double_random_joint_inspections")]),
        # a bare continuation takes the trigger before it
        ("全县政务服务中心全年受理各类办件25.6万件,办结25.3万件,按时办结率100%。",
         [("25.6万件", "gov_service_cases_handled"), ("25.3万件", "gov_service_cases_handled"),
          ("100%", "on_time_completion_rate")]),
        # a verbless list item repeats the previous item's verb; a new verb stops it
        ("检查农贸市场56个次,超市、餐饮店等食品经营单位320家次,发现问题15家。",
         [("56个次", "market_entities_inspected"), ("320家次", "market_entities_inspected"),
          ("15家", None)]),
        # gates: generic words only count in their subject's sentence
        ("全年收到行政复议申请23件,其中受理21件。",
         [("23件", "admin_reconsideration_applications_received"),
          ("21件", "admin_reconsideration_cases_accepted")]),
        ("12345热线受理群众诉求3.2万件,办结率99.6%,满意率96.8%。",
         [("3.2万件", "hotline_cases"), ("99.6%", None), ("96.8%", None)]),
        ("全年办理公证事项2380件,司法鉴定案件156件。", [("2380件", None), ("156件", None)]),
        ("组织抽查,共出动执法人员2600人次。", [("2600人次", None)]),
        # two instruments joined: the count is of both, no single id
        ("办理人大代表建议和政协委员提案共计158件。", [("158件", None)]),
        # rates, money, traditional script
        ("本區共受理行政復議案件35件,審結32件,糾錯率12.5%。",
         [("35件", "admin_reconsideration_cases_accepted"),
          ("32件", "admin_reconsideration_cases_closed"),
          ("12.5%", "admin_reconsideration_correction_rate")]),
        ("审计项目28个,查出违纪违规金额3200万元,移送案件线索6件。",
         [("28个", "audit_projects"), ("3200万元", "audit_amounts"),
          ("6件", "audit_leads_transferred")]),
        ("共调解矛盾纠纷2356件,调处成功2301件,调处成功率达到97.7%。",
         [("2356件", "disputes_accepted"), ("2301件", "disputes_resolved"),
          ("97.7%", "mediation_success_rate")]),
        ("開展“八五”普法宣傳活動320場次,發放宣傳資料5.6萬份,受教育群眾12萬人次。",
         [("320場次", "legal_publicity_events"), ("5.6萬份", "legal_publicity_materials"),
          ("12萬人次", "legal_publicity_reach")]),
        ("开展应急演练85次,参演人员1.2万人次。",
         [("85次", "emergency_drills"), ("1.2万人次", "emergency_drills")]),
        ("落实首违不罚清单,对32户市场主体作出不予处罚决定。",
         [("32户", "no_penalty_first_violation")]),
        # context_none also looks just before the trigger: 证明事项 are not service items
        ("完成证明事项清理,取消证明事项68项,保留28项。", [("68项", None), ("28项", None)]),
        ("全年共化解行政争议35件,行政争议实质性化解率达62%。",
         [("35件", "admin_disputes_resolved"), ("62%", None)]),
        # a list item with its own verb does not repeat the previous item's indicator
        ("全年累计主动公开政府信息1.2万条,回应网民留言3560条。",
         [("1.2万条", "gov_info_proactively_disclosed"), ("3560条", None)]),
        # a verb-object pattern beats the bare noun: 调处…纠纷 is resolved, not received
        ("全县共调处各类矛盾纠纷1520起,排查矛盾纠纷300次。",
         [("1520起", "disputes_resolved"), ("300次", "dispute_screenings")]),
        # list items switch units only within one family (户次/家次, not 次/人次)
        ("全年举办领导干部法治讲座4次,参训干部620人次。",
         [("4次", "legal_publicity_events"), ("620人次", None)]),
        ("审计查出问题金额5.8亿元,移送问题线索11件。",
         [("5.8亿元", "audit_amounts"), ("11件", "audit_leads_transferred")]),
    ],
)
def test_assignment(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert _assigned(sentence) == expected


def test_unit_constraints_keep_counts_apart() -> None:
    # 执法证件 takes 个/本/张; 个 here counts departments sampled, not case files
    got = dict(_assigned("抽查25个执法部门行政执法案件卷宗40件,换发执法证件312本。"))
    assert got == {"25个": None, "40件": "enforcement_case_file_reviews",
                   "312本": "enforcement_certificates"}
