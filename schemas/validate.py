"""Lazy validation: split a DataFrame into rows that pass and quarantine records.

Every failure of every check of the table's Pandera schema is collected (``lazy=True``). A
failure that points at a row sends that row to quarantine (one record per failed check); a
failure that points at no row (a missing column, a wrong dtype) is a bug in the code that
built the frame, so it raises with the table name instead of quarantining everything.

The schema's checks are evaluated by calling their own functions on whole columns
(``failure_cases``): the same functions Pandera calls, with Pandera's rules for nulls,
nullability, uniqueness and dtypes, giving the failure cases Pandera's lazy validation
reports, without Pandera's per-check bookkeeping (about a millisecond a column and check,
most of a small batch's load, and half of a million-row one's). A schema using anything
that evaluation does not cover (coercion, strictness, element-wise or grouped checks, a
check without an error text, a wrong dtype, a missing column) is validated by Pandera
itself; ``tests/warehouse/test_validate_engines.py`` holds both to the same records.
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
import pandera.backends.pandas.builtin_checks  # noqa: F401 - registers the pandas checks
import pandera.pandas as pa
from pandera.api.function_dispatch import Dispatcher
from pandera.engines import pandas_engine

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


_KEEP = {"exclude_first": "first", "exclude_last": "last", "all": False}
_FC_COLUMNS = ["schema_context", "column", "check", "failure_case", "index"]


_DTYPE_OK: dict[tuple[str, str], bool] = {}  # (schema dtype, frame dtype) → Pandera's verdict


def _dtype_ok(column: Any, dtype: Any) -> bool:
    key = (str(column.dtype), repr(dtype))
    if key not in _DTYPE_OK:
        try:
            _DTYPE_OK[key] = bool(column.dtype.check(pandas_engine.Engine.dtype(dtype)))
        except Exception:  # a dtype Pandera's engine does not know: let Pandera say so
            _DTYPE_OK[key] = False
    return _DTYPE_OK[key]


def _check_fn(check: pa.Check, on: type) -> Any:
    """The function Pandera would call for ``check`` on data of type ``on``; None where
    Pandera would do more than call it."""
    if (check.element_wise or check.groupby is not None or check.n_failure_cases is not None
            or check.raise_warning or not check.error):
        return None
    fn = check._check_fn
    if isinstance(fn, Dispatcher):
        impl = fn._function_registry.get(on)
        if impl is None:
            return None
        stats = dict(check.statistics or {})
        return lambda data: impl(data, **stats)
    return fn


def _plain(schema: pa.DataFrameSchema) -> bool:
    """Whether ``failure_cases`` evaluates ``schema`` exactly as Pandera does."""
    if (schema.strict or schema.coerce or schema.ordered or schema.index is not None
            or schema.unique_column_names or schema.add_missing_columns
            or schema.drop_invalid_rows or getattr(schema, "parsers", None)
            or schema.report_duplicates not in _KEEP):
        return False
    return all(
        not (c.coerce or c.regex or c.unique or c.drop_invalid_rows or not c.required
             or getattr(c, "parsers", None))
        for c in schema.columns.values()
    )


def failure_cases(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame | None:
    """The failure cases Pandera's ``schema.validate(df, lazy=True)`` reports that point at a
    row (columns ``schema_context, column, check, failure_case, index``; empty when every
    row passes), from the schema's own check functions; None where Pandera must run itself
    (see the module's doc)."""
    if not _plain(schema) or not set(schema.columns) <= set(df.columns):
        return None
    parts: list[pd.DataFrame] = []

    def failed(context: str, column: str | None, check: str, cases: pd.Series | None,
               index: pd.Index) -> None:
        parts.append(pd.DataFrame({
            "schema_context": context, "column": column, "check": check,
            "failure_case": (cases.astype(object).to_numpy() if cases is not None
                             else np.full(len(index), None, dtype=object)),
            "index": index.to_numpy()}))

    for name, column in schema.columns.items():
        series = df[name]
        if not _dtype_ok(column, series.dtype):
            return None
        nulls = series.hasnans
        if not column.nullable and nulls:
            isna = series.isna().to_numpy(bool)
            failed("Column", name, "not_nullable", None, series.index[isna])
        kept = series.dropna() if nulls else series
        for check in column.checks:
            fn = _check_fn(check, pd.Series)
            if fn is None:
                return None
            data = kept if check.ignore_na else series
            try:
                out = fn(data)
            except Exception:  # Pandera reports a check that raises: let it
                return None
            if not isinstance(out, pd.Series) or not out.index.equals(data.index):
                return None
            bad = ~(out.to_numpy() if out.dtype == bool else out.astype(bool).to_numpy(bool))
            if bad.any():
                failed("Column", name, str(check.error), data[bad], data.index[bad])
    for check in schema.checks:
        fn = _check_fn(check, pd.DataFrame)
        # the quarantine record names the column a wide check's error text starts with
        if fn is None or str(check.error).split(" ", 1)[0] not in df.columns:
            return None
        try:
            out = fn(df)
        except Exception:
            return None
        if not isinstance(out, pd.Series) or not out.index.equals(df.index):
            return None
        ok = out.to_numpy() if out.dtype == bool else out.astype(bool).to_numpy(bool)
        if check.ignore_na and not ok.all():
            ok = ok | df.isna().all(axis="columns").to_numpy(bool)
        bad = ~ok
        if bad.any():
            failed("DataFrameSchema", None, str(check.error), None, df.index[bad])
    if schema.unique:
        keys = [schema.unique] if isinstance(schema.unique, str) else list(schema.unique)
        dup = df.duplicated(subset=keys, keep=_KEEP[schema.report_duplicates]).to_numpy(bool)
        # Pandera reports a duplicate through its key values, nulls dropped: a row whose
        # key is all null is not reported
        dup = dup & df[keys].notna().any(axis="columns").to_numpy(bool)
        if dup.any():
            failed("DataFrameSchema", None, "multiple_fields_uniqueness", None, df.index[dup])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _FC_COLUMNS})
    return pd.concat(parts, ignore_index=True)


