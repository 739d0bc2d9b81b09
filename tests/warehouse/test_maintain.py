"""`govreports maintain`: a DuckLake left with many small commits is compacted, its old
snapshots expired and their files deleted, and every table reads the same after."""

from __future__ import annotations

import copy
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
TABLES = ["reports", "report_documents", "sections", "mentions", "fetch_log", "documents",
          "skips", "quarantine", "runs"]


def _lake(tmp_path: Path, catalog: str | None = None) -> Settings:
    """A DuckLake: a SQLite catalog file, or the PostgreSQL database ``catalog``."""
    return Settings(warehouse=tmp_path / "unused.duckdb", data_dir=tmp_path / "data",
                    warehouse_target="ducklake",
                    ducklake_catalog=catalog or f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}",
                    ducklake_data_path=str(tmp_path / "lake" / "files") + "/")


def _dump(wh: Warehouse) -> dict[str, list[tuple[object, ...]]]:
    return {t: wh.query(f"SELECT * FROM {t} ORDER BY ALL")[1] for t in TABLES}


def _night_by_night(wh: Warehouse, seeds: Callable[..., Pairs],
                    make_batch: Callable[..., Batch]) -> None:
    """Small commits, as nights of a few sources leave them: each seed alone, one of them
    as a new revision (its old rows stay) and one re-parsed by a newer extractor (rows
    deleted and rewritten)."""
    pairs = seeds()
    changed = copy.deepcopy(pairs[:1])
    changed[0][1].text += "\n附:数据更正说明。"
    changed[0][0].content = changed[0][1].text.encode("utf-8")
    changed[0][0].sha256 = None
    wh.load_batch(make_batch(pairs[:2], run_id="n0"))
    wh.load_batch(make_batch(changed + pairs[2:], run_id="n1"))
    wh.load_batch(make_batch(seeds("0.2.0")[1:2], run_id="reparse"))


def test_maintain_compacts_the_lake_and_keeps_every_row(
    tmp_path: Path, settings: Settings, seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch], monkeypatch: pytest.MonkeyPatch,
) -> None:
    lake = _lake(tmp_path)
    with Warehouse(lake) as wh:
        _night_by_night(wh, seeds, make_batch)
        before = _dump(wh)
    runner = CliRunner()
    assert lake.ducklake_catalog and lake.ducklake_data_path
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(lake.data_dir))
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE_TARGET", "ducklake")
    monkeypatch.setenv("GOVREPORTS_DUCKLAKE_CATALOG", lake.ducklake_catalog)
    monkeypatch.setenv("GOVREPORTS_DUCKLAKE_DATA_PATH", lake.ducklake_data_path)
    get_settings.cache_clear()
    try:
        # a week's snapshots kept (the default): none expired, the small files merged
        res = runner.invoke(app, ["maintain", "--format", "json"])
        assert res.exit_code == 0, res.output
        week = json.loads(res.stdout)
        assert [s["step"] for s in week["steps"]] == [
            "flush inlined rows", "merge adjacent files", "rewrite files with deletions",
            "expire snapshots", "delete unused files"]
        assert week["after"]["snapshots"] > week["before"]["snapshots"] > 10
        assert week["after"]["data_files"] < week["before"]["data_files"]
        with Warehouse(lake) as wh:
            assert _dump(wh) == before
        # nothing kept: the old snapshots expire and the files only they used are deleted
        res = runner.invoke(app, ["maintain", "--keep-days", "0"])
        assert res.exit_code == 0, res.output
        assert "merge adjacent files:" in res.stdout and "snapshots" in res.stdout
        with Warehouse(lake) as wh:
            assert _dump(wh) == before
            stats = wh.maintain(keep_days=0)["after"]
            on_disk = list(Path(lake.ducklake_data_path).rglob("*.parquet"))
            assert len(on_disk) == stats["data_files"] + stats["delete_files"] > 0
            assert stats["snapshots"] < week["after"]["snapshots"]
            # and loading goes on as before
            again = wh.load_batch(make_batch(seeds()[2:], run_id="n4"))
            assert again.reconciles and again.new_reports == 0
            assert wh.query("SELECT count(*) FROM reports_current")[1] == [(3,)]
        # the weekly flow (prefect.yaml's `maintain`) is the same call
        from flows.maintain import maintain_warehouse

        flowed = maintain_warehouse.fn(keep_days=7)
        assert flowed["target"] == "ducklake" and len(flowed["steps"]) == 5
        res = runner.invoke(app, ["maintain", "--keep-days", "-1"])
        assert res.exit_code == 1 and "--keep-days must be 0 or more" in res.stderr
        # A SQLite catalog takes one writer and DuckLake does not wait for its lock: beside
        # a run (any shard's) maintenance does not start, and says why (exit 3, one line)
        from warehouse import run_lock

        with run_lock(get_settings(), "nightly", shard="2/3"):
            res = runner.invoke(app, ["maintain"])
        assert res.exit_code == 3 and res.stderr.count("\n") == 1
        assert "a run is in progress (nightly run, pid" in res.stderr and "shard 2/3" in res.stderr
        assert res.stderr.rstrip().endswith("maintenance did not start")
        # a DuckDB file: nothing to do, said so
        monkeypatch.setenv("GOVREPORTS_WAREHOUSE_TARGET", "duckdb")
        monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(settings.warehouse))
        get_settings.cache_clear()
        res = runner.invoke(app, ["maintain"])
        assert res.exit_code == 0 and "needs no maintenance" in res.stdout
        assert maintain_warehouse.fn()["steps"] == []
    finally:
        get_settings.cache_clear()


def _content(wh: Warehouse) -> dict[str, list[tuple[object, ...]]]:
    """The tables without the load's own clock (two warehouses load at different times)."""
    out = {}
    for t in TABLES[:-1]:
        cols = [r[0] for r in wh.query(f"DESCRIBE {t}")[1]
                if r[0] not in ("loaded_at", "quarantined_at")]
        out[t] = wh.query(f"SELECT {', '.join(cols)} FROM {t} ORDER BY ALL")[1]
    return out


def test_maintain_beside_loads_on_postgres(
    tmp_path: Path, pg_catalog: str, seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
) -> None:
    """Compaction and loads commit side by side (a conflict is retried, as between two
    loads): every load lands, and the tables are those of the same loads without it."""
    import threading

    lake_settings = _lake(tmp_path, pg_catalog)
    reference = Settings(warehouse=tmp_path / "ref" / "wh.duckdb", data_dir=tmp_path / "ref")
    with Warehouse(reference) as ref:
        _night_by_night(ref, seeds, make_batch)
        expected = _content(ref)
    with Warehouse(lake_settings) as wh:
        wh.migrate()
    errors: list[BaseException] = []

    def compact() -> None:
        try:
            with Warehouse(lake_settings) as other:
                for _ in range(3):
                    # files set aside stay a day: a load's snapshot may still read them
                    other.maintain(keep_days=1)
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)

    worker = threading.Thread(target=compact)
    worker.start()
    with Warehouse(lake_settings) as wh:
        _night_by_night(wh, seeds, make_batch)
    worker.join(120)
    assert not worker.is_alive() and errors == []
    with Warehouse(lake_settings) as wh:
        assert _content(wh) == expected
