"""The DuckLake target (SQLite catalog + Parquet files), offline: same loads, same answers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from govreports.models import Batch, FetchResult, Report
from govreports.settings import Settings
from warehouse import Warehouse

Pairs = list[tuple[FetchResult, Report]]
TABLES = ["reports", "report_documents", "sections", "mentions", "quarantine", "fetch_log"]


def test_ducklake_loads_idempotently_and_revises(
    lake_settings: Settings, seeds: Callable[..., Pairs], make_batch: Callable[..., Batch]
) -> None:
    pairs = seeds()
    with Warehouse(lake_settings) as wh:
        first = wh.load_batch(make_batch(pairs))
        assert first.new_reports == 3 and first.reconciles
        dump = {t: wh.query(f"SELECT * FROM {t} ORDER BY ALL")[1] for t in TABLES}
        again = wh.load_batch(make_batch(pairs))
        assert (again.new_reports, again.new_revisions) == (0, 0)
        assert {t: wh.query(f"SELECT * FROM {t} ORDER BY ALL")[1] for t in TABLES} == dump

        changed = copy.deepcopy(pairs[:1])
        changed[0][1].text += "\n附:数据更正说明。"
        changed[0][0].content = changed[0][1].text.encode("utf-8")
        changed[0][0].sha256 = None
        assert wh.load_batch(make_batch(changed, run_id="r2")).new_revisions == 1
        cols, rows = wh.query(
            "SELECT report_key, revision FROM reports_current ORDER BY report_key"
        )
        assert rows == [("220204:2023", 1), ("511083:2021", 1), ("511781:2022", 2)]
        assert wh.query("SELECT count(*) FROM indicator_panel")[1][0][0] > 50
    # the data is Parquet files under the lake's data path, the catalog a SQLite file
    assert lake_settings.ducklake_data_path and lake_settings.ducklake_catalog
    files = list(Path(lake_settings.ducklake_data_path).rglob("*.parquet"))
    assert files
    assert Path(lake_settings.ducklake_catalog.removeprefix("sqlite:")).exists()


def test_ducklake_query_door_is_sealed(lake_settings: Settings, tmp_path: Path) -> None:
    from warehouse import WarehouseError

    with Warehouse(lake_settings) as wh:
        wh.migrate()
        assert wh.query("SELECT count(*) FROM reports")[1] == [(0,)]  # the lake's own files
        for sql in (f"COPY (SELECT 1 AS a) TO '{tmp_path / 'x.csv'}' (FORMAT csv)",
                    "SELECT * FROM read_text('/etc/passwd')", "SET enable_external_access = true"):
            try:
                wh.query(sql)
            except WarehouseError:
                continue
            raise AssertionError(f"not refused: {sql}")
    assert not (tmp_path / "x.csv").exists()
