"""One run at a time per warehouse: a second crawl does not fetch everything again, it stops
with one line naming the run that holds the warehouse (exit 3 from the command line), and a
run that was killed is closed as crashed by the next one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.common import PLAIN, crawl_and_load
from govreports.testweb import TestWeb
from warehouse import RunLocked, Warehouse, run_lock

from .conftest import SOURCES
from .harness import fast_settings, rows


def test_a_second_run_stops_with_the_name_of_the_first(
    web: TestWeb, registry: Path, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    web.clear_log()
    with run_lock(settings, "nightly"), pytest.raises(RunLocked) as err:
        crawl_and_load("backfill", sources=SOURCES, registry=str(registry), full=True,
                       years=None, refetch=False, settings=settings, steps=PLAIN)
    message = str(err.value)
    assert "a run is in progress (nightly run, pid" in message
    assert "this backfill run did not start" in message
    assert web.request_log == []  # nothing was fetched twice
    # once the first run is over, the next starts
    done = crawl_and_load("nightly", sources=SOURCES, registry=str(registry), full=False,
                          years=None, refetch=False, settings=settings, steps=PLAIN)
    assert done["new_reports"] == 4


def test_the_command_line_exits_3_before_starting_prefect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govreports.settings import get_settings
    from ui.cli import app

    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        with run_lock(get_settings(), "reparse"):
            res = CliRunner().invoke(app, ["crawl"])
    finally:
        get_settings.cache_clear()
    assert res.exit_code == 3
    (line,) = res.output.strip().splitlines()
    assert line.startswith("error: ") and "(reparse run, pid" in line


def test_a_killed_run_is_closed_as_crashed_by_the_next(tmp_path: Path) -> None:
    settings = fast_settings(tmp_path)
    with Warehouse(settings) as wh:
        killed = wh.start_run("nightly", {})  # and never finished: the process was killed
        later = wh.start_run("nightly", {})
        wh.finish_run(later, {"ok": True})
    got = dict((r[0], r[1:]) for r in rows(settings, "select run_id, finished_at is not null,"
                                                     " summary from runs"))
    assert got[killed][0] and '"status": "crashed"' in got[killed][1]
    assert f'"closed_by": "{later}"' in got[killed][1]
