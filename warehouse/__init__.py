"""The DuckDB warehouse: migrations, validated idempotent loads, read snapshot, export.

``duckdb`` is imported only inside this package. ``LoadSummary`` (and with it pandas,
pandera and pyarrow) loads on first use, so ``govreports query`` starts quickly.
"""

from typing import TYPE_CHECKING, Any

from warehouse.db import RunLocked, WarehouseError, run_lock
from warehouse.handle import Warehouse

if TYPE_CHECKING:
    from warehouse.load import LoadSummary

__all__ = ["LoadSummary", "RunLocked", "Warehouse", "WarehouseError", "run_lock"]


def __getattr__(name: str) -> Any:
    if name == "LoadSummary":
        from warehouse.load import LoadSummary

        return LoadSummary
    raise AttributeError(f"module 'warehouse' has no attribute {name!r}")
