"""Migrations: a fresh warehouse and an older one both end at the current schema."""

from __future__ import annotations

from typing import Any

from govreports.settings import Settings
from warehouse import Warehouse, db

SCHEMA_SQL = """
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'main' ORDER BY table_name, column_name
"""


def _schema(wh: Warehouse) -> list[tuple[Any, ...]]:
    return wh.query(SCHEMA_SQL)[1]


def test_fresh_and_old_warehouses_end_at_the_current_schema(
    settings: Settings, tmp_path: Any
) -> None:
    with Warehouse(settings) as fresh:
        fresh.migrate()
        want = _schema(fresh)
        versions = fresh.query("SELECT version FROM schema_migrations ORDER BY 1")[1]
    assert versions == [(m.version,) for m in db.migrations()]
    assert db.current_version() >= 3
    assert ("reports", "level", "VARCHAR") in want and (
        "report_coverage",
        "days_late",
        "BIGINT",
    ) in want

    # An older warehouse: only the first migration applied, with a report row in it.
    old = Settings(warehouse=tmp_path / "old.duckdb", data_dir=tmp_path / "old-data")
    con = db.connect_file(old.warehouse, read_only=False)
    assert db.migrate(con, upto=1) == [1]
    con.execute(
        "INSERT INTO reports (report_key, revision, title, report_year) VALUES (?, 1, ?, 2021)",
        ["511083:2021", "隆昌市2021年度法治政府建设情况报告"],
    )
    con.close()
    with Warehouse(old) as wh:
        wh.migrate()
        assert _schema(wh) == want
        got = wh.query("SELECT report_key, title, level FROM reports_current")[1]
        assert got == [("511083:2021", "隆昌市2021年度法治政府建设情况报告", None)]
        wh.migrate()  # nothing pending: a no-op
        assert wh.query("SELECT count(*) FROM schema_migrations")[1] == [(len(db.migrations()),)]


def test_migration_files_are_numbered_and_unique() -> None:
    ms = db.migrations()
    assert [m.version for m in ms] == sorted({m.version for m in ms})
    assert all(m.name[:3] == f"{m.version:03d}" for m in ms)


def test_a_query_on_an_older_warehouse_migrates_it_first(tmp_path: Any) -> None:
    """An analyst's first query after upgrading govreports finds the new views."""
    old = Settings(warehouse=tmp_path / "old.duckdb", data_dir=tmp_path / "old-data")
    con = db.connect_file(old.warehouse, read_only=False)
    db.migrate(con, upto=6)
    con.close()
    db.publish_snapshot(old.warehouse)  # as the old version left it: readable, at v6
    with Warehouse(old) as wh:
        cols, rows = wh.query("SELECT count(*) AS n FROM government_coverage")
        assert (cols, rows) == (["n"], [(0,)])
        assert wh.query("SELECT max(version) FROM schema_migrations")[1] == [
            (db.current_version(),)]
