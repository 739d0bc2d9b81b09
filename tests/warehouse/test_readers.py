"""Readers during loads: a second process queries while this one loads batch after batch.

A DuckDB writer locks its file against every other process. The local target therefore
writes in short sessions and publishes a read snapshot after each batch; DuckLake lets
readers and writers share the catalog. Either way the reader must never fail and must only
ever see whole batches.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govreports.models import Batch, FetchResult, Report
from govreports.settings import Settings
from warehouse import Warehouse

READER = r"""
import json, sys, time
from pathlib import Path
from govreports.settings import Settings
from warehouse import Warehouse
stop, out = Path(sys.argv[1]), Path(sys.argv[2])
ok, failed, seen = 0, [], []
with Warehouse(Settings()) as wh:
    while not stop.exists():
        try:
            # one statement, one snapshot: both counts from the same committed state
            n, m = wh.query(
                "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM mentions)"
            )[1][0]
            ok += 1
            seen.append((time.time(), n, m))
        except Exception as exc:
            failed.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)
out.write_text(json.dumps({"ok": ok, "failed": failed, "seen": seen}))
"""

Pairs = list[tuple[FetchResult, Report]]


def _env(cfg: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GOVREPORTS_WAREHOUSE=str(cfg.warehouse),
        GOVREPORTS_DATA_DIR=str(cfg.data_dir),
        GOVREPORTS_WAREHOUSE_TARGET=cfg.warehouse_target,
        GOVREPORTS_DUCKLAKE_CATALOG=cfg.ducklake_catalog or "",
        GOVREPORTS_DUCKLAKE_DATA_PATH=cfg.ducklake_data_path or "",
    )
    if not cfg.ducklake_catalog:
        env.pop("GOVREPORTS_DUCKLAKE_CATALOG")
        env.pop("GOVREPORTS_DUCKLAKE_DATA_PATH")
    return env


def _batch(pairs: Pairs, year: int, make_batch: Callable[..., Batch]) -> Batch:
    """The seed reports re-dated to ``year``: new report keys, so every batch adds 3."""
    pairs = copy.deepcopy(pairs)
    for page, rep in pairs:
        rep.report_year = year
        rep.publish_date = None
        rep.sign_date = None
        page.url = rep.url = page.url.replace(".html", f"-{year}.html")
    return make_batch(pairs, run_id=f"load-{year}")


@pytest.mark.slow
# DuckLake on its production catalog; its SQLite catalog is covered by test_ducklake.py
@pytest.mark.parametrize("target", ["duckdb", "ducklake-postgres"])
def test_second_process_reads_while_batches_load(
    target: str,
    settings: Settings,
    request: pytest.FixtureRequest,
    seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
    tmp_path: Path,
) -> None:
    cfg = settings
    if target != "duckdb":  # DuckLake on both of its catalogs
        catalog = (request.getfixturevalue("pg_catalog") if target.endswith("postgres")
                   else f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}")
        cfg = settings.model_copy(update={
            "warehouse_target": "ducklake", "ducklake_catalog": catalog,
            "ducklake_data_path": str(tmp_path / "lake" / "files") + "/"})
    pairs = seeds()
    per_batch = sum(len(r.mentions) for _, r in pairs)
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    with Warehouse(cfg) as wh:
        wh.load_batch(_batch(pairs, 2005, make_batch))  # the reader starts on a warehouse
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(stop), str(out)], env=_env(cfg)
        )
        try:
            time.sleep(1.5)  # interpreter start-up, imports
            start = time.time()
            # DuckLake commits cost more (catalog + Parquet files): fewer batches there
            years = range(2006, 2012 if target == "duckdb" else 2009)
            for year in years:
                s = wh.load_batch(_batch(pairs, year, make_batch))
                assert s.new_reports == 3 and s.reconciles
            end = time.time()
            time.sleep(0.5)
        finally:
            stop.touch()
            reader.wait(timeout=60)
    assert reader.returncode == 0
    got = json.loads(out.read_text())
    assert got["failed"] == []
    during = [(n, m) for t, n, m in got["seen"] if start <= t <= end]
    assert len(during) >= 3, f"only {len(during)} reads overlapped the load"
    # every read saw whole batches only (3 reports and their mentions at a time), in order
    assert all(n % 3 == 0 and m == n // 3 * per_batch for n, m in during)
    counts = [n for _, n, _ in got["seen"]]
    assert counts == sorted(counts) and counts[-1] == 3 * (1 + len(years))
