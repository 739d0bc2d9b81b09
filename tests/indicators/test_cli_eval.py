"""`govreports eval`: table and JSON output, the baseline gate, and the explicit update."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

GOLD = Path(__file__).resolve().parent.parent / "gold"


def test_table_lists_each_report_and_a_drop_below_the_baseline_exits_1(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    names = [p.stem for p in GOLD.glob("*.yaml")]
    high = {name: {"indicators": {"f1": 1.01}} for name in [*names, "overall"]}
    baseline.write_text(json.dumps(high), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--baseline", str(baseline)])
    assert "overall" in result.output and "000_0e31c3dbbb217a42" in result.output
    assert result.exit_code == 1
    assert "regression: overall indicators" in result.output


def test_json_and_baseline_update_with_the_bundled_seeds(tmp_path: Path) -> None:
    """A copy of the gold without ../seeds beside it: the bundled seeds are used."""
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(gold), "-f", "json", "--update-baseline",
                                 "--baseline", str(baseline)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["mentions"]["f1"] >= 0.99
    written = json.loads(baseline.read_text(encoding="utf-8"))
    assert written["overall"]["indicators"] == data["overall"]["indicators"]
    assert data["overall"]["attributes"]["line"][0] == data["overall"]["attributes"]["line"][1]


def test_missing_gold_dir_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no gold *.yaml files" in result.output


def test_extract_json_carries_mentions_in_the_gold_shape() -> None:
    from govreports import yamlfile

    seed = GOLD.parent.parent / "govreports" / "data" / "seeds" / "001_d68dadcd5706f4a5.txt"
    gold = yamlfile.safe_load((GOLD / "001_d68dadcd5706f4a5.yaml").read_text(encoding="utf-8"))
    result = CliRunner().invoke(app, ["extract", str(seed), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    got = [(m["offset"], m["text"], m["value"], m["unit"], m["indicator"]) for m in out["mentions"]]
    want = [(m["offset"], m["text"], m["value"], m["unit"], m["indicator"])
            for m in gold["mentions"]]
    assert sorted(got, key=str) == sorted(want, key=str)
    assert {"check", "status", "detail"} <= set(out["checks"][0])
