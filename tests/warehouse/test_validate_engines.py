"""The schemas' checks evaluated column-wise (`schemas.validate.failure_cases`) quarantine
exactly what Pandera's own lazy validation quarantines: the same rows, checks, columns,
failing values and row JSON, on every table, for realistic frames and for thousands of
randomly corrupted copies of them."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

import warehouse.load
from benchmarks.bench_load import synthetic_mentions
from govreports.models import FetchResult, Report, Source
from govreports.settings import Settings
from govreports.testweb import disclosure as gen
from schemas import load_catalog, tables, validate
from schemas.validate import failure_cases
from warehouse import Warehouse, rows

from .test_disclosure import disclosure_pair, registry_with_disclosure

Pairs = list[tuple[FetchResult, Report]]
Captured = tuple[str, pd.DataFrame, pa.DataFrameSchema, tuple[str, ...]]


def _records(table: str, df: pd.DataFrame, schema: pa.DataFrameSchema,
             key: tuple[str, ...], engine: str) -> tuple[list[tuple[Any, ...]], list[Any]]:
    v = validate(table, df, schema, run_id="r", key=key, engine=engine)
    recs = sorted((tuple(None if pd.isna(x) else x for x in r)
                   for r in v.quarantine.itertuples(index=False)), key=repr)
    return recs, sorted(v.bad_index.tolist())


def _outcome(table: str, df: pd.DataFrame, schema: pa.DataFrameSchema,
             key: tuple[str, ...], engine: str) -> Any:
    try:
        return _records(table, df, schema, key, engine)
    except ValueError as exc:  # a check that raises on this frame, a wrong dtype
        return str(exc)


def _same(table: str, df: pd.DataFrame, schema: pa.DataFrameSchema,
          key: tuple[str, ...], declined: list[str] | None = None) -> int:
    """Both engines agree on ``df``; how many records they made. Where the fast path
    declines (``declined`` collects them), validate() has Pandera decide."""
    if failure_cases(df, schema) is None:
        assert declined is not None, f"{table}: the fast path declined"
        declined.append(table)
    fast = _outcome(table, df, schema, key, "fast")
    ref = _outcome(table, df, schema, key, "pandera")
    assert fast == ref, (table, fast, ref)
    return len(ref[0]) if isinstance(ref, tuple) else 0


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> list[Captured]:
    """Every frame a realistic load validates: the seed reports (fetch log, documents,
    reports, sections, mentions), two 政府信息公开 reports (one with a planted bad total),
    the registry and the indicator catalog."""
    from .conftest import SEED_IDS, batch_of, seed_report

    got: list[Captured] = []
    real = warehouse.load.validate

    def spy(table: str, df: pd.DataFrame, schema: pa.DataFrameSchema, **kw: Any) -> Any:
        got.append((table, df.copy(), schema, tuple(kw["key"])))
        return real(table, df, schema, **kw)

    tmp = tmp_path_factory.mktemp("fast")
    pairs: Pairs = [seed_report(s) for s in SEED_IDS]
    pairs += [
        disclosure_pair("万源市2022年政府信息公开工作年度报告", "万源市人民政府", 2022,
                        gen.numbers(21), "/zwgk/zfxxgknb/202303/t20230328_1.html",
                        date(2023, 3, 28)),
        disclosure_pair("万源市2021年政府信息公开工作年度报告", "万源市人民政府", 2021,
                        gen.plant(gen.numbers(22)), "/zwgk/zfxxgknb/202204/t20220406_2.html",
                        date(2022, 4, 6)),
    ]
    registry = [Source(id="sc-wanyuan", name="万源市 法治政府建设年度报告栏目",
                       issuer="万源市人民政府", homepage="http://www.wanyuan.gov.cn/",
                       lists=("http://www.wanyuan.gov.cn/zwgk/fzzfjs/index.html",),
                       cms="trs_static", admin_code="511781", level="county_gov")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(warehouse.load, "validate", spy)
        with Warehouse(Settings(warehouse=tmp / "wh.duckdb", data_dir=tmp / "data")) as wh:
            wh.upsert_sources(registry_with_disclosure(registry))
            wh.load_batch(batch_of(pairs))
    df = rows.source_rows(registry_with_disclosure(registry), "r")
    got.append(("sources", df, tables.sources(), ("source_id",)))
    got.append(("indicators", rows.indicator_rows(load_catalog().rows(), "r"), tables.indicators(),
                ("indicator_id",)))
    return got


def test_realistic_frames_give_the_same_records(captured: list[Captured]) -> None:
    tables_seen = {t for t, *_ in captured}
    assert tables_seen == {"fetch_log", "documents", "reports", "sections", "mentions",
                           "disclosure_cells", "sources", "indicators"}
    made = sum(_same(*c) for c in captured)
    assert made >= 1  # the planted disclosure total, at least


def _bad_values(col: pd.Series, rng: random.Random) -> list[Any]:
    """Values that break some check of some column of this dtype, or none at all."""
    if pd.api.types.is_bool_dtype(col.dtype):
        return [True, False]
    if pd.api.types.is_integer_dtype(col.dtype):
        return [-1, 0, 10**9, 600, 2003, rng.randint(-5, 5)] + (
            [None] if isinstance(col.dtype, pd.Int64Dtype) else [])
    if pd.api.types.is_float_dtype(col.dtype):
        return [-1.0, 1e13, float("nan"), float("inf"), 101.5, 0.0, 150.0]
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return [pd.NaT, pd.Timestamp("1999-01-01"), pd.Timestamp("2099-01-01")]
    pool = list(col.dropna().unique()[:5])
    return [None, "", "x" * 600, "NOT A URL", "0" * 64, "ftp://x", "guess", "%", "{", "[",
            "511781", "made_up_indicator", *pool]


def _corrupt(df: pd.DataFrame, rng: random.Random, cells: int) -> pd.DataFrame:
    out = df.copy()
    for _ in range(cells):
        name = rng.choice(list(out.columns))
        i = rng.randrange(len(out))
        value = rng.choice(_bad_values(out[name], rng))
        try:
            out.loc[out.index[i], name] = value
        except (TypeError, ValueError):  # not a value of this dtype
            continue
        if out[name].dtype != df[name].dtype:  # the frame no longer matches: a bug, not data
            out[name] = df[name]
    if len(out) > 1 and rng.random() < 0.3:  # a duplicated key
        out = pd.concat([out, out.iloc[[rng.randrange(len(out))]]])
        out.index = pd.RangeIndex(len(out))
    return out


ROUNDS = int(os.environ.get("GOVREPORTS_TEST_ROUNDS", "3"))


SEEDS = [int(s) for s in os.environ.get("GOVREPORTS_TEST_SEEDS", "0").split(",")]


@pytest.mark.parametrize("seed", SEEDS)
def test_corrupted_frames_give_the_same_records(captured: list[Captured], seed: int) -> None:
    """ROUNDS corrupted copies of each table's frame (GOVREPORTS_TEST_ROUNDS=100 with
    GOVREPORTS_TEST_SEEDS=0,...,9 ran outside the suite: 8,000 frames, all the same)."""
    rng = random.Random(seed)
    made, declined, tried = 0, [], 0
    for table, df, schema, key in captured:
        if df.empty:
            continue
        for _ in range(ROUNDS):
            tried += 1
            made += _same(table, _corrupt(df, rng, rng.choice([1, 3, 10])), schema, key,
                          declined)
    assert made > 5 * ROUNDS  # the corruptions did break checks
    assert len(declined) <= tried // 10, declined  # and the fast path decided almost all


def test_the_benchmarks_mentions_give_the_same_records() -> None:
    """The benchmark's synthetic mentions (a few per cent bad rows), 20,000 of them."""
    df = rows.frame(synthetic_mentions(20_000).to_dict("records"), rows.MENTIONS)
    assert _same("mentions", df, tables.mentions(load_catalog()), rows.KEYS["mentions"]) > 200


