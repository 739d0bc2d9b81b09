"""One Pandera schema per warehouse table.

Each function returns the schema for the DataFrame that ``warehouse.rows`` builds for that
table (same column names as the SQL table, lineage columns included). Checks carry an
``error`` text because that text becomes the quarantine row's ``check_name``: it must tell a
person what was wrong. Catalog-dependent checks (known ids, per-indicator ranges) take the
catalog as an argument instead of reading a global.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from govreports import cms as declared
from govreports.models import APPROXES, FAMILIES, LEVELS, MENTION_KINDS, OUTCOMES
from govreports.models import SCOPES as SCOPE_NAMES
from schemas.catalog import LEVEL_SCALE, Catalog

SHA256 = r"^[0-9a-f]{64}$"
ROW_HASH = r"^[0-9a-f]{16}$"  # 64-bit hash of the data columns
URL = r"^(https?|file)://\S+$"
ADMIN_CODE = r"^[1-8][0-9]{5}$"
SOURCE_ID = r"^[a-z0-9][a-z0-9-]*$"
SCRIPTS = ["simplified", "traditional"]
ROLES = ["achievements", "problems", "plans", "leadership_duty", "other"]
# the fixed sets are defined once, with the records (govreports.models)
KINDS, APPROX, SCOPES = list(MENTION_KINDS), list(APPROXES), list(SCOPE_NAMES)
TEMPLATES = ["2021", "2019", "older"]  # 政府信息公开工作年度报告 template formats
CELL_STATUS = ["stated", "split", "ambiguous"]
FIRST_YEAR = 2004  # 全面推进依法行政实施纲要: the first year such reports could exist

_NUM = r"([0-9]+(?:\.[0-9]+)?)\s*(万|萬|亿|億)?"
_MULT = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}


def _s(checks: list[pa.Check] | pa.Check | None = None, *, nullable: bool = False) -> pa.Column:
    return pa.Column("str", checks, nullable=nullable)


def _lineage() -> dict[str, pa.Column]:
    return {
        "run_id": _s(pa.Check.str_length(min_value=1, max_value=200)),
        "row_hash": _s(pa.Check.str_matches(ROW_HASH)),
    }


def sources() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source_id": _s(pa.Check.str_matches(SOURCE_ID, error="source id is [a-z0-9-]")),
            "name": _s(pa.Check.str_length(min_value=1)),
            "issuer": _s(pa.Check.str_length(min_value=1)),
            "admin_code": _s(pa.Check.str_matches(ADMIN_CODE), nullable=True),
            "level": _s(pa.Check.isin(list(LEVELS))),
            "province": _s(nullable=True),
            "homepage": _s(pa.Check.str_matches(URL)),
            "cms": _s(pa.Check.isin(list(declared.names()))),
            "lists": _s(),
            "encoding": _s(nullable=True),
            "verified": pa.Column(bool),
            "allow_private": pa.Column(bool),
            "registry_file": _s(nullable=True),
            "families": _s(pa.Check.str_matches(
                r"^(rule_of_law|disclosure_annual)(,(rule_of_law|disclosure_annual))*$",
                error="families is rule_of_law and/or disclosure_annual")),
            **_lineage(),
        },
        unique=["source_id"],
        report_duplicates="exclude_first",
        name="sources",
    )


@cache  # a schema is built once per process (a build costs milliseconds a batch)
def fetch_log() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "url": _s(pa.Check.str_matches(URL, error="url is not http(s)")),
            "source_id": _s(pa.Check.str_matches(SOURCE_ID), nullable=True),
            "attempt": pa.Column("int64", pa.Check.ge(1)),
            "status": pa.Column("Int64", pa.Check.in_range(100, 599), nullable=True),
            # every outcome the fetcher records, redirect hops and give-ups included
            "outcome": _s(pa.Check.isin(list(OUTCOMES), error="unknown fetch outcome")),
            "content_type": _s(nullable=True),
            "final_url": _s(pa.Check.str_matches(URL), nullable=True),
            "etag": _s(nullable=True),
            "last_modified": _s(nullable=True),
            "elapsed_ms": pa.Column("float64", pa.Check.ge(0)),
            "error": _s(nullable=True),
            "fetched_at": pa.Column("datetime64[us]", nullable=True),
            "sha256": _s(pa.Check.str_matches(SHA256), nullable=True),
            "size": pa.Column("int64", pa.Check.ge(0)),
            **_lineage(),
        },
        checks=[
            pa.Check(
                lambda df: ~((df["outcome"] == "ok") & df["status"].isna()),
                error="status missing although outcome is ok",
            )
        ],
        # A redirect loop revisits a URL within one attempt: hops differ only in time.
        unique=["run_id", "url", "attempt", "fetched_at"],
        report_duplicates="exclude_first",
        name="fetch_log",
    )


@cache
def documents() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "sha256": _s(pa.Check.str_matches(SHA256)),
            "url": _s(pa.Check.str_matches(URL)),
            "source_id": _s(pa.Check.str_matches(SOURCE_ID), nullable=True),
            "content_type": _s(nullable=True),
            "size": pa.Column("int64", pa.Check.gt(0, error="empty document")),
            "status": pa.Column("Int64", pa.Check.in_range(200, 299), nullable=True),
            "final_url": _s(nullable=True),
            "etag": _s(nullable=True),
            "last_modified": _s(nullable=True),
            "fetched_at": pa.Column("datetime64[us]", nullable=True),
            "raw_path": _s(pa.Check.str_length(min_value=1)),
            **_lineage(),
        },
        unique=["url", "sha256"],
        report_duplicates="exclude_first",
        name="documents",
    )


@lru_cache(maxsize=4)
def reports(today: date) -> pa.DataFrameSchema:
    def publish_after_year(df: pd.DataFrame) -> pd.Series:
        # A report on year Y describes the whole of Y: it cannot be out before Y's last day.
        pub = pd.to_datetime(df["publish_date"])
        end = pd.to_datetime(
            df["report_year"].astype("Int64").astype(str) + "-12-31", format="%Y-%m-%d",
            errors="coerce"
        )
        return pub.isna() | end.isna() | (pub >= end)

    def sign_after_year(df: pd.DataFrame) -> pd.Series:
        sign = pd.to_datetime(df["sign_date"])
        end = pd.to_datetime(
            df["report_year"].astype("Int64").astype(str) + "-12-01", format="%Y-%m-%d",
            errors="coerce"
        )
        return sign.isna() | end.isna() | (sign >= end)

    return pa.DataFrameSchema(
        {
            "report_key": _s(pa.Check.str_length(min_value=3, max_value=300)),
            "revision": pa.Column("int64", pa.Check.ge(1)),
            "fingerprint": _s(pa.Check.str_matches(SHA256)),
            "primary_url": _s(pa.Check.str_matches(URL)),
            "source_id": _s(nullable=True),
            "sha256": _s(pa.Check.str_matches(SHA256), nullable=True),
            "title": _s(nullable=True),
            "issuer": _s(nullable=True),
            "admin_code": _s(
                pa.Check.str_matches(ADMIN_CODE, error="admin_code is not a GB/T 2260 code"),
                nullable=True,
            ),
            "province": _s(nullable=True),
            "prefecture": _s(nullable=True),
            "county": _s(nullable=True),
            "county_type": _s(nullable=True),
            "level": _s(pa.Check.isin(["province", "prefecture", "county", "department"])),
            "functional_zone": pa.Column(bool),
            "is_department": pa.Column(bool),
            "report_year": pa.Column(
                "int64",
                pa.Check.in_range(
                    FIRST_YEAR, today.year, error=f"report_year outside {FIRST_YEAR}..{today.year}"
                ),
            ),
            "sign_date": pa.Column("datetime64[us]", nullable=True),
            "publish_date": pa.Column(
                "datetime64[us]",
                pa.Check.le(
                    pd.Timestamp(today) + pd.Timedelta(days=1), error="publish_date in the future"
                ),
                nullable=True,
            ),
            "source_agency": _s(nullable=True),
            "script": _s(pa.Check.isin(SCRIPTS)),
            "doc_number": _s(nullable=True),
            "index_number": _s(nullable=True),
            "encoding": _s(nullable=True),
            "n_sections": pa.Column("int64", pa.Check.ge(0)),
            "n_mentions": pa.Column("int64", pa.Check.ge(0)),
            "missing_elements": _s(),
            "warnings": _s(),
            "checks": _s(),
            "text": _s(pa.Check.str_length(min_value=1, error="empty report text")),
            "extractor_version": _s(),
            "written_date": pa.Column("datetime64[us]", nullable=True),
            "display_title": _s(nullable=True),
            "evidence": _s(
                pa.Check.str_startswith("{", error="evidence is not a JSON object"), nullable=True
            ),
            "classification": _s(nullable=True),
            "catalog_version": _s(nullable=True),
            "family": _s(pa.Check.isin(FAMILIES)),
            "disclosure_template": _s(pa.Check.isin(TEMPLATES), nullable=True),
            **_lineage(),
        },
        checks=[
            pa.Check(publish_after_year, error="publish_date before the report year ends"),
            pa.Check(sign_after_year, error="sign_date before December of the report year"),
        ],
        unique=["report_key", "revision"],
        report_duplicates="exclude_first",
        name="reports",
    )


@cache
def sections() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "report_key": _s(),
            "revision": pa.Column("int64", pa.Check.ge(1)),
            "ordinal": pa.Column("int64", pa.Check.ge(0)),
            "parent_ordinal": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "depth": pa.Column("int64", pa.Check.in_range(1, 6)),
            "heading": _s(
                pa.Check.str_length(
                    min_value=1, max_value=500, error="heading empty or over 500 chars"
                )
            ),
            "line": pa.Column("int64", pa.Check.ge(0)),
            "role": _s(pa.Check.isin(ROLES), nullable=True),
            "run_in": pa.Column(bool),
            "char_offset": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "extractor_version": _s(),
            **_lineage(),
        },
        unique=["report_key", "revision", "ordinal"],
        report_duplicates="exclude_first",
        name="sections",
    )


def total_value(part_of: pd.Series) -> pd.Series:
    """The number in ``part_of`` ("151件", "1.6万件") as a float, NaN when there is none."""
    got = part_of.astype("string").str.extract(_NUM)
    num = pd.to_numeric(got[0], errors="coerce")
    mult = got[1].map(_MULT).astype("float64").fillna(1.0)
    return num * mult


_MENTIONS: dict[int, tuple[Catalog, pa.DataFrameSchema]] = {}


def mentions(catalog: Catalog) -> pa.DataFrameSchema:
    """The mentions schema for ``catalog`` (built once per catalog object)."""
    if (hit := _MENTIONS.get(id(catalog))) is None or hit[0] is not catalog:
        if len(_MENTIONS) > 8:
            _MENTIONS.clear()
        hit = _MENTIONS[id(catalog)] = (catalog, _mentions(catalog))
    return hit[1]


def _mentions(catalog: Catalog) -> pa.DataFrameSchema:
    ids = sorted(catalog.by_id)

    def rate_in_0_100(df: pd.DataFrame) -> pd.Series:
        is_rate = (df["kind"] == "rate") | (df["unit"] == "%")
        ok = df["value"].between(0, 100)
        return ~is_rate | df["not_a_level"] | ok

    def part_le_total(df: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=df.index)
        part = ((df["scope"] == "part") & df["part_of"].notna()).fillna(False).to_numpy(bool)
        if part.any():  # parse totals only where there are parts (few rows of a batch)
            sub = df[["part_of", "value"]].loc[part]
            total = total_value(sub["part_of"])
            ok.loc[sub.index] = (total.isna() | (sub["value"] <= total)).to_numpy(bool)
        return ok

    inds = list(catalog.indicators)
    lo_of = {i.id: i.range_lo for i in inds}
    hi_of = {i.id: i.range_hi for i in inds}
    type_of = {i.id: i.value_type for i in inds}
    money = {i.id for i in inds if i.unit == "万元"}
    # A range is stated for the catalog's own measure: a head count filed under a count of
    # events (参演人数 under 应急演练次数) is another measure, so only variants on the same
    # side of "people" vs "things" are held to it.
    people = {"人", "人次", "名", "位"}

    def same_measure(canonical: str, unit: str) -> bool:
        return (unit in people) == (canonical in people)

    on_scale = {
        f"{i.id}\x00{u}"
        for i in inds
        for u in (i.unit, *i.unit_variants)
        if same_measure(i.unit, u)
    }
    on_scale |= {f"{i}\x00元" for i in money}

    def plausible_for_indicator(df: pd.DataFrame) -> pd.Series:
        # Vectorised form of catalog.Indicator.bounds(). Only level values on the catalog's
        # scale are held to its range: changes, targets, ranks, parts/subsets of a total,
        # sub-measures (subtype) and values in another unit can be anything.
        cand = (df["indicator"].notna() & ~df["not_a_level"] & df["scope"].isna()
                & df["subtype"].isna()  # 参演人数 under 应急演练: another measure, same id
                ).fillna(False).to_numpy(bool)
        ok = np.ones(len(df), dtype=bool)
        if not cand.any():
            return pd.Series(ok, index=df.index)
        # per distinct indicator and unit, not per row (a batch has a few hundred of each);
        # whole columns are factorized and indexed, no sub-frame is copied
        ic, iu = pd.factorize(df["indicator"])
        uc, uu = pd.factorize(df["unit"])
        on = np.array([[f"{i}\x00{u}" in on_scale for u in uu] + [False] for i in iu]
                      + [[False] * (len(uu) + 1)], dtype=bool)
        ui = np.where(uc < 0, len(uu), uc)  # no unit (-1): not held
        held = cand & on[np.where(ic < 0, len(iu), ic), ui]
        if not held.any():
            return pd.Series(ok, index=df.index)
        ic, ui = ic[held], ui[held]
        is_rate = np.array([type_of.get(i) == "rate" for i in iu])[ic]
        lo = np.array([lo_of.get(i, np.nan) for i in iu], dtype="float64")[ic]
        hi = np.array([hi_of.get(i, np.nan) for i in iu], dtype="float64")[ic]
        lc, lu = pd.factorize(df["_level"])
        scales = np.array([dict(LEVEL_SCALE).get(v, 1.0) for v in lu] + [1.0], dtype="float64")
        scale = scales[np.where(lc < 0, len(lu), lc)][held]
        hi = np.where(is_rate, hi, hi * scale)
        # Lower bounds are not enforced for counts: a small or partial figure (6 specialised
        # mediation committees, 36 items of one service window) is real data, while the upper
        # bound catches the errors that matter (万 multiplied twice, a year read as a count).
        lo = np.where(is_rate, lo, 0.0)
        yuan = np.array([i in money for i in iu])[ic] & (
            np.array([u == "元" for u in uu] + [False])[ui])
        lo = np.where(yuan, lo * 10_000, lo)
        hi = np.where(yuan, hi * 10_000, hi)
        value = df["value"].to_numpy("float64")[held]
        ok[held] = (value >= lo) & (value <= hi)  # NaN bound (unknown id): fails
        return pd.Series(ok, index=df.index)

    at_most = [(i.id, b) for i in inds for b in i.at_most]
    at_most_ids = sorted({x for pair in at_most for x in pair})

    def within_at_most(df: pd.DataFrame) -> pd.Series:
        # Parts <= total where the catalog says it holds (closed <= received): a report's
        # level value of A may not exceed its level value of B (the largest, as in the panel).
        ok = pd.Series(True, index=df.index)
        if not at_most:
            return ok
        involved = df["indicator"].isin(at_most_ids).fillna(False).to_numpy(bool)
        if not involved.any():
            return ok
        # only the indicators a rule names: a small part of a batch
        sub = df[["report_key", "revision", "indicator", "value", "not_a_level", "scope",
                  "subtype"]].loc[involved]
        lvl = sub[
            ~sub["not_a_level"] & sub["scope"].isna() & sub["subtype"].isna()
        ]  # fmt: skip
        if lvl.empty:
            return ok
        tops = lvl.groupby(["report_key", "revision", "indicator"])["value"].max()
        for a, b in at_most:
            sel = lvl[lvl["indicator"] == a]
            if sel.empty or b not in tops.index.get_level_values("indicator"):
                continue
            bound = tops.xs(b, level="indicator").rename("bound").reset_index()
            got = sel[["report_key", "revision"]].merge(bound, how="left")
            over = sel["value"].to_numpy() > got["bound"].to_numpy()  # NaN bound: no check
            ok.loc[sel.index[over]] = False
        return ok

    return pa.DataFrameSchema(
        {
            "report_key": _s(),
            "revision": pa.Column("int64", pa.Check.ge(1)),
            "ordinal": pa.Column("int64", pa.Check.ge(0)),
            "mention_id": _s(),
            "text": _s(
                pa.Check.str_length(
                    min_value=1, max_value=200, error="mention text empty or over 200 chars"
                )
            ),
            "char_offset": pa.Column("int64", pa.Check.ge(0)),
            "value": pa.Column(
                "float64",
                pa.Check(lambda s: np.isfinite(s), element_wise=False, error="value not finite"),
            ),
            "unit": _s(pa.Check.str_length(min_value=1, max_value=20)),
            "kind": _s(pa.Check.isin(KINDS, error=f"kind not in {KINDS}")),
            "line": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "context": _s(),
            "sentence": _s(),
            "raw_unit": _s(nullable=True),
            "approx": _s(pa.Check.isin(APPROX), nullable=True),
            "indicator": _s(
                pa.Check.isin(ids, error="indicator id not in the catalog"), nullable=True
            ),
            "not_a_level": pa.Column(bool),
            "scope": _s(pa.Check.isin(SCOPES), nullable=True),
            "part_of": _s(nullable=True),
            "rate_name": _s(nullable=True),
            "subtype": _s(nullable=True),
            "section": _s(nullable=True),
            "section_role": _s(nullable=True),
            "url": _s(nullable=True),
            "extractor_version": _s(),
            "confidence": pa.Column("float64", nullable=True),
            "margin": pa.Column("float64", pa.Check.ge(0), nullable=True),
            "candidates": _s(pa.Check.str_startswith("["), nullable=True),
            "catalog_version": _s(nullable=True),
            **_lineage(),
        },
        checks=[
            pa.Check(rate_in_0_100, error="value is a rate outside 0-100"),
            pa.Check(part_le_total, error="value of a part exceeds its total (part_of)"),
            pa.Check(plausible_for_indicator, error="value outside the catalog's plausible range"),
            pa.Check(within_at_most, error="value exceeds an indicator it cannot exceed (at_most)"),
        ],
        unique=["report_key", "revision", "ordinal"],
        report_duplicates="exclude_first",
        name="mentions",
    )


@cache
def indicators() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _s(pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
            "name_zh": _s(pa.Check.str_length(min_value=1)),
            "category": _s(pa.Check.str_length(min_value=1)),
            "tier": _s(),
            "value_type": _s(pa.Check.isin(["count", "rate", "amount", "breakdown"])),
            "unit": _s(pa.Check.str_length(min_value=1)),
            "range_county_lo": pa.Column("float64"),
            "range_county_hi": pa.Column("float64"),
            "catalog_version": _s(),
            **_lineage(),
        },
        checks=[
            pa.Check(
                lambda df: df["range_county_lo"] <= df["range_county_hi"],
                error="range_county_lo above range_county_hi",
            ),
            pa.Check(
                lambda df: (df["value_type"] != "rate") | (df["range_county_hi"] <= 100),
                error="range_county_hi beyond 100 for a rate",
            ),
        ],
        unique=["indicator_id"],
        report_duplicates="exclude_first",
        name="indicators",
    )


@cache
def disclosure_cells() -> pa.DataFrameSchema:
    """The template cells of 政府信息公开工作年度报告. Every identity the template states is
    checked again here on the long frame, per report revision and table (row totals, column
    totals, the balance of 新收 + 上年结转 = 总计 + 结转下年度): a cell an identity casts doubt
    on fails (a stated total that disagrees with its parts, or, when the totals are sound,
    the counts of a broken balance) and goes to quarantine with the identity named."""
    from govreports.disclosure import groups, template

    t = template()
    labels = {(name, spec.row, col) for name, specs in t.rows.items() for spec in specs
              for col in spec.columns}
    signed = {(name, spec.row) for name, specs in t.rows.items() for spec in specs
              if spec.signed}

    def known_cell(df: pd.DataFrame) -> pd.Series:
        return pd.Series([k in labels for k in zip(df["table_name"], df["row_label"],
                                                   df["column_label"], strict=True)],
                         index=df.index)

    def non_negative(df: pd.DataFrame) -> pd.Series:
        neg = df["value"].astype("float64") < 0
        ok_sign = pd.Series([k in signed for k in zip(df["table_name"], df["row_label"],
                                                      strict=True)], index=df.index)
        return ~neg | ok_sign

    def unknown_iff_ambiguous(df: pd.DataFrame) -> pd.Series:
        return df["value"].isna() == (df["status"] == "ambiguous")

    def identities_hold(df: pd.DataFrame) -> pd.Series:
        return identity_reasons(df).eq("")

    def group_known(df: pd.DataFrame) -> pd.Series:
        want = groups()
        return pd.Series([
            (pd.isna(g) and (tb, r) not in want) or want.get((tb, r)) == (g, n)
            for tb, r, g, n in zip(df["table_name"], df["row_label"], df["group_label"],
                                   df["group_size"], strict=True)
        ], index=df.index)

    return pa.DataFrameSchema(
        {
            "report_key": _s(pa.Check.str_endswith(":disclosure",
                                                   error="report_key of a disclosure report")),
            "revision": pa.Column("int64", pa.Check.ge(1)),
            "table_name": _s(pa.Check.isin(list(t.rows))),
            "row_label": _s(),
            "column_label": _s(),
            "group_label": _s(nullable=True),
            "group_size": pa.Column("Int64", pa.Check.ge(1), nullable=True),
            "value": pa.Column("float64", nullable=True),
            "status": _s(pa.Check.isin(CELL_STATUS)),
            "note": _s(nullable=True),
            "template": _s(pa.Check.isin(TEMPLATES)),
            "extractor_version": _s(),
            **_lineage(),
        },
        checks=[
            pa.Check(known_cell, error="row_label column_label not a cell of the template"),
            pa.Check(non_negative, error="value negative (only 本年增/减 may be)"),
            pa.Check(unknown_iff_ambiguous, error="value null exactly when status is ambiguous"),
            pa.Check(group_known, error="group_label group_size disagree with the template"),
            pa.Check(identities_hold, error=IDENTITY_CHECK),
        ],
        unique=["report_key", "revision", "table_name", "row_label", "column_label"],
        report_duplicates="exclude_first",
        name="disclosure_cells",
    )


IDENTITY_CHECK = "value breaks an identity the template states"


def identity_reasons(df: pd.DataFrame) -> pd.Series:
    """Per row of a disclosure_cells frame: the failed identities that cast doubt on the cell
    ("" when none). Pure; recomputed from the frame's own values, per report revision and
    table."""
    from govreports.disclosure import check_table, suspect_cells

    out = pd.Series("", index=df.index, dtype=object)
    if df.empty:
        return out
    for (_, _, table, fmt), part in df.groupby(
        ["report_key", "revision", "table_name", "template"], sort=False
    ):
        values = {(r, c): float(v) for r, c, v in zip(part["row_label"], part["column_label"],
                                                      part["value"], strict=True)
                  if pd.notna(v)}
        suspects = suspect_cells(check_table(str(table), values, str(fmt)))
        for idx, r, c in zip(part.index, part["row_label"], part["column_label"], strict=True):
            if (r, c) in suspects:
                out[idx] = "; ".join(suspects[(r, c)])
    return out
