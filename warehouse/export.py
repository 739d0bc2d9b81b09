"""Export tables and views to Parquet or CSV for researchers who use other tools."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb  # noqa: TID251 (the warehouse package is where duckdb lives)

from warehouse.db import WarehouseError

EXPORTABLE = (
    "sources", "runs", "fetch_log", "documents", "reports", "report_documents", "sections",
    "mentions", "indicators", "quarantine", "skips", "reports_current", "indicator_panel",
    "report_coverage", "government_coverage", "disclosure_cells", "disclosure_panel",
    "disclosure_applications", "disclosure_reviews", "disclosure_proactive",
)  # fmt: skip


def export_tables(
    con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: str, tables: Sequence[str] | None
) -> list[Path]:
    if fmt not in ("parquet", "csv"):
        raise WarehouseError(f"unknown export format {fmt!r} (parquet or csv)")
    names = list(tables) if tables else list(EXPORTABLE)
    unknown = [t for t in names if t not in EXPORTABLE]
    if unknown:
        raise WarehouseError(
            f"cannot export {', '.join(unknown)}: choose from {', '.join(EXPORTABLE)}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        path = out_dir / f"{name}.{fmt}"
        opts = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
        target = str(path).replace("'", "''")
        # Table names come from the allow-list above; only the path is interpolated, quoted.
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' ({opts})")
        written.append(path)
    return written
