"""Phrasings the development gold does not contain, written in the style of reports from other
counties, cities and departments. Each case names one span and the fields it must carry, so a
failure says which convention (value, unit, approx, kind, level, scope, indicator) broke."""

from __future__ import annotations

from typing import Any

import pytest

from govreports.indicators import extract_mentions
from govreports.models import Mention

# (sentence, span, expected fields); `indicator` is always checked, the rest when given.
CASES: list[tuple[str, str, dict[str, Any]]] = [
    # 行政复议
    (
        "全年共收到行政复议申请56件，依法受理48件，审结45件。",
        "56件",
        {
            "value": 56,
            "unit": "件",
            "kind": "count",
            "indicator": "admin_reconsideration_applications_received",
        },
    ),
    (
        "全年共收到行政复议申请56件，依法受理48件，审结45件。",
        "48件",
        {"indicator": "admin_reconsideration_cases_accepted"},
    ),
    (
        "全年共收到行政复议申请56件，依法受理48件，审结45件。",
        "45件",
        {"indicator": "admin_reconsideration_cases_closed"},
    ),
    (
        "市政府行政复议机构新收行政复议案件132件，同比增长12%。",
        "132件",
        {"indicator": "admin_reconsideration_applications_received"},
    ),
    (
        "市政府行政复议机构新收行政复议案件132件，同比增长12%。",
        "12%",
        {"value": 12, "kind": "rate", "not_a_level": True},
    ),
    (
        "行政复议综合纠错率为15.6%，调解和解率达32%。",
        "15.6%",
        {"value": 15.6, "indicator": "admin_reconsideration_correction_rate"},
    ),
    (
        "行政复议综合纠错率为15.6%，调解和解率达32%。",
        "32%",
        {"indicator": "admin_reconsideration_mediation_rate"},
    ),
    (
        "办结行政复议案件87件，其中维持52件、撤销9件、驳回14件、终止12件。",
        "9件",
        {
            "scope": "part",
            "part_of": "87件",
            "indicator": "admin_reconsideration_decisions_by_type",
        },
    ),
    (
        "通过调解和解方式化解复议案件23件。",
        "23件",
        {"indicator": "admin_reconsideration_decisions_by_type"},
    ),
    # 行政诉讼
    (
        "全县发生行政诉讼案件64件，败诉率为4.7%，行政机关负责人出庭应诉率达100%。",
        "64件",
        {"indicator": "admin_litigation_cases"},
    ),
    (
        "全县发生行政诉讼案件64件，败诉率为4.7%，行政机关负责人出庭应诉率达100%。",
        "4.7%",
        {"indicator": "admin_litigation_loss_rate"},
    ),
    (
        "全县发生行政诉讼案件64件，败诉率为4.7%，行政机关负责人出庭应诉率达100%。",
        "100%",
        {"indicator": "leader_court_appearance_rate", "not_a_level": False},
    ),
    (
        "以区政府为被告的一审行政诉讼案件38件，行政机关负责人出庭应诉38件次。",
        "38件次",
        {"unit": "件次"},
    ),
    # 法律援助
    (
        "全年共办理法律援助案件1,263件，解答群众法律咨询8600余人次，为受援人挽回经济损失2300余万元。",
        "1,263件",
        {"value": 1263, "indicator": "legal_aid_cases"},
    ),
    (
        "全年共办理法律援助案件1,263件，解答群众法律咨询8600余人次，为受援人挽回经济损失2300余万元。",
        "8600余人次",
        {"value": 8600, "approx": "gte", "indicator": "legal_consultations"},
    ),
    (
        "全年共办理法律援助案件1,263件，解答群众法律咨询8600余人次，为受援人挽回经济损失2300余万元。",
        "2300余万元",
        {
            "value": 23_000_000,
            "unit": "元",
            "raw_unit": "万元",
            "approx": "gte",
            "kind": "amount",
            "indicator": "economic_losses_recovered",
        },
    ),
    (
        "受理法律援助案件 128 件，同比上升6.5%。",
        "128 件",
        {"value": 128, "indicator": "legal_aid_cases"},
    ),
    (
        "为农民工讨回欠薪1.2亿多元。",
        "1.2亿多元",
        {"value": 120_000_000, "approx": "gte", "unit": "元", "raw_unit": "亿元"},
    ),
    # 人民调解
    (
        "全区共有人民调解委员会215个，专兼职人民调解员1360名。",
        "215个",
        {"indicator": "mediation_committees"},
    ),
    ("全区共有人民调解委员会215个，专兼职人民调解员1360名。", "1360名", {"indicator": "mediators"}),
    (
        "开展矛盾纠纷排查4200余次，受理各类矛盾纠纷3156件，调解成功3098件，调解成功率98.2%。",
        "4200余次",
        {"approx": "gte", "indicator": "dispute_screenings"},
    ),
    (
        "开展矛盾纠纷排查4200余次，受理各类矛盾纠纷3156件，调解成功3098件，调解成功率98.2%。",
        "3156件",
        {"indicator": "disputes_accepted"},
    ),
    (
        "开展矛盾纠纷排查4200余次，受理各类矛盾纠纷3156件，调解成功3098件，调解成功率98.2%。",
        "3098件",
        {"indicator": "disputes_resolved"},
    ),
    (
        "开展矛盾纠纷排查4200余次，受理各类矛盾纠纷3156件，调解成功3098件，调解成功率98.2%。",
        "98.2%",
        {"indicator": "mediation_success_rate"},
    ),
    (
        "各级调解组织共调处矛盾纠纷一百二十余件。",
        "一百二十余件",
        {"value": 120, "approx": "gte", "indicator": "disputes_resolved"},
    ),
    # 学法
    (
        "县政府常务会议会前学法12次，集中学法4次。",
        "12次",
        {"indicator": "pre_meeting_law_study_sessions"},
    ),
    (
        "县政府常务会议会前学法12次，集中学法4次。",
        "4次",
        {"indicator": "collective_law_study_sessions"},
    ),
    (
        "组织领导干部集中学法十二次。",
        "十二次",
        {"value": 12, "indicator": "collective_law_study_sessions"},
    ),
    # 规范性文件
    (
        "全年审查行政规范性文件27件，报市人大常委会和市政府备案规范性文件27件，备案率100%。",
        "27件",
        {"indicator": "normative_docs_legality_reviewed"},
    ),
    (
        "全年审查行政规范性文件27件，报市人大常委会和市政府备案规范性文件27件，备案率100%。",
        "100%",
        {"indicator": "normative_docs_filing_rate"},
    ),
    (
        "开展规范性文件专项清理，清理规范性文件312件，废止18件。",
        "312件",
        {"indicator": "normative_docs_cleaned_up"},
    ),
    # 合法性审查 / 合同 / 重大决策 / 法律顾问
    (
        "对县政府拟出台的文件、协议等进行合法性审查96件。",
        "96件",
        {"indicator": "legality_reviews_decisions_docs"},
    ),
    ("审查政府合同43份，涉及金额5.6亿元。", "43份", {"indicator": "contracts_reviewed"}),
    (
        "审查政府合同43份，涉及金额5.6亿元。",
        "5.6亿元",
        {"value": 560_000_000, "unit": "元", "raw_unit": "亿元"},
    ),
    (
        "全年作出重大行政决策8项，均履行了公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。",
        "8项",
        {"indicator": "major_admin_decisions"},
    ),
    (
        "政府法律顾问列席常务会议15次，出具法律意见书62份。",
        "62份",
        {"indicator": "legal_advisor_opinions"},
    ),
    # 行政执法
    (
        "组织行政执法人员参加专业法律知识培训1800余人次。",
        "1800余人次",
        {"approx": "gte", "indicator": "enforcement_personnel_trained"},
    ),
    ("为新增执法人员申领行政执法证件126个。", "126个", {"indicator": "enforcement_certificates"}),
    (
        "开展行政执法案卷评查，共评查案卷420卷。",
        "420卷",
        {"indicator": "enforcement_case_file_reviews"},
    ),
    (
        "全年共办理行政处罚案件2356件，罚没金额1860.5万元。",
        "2356件",
        {"indicator": "admin_penalty_cases"},
    ),
    (
        "全年共办理行政处罚案件2356件，罚没金额1860.5万元。",
        "1860.5万元",
        {"value": 18_605_000, "unit": "元", "raw_unit": "万元", "indicator": "fines_amount"},
    ),
    (
        "推行包容审慎监管，对轻微违法行为适用首违不罚136件。",
        "136件",
        {"indicator": "no_penalty_first_violation"},
    ),
    ("开展“双随机、一公开”抽查186次。", "186次", {"indicator": "double_random_joint_inspections"}),
    # 热线 / 建议提案 / 信息公开 / 普法
    (
        "全年受理12345热线工单5.3万件，按时办结率99.1%。",
        "5.3万件",
        {"value": 53_000, "indicator": "hotline_cases"},
    ),
    (
        "承办人大代表建议126件、政协提案98件，办结率、满意率均达100%。",
        "126件",
        {"indicator": "npc_suggestions_handled"},
    ),
    (
        "承办人大代表建议126件、政协提案98件，办结率、满意率均达100%。",
        "98件",
        {"indicator": "cppcc_proposals_handled"},
    ),
    (
        "主动公开政府信息6500余条。",
        "6500余条",
        {"approx": "gte", "indicator": "gov_info_proactively_disclosed"},
    ),
    (
        "开展普法宣传活动320场次，发放宣传资料5万余份，受众达12万人次。",
        "320场次",
        {"indicator": "legal_publicity_events"},
    ),
    (
        "开展普法宣传活动320场次，发放宣传资料5万余份，受众达12万人次。",
        "5万余份",
        {"value": 50_000, "approx": "gte", "indicator": "legal_publicity_materials"},
    ),
    (
        "开展普法宣传活动320场次，发放宣传资料5万余份，受众达12万人次。",
        "12万人次",
        {"value": 120_000, "indicator": "legal_publicity_reach"},
    ),
    # traps
    ("力争行政复议纠错率达到20%的目标任务。", "20%", {"not_a_level": True}),
    (
        "法治政府建设考核排名第3位。",
        "第3位",
        {"value": 3, "unit": "名次", "kind": "other", "not_a_level": True},
    ),
    (
        "截至11月，全县受理行政复议案件76件。",
        "76件",
        {"scope": "subset", "indicator": "admin_reconsideration_cases_accepted"},
    ),
    (
        "受理案件120件，其中行政复议45件、行政诉讼75件。",
        "45件",
        {"scope": "part", "part_of": "120件"},
    ),
    (
        "受理案件120件，其中行政复议45件、行政诉讼75件。",
        "75件",
        {"scope": "part", "part_of": "120件"},
    ),
    (
        "建成村（社区）公共法律服务工作室十二个。",
        "十二个",
        {"value": 12, "indicator": "public_legal_service_stations"},
    ),
    ("共调解纠纷300多起。", "300多起", {"value": 300, "approx": "gte"}),
    # second round: subjects, word orders and names the dev texts do not use
    ("县法律援助中心共受理援助案件540件。", "540件", {"indicator": "legal_aid_cases"}),
    ("县法律援助中心全年受理各类案件540件。", "540件", {"indicator": "legal_aid_cases"}),
    ("法律援助机构办结刑事、民事法律援助案件412件。", "412件", {"indicator": "legal_aid_cases"}),
    (
        "提供法律咨询服务1.2万人次。",
        "1.2万人次",
        {"value": 12000, "indicator": "legal_consultations"},
    ),
    (
        "通过法律援助为群众挽回经济损失1,580万元。",
        "1,580万元",
        {"value": 15_800_000, "indicator": "economic_losses_recovered"},
    ),
    (
        "行政复议案件受理56件，审结52件。",
        "56件",
        {"indicator": "admin_reconsideration_cases_accepted"},
    ),
    (
        "共接收行政复议申请73件。",
        "73件",
        {"indicator": "admin_reconsideration_applications_received"},
    ),
    (
        "复议机关依法作出纠错决定，直接纠错率11.5%。",
        "11.5%",
        {"indicator": "admin_reconsideration_correction_rate"},
    ),
    (
        "行政应诉案件47件，一审败诉2件，败诉率4.3%。",
        "47件",
        {"indicator": "admin_litigation_cases"},
    ),
    (
        "行政应诉案件47件，一审败诉2件，败诉率4.3%。",
        "4.3%",
        {"indicator": "admin_litigation_loss_rate"},
    ),
    ("行政机关负责人出庭应诉比例达到100%。", "100%", {"indicator": "leader_court_appearance_rate"}),
    ("全镇共建立村级调解委员会32个。", "32个", {"indicator": "mediation_committees"}),
    (
        "全市人民调解组织356个，调解员2100余人。",
        "2100余人",
        {"approx": "gte", "indicator": "mediators"},
    ),
    ("人民调解员参与化解纠纷836件。", "836件", {"indicator": "disputes_resolved"}),
    ("组织开展矛盾纠纷大排查行动12次。", "12次", {"indicator": "dispute_screenings"}),
    ("县政府常务会议专题学法6次。", "6次", {"indicator": "pre_meeting_law_study_sessions"}),
    ("组织领导干部集中学法活动4场。", "4场", {"indicator": "collective_law_study_sessions"}),
    (
        "规范性文件备案审查率、报备及时率均为100%。",
        "100%",
        {"indicator": "normative_docs_filing_rate"},
    ),
    ("报送备案的规范性文件18件，全部按时报备。", "18件", {"indicator": "normative_docs_filed"}),
    (
        "对现行有效的规范性文件进行全面清理，共清理文件156件。",
        "156件",
        {"indicator": "normative_docs_cleaned_up"},
    ),
    ("审查各类合同协议212份。", "212份", {"indicator": "contracts_reviewed"}),
    (
        "法律顾问为县政府提供法律意见建议230余条。",
        "230余条",
        {"approx": "gte", "indicator": "legal_advisor_opinions"},
    ),
    ("完成重大行政决策合法性审查11件。", "11件", {"indicator": "legality_reviews_decisions_docs"}),
    ("评查行政执法案卷360卷，优秀率82%。", "360卷", {"indicator": "enforcement_case_file_reviews"}),
    ("市场监管局查处各类违法案件312起。", "312起", {"indicator": "admin_penalty_cases"}),
    ("罚没款共计236.8万元。", "236.8万元", {"value": 2_368_000, "indicator": "fines_amount"}),
    ("对68家市场主体依法免予处罚。", "68家", {"indicator": "no_penalty_first_violation"}),
    ("对轻微违法行为不予行政处罚案件45件。", "45件", {"indicator": "no_penalty_first_violation"}),
    ("为1200余名执法人员换发新版执法证件。", "1200余名", {"approx": "gte"}),
    (
        "12345政务服务便民热线全年受理群众诉求4.6万余件。",
        "4.6万余件",
        {"value": 46000, "approx": "gte", "indicator": "hotline_cases"},
    ),
    (
        "办理市人大代表建议52件、市政协委员提案61件。",
        "61件",
        {"indicator": "cppcc_proposals_handled"},
    ),
    (
        "人大代表建议办结率100%，代表满意率98.5%。",
        "98.5%",
        {"indicator": "suggestions_proposals_rates"},
    ),
    ("受理政府信息公开申请45件，均在法定期限内答复。", "45件", {"indicator": None}),
    (
        "通过政府门户网站公开各类政府信息3200余条。",
        "3200余条",
        {"indicator": "gov_info_proactively_disclosed"},
    ),
    (
        "发放普法资料3.5万份。",
        "3.5万份",
        {"value": 35000, "indicator": "legal_publicity_materials"},
    ),
    ("发放法治宣传材料12000余份。", "12000余份", {"indicator": "legal_publicity_materials"}),
    (
        "开展“法律进乡村”活动86场，受益群众2.3万人次。",
        "2.3万人次",
        {"indicator": "legal_publicity_reach"},
    ),
    ("开展“送法下乡”活动45次。", "45次", {"indicator": "legal_publicity_events"}),
    ("开展部门联合双随机抽查58次。", "58次", {"indicator": "double_random_joint_inspections"}),
    ("行政复议案件数量较上年下降3.2个百分点。", "3.2个百分点", {"not_a_level": True}),
    ("受理行政复议案件比2022年增加15件。", "15件", {"not_a_level": True}),
    ("在全市法治政府建设考核中位列全市第二名。", "第二名", {"value": 2, "not_a_level": True}),
    ("截至10月底，共受理行政复议案件90件。", "90件", {"scope": None}),
    (
        "受理各类法律援助案件150件，其中民事案件96件、刑事案件54件。",
        "96件",
        {"scope": "part", "part_of": "150件", "indicator": "legal_aid_cases"},
    ),
    (
        "审查政府合同40份，涉及金额8000多万元。",
        "8000多万元",
        {"value": 80_000_000, "approx": "gte"},
    ),
    (
        "全年法律咨询达到3000人次以上。",
        "3000人次",
        {"approx": "gte", "indicator": "legal_consultations"},
    ),
    ("法律顾问审查合同至少50份。", "50份", {"approx": "gte"}),
    # third round: Chinese numerals, thousands commas, part-of-year scopes, more traps
    (
        "全年共计受理行政复议案件一百零八件。",
        "一百零八件",
        {"value": 108, "indicator": "admin_reconsideration_cases_accepted"},
    ),
    ("办理行政复议案件两百余件。", "两百余件", {"value": 200, "approx": "gte"}),
    (
        "全年审结复议案件98件，结案率95.1%。",
        "98件",
        {"indicator": "admin_reconsideration_cases_closed"},
    ),
    (
        "作出撤销、确认违法等纠错决定17件，纠错率17.3%。",
        "17.3%",
        {"indicator": "admin_reconsideration_correction_rate"},
    ),
    ("区政府作为被告的行政诉讼案件共28起。", "28起", {"indicator": "admin_litigation_cases"}),
    (
        "全县行政机关败诉案件3件，败诉率较上年下降2.1个百分点。",
        "2.1个百分点",
        {"not_a_level": True},
    ),
    (
        "各级调解组织调解矛盾纠纷2,845件，调解成功2,811件，调解成功率达98.8%。",
        "2,811件",
        {"value": 2811, "indicator": "disputes_resolved"},
    ),
    (
        "全县共有调解员1,126名，其中专职调解员86名。",
        "86名",
        {"scope": "part", "part_of": "1,126名"},
    ),
    ("开展矛盾纠纷排查化解活动1860余次。", "1860余次", {"indicator": "dispute_screenings"}),
    (
        "12348公共法律服务热线接听群众法律咨询9500余人次。",
        "9500余人次",
        {"indicator": "legal_consultations"},
    ),
    (
        "法律援助工作站共接待来访群众咨询2.1万人次。",
        "2.1万人次",
        {"value": 21000, "indicator": "legal_consultations"},
    ),
    (
        "通过法律援助为农民工追回欠薪860余万元。",
        "860余万元",
        {"value": 8600000, "approx": "gte", "indicator": "economic_losses_recovered"},
    ),
    (
        "县政府常务会议会前学法12次，学习法律法规28部。",
        "12次",
        {"indicator": "pre_meeting_law_study_sessions"},
    ),
    (
        "区政府党组理论学习中心组集中学法6次。",
        "6次",
        {"indicator": "collective_law_study_sessions"},
    ),
    (
        "审核区政府及部门规范性文件22件，提出修改意见56条。",
        "22件",
        {"indicator": "normative_docs_legality_reviewed"},
    ),
    (
        "向市政府报备规范性文件9件，报备率、及时率、规范率均达100%。",
        "9件",
        {"indicator": "normative_docs_filed"},
    ),
    (
        "对政府出台的重大行政决策、规范性文件、合同等开展合法性审查315件次。",
        "315件次",
        {"unit": "件次", "indicator": "legality_reviews_decisions_docs"},
    ),
    (
        "审查政府各类合同153份，涉及金额12.6亿元，提出法律意见和建议400余条。",
        "153份",
        {"indicator": "contracts_reviewed"},
    ),
    (
        "审查政府各类合同153份，涉及金额12.6亿元，提出法律意见和建议400余条。",
        "12.6亿元",
        {"value": 1260000000, "raw_unit": "亿元"},
    ),
    (
        "落实重大行政决策程序，全年出台重大行政决策事项6项。",
        "6项",
        {"indicator": "major_admin_decisions"},
    ),
    (
        "组织全县1,560名行政执法人员参加年度法律知识考试，参考率100%。",
        "1,560名",
        {"value": 1560, "indicator": "enforcement_personnel_trained"},
    ),
    ("全年新申领行政执法证128张。", "128张", {"indicator": "enforcement_certificates"}),
    ("抽取行政处罚案卷200卷开展评查。", "200卷", {"indicator": "enforcement_case_file_reviews"}),
    (
        "全县共作出行政处罚决定3,452件，罚没款合计2,165.3万元。",
        "3,452件",
        {"value": 3452, "indicator": "admin_penalty_cases"},
    ),
    (
        "全县共作出行政处罚决定3,452件，罚没款合计2,165.3万元。",
        "2,165.3万元",
        {"value": 21653000, "indicator": "fines_amount"},
    ),
    (
        "实行首违不罚、轻微免罚，共办理不予处罚案件86件，涉及金额120余万元。",
        "86件",
        {"indicator": "no_penalty_first_violation"},
    ),
    (
        "全年转办12345热线工单86,530件，办结率99.6%。",
        "86,530件",
        {"value": 86530, "indicator": "hotline_cases"},
    ),
    ("全年共承办人大代表建议和政协委员提案158件，按期办结率100%。", "158件", {"indicator": None}),
    (
        "共办理人大代表建议45件，政协委员提案63件，代表委员满意率达98%以上。",
        "98%",
        {"approx": "gte", "indicator": "suggestions_proposals_rates"},
    ),
    (
        "县政府门户网站主动公开政府信息12,860条。",
        "12,860条",
        {"value": 12860, "indicator": "gov_info_proactively_disclosed"},
    ),
    (
        "组织开展“八五”普法宣传活动230余场，受众群众逾8万人次。",
        "230余场",
        {"indicator": "legal_publicity_events"},
    ),
    (
        "组织开展“八五”普法宣传活动230余场，受众群众逾8万人次。",
        "8万人次",
        {"value": 80000, "approx": "gte", "indicator": "legal_publicity_reach"},
    ),
    (
        "印发法治宣传手册、宣传单等资料4.2万余份。",
        "4.2万余份",
        {"value": 42000, "indicator": "legal_publicity_materials"},
    ),
    (
        "开展“双随机、一公开”联合抽查32次，检查市场主体1,260户。",
        "1,260户",
        {"indicator": "market_entities_inspected"},
    ),
    ("政府信息公开申请按时答复率100%。", "100%", {"indicator": None}),
    ("全年目标任务完成率100%。", "100%", {"indicator": None}),
    ("力争全年法律援助案件达到500件以上。", "500件", {"not_a_level": True}),
    ("行政复议案件数同比增长12%。", "12%", {"not_a_level": True}),
    ("上半年受理行政复议案件30件。", "30件", {"scope": "subset"}),
    (
        "截至2023年11月，全县共办理法律援助案件312件。",
        "312件",
        {"scope": "subset", "indicator": "legal_aid_cases"},
    ),
    ("全市法治政府建设考评中排名第3。", "第3", {"value": 3, "unit": "名次", "not_a_level": True}),
    ("受理案件120件，其中行政复议45件、行政诉讼75件。", "120件", {"scope": None}),
    ("共有法律顾问28名，其中律师22名、法学专家6名。", "22名", {"scope": "part", "part_of": "28名"}),
    (
        "罚没收入共计3,200余万元。",
        "3,200余万元",
        {"value": 32000000, "approx": "gte", "indicator": "fines_amount"},
    ),
    ("执法人员培训合格率达100%，持证上岗率100%。", "100%", {"indicator": None}),
    (
        "累计开展送法进企业、进社区活动十二场。",
        "十二场",
        {"value": 12, "indicator": "legal_publicity_events"},
    ),
    ("聘请法律顾问十八名。", "十八名", {"value": 18}),
    ("2023年1-10月，共受理行政复议案件30件。", "30件", {"scope": "subset"}),
    ("2023年1月至12月受理行政复议案件30件。", "30件", {"scope": None}),
    ("截至11月底，全县共有人民调解员1360名。", "1360名", {"scope": None, "indicator": "mediators"}),
    # fourth round: traditional script, number before its noun, rates with no catalog id
    (
        "全年共辦理法律援助案件356件，挽回經濟損失1,200萬元。",
        "1,200萬元",
        {
            "value": 12000000,
            "unit": "元",
            "raw_unit": "萬元",
            "indicator": "economic_losses_recovered",
        },
    ),
    (
        "受理行政復議申請42件，糾錯率9.5%。",
        "9.5%",
        {"indicator": "admin_reconsideration_correction_rate"},
    ),
    (
        "承办建议提案共计86件，办复率、满意率分别为100%、98%。",
        "98%",
        {"indicator": "suggestions_proposals_rates"},
    ),
    ("42件行政复议案件全部依法审结。", "42件", {"indicator": "admin_reconsideration_cases_closed"}),
    (
        "全年行政复议收案56件。",
        "56件",
        {"indicator": "admin_reconsideration_applications_received"},
    ),
    ("行政复议案件立案受理61件。", "61件", {"indicator": "admin_reconsideration_cases_accepted"}),
    ("本级行政机关负责人出庭应诉27次，出庭应诉率100%。", "27次", {"indicator": None}),
    ("法律援助案件办结率100%，受援群众满意率99%。", "99%", {"indicator": None}),
    ("全县38个乡镇（街道）均成立人民调解委员会。", "38个", {"indicator": None}),
    ("依法化解行政争议案件24件。", "24件", {"indicator": "admin_disputes_resolved"}),
    ("区政府召开常务会议24次，审议议题186项。", "24次", {"indicator": None}),
    (
        "开展法治讲座15场次，培训执法人员680人次。",
        "680人次",
        {"indicator": "enforcement_personnel_trained"},
    ),
    (
        "开展法治讲座15场次，培训执法人员680人次。",
        "15场次",
        {"indicator": "legal_publicity_events"},
    ),
    ("执法部门共出动执法人员3.6万人次。", "3.6万人次", {"indicator": None}),
    (
        "全年共清理行政规范性文件86件，其中废止12件、修改9件。",
        "12件",
        {"scope": "part", "part_of": "86件"},
    ),
    ("12345热线受理的诉求按时办结率达99.5%，群众满意率96%。", "96%", {"indicator": None}),
    ("共有法律顾问单位45家。", "45家", {"indicator": None}),
    # fifth round: 百余/千余, full-width digits, 亿余元, 以上 after a rate
    (
        "开展普法宣传活动百余场。",
        "百余场",
        {"value": 100, "approx": "gte", "kind": "count", "indicator": "legal_publicity_events"},
    ),
    (
        "全年受理矛盾纠纷千余件。",
        "千余件",
        {"value": 1000, "approx": "gte", "indicator": "disputes_accepted"},
    ),
    (
        "发放资料1万份，其中普法读本3000册。",
        "1万份",
        {"value": 10000, "indicator": "legal_publicity_materials"},
    ),
    ("受理法律援助案件１２８件。", "１２８件", {"value": 128, "indicator": "legal_aid_cases"}),
    (
        "挽回经济损失1.5亿余元。",
        "1.5亿余元",
        {
            "value": 150000000,
            "approx": "gte",
            "raw_unit": "亿元",
            "indicator": "economic_losses_recovered",
        },
    ),
    (
        "调解成功率达到99.2%以上。",
        "99.2%",
        {"approx": "gte", "indicator": "mediation_success_rate"},
    ),
]

