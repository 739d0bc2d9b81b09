"""The catalog is data: every entry's examples are extracted as written, and a YAML edit
(new indicator, new trigger) changes the assignment with no code change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from govreports import yamlfile
from govreports.indicators import CatalogError, extract_mentions, load_catalog
from govreports.indicators.catalog import DEFAULT_CATALOG
from govreports.normalize import fold

_RAW = yamlfile.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
_EXAMPLES = [
    pytest.param(entry["id"], ex, id=f"{entry['id']}-{n}")
    for entry in _RAW["indicators"]
    for n, ex in enumerate(entry.get("examples") or [])
]
_MULTIPLIER = {"万": 10_000, "亿": 100_000_000}


def test_catalog_loads_with_stable_ids() -> None:
    cat = load_catalog()
    assert len(cat) >= 69
    assert cat.get("legal_aid_cases") is not None
    shared = Path(__file__).resolve().parents[2] / ".." / "shared" / "catalog" / "indicators.yaml"
    if not shared.is_file():
        pytest.skip("../shared/catalog is not beside this checkout")
    ids = {e["id"] for e in yamlfile.safe_load(shared.read_text(encoding="utf-8"))["indicators"]}
    assert ids <= set(cat.by_id), "an id of the shared catalog was dropped or renamed"


@pytest.mark.parametrize(("indicator", "example"), _EXAMPLES)
def test_every_catalog_example(indicator: str, example: dict[str, Any]) -> None:
    unit = fold(str(example["unit"])).text
    value = float(example["value"])
    if unit.endswith("元") and unit[:1] in _MULTIPLIER:  # examples keep money in 万元
        value *= _MULTIPLIER[unit[:1]]
        unit = "元"
    ms = extract_mentions(example["text"])
    hits = [m for m in ms if abs(m.value - value) < 1e-6 and fold(m.unit).text == unit]
    assert hits, f"{example['text']!r}: no mention {value:g} {unit} in {[m.text for m in ms]}"
    assert indicator in {m.indicator for m in hits}, [(m.text, m.indicator) for m in hits]
    if example.get("approx"):
        assert {m.approx for m in hits} == {example["approx"]}


def _with(tmp_path: Path, edit: Any) -> Path:
    data = yamlfile.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


SENTENCE = "全年办理社区矫正对象入矫登记78人,解除矫正82人。"


def test_new_indicator_is_a_yaml_edit(tmp_path: Path) -> None:
    assert {m.indicator for m in extract_mentions(SENTENCE)} == {None}
    path = _with(tmp_path, lambda d: d["indicators"].append({
        "id": "community_corrections_intake", "name_zh": "社区矫正入矫人数",
        "value_type": "count", "unit": "人", "trigger": ["入矫"],
    }))
    ms = extract_mentions(SENTENCE, catalog=load_catalog(path))
    assert [(m.text, m.indicator) for m in ms] == [
        ("78人", "community_corrections_intake"), ("82人", None)]


def test_new_trigger_is_a_yaml_edit(tmp_path: Path) -> None:
    sentence = "全年接待群众来信来访312批次,办理网上信访218件。"
    before = {m.text: m.indicator for m in extract_mentions(sentence)}
    assert before["218件"] == "petition_visits_received"

    def add(d: dict[str, Any]) -> None:
        entry = next(e for e in d["indicators"] if e["id"] == "hotline_cases")
        entry["trigger"].append("网上信访")

    after = {m.text: m.indicator
             for m in extract_mentions(sentence, catalog=load_catalog(_with(tmp_path, add)))}
    assert after["218件"] == "hotline_cases"  # the longer trigger now wins


def test_context_gate_is_data(tmp_path: Path) -> None:
    sentence = "全年办理公证事项2380件。"
    assert extract_mentions(sentence)[0].indicator is None

    def add(d: dict[str, Any]) -> None:
        entry = next(e for e in d["indicators"] if e["id"] == "gov_service_cases_handled")
        entry["context_any"].append("公证")

    ms = extract_mentions(sentence, catalog=load_catalog(_with(tmp_path, add)))
    assert ms[0].indicator == "gov_service_cases_handled"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("indicators: [{name_zh: x}]", "needs an 'id'"),
        ("indicators: [{id: a}, {id: a}]", "duplicate indicator id 'a'"),
        ("indicators: [{id: a, trigger: ['re:(']}]", "bad pattern"),
        ("indicators: [{id: a, range_county: [1]}]", "range_county"),
        ("nothing: here", "top-level 'indicators:'"),
        ("indicators: [", "not valid YAML"),
    ],
)
def test_malformed_catalog_names_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="bad.yaml") as err:
        load_catalog(path)
    assert message in str(err.value)


def test_missing_catalog_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read catalog"):
        load_catalog(tmp_path / "absent.yaml")


_TRICKY = [
    pytest.param(case, id=f"{group}-{n}")
    for group, cases in (_RAW.get("tricky_phrasings") or {}).items()
    for n, case in enumerate(cases)
    if "expect" in case
]


@pytest.mark.parametrize("case", _TRICKY)
def test_tricky_phrasings_with_expectations(case: dict[str, Any]) -> None:
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    ms = extract_mentions(case["text"])
    for want in expected:
        hits = [m for m in ms if abs(m.value - float(want["value"])) < 1e-6]
        if "name" in want:
            hits = [m for m in hits if m.rate_name == want["name"]]
        assert hits, f"{case['text']!r}: nothing like {want} in {[m.text for m in ms]}"
        if "unit" in want:
            assert fold(hits[0].unit).text == fold(str(want["unit"])).text
        if "approx" in want:
            assert hits[0].approx == want["approx"]
