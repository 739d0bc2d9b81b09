"""The DuckLake target (SQLite catalog + Parquet files), offline: same loads, same answers."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
    if lake_settings.ducklake_catalog.startswith("sqlite:"):
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


def test_concurrent_loads_of_one_report_on_postgres_store_it_once(
    pg_catalog: str, tmp_path: Path, seeds: Callable[..., Pairs],
    make_batch: Callable[..., Batch],
) -> None:
    """Three writers load the same new reports at the same moment (a county's report and a
    province's copy crawled by two shards). DuckLake would let all three appends commit; the
    writer token makes the later commits conflict, and each is retried on what the first
    committed: every report once, the others counted as unchanged."""
    import threading

    settings = Settings(warehouse=tmp_path / "unused.duckdb", data_dir=tmp_path / "data",
                        warehouse_target="ducklake", ducklake_catalog=pg_catalog,
                        ducklake_data_path=str(tmp_path / "lake") + "/")
    Warehouse(settings).migrate()
    pairs = seeds()
    start = threading.Barrier(3)
    got: list[object] = []

    def load(i: int) -> None:
        with Warehouse(settings) as wh:
            batch = make_batch(pairs, run_id=f"w{i}")
            start.wait()
            try:
                got.append(wh.load_batch(batch).new_reports)
            except Exception as exc:  # noqa: BLE001 (reported below)
                got.append(exc)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got, key=str) == [0, 0, 3], got
    with Warehouse(settings) as wh:
        for table, key in (("reports", "report_key, revision"),
                           ("sections", "report_key, revision, ordinal"),
                           ("mentions", "report_key, revision, ordinal"),
                           ("report_documents", "report_key, url, sha256")):
            n, distinct = wh.query(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}"
                                   )[1][0]
            assert n == distinct > 0, table
        assert wh.query("SELECT count(*) FROM reports")[1] == [(3,)]


def test_a_long_load_among_fast_writers_claims_the_turn_and_commits(
    pg_catalog: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A load whose transaction lasts a second, while two other writers commit every 0.2 s:
    every load conflicts with every overlapping one (the writer token), so without the
    writer's turn the long one lost each race until its retries ran out (measured: it gave
    up after 26 s, which is how a 300-site sharded night lost a source's load). It claims the
    turn after two lost races, the others wait, and it commits."""
    import logging
    import threading

    settings = Settings(warehouse=tmp_path / "unused.duckdb", data_dir=tmp_path / "data",
                        warehouse_target="ducklake", ducklake_catalog=pg_catalog,
                        ducklake_data_path=str(tmp_path / "lake") + "/")
    Warehouse(settings).migrate()
    stop = threading.Event()
    fast_commits = [0, 0]

    def bump(con: Any, hold: float = 0.0) -> str:
        con.execute("BEGIN TRANSACTION")
        con.execute("UPDATE writer_token SET n = n + 1")
        time.sleep(hold)
        con.execute("COMMIT")
        return "committed"

    def fast(i: int) -> None:
        with Warehouse(settings) as wh:
            while not stop.is_set():
                wh._transact(bump, turns=True)  # loads: they take turns
                fast_commits[i] += 1
                time.sleep(0.2)

    threads = [threading.Thread(target=fast, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        while min(fast_commits) == 0:
            time.sleep(0.05)
        caplog.set_level(logging.INFO, logger="warehouse.handle")
        with Warehouse(settings) as wh:
            assert wh._transact(lambda con: bump(con, hold=1.0), turns=True) == "committed"
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert any("claimed the writer's turn" in r.getMessage() for r in caplog.records)
    with Warehouse(settings) as wh:  # released: nobody holds the turn afterwards
        assert wh.query("SELECT holder FROM writer_turn")[1] == [(None,)]
