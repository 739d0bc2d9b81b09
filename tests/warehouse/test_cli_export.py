"""`govreports query` / `govreports export`, and the export files themselves."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreports.models import Batch, FetchResult, Report
from govreports.settings import Settings, get_settings
from ui.cli import app
from warehouse import Warehouse

Pairs = list[tuple[FetchResult, Report]]


@pytest.fixture
def loaded(
    settings: Settings,
    seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    with Warehouse(settings) as wh:
        wh.load_batch(make_batch(seeds()))
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(settings.warehouse))
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings  # type: ignore[misc]
    get_settings.cache_clear()


def test_query_csv_json_and_errors(loaded: Settings) -> None:
    runner = CliRunner()
    sql = "SELECT report_key, report_year FROM reports_current ORDER BY report_key"
    res = runner.invoke(app, ["query", sql, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["report_key", "report_year"]
    assert rows[1:] == [["220204:2023", "2023"], ["511083:2021", "2021"], ["511781:2022", "2022"]]

    res = runner.invoke(app, ["query", "SELECT indicator, value FROM indicator_panel "
                              "WHERE report_key = '511781:2022' AND indicator = "
                              "'collective_law_study_sessions'", "-f", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == [{"indicator": "collective_law_study_sessions", "value": 21.0}]

    res = runner.invoke(app, ["query", "SELEC nonsense"])
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "query failed" in res.stderr
    res = runner.invoke(app, ["query", "DELETE FROM reports"])  # the snapshot is read-only
    assert res.exit_code == 1
    with Warehouse(loaded) as wh:
        assert wh.query("SELECT count(*) FROM reports")[1] == [(3,)]


def test_query_without_a_warehouse_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(tmp_path / "none.duckdb"))
    get_settings.cache_clear()
    try:
        res = CliRunner().invoke(app, ["query", "SELECT 1"])
    finally:
        get_settings.cache_clear()
    assert res.exit_code == 1
    assert (
        res.stderr.strip()
        == f"error: no warehouse at {tmp_path / 'none.duckdb'} (set GOVREPORTS_WAREHOUSE)"
    )


def test_export_parquet_and_csv(loaded: Settings, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["export", "--format", "parquet", "--table", "mentions",
                                   "--table", "indicator_panel", "--out", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["indicator_panel.parquet", "mentions.parquet"]
    assert pq.read_table(out / "mentions.parquet").num_rows == 253
    with Warehouse(loaded) as wh:
        paths = wh.export(tmp_path / "csv", "csv", ["report_coverage"])
        n = wh.query("SELECT count(*) FROM report_coverage")[1][0][0]
    with paths[0].open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == n
    res = CliRunner().invoke(app, ["export", "--table", "secrets"])
    assert res.exit_code == 1 and "cannot export secrets" in res.stderr
