"""The weekly upkeep of a DuckLake warehouse: compaction, old snapshots expired (a DuckDB file
warehouse needs none; the flow says so and does nothing)."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows.common import _logger
from govreports.settings import get_settings
from warehouse import Warehouse


@flow(name="maintain_warehouse", log_prints=False)
def maintain_warehouse(keep_days: float = 7.0) -> dict[str, Any]:
    """``govreports maintain`` as a flow (``Warehouse.maintain``): flush inlined rows, merge
    small files, rewrite files with deletions, expire snapshots older than ``keep_days`` and
    delete the files no snapshot needs. On a SQLite catalog it waits for (or fails beside) a
    run of this machine; on PostgreSQL it runs beside loads."""
    log = _logger()
    with Warehouse(get_settings()) as wh:
        out = wh.maintain(keep_days)
    if out["target"] != "ducklake":
        log.info(out["note"])
        return out
    for step in out["steps"]:
        log.info("%s: %.2f s", step["step"], step["seconds"])
    b, a = out["before"], out["after"]
    log.info("data files %d -> %d, delete files %d -> %d, snapshots %d -> %d",
             b["data_files"], a["data_files"], b["delete_files"], a["delete_files"],
             b["snapshots"], a["snapshots"])
    return out