# digits that must not be (part of) any mention
NON_MENTIONS: list[tuple[str, str]] = [
    ("印发《关于加强法治政府建设的通知》（县政办发〔2023〕5号），部署任务8项。", "〔2023〕5号"),
    ("制定《法治政府建设实施纲要（2021—2025年）》。", "2021—2025年"),
    ("列席县第十四届人大常委会第12次会议。", "第12次"),
    ("畅通12348公共法律服务热线，接听来电3200余个。", "12348"),
    ("构建“1+N”普法工作格局。", "1+N"),
    ("全面推行“三项制度”。", "三项制度"),
    ("根据县委办〔2023〕12号文件要求，开展专项检查。", "12号"),
    ("贯彻落实《法治政府建设实施纲要（2021－2025年）》。", "2021－2025年"),
    ("召开县十七届人大常委会第9次会议。", "十七届"),
    ("全面推行“721”工作法。", "721"),
    ("推行“1+3+N”法律服务模式。", "1+3+N"),
    ("开通7×24小时热线。", "24小时"),
    ("公布投诉电话0571-12345678。", "0571"),
    ("在“12·4”国家宪法日期间集中宣传。", "12·4"),
    ("组织开展“八五”普法中期检查。", "八五"),
    ("获评第二批全国法治政府建设示范县。", "第二批"),
    ("开展普法活动近百场。", "近百场"),
    ("开展普法活动数十次。", "数十次"),
    ("惠及千家万户。", "千家"),
]

