"""Registry loading: every entry validated, every error with file and line."""

from __future__ import annotations

from pathlib import Path

from govreports.registry import load_registry, parse_registry

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
sources:
  - id: sc-wanyuan
    name: 万源市人民政府 法治政府建设年度报告栏目
    issuer: 万源市人民政府
    admin_code: "511781"
    level: county_gov
    province: 四川省
    homepage: http://www.wanyuan.gov.cn/
    cms: trs_static
    lists: [http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html]
    encoding: gbk
    selectors: {links: "ul.list a", next: "a.next"}
    min_delay: 1.5
    request_budget: 300
    attachment_hosts: [files.wanyuan.gov.cn]
    verified: true
"""

BAD = """\
sources:
  - id: sc-good
    name: 好的
    issuer: 某县人民政府
    homepage: https://a.gov.cn/
    lists: [https://a.gov.cn/fzzfjs/]
  - id: sc-foo
    name: 坏的
    issuer: 某县人民政府
    homepage: https://b.gov.cn/
    lists: []
    cms: wordpress
  - id: Bad_ID
    name: x
    issuer: y
    homepage: ftp://c.gov.cn/
    lists: [https://c.gov.cn/]
    admin_code: 511781
    min_delay: -1
  - id: sc-good
    name: 重复
    issuer: z
    homepage: https://d.gov.cn/
    lists: [https://d.gov.cn/]
    colour: blue
"""


def test_good_entry_loads_every_field() -> None:
    sources, errors = parse_registry(GOOD, "sources/x.yaml")
    assert errors == []
    (s,) = sources
    assert s.id == "sc-wanyuan" and s.admin_code == "511781" and s.cms == "trs_static"
    assert s.lists == ("http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html",)
    assert s.selectors == {"links": "ul.list a", "next": "a.next"}
    assert s.min_delay == 1.5 and s.request_budget == 300
    assert s.attachment_hosts == ("files.wanyuan.gov.cn",)
    assert (s.file, s.line, s.verified, s.allow_private) == ("sources/x.yaml", 2, True, False)


def test_bad_entries_report_file_line_and_do_not_stop_the_others() -> None:
    sources, errors = parse_registry(BAD, "sources/x.yaml")
    assert [s.id for s in sources] == ["sc-good"]
    msgs = [str(e) for e in errors]
    assert "sources/x.yaml:11: sc-foo: lists: must be a non-empty list of http(s) URLs" in msgs
    assert any(m.startswith("sources/x.yaml:12: sc-foo: cms: 'wordpress'") for m in msgs)
    assert any(m.startswith("sources/x.yaml:13: Bad_ID: id:") for m in msgs)
    assert any(m.startswith("sources/x.yaml:16: Bad_ID: homepage:") for m in msgs)
    assert any(m.startswith("sources/x.yaml:18: Bad_ID: admin_code:") for m in msgs)
    assert any(m.startswith("sources/x.yaml:19: Bad_ID: min_delay:") for m in msgs)
    assert any(
        "sources/x.yaml:20: sc-good: id: duplicate id (first defined at sources/x.yaml:2)" == m
        for m in msgs
    )
    assert any(m.startswith("sources/x.yaml:25: sc-good: colour: unknown field") for m in msgs)


def test_families_default_to_the_rule_of_law_report_and_are_checked() -> None:
    (s,), _ = parse_registry(GOOD, "sources/x.yaml")
    assert s.families == ("rule_of_law",)
    both = GOOD.replace("    verified: true\n",
                        "    verified: true\n    families: [rule_of_law, disclosure_annual]\n")
    (s,), errors = parse_registry(both, "sources/x.yaml")
    assert errors == [] and s.families == ("rule_of_law", "disclosure_annual")
    bad = GOOD.replace("    verified: true\n", "    verified: true\n    families: [xxgk]\n")
    sources, errors = parse_registry(bad, "sources/x.yaml")
    assert sources == [] and [str(e) for e in errors] == [
        "sources/x.yaml:17: sc-wanyuan: families: must be a list of rule_of_law, "
        "disclosure_annual"]


def test_yaml_syntax_error_names_the_line() -> None:
    _, errors = parse_registry("sources:\n  - id: a\n    name: [unclosed\n", "r.yaml")
    (err,) = errors
    assert err.file == "r.yaml" and err.line is not None and "invalid YAML" in err.message


def test_folder_loads_every_file_and_missing_path_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("sources: nope\n", encoding="utf-8")
    sources, errors = load_registry(tmp_path)
    assert [s.id for s in sources] == ["sc-wanyuan"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'b.yaml'}:1: top level must be a mapping with a 'sources:' list"
    ]
    _, missing = load_registry(tmp_path / "nope")
    assert "not found" in str(missing[0])


def test_starter_registry_validates() -> None:
    sources, errors = load_registry(REPO / "sources")
    assert errors == [], [str(e) for e in errors]
    assert len(sources) >= 20
    assert all(not s.verified and not s.allow_private for s in sources)
    assert {s.cms for s in sources} >= {"trs_static", "hanweb", "generic"}
    jh = next(s for s in sources if s.id == "tjjh")
    # the column of a TRS article is the folder above its YYYYMM/ folder
    assert jh.lists[0].endswith("/fdzdgknr2/qtfdgkxx2/index.html")
