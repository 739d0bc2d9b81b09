"""Warehouse load benchmark: validate + MERGE 1 M synthetic mention rows, against a raw
Arrow insert of the same rows measured in the same run.

    python -m benchmarks.bench_load [--rows 1000000] [--records 50000] [--json]

Rows are synthetic but shaped like real ones: catalog indicator ids, units, a mix of counts
and rates, a few per cent of them bad (rate > 100, unknown indicator, implausible value) so
the quarantine path runs too. Stages, each timed alone (wall clock and process CPU):
  - ``frame``: typed DataFrame + row hashes (``warehouse.rows.frame``);
  - ``validate``: lazy Pandera validation of the mentions schema, quarantine records built;
  - ``merge``: one transaction, MERGE from Arrow into an empty ``mentions`` table;
  - ``raw arrow insert``: ``INSERT INTO mentions SELECT * FROM arrow`` of the same rows,
    no validation, no MERGE — the floor;
  - ``load_batch``: the whole public path from ``Report``/``Mention`` records for
    ``--records`` rows (record conversion included), reported per row.

``run(quick)`` returns the rows ``python -m benchmarks`` prints: the validated load (frame +
validate + merge) against the raw insert, and load_batch rows/s against the raw insert's
(100,000 rows and 5,000 records when quick).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from benchmarks.common import Row, row
from govreports.models import Batch, FetchResult, Mention, Region, Report
from govreports.settings import Settings
from schemas import load_catalog, tables, validate
from warehouse import Warehouse, db, load, rows

SIZES = (1_000_000, 50_000)  # (rows, records)
QUICK_SIZES = (100_000, 5_000)
VALIDATED = ("frame", "validate", "merge")


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def synthetic_mentions(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cat = load_catalog()
    inds = [i for i in cat.indicators if i.range_county]  # finite plausible ranges
    pick = rng.integers(0, len(inds), n)
    ids = np.array([i.id for i in inds], dtype=object)[pick]
    units = np.array([i.unit if i.unit != "万元" else "元" for i in inds], dtype=object)[pick]
    is_rate = np.array([i.value_type == "rate" for i in inds])[pick]
    lo = np.array([i.range_lo for i in inds])[pick]
    hi = np.array([i.range_hi * (10_000 if i.unit == "万元" else 1) for i in inds])[pick]
    value = np.round(lo + rng.random(n) * (hi - lo) * 0.9, 2)
    bad = rng.random(n)
    value = np.where((bad < 0.01) & is_rate, 150.0, value)  # rate above 100
    value = np.where((bad > 0.99) & ~is_rate, hi * 1000 + 1, value)  # implausible level
    ids = np.where((bad > 0.495) & (bad < 0.5), "made_up_indicator", ids)
    per_report = 500
    report_no = np.arange(n) // per_report
    return pd.DataFrame(
        {
            "report_key": pd.Series(report_no).map(
                lambda r: f"{510000 + r % 9000}:{2015 + r // 9000}"
            ),
            "revision": 1,
            "ordinal": np.arange(n) % per_report,
            "mention_id": [f"m{i % per_report:03d}" for i in range(n)],
            "text": [f"{v:g}{u}" for v, u in zip(value, units, strict=True)],
            "char_offset": rng.integers(0, 20_000, n),
            "value": value,
            "unit": units,
            "kind": np.where(is_rate, "rate", "count"),
            "line": rng.integers(1, 40, n),
            "context": "开展行政执法全过程记录561件,审核重大行政处罚案件",
            "sentence": "开展行政执法全过程记录561件,审核重大行政处罚案件。",
            "raw_unit": None,
            "approx": pd.Series(np.where(rng.random(n) < 0.1, "gte", "")).replace("", None),
            "indicator": ids,
            "not_a_level": rng.random(n) < 0.05,
            "scope": None,
            "part_of": None,
            "rate_name": None,
            "subtype": None,
            "section": "一、主要工作",
            "section_role": "achievements",
            "url": [f"http://www.example.gov.cn/fzzf/{r}.html" for r in report_no],
            "extractor_version": "0.1.0",
            "run_id": "bench",
            "_level": "county",
        }
    )


def synthetic_batch(n_rows: int, per_report: int = 250) -> Batch:
    df = synthetic_mentions(n_rows)
    reports = []
    for r, (key, part) in enumerate(df.groupby("report_key", sort=False)):
        code, year = key.split(":")
        page = FetchResult(url=f"http://www.example.gov.cn/fzzf/{r}.html", source_id="bench",
                           status=200, outcome="ok", fetched_at=datetime.now(UTC))  # fmt: skip
        mentions = [
            Mention(text=t, offset=int(o), value=float(v), unit=u, kind=k, indicator=i)
            for t, o, v, u, k, i in part[
                ["text", "char_offset", "value", "unit", "kind", "indicator"]
            ].itertuples(index=False)
        ]
        rep = Report(url=page.url, issuer=f"{code}人民政府", admin_code=code,
                     report_year=int(year), region=Region(county="某县"),
                     text=f"{code}{year}年度法治政府建设情况报告。" * 20, mentions=mentions,
                     extractor_version="0.1.0")  # fmt: skip
        reports.append((page, rep))
    return Batch(run_id="bench-records", source_id="bench", fetches=[], reports=reports)


def measure(n_rows: int = SIZES[0], n_records: int = SIZES[1]) -> dict[str, Any]:
    """(wall s, CPU s) of each stage, with the counts that go with them."""
    out: dict[str, Any] = {"rows": n_rows}
    raw_df = synthetic_mentions(n_rows)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Settings(warehouse=Path(tmp) / "bench.duckdb", data_dir=Path(tmp) / "data")
        df, w, c = _timed(lambda: rows.frame(raw_df, rows.MENTIONS))
        out["frame"] = (w, c)
        schema = tables.mentions(load_catalog())
        # warm-up: pandera imports its backends on the first validation
        validate("mentions", df.head(100), schema, run_id="warm", key=rows.KEYS["mentions"])
        v, w, c = _timed(
            lambda: validate("mentions", df, schema, run_id="bench", key=rows.KEYS["mentions"])
        )
        out["validate"] = (w, c)
        out["quarantined_rows"] = len(v.bad_index)
        out["quarantine_records"] = len(v.quarantine)
        con = db.connect_file(cfg.warehouse, read_only=False)
        db.migrate(con)

        def do_merge() -> None:
            con.execute("BEGIN TRANSACTION")
            load.merge(con, "mentions", v.frame, rows.KEYS["mentions"], datetime.now(),
                       keep=v.keep)
            con.execute("COMMIT")

        _, w, c = _timed(do_merge)
        out["merge"] = (w, c)
        out["loaded_rows"] = con.execute("SELECT count(*) FROM mentions").fetchone()[0]  # type: ignore[index]
        # the floor: the same rows straight from Arrow, into a fresh copy of the table
        con.execute("CREATE TABLE mentions_raw AS SELECT * FROM mentions LIMIT 0")
        arrow = pa.Table.from_pandas(
            df.drop(columns=["_level"]).assign(loaded_at=pd.Timestamp.now().as_unit("us")),
            preserve_index=False,
        )
        con.register("bench_arrow", arrow)
        cols = ", ".join(c for c in arrow.column_names)
        _, w, c = _timed(
            lambda: con.execute(f"INSERT INTO mentions_raw ({cols}) SELECT {cols} FROM bench_arrow")
        )
        out["raw arrow insert"] = (w, c)
        con.close()

        if n_records:
            batch = synthetic_batch(n_records)
            cfg2 = Settings(warehouse=Path(tmp) / "records.duckdb", data_dir=Path(tmp) / "d2")
            with Warehouse(cfg2) as wh:
                wh.migrate()
                summary, w, c = _timed(lambda: wh.load_batch(batch))
            out["load_batch"] = (w, c)
            out["load_batch_rows"] = summary.extracted
            out["load_batch_reconciles"] = summary.reconciles
    return out


def to_rows(r: dict[str, Any]) -> list[Row]:
    n_rows = r["rows"]
    validated = sum(r[s][0] for s in VALIDATED)
    raw = r["raw arrow insert"][0]
    out = [row("load", f"validated MERGE load, {n_rows:,} mention rows", validated, "s",
               "raw Arrow INSERT of the same rows", raw)]
    if "load_batch" in r:
        w = r["load_batch"][0]
        rec = r["load_batch_rows"]
        out.append(row("load", f"load_batch from records, {rec:,} rows", rec / w, "rows/s",
                       "raw Arrow INSERT", n_rows / raw))
    return out


def run(quick: bool = False) -> list[Row]:
    return to_rows(measure(*(QUICK_SIZES if quick else SIZES)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=SIZES[0])
    ap.add_argument("--records", type=int, default=SIZES[1])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    r = measure(args.rows, args.records)
    if args.json:
        print(json.dumps(r, indent=1))
        return 0
    n = r["rows"]
    print(f"{n:,} mention rows ({r['quarantined_rows']:,} bad → quarantine, "
          f"{r['loaded_rows']:,} loaded)")  # fmt: skip
    for stage in (*VALIDATED, "raw arrow insert"):
        w, c = r[stage]
        print(f"  {stage:<18} {w:7.2f} s wall {c:7.2f} s cpu  {n / w / 1e6:6.2f} M rows/s")
    total = sum(r[s][0] for s in VALIDATED)
    total_cpu = sum(r[s][1] for s in VALIDATED)
    raw, raw_cpu = r["raw arrow insert"]
    print(
        f"  {'validated load':<18} {total:7.2f} s wall {total_cpu:7.2f} s cpu  = "
        f"{total / raw:.1f}x (wall), {total_cpu / raw_cpu:.1f}x (cpu) the raw Arrow insert"
    )
    if "load_batch" in r:
        w, c = r["load_batch"]
        n_rec, ok = r["load_batch_rows"], r["load_batch_reconciles"]
        print(
            f"  load_batch from records: {n_rec:,} rows in {w:.2f} s wall {c:.2f} s cpu "
            f"({n_rec / w:,.0f} rows/s, reconciles={ok})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