_ids = [f"{c[1]}@{c[0][:12]}" for c in CASES]


def _find(text: str, span: str) -> Mention:
    ms = [m for m in extract_mentions(text) if m.text == span]
    assert ms, f"{span!r} not found in {[m.text for m in extract_mentions(text)]}"
    return ms[0]


@pytest.mark.parametrize(("text", "span", "want"), CASES, ids=_ids)
def test_wild_phrasing(text: str, span: str, want: dict[str, Any]) -> None:
    m = _find(text, span)
    got = {k: getattr(m, k) for k in want}
    assert got == want, m.sentence


@pytest.mark.parametrize(("text", "span"), NON_MENTIONS)
def test_not_a_quantity(text: str, span: str) -> None:
    start = text.index(span)
    end = start + len(span)
    for m in extract_mentions(text):
        assert not (m.offset < end and start < m.offset + len(m.text)), m


def test_shared_rate_phrase_is_one_mention_per_name() -> None:
    ms = extract_mentions("承办人大代表建议126件、政协提案98件，办结率、满意率均达100%。")
    rates = [m for m in ms if m.unit == "%"]
    assert sorted(m.rate_name or "" for m in rates) == ["办结率", "满意率"]
    assert {m.indicator for m in rates} == {"suggestions_proposals_rates"}
    assert {(m.value, m.offset) for m in rates} == {(100, rates[0].offset)}


def test_hotline_number_is_not_a_count() -> None:
    ms = extract_mentions("12345热线共受理群众诉求8600件。")
    assert [(m.text, m.indicator) for m in ms] == [("8600件", "hotline_cases")]
