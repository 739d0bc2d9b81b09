"""Issuer → region and GB/T 2260 code: year-aware, functional zones, departments."""

from __future__ import annotations

import pytest

from govreports.extract.region import county_type, resolve
from govreports.models import Region


@pytest.mark.parametrize(
    ("issuer", "year", "code", "region"),
    [
        ("万源市人民政府", 2022, "511781", Region("四川省", "达州市", "万源市", "县级市")),
        ("隆昌市人民政府", 2021, "511083", Region("四川省", "内江市", "隆昌市", "县级市")),
        ("船营区人民政府", 2023, "220204", Region("吉林省", "吉林市", "船营区", "市辖区")),
        # 隆昌 became a county-level city in 2017: earlier reports carry the 县 code
        ("隆昌县人民政府", 2015, "511028", Region("四川省", "内江市", "隆昌县", "县")),
        ("四川省人民政府", 2022, "510000", Region("四川省")),
        ("达州市人民政府", 2022, "511700", Region("四川省", "达州市")),
        ("北京市海淀区人民政府", 2022, "110108", Region("北京市", "北京市", "海淀区", "市辖区")),
        ("福州市鼓楼区人民政府", 2022, "350102", Region("福建省", "福州市", "鼓楼区", "市辖区")),
    ],
)
def test_governments(issuer: str, year: int, code: str, region: Region) -> None:
    r = resolve(issuer, year)
    assert (r.admin_code, r.region, r.functional_zone, r.is_department) == (
        code, region, False, False)


def test_the_year_decides_the_code_of_a_renamed_unit() -> None:
    # the same name in the year after the change resolves to the new unit's code
    assert resolve("隆昌市人民政府", 2017).admin_code == "511083"
    assert resolve("万源县人民政府", 1990).admin_code == "513024"  # 达县地区 then
    assert resolve("万源县人民政府", 2000).admin_code is None  # a 市 since 1993


def test_departments_resolve_to_their_government() -> None:
    r = resolve("隆昌市司法局", 2021)
    assert r.admin_code == "511083" and r.is_department and not r.functional_zone


def test_functional_zones_take_the_parent_code() -> None:
    pingtan = resolve("平潭综合实验区管委会", 2024)
    assert pingtan.functional_zone and pingtan.admin_code == "350128"
    suzhou = resolve("苏州工业园区管理委员会", 2022)
    assert suzhou.functional_zone and suzhou.admin_code == "320500"
    assert suzhou.region == Region("江苏省", "苏州市")
    changsha = resolve("长沙经济技术开发区管委会", 2022)  # generic rule: name + 开发区
    assert changsha.functional_zone and changsha.admin_code == "430100"
    assert not changsha.is_department


def test_ambiguous_names_use_the_context() -> None:
    # 鼓楼区 exists in several cities; the text around it names the city
    nanjing = resolve("鼓楼区人民政府", 2022, context="南京市鼓楼区坚持……南京市委")
    fuzhou = resolve("鼓楼区人民政府", 2022, context="福州市委、市政府……福州市")
    assert (nanjing.admin_code, fuzhou.admin_code) == ("320106", "350102")


def test_unknown_issuer() -> None:
    r = resolve("国家金融监督管理总局", 2024)
    assert r.admin_code is None and r.region == Region() and r.is_department
    assert resolve(None, 2024).admin_code is None


def test_a_shared_name_with_no_evidence_on_the_page_has_no_code() -> None:
    # 市中区 is a district of 济南, 枣庄, 内江 and 乐山: without a parent named, no code
    r = resolve("市中区司法局", 2022)
    assert r.admin_code is None and r.is_department and len(r.candidates) == 4
    assert resolve("市中区司法局", 2022, context="济南市市中区人民政府").admin_code == "370103"
    # other evidence (a 索引号's digits, the registry entry) may pick one of the candidates
    assert resolve("市中区司法局", 2022, prefer=("511002",)).admin_code == "511002"


@pytest.mark.parametrize(("name", "kind"), [("万源市", "县级市"), ("船营区", "市辖区"),
                                            ("平潭县", "县"), ("峨边彝族自治县", "自治县"),
                                            ("科尔沁右翼前旗", "旗")])
def test_county_type(name: str, kind: str) -> None:
    assert county_type(name) == kind


def test_todays_name_on_an_older_report_gets_that_years_code() -> None:
    r = resolve("隆昌市人民政府", 2015)
    assert (r.admin_code, r.region.county) == ("511028", "隆昌县")


def test_districts_named_like_zones_are_districts() -> None:
    pudong = resolve("上海市浦东新区人民政府", 2022)
    assert (pudong.admin_code, pudong.functional_zone) == ("310115", False)
    binhai = resolve("天津市滨海新区人民政府", 2022)
    assert (binhai.admin_code, binhai.functional_zone) == ("120116", False)
