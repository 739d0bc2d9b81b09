"""The DuckDB warehouse: migrations, validated idempotent loads, read snapshot, export.

``duckdb`` is imported only inside this package.
"""

from warehouse.db import WarehouseError
from warehouse.handle import Warehouse
from warehouse.load import LoadSummary

__all__ = ["LoadSummary", "Warehouse", "WarehouseError"]
