"""Reports from other places and levels than the three gold texts: the extractor must generalise.

Each case is a .txt body written in the manner of a real 法治政府建设年度报告 (issuers from a
province down to a county department and a development zone; title present, absent, 关于…的报告
or with a 文号 line; 落款 with Arabic or Chinese-numeral dates; the year only in the opening
sentence or only in 年度; every outline numbering style). For each, the metadata fields and the
top-level headings with their roles are asserted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govreports.extract import extract_document
from govreports.extract.sections import find_sections, missing_elements, role_of

# ruff: noqa: E501  (report lines are kept whole, as a report prints them)
_P = "加强行政执法监督，规范行政执法行为，全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。"

PROVINCE = f"""浙江省人民政府关于2023年度法治政府建设情况的报告
2023年，在省委的坚强领导下，省政府坚持以习近平法治思想为指导，深入贯彻落实党的二十大精神，全面推进法治政府建设，现将有关情况报告如下。
一、2023年法治政府建设主要举措和成效
（一）健全依法行政制度体系。全年提请省人大常委会审议地方性法规草案12件，制定省政府规章8件。
（二）深化行政执法体制改革。{_P}
二、党政主要负责人履行推进法治建设第一责任人职责情况
省政府主要负责同志带头学习习近平法治思想，主持召开省政府常务会议专题研究法治政府建设工作4次。
三、存在的问题和不足
一是部分地区和部门对法治政府建设重视程度不够；二是行政执法规范化水平有待提升。
四、2024年工作安排
（一）深入学习贯彻习近平法治思想。{_P}
（二）持续提升行政执法质量。{_P}
五、其他需要报告的事项
无。
浙江省人民政府
2024年3月25日
"""

CITY = f"""绵阳市人民政府
关于2022年度法治政府建设情况的报告
绵府〔2023〕5号
四川省人民政府：
2022年，我市坚持以习近平法治思想为指导，全面贯彻落实中央和省委、省政府关于法治政府建设的决策部署，现将有关情况报告如下。
一、推进法治政府建设的主要举措和成效
(一)坚持党的领导，压实法治建设责任。市委常委会会议、市政府常务会议专题研究法治建设工作6次。
(二)深化“放管服”改革，优化法治化营商环境。{_P}
二、市政府主要负责人履行推进法治建设第一责任人职责情况
市长认真履行推进法治建设第一责任人职责，带头尊法学法守法用法。
三、存在的不足
法治政府建设与人民群众期待仍有差距，基层行政执法能力有待提升。
四、下一步工作打算
2023年，我市将继续深入推进法治政府建设。{_P}
绵阳市人民政府
二〇二三年三月二十日
"""

DISTRICT = f"""天津市静海区2023年法治政府建设年度报告
2023年，静海区在市委、市政府和区委的坚强领导下，深入学习贯彻习近平法治思想，扎实推进法治政府建设各项工作。
一、主要工作开展情况
1.完善依法行政制度体系。区政府全年审查规范性文件21件，合法性审查率100%。
2.推进严格规范公正文明执法。{_P}
二、党政主要负责人履行推进法治建设第一责任人职责情况
区委、区政府主要负责同志切实履行第一责任人职责，定期听取法治政府建设工作汇报。
三、存在的短板
（1）法治宣传教育的针对性有待增强。
（2）执法人员专业素质参差不齐。
四、2024年工作思路
2024年，静海区将以更高标准推进法治政府建设。{_P}
天津市静海区人民政府
2024年1月30日
"""

# No title line, the year only in the opening sentence, no 落款: the title is inferred.
COUNTY = f"""2023年，我县坚持以习近平法治思想为指导，认真贯彻落实中央、省委和湖州市委关于法治政府建设的部署要求，安吉县法治政府建设取得新成效。现将有关情况报告如下：
一、法治政府建设主要成效
一是依法全面履行政府职能。安吉县全年取消和调整行政许可事项15项。
二是提升行政决策公信力。{_P}
二、存在的问题
个别部门依法行政意识不强，安吉县基层执法力量较为薄弱。
三、下一步工作打算
持续深化法治安吉建设，{_P}
"""

# Run-in headings that end at the first 。 or ：, the year only in 年度.
COUNTY_CITY = f"""昆山市2022年度法治政府建设情况报告
一、坚持高位推动，法治政府建设责任全面压实。市委、市政府召开专题会议研究部署法治政府建设工作，{_P}
二、坚持依法决策，行政决策质量持续提升：全市重大行政决策事项全部履行法定程序。{_P}
三、工作中存在的不足。对照法治政府建设示范市创建要求，还存在一定差距。
四、下一步工作思路。昆山市将进一步压实法治建设责任，{_P}
五、其他需要报告的情况。无。
昆山市人民政府
2023年2月28日
"""

DEPARTMENT = f"""杭州市司法局2023年度法治政府建设工作报告
2023年，市司法局在市委、市政府的正确领导下，围绕中心、服务大局，全力推进法治政府建设，现将有关情况报告如下。
一、2023年度推进法治政府建设的主要举措和成效
（一）统筹推进法治政府建设。{_P}
（二）强化行政复议监督职能。全年共收到行政复议申请1562件。
二、局主要负责人履行推进法治建设第一责任人职责情况
局党委书记、局长带头履行推进法治建设第一责任人职责。
三、存在的不足和原因
一是行政执法协调监督工作体系有待完善；二是基层法治力量不足。
四、2024年度推进法治政府建设的主要安排
（一）全面提升依法行政水平。{_P}
杭州市司法局
2024年1月15日
"""

PROVINCIAL_DEPT = f"""浙江省生态环境厅关于2023年度法治政府建设工作情况的报告
浙环函〔2024〕12号
省委全面依法治省委员会办公室：
2023年，我厅深入学习贯彻习近平法治思想，现将2023年度法治政府建设情况报告如下。
一、主要工作举措及成效
（一）健全生态环境法规制度体系。{_P}
（二）深化生态环境执法改革。{_P}
二、存在的困难和短板
部分基层执法人员专业能力仍有不足。
三、2024年工作计划
（一）加快推进生态环境地方立法。{_P}
四、其他有关情况
无。
浙江省生态环境厅
2024年2月6日
"""

ZONE = f"""长沙经济技术开发区管理委员会2023年度法治政府建设情况报告
2023年，长沙经开区坚持以习近平法治思想为指导，深入推进法治政府建设，现将有关情况报告如下。
一、法治政府建设工作情况
（一）优化法治化营商环境。{_P}
（二）推进依法科学民主决策。{_P}
二、主要负责人履行推进法治建设第一责任人职责情况
管委会主要负责人切实履行第一责任人职责。
三、存在问题
法治队伍建设仍需加强。
四、下一步工作打算
（一）持续提升依法行政能力。{_P}
长沙经济技术开发区管理委员会
2024年3月1日
"""

# No title; the year only in 年度 (現将…2023年度…报告如下); issuer from the 落款 only.
DISTRICT_NO_TITLE = f"""今年以来，我区在市委、市政府的坚强领导下，坚持以习近平法治思想为指导，现将我区2023年度法治政府建设情况报告如下。
一、主要做法及成效
（一）持续深化“放管服”改革。{_P}
（二）严格规范公正文明执法。{_P}
二、党政主要负责人履行推进法治建设第一责任人职责情况
区长认真履行第一责任人职责。
三、存在的问题及原因分析
基层法治工作力量仍较薄弱。
四、下一步工作计划
（一）提升依法行政能力。{_P}
五、其他需要说明的情况
无。
成都市武侯区人民政府
2024年1月20日
"""

# A county department, a 文号 line above the title, the 落款 and date on one line.
COUNTY_DEPT = f"""长司〔2024〕3号
长兴县司法局2023年度法治政府建设情况报告
2023年，县司法局在县委、县政府的正确领导下，全面推进法治政府建设，现将有关工作情况报告如下：
一、2023年度法治政府建设工作开展情况
1.强化行政规范性文件监督管理。全年审查县政府规范性文件18件。
2.推进行政复议体制改革。{_P}
二、存在的不足
基层司法所人员力量不足。
三、2024年工作思路
围绕县委县政府中心工作，{_P}
长兴县司法局 2024年1月10日
"""

# A zone named by the city's short name (绵阳高新区), an 二〇二四 落款 date.
SHORT_ZONE = f"""绵阳高新区2023年度法治政府建设情况报告
2023年，绵阳高新区管委会深入学习贯彻习近平法治思想，扎实推进法治政府建设。
一、法治政府建设主要举措和成效
（一）深化依法行政。{_P}
二、存在的短板弱项
法治队伍专业化水平不高。
三、2024年工作安排
（一）强化法治保障。{_P}
绵阳高新技术产业开发区管理委员会
二〇二四年二月二十六日
"""


def _extract(text: str) -> Any:
    return extract_document(text.encode("utf-8"), filename="variant.txt")


CASES: list[tuple[str, str, dict[str, Any], list[tuple[str, str]]]] = [
    (
        "province", PROVINCE,
        dict(title="浙江省人民政府关于2023年度法治政府建设情况的报告", issuer="浙江省人民政府",
             report_year=2023, sign_date=date(2024, 3, 25), admin_code="330000",
             province="浙江省", prefecture=None, county=None, functional_zone=False,
             is_department=False, title_in_text=True),
        [("一、2023年法治政府建设主要举措和成效", "achievements"),
         ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在的问题和不足", "problems"), ("四、2024年工作安排", "plans"),
         ("五、其他需要报告的事项", "other")],
    ),
    (
        "prefecture_with_docno", CITY,
        dict(title="绵阳市人民政府关于2022年度法治政府建设情况的报告", issuer="绵阳市人民政府",
             report_year=2022, sign_date=date(2023, 3, 20), admin_code="510700",
             province="四川省", prefecture="绵阳市", county=None, functional_zone=False,
             is_department=False, doc_number="绵府〔2023〕5号"),
        [("一、推进法治政府建设的主要举措和成效", "achievements"),
         ("二、市政府主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在的不足", "problems"), ("四、下一步工作打算", "plans")],
    ),
    (
        "municipal_district", DISTRICT,
        dict(title="天津市静海区2023年法治政府建设年度报告", issuer="天津市静海区人民政府",
             report_year=2023, sign_date=date(2024, 1, 30), admin_code="120118",
             province="天津市", prefecture="天津市", county="静海区", county_type="市辖区",
             functional_zone=False, is_department=False),
        [("一、主要工作开展情况", "achievements"),
         ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在的短板", "problems"), ("四、2024年工作思路", "plans")],
    ),
    (
        "county_no_title", COUNTY,
        dict(title=None, display_title="安吉县2023年度法治政府建设情况报告",
             issuer="安吉县人民政府", issuer_in_text=False,
             report_year=2023, sign_date=None, admin_code="330523", province="浙江省",
             prefecture="湖州市", county="安吉县", county_type="县", functional_zone=False,
             is_department=False, title_in_text=False),
        [("一、法治政府建设主要成效", "achievements"), ("二、存在的问题", "problems"),
         ("三、下一步工作打算", "plans")],
    ),
    (
        "county_city_run_in", COUNTY_CITY,
        dict(title="昆山市2022年度法治政府建设情况报告", issuer="昆山市人民政府",
             report_year=2022, sign_date=date(2023, 2, 28), admin_code="320583",
             province="江苏省", prefecture="苏州市", county="昆山市", county_type="县级市",
             functional_zone=False, is_department=False),
        [("一、坚持高位推动，法治政府建设责任全面压实", "achievements"),
         ("二、坚持依法决策，行政决策质量持续提升", "achievements"),
         ("三、工作中存在的不足", "problems"), ("四、下一步工作思路", "plans"),
         ("五、其他需要报告的情况", "other")],
    ),
    (
        "city_department", DEPARTMENT,
        dict(title="杭州市司法局2023年度法治政府建设工作报告", issuer="杭州市司法局",
             report_year=2023, sign_date=date(2024, 1, 15), admin_code="330100",
             province="浙江省", prefecture="杭州市", county=None, functional_zone=False,
             is_department=True),
        [("一、2023年度推进法治政府建设的主要举措和成效", "achievements"),
         ("二、局主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在的不足和原因", "problems"),
         ("四、2024年度推进法治政府建设的主要安排", "plans")],
    ),
    (
        "provincial_department", PROVINCIAL_DEPT,
        dict(title="浙江省生态环境厅关于2023年度法治政府建设工作情况的报告",
             issuer="浙江省生态环境厅", report_year=2023, sign_date=date(2024, 2, 6),
             admin_code="330000", province="浙江省", prefecture=None, functional_zone=False,
             is_department=True, doc_number="浙环函〔2024〕12号"),
        [("一、主要工作举措及成效", "achievements"), ("二、存在的困难和短板", "problems"),
         ("三、2024年工作计划", "plans"), ("四、其他有关情况", "other")],
    ),
    (
        "development_zone", ZONE,
        dict(title="长沙经济技术开发区管理委员会2023年度法治政府建设情况报告",
             issuer="长沙经济技术开发区管理委员会", report_year=2023,
             sign_date=date(2024, 3, 1), admin_code="430100", province="湖南省",
             prefecture="长沙市", county=None, functional_zone=True, is_department=False),
        [("一、法治政府建设工作情况", "achievements"),
         ("二、主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在问题", "problems"), ("四、下一步工作打算", "plans")],
    ),
]

CASES += [
    (
        "district_year_only_in_niandu", DISTRICT_NO_TITLE,
        dict(title=None, display_title="成都市武侯区2023年度法治政府建设情况报告",
             issuer="成都市武侯区人民政府",
             report_year=2023, sign_date=date(2024, 1, 20), admin_code="510107",
             province="四川省", prefecture="成都市", county="武侯区", county_type="市辖区",
             functional_zone=False, is_department=False, title_in_text=False),
        [("一、主要做法及成效", "achievements"),
         ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
         ("三、存在的问题及原因分析", "problems"), ("四、下一步工作计划", "plans"),
         ("五、其他需要说明的情况", "other")],
    ),
    (
        "county_department_docno", COUNTY_DEPT,
        dict(title="长兴县司法局2023年度法治政府建设情况报告", issuer="长兴县司法局",
             report_year=2023, sign_date=date(2024, 1, 10), admin_code="330522",
             province="浙江省", prefecture="湖州市", county="长兴县", county_type="县",
             functional_zone=False, is_department=True, doc_number="长司〔2024〕3号"),
        [("一、2023年度法治政府建设工作开展情况", "achievements"),
         ("二、存在的不足", "problems"), ("三、2024年工作思路", "plans")],
    ),
    (
        "short_named_zone", SHORT_ZONE,
        dict(title="绵阳高新区2023年度法治政府建设情况报告",
             issuer="绵阳高新技术产业开发区管理委员会", report_year=2023,
             sign_date=date(2024, 2, 26), admin_code="510700", province="四川省",
             prefecture="绵阳市", county=None, functional_zone=True, is_department=False),
        [("一、法治政府建设主要举措和成效", "achievements"), ("二、存在的短板弱项", "problems"),
         ("三、2024年工作安排", "plans")],
    ),
]

_REGION_KEYS = ("province", "prefecture", "county", "county_type")


@pytest.mark.parametrize(("text", "meta", "heads"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_variant_metadata_and_sections(
    text: str, meta: dict[str, Any], heads: list[tuple[str, str]]
) -> None:
    r = _extract(text)
    got: dict[str, Any] = {}
    for key in meta:
        got[key] = getattr(r.region, key) if key in _REGION_KEYS else getattr(r, key)
    assert got == meta
    assert r.script == "simplified"
    assert [(s.heading, s.role) for s in r.sections] == heads
    for s in r.sections:
        assert text[s.offset :].startswith(s.heading)  # type: ignore[index]


def test_run_in_headings_end_at_first_stop_or_colon() -> None:
    secs = find_sections(COUNTY_CITY)
    assert [s.run_in for s in secs] == [True, True, True, True, True]


def test_missing_elements_per_variant() -> None:
    assert _extract(PROVINCE).missing_elements == []
    # no leadership-duty section, no statement of it, no "other" section
    assert _extract(COUNTY).missing_elements == ["leadership_duty", "other"]
    # the duty is stated inside a section (第一责任人) though it has no section of its own
    assert _extract(PROVINCIAL_DEPT).missing_elements == ["leadership_duty"]
    assert _extract(ZONE).missing_elements == ["other"]


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("三、存在的短板和不足", "problems"),
        ("四、2024年工作安排", "plans"),
        ("四、2024年度工作思路", "plans"),
        ("四、下一步工作打算", "plans"),
        ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "leadership_duty"),
        ("一、2023年法治政府建设工作情况", "achievements"),
        ("五、其他需要报告的情况", "other"),
        ("三、存在的短板弱项", "problems"),
        ("四、新的一年工作要点", "plans"),
        ("二、政府主要负责同志履职情况", "leadership_duty"),
    ],
)
def test_roles_of_common_headings(heading: str, role: str) -> None:
    assert role_of(heading) == role


def test_missing_elements_function() -> None:
    secs = find_sections(DISTRICT)
    assert missing_elements(secs, DISTRICT) == ["other"]


def test_city_body_without_title_or_closing_is_the_city_not_a_district() -> None:
    text = (
        "2023年，我市坚持以习近平法治思想为指导，绵阳市法治政府建设取得新成效，涪城区、游仙区"
        "创建为省级法治政府建设示范区。\n一、主要成效\n绵阳市全年制定规章2件。" + _P +
        "\n二、存在的问题\n绵阳市基层执法力量薄弱。\n三、下一步打算\n" + _P + "\n"
    )
    r = _extract(text)
    assert (r.issuer, r.admin_code, r.title, r.display_title, r.issuer_in_text) == (
        "绵阳市人民政府", "510700", None, "绵阳市2023年度法治政府建设情况报告", False)
    assert r.evidence["issuer"].source == "opening" and r.evidence["issuer"].quote == "绵阳市"


def test_short_opening_sentence_gives_the_year_and_a_body_mention_no_issuer() -> None:
    text = ("2023年，我县法治政府建设取得新进展。\n一、主要成效\n安吉县全年" + _P
            + "安吉县。\n二、存在的问题\n" + _P + "\n")
    r = _extract(text)
    assert (r.report_year, r.issuer, r.title, r.admin_code) == (2023, None, None, None)
    assert r.evidence["issuer"].reason and r.evidence["admin_code"].reason


def test_joint_closing_on_one_line_names_the_government() -> None:
    text = (f"桐庐县2023年度法治政府建设工作报告\n一、主要成效\n{_P}\n二、问题和不足\n{_P}\n"
            "中共桐庐县委 桐庐县人民政府\n二〇二四年三月一日\n")
    r = _extract(text)
    assert (r.issuer, r.sign_date, r.admin_code) == ("桐庐县人民政府", date(2024, 3, 1), "330122")


def test_chinese_numeral_year_in_title() -> None:
    text = (f"滕州市人民政府关于二〇二三年度法治政府建设情况的报告\n一、主要成效\n{_P}\n"
            f"二、存在的问题\n{_P}\n滕州市人民政府\n2024年3月1日\n")
    r = _extract(text)
    assert (r.report_year, r.admin_code, r.region.county_type) == (2023, "370481", "县级市")


def test_second_level_of_the_outline_whatever_its_numbering() -> None:
    """1./一是/（1） directly under 一、 are that section's subsections; a 一是…；二是… sentence
    is a list, not a heading."""
    subs = {s.heading: [c.heading for c in s.subsections] for s in _extract(DISTRICT).sections}
    assert subs["一、主要工作开展情况"] == ["1.完善依法行政制度体系", "2.推进严格规范公正文明执法"]
    assert subs["三、存在的短板"] == ["（1）法治宣传教育的针对性有待增强", "（2）执法人员专业素质参差不齐"]
    subs = {s.heading: [c.heading for c in s.subsections] for s in _extract(COUNTY).sections}
    assert subs["一、法治政府建设主要成效"] == ["一是依法全面履行政府职能", "二是提升行政决策公信力"]
    subs = {s.heading: [c.heading for c in s.subsections] for s in _extract(PROVINCE).sections}
    assert subs["三、存在的问题和不足"] == []
    assert subs["四、2024年工作安排"] == ["（一）深入学习贯彻习近平法治思想", "（二）持续提升行政执法质量"]


@pytest.mark.parametrize(
    ("issuer", "code", "prefecture"),
    [
        ("株洲经开区管委会", "430200", "株洲市"),
        ("郑州航空港经济综合实验区管委会", "410100", "郑州市"),
        ("宁波高新区管委会", "330200", "宁波市"),
    ],
)
def test_zone_issuers_resolve_to_the_parent(issuer: str, code: str, prefecture: str) -> None:
    text = (f"{issuer}2023年法治政府建设情况报告\n2023年，我区深入推进法治政府建设。\n"
            f"一、主要成效\n{_P}\n二、存在的问题\n{_P}\n")
    r = _extract(text)
    assert (r.issuer, r.admin_code, r.region.prefecture, r.functional_zone) == (
        issuer, code, prefecture, True)


def test_traditional_report() -> None:
    text = (f"臺山市2023年度法治政府建設情況報告\n2023年，我市堅持以習近平法治思想為指導，全面推進法治政府建設。\n"
            f"一、主要舉措和成效\n{_P}\n二、存在問題與不足\n{_P}\n三、下步工作打算\n{_P}\n"
            "臺山市人民政府\n2024年1月5日\n")
    r = _extract(text)
    assert (r.script, r.title, r.issuer, r.admin_code, r.sign_date) == (
        "traditional", "台山市2023年度法治政府建设情况报告", "台山市人民政府", "440781",
        date(2024, 1, 5))
    assert [(s.heading, s.role) for s in r.sections] == [
        ("一、主要舉措和成效", "achievements"), ("二、存在問題與不足", "problems"),
        ("三、下步工作打算", "plans")]


def test_closing_before_a_publication_note() -> None:
    text = (f"常熟市人民政府关于2023年度法治政府建设情况的报告\n常政发〔2024〕8号\n"
            f"2023年，我市深入推进法治政府建设。\n一、主要成效\n{_P}\n二、存在的问题\n{_P}\n"
            "特此报告。\n常熟市人民政府\n2024年3月5日\n（此件公开发布）\n")
    r = _extract(text)
    assert (r.issuer, r.sign_date, r.doc_number, r.admin_code) == (
        "常熟市人民政府", date(2024, 3, 5), "常政发〔2024〕8号", "320581")


_BODY = f"一、主要成效\n{_P}\n二、存在的问题\n{_P}\n"


@pytest.mark.parametrize(
    ("head", "title", "issuer", "code"),
    [
        ("绵阳市人民政府关于2022年度法治政府\n建设情况的报告\n2022年，我市深入推进法治政府建设。\n",
         "绵阳市人民政府关于2022年度法治政府建设情况的报告", "绵阳市人民政府", "510700"),
        ("2022年度浙江省生态环境厅法治政府建设情况报告\n2022年，我厅深入推进法治政府建设。\n",
         "2022年度浙江省生态环境厅法治政府建设情况报告", "浙江省生态环境厅", "330000"),
        ("中共桐庐县委 桐庐县人民政府关于2022年度法治政府建设情况的报告\n2022年，我县深入推进法治政府建设。\n",
         "中共桐庐县委桐庐县人民政府关于2022年度法治政府建设情况的报告", "桐庐县人民政府",
         "330122"),
    ],
    ids=["wrapped_title", "year_first_title", "joint_title"],
)
def test_issuer_from_title_forms(head: str, title: str, issuer: str, code: str) -> None:
    r = _extract(head + _BODY)
    assert (r.title, r.issuer, r.report_year, r.admin_code) == (title, issuer, 2022, code)


@pytest.mark.parametrize("ending", ["工作情况", "工作总结"])
def test_title_without_the_word_report(ending: str) -> None:
    r = _extract(f"宁波市2023年度法治政府建设{ending}\n2023年，我市深入推进法治政府建设。\n" + _BODY)
    assert (r.title, r.title_in_text, r.issuer, r.admin_code) == (
        f"宁波市2023年度法治政府建设{ending}", True, "宁波市人民政府", "330200")


def test_outline_starting_at_the_second_level() -> None:
    text = (f"（一）主要成效\n1.完善制度。{_P}\n2.规范执法。{_P}\n（二）存在的问题\n{_P}\n"
            f"（三）下一步工作打算\n{_P}\n")
    secs = find_sections(text)
    assert [(s.heading, s.role) for s in secs] == [
        ("（一）主要成效", "achievements"), ("（二）存在的问题", "problems"),
        ("（三）下一步工作打算", "plans")]
    assert [c.heading for c in secs[0].subsections] == ["1.完善制度", "2.规范执法"]


def test_thematic_headings_after_the_leadership_part_are_achievements() -> None:
    text = (f"一、党政主要负责人履行推进法治建设第一责任人职责情况\n{_P}\n"
            f"二、坚持依法决策，行政决策质量持续提升。{_P}\n三、存在的不足\n{_P}\n"
            f"四、下一步打算\n{_P}\n五、有关意见建议\n{_P}\n")
    assert [s.role for s in find_sections(text)] == [
        "leadership_duty", "achievements", "problems", "plans", "other"]
