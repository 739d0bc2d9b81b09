"""Lazy validation: split a DataFrame into rows that pass and quarantine records.

Pandera collects every failure of every check (``lazy=True``). A failure that points at a
row sends that row to quarantine (one record per failed check); a failure that points at no
row (a missing column, a wrong dtype) is a bug in the code that built the frame, so it
raises with the table name instead of quarantining everything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

QUARANTINE_COLUMNS = [
    "run_id",
    "table_name",
    "row_key",
    "check_name",
    "column_name",
    "failing_value",
    "row_json",
]
_MAX_FIELD = 4000  # a report's full text in the row JSON would bury the failing field


@dataclass
class Validated:
    table: str
    frame: pd.DataFrame  # every row of the input
    quarantine: pd.DataFrame  # QUARANTINE_COLUMNS
    bad_index: pd.Index  # rows of the input that failed (one per row, whatever the checks)

    @cached_property
    def keep(self) -> np.ndarray:
        """Which rows of ``frame`` passed (a mask: a loader can filter while it scans
        instead of copying a million rows of text into a new frame)."""
        return np.asarray(~self.frame.index.isin(self.bad_index), dtype=bool)

    @cached_property
    def good(self) -> pd.DataFrame:
        """The rows that passed, as a frame of their own."""
        return self.frame if self.bad_index.empty else self.frame[self.keep]

    @property
    def n_good(self) -> int:
        return len(self.frame) - len(self.bad_index)


def _jsonable(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp | datetime | date):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    if isinstance(v, str) and len(v) > _MAX_FIELD:
        return v[:_MAX_FIELD] + f"…[{len(v) - _MAX_FIELD} more chars]"
    return v


def _json_ready(df: pd.DataFrame) -> pd.DataFrame:
    """``_jsonable`` applied column by column: missing values None, timestamps ISO text,
    numpy scalars Python ones, long text cut (the same JSON as ``row_json`` of each row)."""
    out: dict[str, pd.Series] = {}
    for name in df.columns:
        col = df[name]
        kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else None
        if kind == "M" or isinstance(col.dtype, pd.DatetimeTZDtype):
            vals = col.map(lambda v: None if pd.isna(v) else v.isoformat(), na_action=None)
        elif kind in ("i", "u", "b") and kind is not None:
            vals = pd.Series(col.tolist(), index=col.index, dtype=object)  # Python ints, bools
        elif kind == "f":
            vals = pd.Series([None if math.isnan(v) else v for v in col.tolist()],
                             index=col.index, dtype=object)
        elif isinstance(col.dtype, pd.StringDtype):
            vals = col.astype(object).where(col.notna(), None)
            long = (col.str.len() > _MAX_FIELD).fillna(False).to_numpy(bool)
            if long.any():
                vals[long] = [_jsonable(v) for v in col[long].tolist()]
        else:  # nullable and Arrow types, objects: cell by cell
            vals = pd.Series([_jsonable(v) for v in col.tolist()], index=col.index,
                             dtype=object)
        out[str(name)] = vals
    return pd.DataFrame(out, index=df.index)


def row_json(row: pd.Series | dict[str, Any]) -> str:
    items = row.items()
    return json.dumps({str(k): _jsonable(v) for k, v in items}, ensure_ascii=False)


def validate(
    table: str,
    df: pd.DataFrame,
    schema: pa.DataFrameSchema,
    *,
    run_id: str,
    key: Sequence[str],
) -> Validated:
    """Validate ``df`` lazily; return the passing rows and one quarantine record per failure."""
    empty_q = pd.DataFrame({c: pd.Series(dtype="object") for c in QUARANTINE_COLUMNS})
    if df.empty:
        return Validated(table, df, empty_q, df.index[:0])
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    else:
        return Validated(table, df, empty_q, df.index[:0])
    rowless = fc[fc["index"].isna()]
    if not rowless.empty:
        first = rowless.iloc[0]
        raise ValueError(
            f"table {table}: frame does not match its schema: column {first['column']!r} "
            f"fails {first['check']} ({first['failure_case']!r})"
        )
    records: list[dict[str, Any]] = []
    seen: set[tuple[Any, str, str | None]] = set()
    bad = pd.Index(sorted(set(fc["index"].tolist())))
    # the failing rows as plain dicts, taken once (row-wise .loc per failure is slow), and
    # as JSON-ready dicts made column by column (a Python call per cell was most of the
    # cost of a batch with many bad rows)
    bad_df = df.loc[bad]
    bad_rows = dict(zip(bad.tolist(), bad_df.to_dict("records"), strict=True))
    plain = dict(zip(bad.tolist(), _json_ready(bad_df).to_dict("records"), strict=True))
    json_of: dict[Any, str] = {}
    fc = fc.astype({"column": object, "check": object, "schema_context": object})
    for rec in fc.itertuples(index=False):
        idx = rec.index
        column = None if pd.isna(rec.column) else str(rec.column)
        check = str(rec.check)
        # A wide check reports each column of the failing row: keep one record per row+check.
        dedup = (idx, check, column if rec.schema_context == "Column" else "")
        if dedup in seen:
            continue
        seen.add(dedup)
        row = bad_rows[idx]
        if idx not in json_of:
            json_of[idx] = json.dumps(plain[idx], ensure_ascii=False)
        if rec.schema_context != "Column":
            # Wide checks name their column first ("publish_date before ..."); uniqueness
            # failures are about the key.
            word = check.split(" ", 1)[0]
            column = word if word in df.columns else None
        if column is not None:
            value: Any = row[column]
        elif "uniqueness" in check:
            value = "|".join(str(row[k]) for k in key)
        else:
            value = rec.failure_case
        records.append(
            {
                "run_id": run_id,
                "table_name": table,
                "row_key": "|".join("" if pd.isna(row[k]) else str(row[k]) for k in key),
                "check_name": check,
                "column_name": column,
                "failing_value": None if _jsonable(value) is None else str(_jsonable(value)),
                "row_json": json_of[idx],
            }
        )
    q = pd.DataFrame(records, columns=QUARANTINE_COLUMNS) if records else empty_q
    return Validated(table, df, q, bad)
