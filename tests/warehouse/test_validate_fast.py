"""The load's fast paths keep the quarantine semantics: the column-wise row JSON equals the
per-row one, and a MERGE with a keep mask loads exactly the rows that passed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from schemas import load_catalog, tables, validate
from schemas.validate import _json_ready, row_json
from warehouse import db, load, rows


def _mentions(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    ids = ["admin_reconsideration_cases_accepted", "legal_aid_cases", "mediation_success_rate"]
    pick = rng.integers(0, 3, n)
    df = pd.DataFrame({
        "report_key": [f"5110{i % 7:02d}:2023" for i in range(n)], "revision": 1,
        "ordinal": np.arange(n), "mention_id": [f"m{i}" for i in range(n)],
        "text": "12件", "char_offset": np.arange(n) * 3,
        "value": np.where(pick == 2, 98.5, 12.0), "unit": np.where(pick == 2, "%", "件"),
        "kind": np.where(pick == 2, "rate", "count"), "line": pd.array([1, None] * (n // 2),
                                                                      dtype="Int64"),
        "context": "办理行政复议案件12件", "sentence": "全年办理行政复议案件12件。",
        "raw_unit": None, "approx": None, "indicator": np.array(ids, dtype=object)[pick],
        "not_a_level": False, "scope": None, "part_of": None, "rate_name": None,
        "subtype": None, "section": "一、主要工作", "section_role": "achievements",
        "url": "http://www.example.gov.cn/a.html", "extractor_version": "0.1.0",
        "run_id": "t", "_level": "county",
    })
    df.loc[5, "value"] = 130.0  # a rate over 100
    df.loc[9, "indicator"] = "made_up_indicator"
    df.loc[11, "context"] = "长" * 5000  # cut in the row JSON
    df.loc[14, ["report_key", "ordinal"]] = [df.loc[13, "report_key"], 13]  # a duplicate key
    return rows.frame(df, rows.MENTIONS)


def test_column_wise_row_json_is_the_per_row_json() -> None:
    df = _mentions(40)
    got = [json.dumps(r, ensure_ascii=False) for r in _json_ready(df).to_dict("records")]
    assert got == [row_json(r) for r in df.to_dict("records")]
    assert "…[1000 more chars]" in got[11] and '"line": null' in got[1]


def test_a_keep_mask_merge_loads_exactly_the_passing_rows(tmp_path: Path) -> None:
    df = _mentions(400)
    v = validate("mentions", df, tables.mentions(load_catalog()), run_id="t",
                 key=rows.KEYS["mentions"])
    assert sorted(v.bad_index.tolist()) == [5, 9, 14]
    assert v.n_good == 397 and v.keep.sum() == 397 and len(v.good) == 397
    con = db.connect_file(tmp_path / "wh.duckdb", read_only=False)
    try:
        db.migrate(con)
        n = load.merge(con, "mentions", v.frame, rows.KEYS["mentions"], datetime(2024, 1, 1),
                       keep=v.keep)
        assert n == 397
        got = con.execute("SELECT ordinal FROM mentions ORDER BY ordinal").fetchall()
        assert [r[0] for r in got] == sorted(v.good["ordinal"].tolist())
        assert 5 not in {r[0] for r in got} and 9 not in {r[0] for r in got}
    finally:
        con.close()