def validate(
    table: str,
    df: pd.DataFrame,
    schema: pa.DataFrameSchema,
    *,
    run_id: str,
    key: Sequence[str],
    engine: str = "fast",
) -> Validated:
    """Validate ``df`` lazily; return the passing rows and one quarantine record per failure.

    ``engine="pandera"`` has Pandera run the schema itself (the reference the fast
    evaluation is tested against)."""
    empty_q = pd.DataFrame({c: pd.Series(dtype="object") for c in QUARANTINE_COLUMNS})
    if df.empty:
        return Validated(table, df, empty_q, df.index[:0])
    fc = failure_cases(df, schema) if engine == "fast" else None
    if fc is None:
        try:
            schema.validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
        else:
            return Validated(table, df, empty_q, df.index[:0])
    if fc.empty:
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
    # The failing rows are read column by column, each column once, as Python values (a
    # row-wise .loc per failure, or per-row dicts of every column, were most of the cost of
    # a batch with many bad rows); their JSON is made from JSON-ready columns.
    bad_df = df.loc[bad]
    at = {idx: i for i, idx in enumerate(bad.tolist())}
    values: dict[str, list[Any]] = {}

    def cell(column: str, idx: Any) -> Any:
        if column not in values:
            values[column] = bad_df[column].tolist()
        return values[column][at[idx]]

    ready = _json_ready(bad_df)
    names = [str(c) for c in ready.columns]
    json_of = [json.dumps(dict(zip(names, vals, strict=True)), ensure_ascii=False)
               for vals in zip(*(ready[c].tolist() for c in ready.columns), strict=True)]
    fc = fc.astype({"column": object, "check": object, "schema_context": object})
    for idx, column_, check_, context, failure_case in zip(
            fc["index"].tolist(), fc["column"].tolist(), fc["check"].tolist(),
            fc["schema_context"].tolist(), fc["failure_case"].tolist(), strict=True):
        column = None if pd.isna(column_) else str(column_)
        check = str(check_)
        # A wide check reports each column of the failing row: keep one record per row+check.
        dedup = (idx, check, column if context == "Column" else "")
        if dedup in seen:
            continue
        seen.add(dedup)
        if context != "Column":
            # Wide checks name their column first ("publish_date before ..."); uniqueness
            # failures are about the key.
            word = check.split(" ", 1)[0]
            column = word if word in df.columns else None
        if column is not None:
            value: Any = cell(column, idx)
        elif "uniqueness" in check:
            value = "|".join(str(cell(k, idx)) for k in key)
        else:
            value = failure_case
        records.append(
            {
                "run_id": run_id,
                "table_name": table,
                "row_key": "|".join("" if pd.isna(v) else str(v)
                                    for v in (cell(k, idx) for k in key)),
                "check_name": check,
                "column_name": column,
                "failing_value": None if _jsonable(value) is None else str(_jsonable(value)),
                "row_json": json_of[at[idx]],
            }
        )
    q = pd.DataFrame(records, columns=QUARANTINE_COLUMNS) if records else empty_q
    return Validated(table, df, q, bad)