def test_what_it_does_not_evaluate_is_left_to_pandera() -> None:
    df = pd.DataFrame({"a": [1, 2, 2], "b": ["x", "y", "z"]})
    plain = {"a": pa.Column("int64", pa.Check.ge(2, error="a small")), "b": pa.Column("str")}
    assert failure_cases(df, pa.DataFrameSchema(plain)) is not None
    declined: list[Callable[[], pa.DataFrameSchema]] = [
        lambda: pa.DataFrameSchema(plain, strict=True),
        lambda: pa.DataFrameSchema(plain, coerce=True),
        lambda: pa.DataFrameSchema({**plain, "a": pa.Column("int64", pa.Check.ge(2))} | {
            "a": pa.Column("int64", pa.Check(lambda s: s > 1))}),  # no error text
        lambda: pa.DataFrameSchema({**plain, "a": pa.Column("int64", unique=True)}),
        lambda: pa.DataFrameSchema({**plain, "a": pa.Column("float64")}),  # wrong dtype
        lambda: pa.DataFrameSchema({**plain, "c": pa.Column("str")}),  # missing column
        lambda: pa.DataFrameSchema(plain, checks=[pa.Check(lambda d: d["a"] > 0,
                                                           error="no column named first")]),
        lambda: pa.DataFrameSchema({**plain, "a": pa.Column(
            "int64", pa.Check(lambda v: v > 0, element_wise=True, error="a positive"))}),
    ]
    for make in declined:
        assert failure_cases(df, make()) is None
    # and validate() then has Pandera raise for the structural ones, as before
    with pytest.raises(ValueError, match="table t: frame does not match its schema"):
        validate("t", df, pa.DataFrameSchema({**plain, "a": pa.Column("float64")}),
                 run_id="r", key=("a",))
    assert np.array_equal(
        validate("t", df, pa.DataFrameSchema(plain), run_id="r", key=("a",)).keep,
        [False, True, True])
