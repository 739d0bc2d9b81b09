"""Validate a batch and MERGE it into the warehouse in one transaction.

The pure part (``plan_reports``) decides, for each extracted report, whether it is a new
report, a new revision of one, a copy of one (another URL for the same report_key), a
re-parse of the current revision, or something to skip; the edge part (``write_batch``)
validates every frame lazily, sends failing rows to ``quarantine`` and MERGEs the rest from
Arrow. Row-by-row ``executemany`` is never used.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb  # noqa: TID251 (the warehouse package is where duckdb lives)
import numpy as np
import pandas as pd
import pyarrow as pa

from govreports.models import Batch, Report
from schemas import Catalog, tables, validate
from schemas.validate import QUARANTINE_COLUMNS
from warehouse import db, rows
from warehouse.rawstore import sha256_hex

log = logging.getLogger(__name__)

NO_KEY = "report_key: needs report_year and admin_code or issuer"


@dataclass
class LoadSummary:
    """Counts for one batch. ``extracted`` counts content rows (one per report, section and
    mention) plus every skipped/failed URL; each lands in exactly one other bucket."""

    run_id: str = ""
    extracted: int = 0
    loaded: int = 0  # rows that passed validation and were merged (changed or not)
    quarantined: int = 0
    skipped: int = 0
    new_reports: int = 0
    new_revisions: int = 0
    unchanged_reports: int = 0  # the current revision seen again, content the same
    copies: int = 0  # another site's copy of a report already loaded
    failed_reports: int = 0  # a report row quarantined (no key, or a failed check)
    rehomed: int = 0  # a better-ranked document of a loaded report became its primary one
    written: int = 0  # rows inserted or changed by the merge (0 for a run that changed nothing)
    documents: int = 0
    fetches: int = 0
    quarantine_by_reason: dict[str, int] = field(default_factory=dict)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.extracted == self.loaded + self.quarantined + self.skipped

    def line(self) -> str:
        status = "reconciles" if self.reconciles else "DOES NOT RECONCILE"
        text = (
            f"run {self.run_id}: extracted {self.extracted} = loaded {self.loaded} + "
            f"quarantined {self.quarantined} + skipped {self.skipped} ({status}); "
            f"rows written {self.written}; reports: new {self.new_reports}, revised "
            f"{self.new_revisions}, unchanged {self.unchanged_reports}, copies {self.copies}, "
            f"re-homed {self.rehomed}, failed {self.failed_reports}; documents "
            f"{self.documents}, fetches {self.fetches}"
        )
        if self.quarantine_by_reason:
            top = sorted(self.quarantine_by_reason.items(), key=lambda kv: -kv[1])[:3]
            text += "; quarantine: " + ", ".join(f"{k} ×{v}" for k, v in top)
        return text

    def merge(self, other: LoadSummary) -> None:
        for name in (
            "extracted", "loaded", "quarantined", "skipped", "new_reports",
            "new_revisions", "unchanged_reports", "copies", "failed_reports", "rehomed", "written",
            "documents", "fetches",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in (
            (self.quarantine_by_reason, other.quarantine_by_reason),
            (self.skipped_by_reason, other.skipped_by_reason),
        ):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "extracted": self.extracted, "loaded": self.loaded,
            "quarantined": self.quarantined, "skipped": self.skipped,
            "new_reports": self.new_reports, "new_revisions": self.new_revisions,
            "unchanged_reports": self.unchanged_reports, "copies": self.copies,
            "failed_reports": self.failed_reports, "rehomed": self.rehomed,
            "written": self.written,
            "documents": self.documents, "fetches": self.fetches, "reconciles": self.reconciles,
            "quarantine_by_reason": self.quarantine_by_reason,
            "skipped_by_reason": self.skipped_by_reason,
        }  # fmt: skip


# ------------------------------------------------------------------------------- planning
@dataclass
class KeyState:
    """What the warehouse knows about one report_key (its latest revision)."""

    primary_url: str
    revision: int
    fingerprint: str
    extractor_version: str
    fetched_at: datetime | None = None  # when the latest revision's page was fetched
    rank: tuple[Any, ...] = ()  # the primary document's rank (``document_rank``)


@dataclass
class PlannedReport:
    row: dict[str, Any]
    sections: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    document: dict[str, Any]
    action: str  # new | revision | same | rehome
    cells: list[dict[str, Any]] = field(default_factory=list)  # disclosure_cells
    demoted: str | None = None  # rehome: the URL that was primary until now


@dataclass
class Plan:
    reports: list[PlannedReport] = field(default_factory=list)
    copies: list[dict[str, Any]] = field(default_factory=list)  # report_documents rows
    skipped: Counter[str] = field(default_factory=Counter)
    quarantine: list[dict[str, Any]] = field(default_factory=list)


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def document_rank(url: str, source_id: str | None, report: Report,
                  source_codes: Mapping[str, str | None]) -> tuple[Any, ...]:
    """Which of a report's documents is its primary one, whatever order they arrive in (so
    a night of faults converges to the tables of a clean one): the issuer's own site first
    (its registry entry has the report's admin code), then the original script before a
    traditional-script mirror, then the registry entry's id, then the URL."""
    return _rank(url, source_id, report.admin_code, report.script, source_codes)


def _rank(url: str, source_id: str | None, admin_code: str | None, script: str | None,
          source_codes: Mapping[str, str | None]) -> tuple[Any, ...]:
    own = bool(source_id) and admin_code is not None and (
        source_codes.get(source_id or "") == admin_code)
    return (not own, script == "traditional", source_id or "", url)


def plan_reports(batch: Batch, state: dict[str, KeyState],
                 source_codes: Mapping[str, str | None] | None = None) -> Plan:
    """Decide what each (page, report) of the batch becomes. Updates ``state`` in place.
    ``source_codes``: registry entry → admin code, for ranking a report's documents."""
    plan = Plan()
    codes = source_codes or {}
    planned: set[tuple[str, int, str]] = set()
    # One URL extracted twice in a batch: the later extraction wins, so that loading the
    # batch again cannot flip-flop between the two versions and add revisions.
    last = {page.url: n for n, (page, _) in enumerate(batch.reports)}
    # Within the batch, a report's best-ranked document is planned first: it is the primary
    # one, the others its copies (the original order breaks ties, the URL's last extraction
    # staying last).
    order = sorted(
        range(len(batch.reports)),
        key=lambda n: (rows.report_key(batch.reports[n][1]) or "",
                       document_rank(batch.reports[n][0].url, batch.reports[n][0].source_id,
                                     batch.reports[n][1], codes), n))
    for n in order:
        page, report = batch.reports[n]
        n_children = rows.n_children(report)
        if last[page.url] != n:
            plan.skipped["superseded by a later extraction of the URL in the batch"] += (
                1 + n_children
            )
            continue
        key = rows.report_key(report)
        url = page.url
        sha = page.sha256 or (sha256_hex(page.content) if page.content else None)
        if key is None:
            plan.quarantine.append(
                {
                    "run_id": batch.run_id,
                    "table_name": "reports",
                    "row_key": url,
                    "check_name": NO_KEY,
                    "column_name": "report_key",
                    "failing_value": None,
                    "row_json": validate_row_json(report.metadata() | {"url": url}),
                }  # fmt: skip
            )
            plan.skipped["report quarantined"] += n_children
            continue
        fp = rows.fingerprint(report.text or report.normalized_text)
        doc = {"report_key": key, "url": url, "sha256": sha, "source_id": page.source_id}
        rank = document_rank(url, page.source_id, report, codes)
        st = state.get(key)
        demoted = None
        if st is not None and url != st.primary_url and (not st.rank or rank >= st.rank):
            plan.copies.append({**doc, "role": "copy", "run_id": batch.run_id})
            plan.skipped["copy of a report loaded from its primary URL"] += n_children
            continue
        if st is not None and url != st.primary_url:
            # a better-ranked document of a loaded report: it becomes the primary one (the
            # current revision's rows are read from it), the old one a copy
            action, revision, demoted = "rehome", st.revision, st.primary_url
        elif st is None:
            action, revision = "new", 1
        elif fp != st.fingerprint:
            fetched = rows.naive_utc(page.fetched_at)
            if fetched is not None and st.fetched_at is not None and fetched < st.fetched_at:
                # an old batch replayed after a newer one: its page is not a change
                plan.skipped["fetched before the current revision"] += 1 + n_children
                continue
            action, revision = "revision", st.revision + 1
        elif version_key(report.extractor_version) < version_key(st.extractor_version):
            plan.skipped["older extractor than the stored rows"] += 1 + n_children
            continue
        else:
            action, revision = "same", st.revision
        if (key, revision, fp) in planned:
            plan.skipped["duplicate in batch"] += 1 + n_children
            continue
        planned.add((key, revision, fp))
        state[key] = KeyState(
            url, revision, fp, report.extractor_version, rows.naive_utc(page.fetched_at), rank
        )
        plan.reports.append(
            PlannedReport(
                row=rows.report_row(
                    page,
                    report,
                    key=key,
                    revision=revision,
                    fp=fp,
                    primary_url=url,
                    run_id=batch.run_id,
                ),
                sections=rows.section_rows(report, key=key, revision=revision, run_id=batch.run_id),
                mentions=rows.mention_rows(
                    report, key=key, revision=revision, url=url, run_id=batch.run_id
                ),
                document={**doc, "role": "primary", "run_id": batch.run_id},
                action=action,
                cells=rows.disclosure_rows(report, key=key, revision=revision,
                                           run_id=batch.run_id),
                demoted=demoted,
            )  # fmt: skip
        )
    return plan


def validate_row_json(d: Mapping[str, Any]) -> str:
    from schemas.validate import row_json

    return row_json(pd.Series(dict(d), dtype=object))


# --------------------------------------------------------------------------------- writing
def read_state(con: duckdb.DuckDBPyConnection, keys: Sequence[str],
               source_codes: Mapping[str, str | None] | None = None) -> dict[str, KeyState]:
    if not keys:
        return {}
    got = con.execute(
        """
        SELECT r.report_key, r.primary_url, r.revision, r.fingerprint, r.extractor_version,
               doc.fetched_at, r.source_id, r.admin_code, r.script
        FROM (SELECT * FROM reports WHERE report_key IN (SELECT unnest(?::VARCHAR[])))
             r
        LEFT JOIN documents doc ON doc.url = r.primary_url AND doc.sha256 = r.sha256
        QUALIFY r.revision = max(r.revision) OVER (PARTITION BY r.report_key)
        """,
        [list(keys)],
    ).fetchall()
    codes = source_codes or {}
    return {
        k: KeyState(u, int(rev), fp, ver or "", at, _rank(u, sid, code, script, codes))
        for k, u, rev, fp, ver, at, sid, code, script in got
    }


def source_codes(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Registry entry → its admin code (the issuer's own site ranks first among copies)."""
    return dict(con.execute("SELECT source_id, admin_code FROM sources").fetchall())


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


def merge(
    con: duckdb.DuckDBPyConnection,
    table: str,
    df: pd.DataFrame,
    key: Sequence[str],
    loaded_at: datetime,
    *,
    time_column: str = "loaded_at",
    keep: np.ndarray | None = None,
    parts: np.ndarray | None = None,
    changed: np.ndarray | None = None,
) -> int:
    """MERGE ``df`` into ``table`` on ``key``: insert new keys, update rows whose hash changed.
    ``keep``: only these rows of ``df`` (a mask, applied as DuckDB scans them). Returns how
    many rows were inserted or changed. ``parts`` (which batch of a group each row is from):
    also add those rows per batch into ``changed`` (DuckLake's MERGE has no RETURNING, so
    they are counted by a join just before, in the same transaction)."""
    if df.empty or (keep is not None and not keep.any()):
        return 0
    target = _columns(con, table)
    names = [c for c, _ in target]
    stage = df[[c for c in df.columns if c in names]]  # copy-on-write: df is untouched
    stage[time_column] = pd.Timestamp(loaded_at).as_unit("us")
    arrow = pa.Table.from_pandas(stage, preserve_index=False)
    view = f"stage_{table}"
    source = view
    if parts is not None:
        arrow = arrow.append_column("_part", pa.array(parts, type=pa.int64()))
    if keep is not None and not keep.all():
        arrow = arrow.append_column("_keep", pa.array(keep))
        source = f"(SELECT * FROM {view} WHERE _keep)"
    con.register(view, arrow)
    try:
        sel = {
            c: (f"CAST(s.{c} AS {t})" if c in stage.columns else f"CAST(NULL AS {t})")
            for c, t in target
        }
        on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in key)
        if parts is not None and changed is not None:
            differs = "t.row_hash IS DISTINCT FROM s.row_hash" if "row_hash" in names else "false"
            for i, n in con.execute(
                f"SELECT s._part, count(*) FROM {source} AS s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {table} AS t WHERE {on} AND NOT ({differs})) GROUP BY 1"
            ).fetchall():
                changed[int(i)] += int(n)
        sql = f"MERGE INTO {table} AS t USING {source} AS s ON {on} "
        if "row_hash" in names:
            sets = ", ".join(f"{c} = {sel[c]}" for c in names if c not in key)
            sql += (
                f"WHEN MATCHED AND t.row_hash IS DISTINCT FROM s.row_hash THEN UPDATE SET {sets} "
            )
        cols = ", ".join(names)
        vals = ", ".join(sel[c] for c in names)
        sql += f"WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({vals})"
        got = con.execute(sql).fetchone()
        return int(got[0]) if got else 0
    finally:
        con.unregister(view)


def delete_stale(
    con: duckdb.DuckDBPyConnection, table: str, touched: pd.DataFrame, kept: pd.DataFrame,
    inner: Sequence[str] = ("ordinal",),
) -> None:
    """Drop rows of the touched (report_key, revision) pairs that the new load did not carry
    (an older extractor's extra sections/mentions, a cell now quarantined), so a re-parse
    replaces, never doubles. ``inner`` names a row within its report revision."""
    if touched.empty:
        return
    con.register("stale_touched", pa.Table.from_pandas(touched, preserve_index=False))
    cols = ["report_key", "revision", *inner]
    kept_keys = kept[cols] if not kept.empty else pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ("revision", "ordinal") else object) for c in cols}
    )
    con.register("stale_kept", pa.Table.from_pandas(kept_keys, preserve_index=False))
    same = " AND ".join(f"k.{c} = x.{c}" for c in cols)
    try:
        con.execute(
            f"""
            DELETE FROM {table} AS x
            WHERE EXISTS (SELECT 1 FROM stale_touched t
                          WHERE t.report_key = x.report_key AND t.revision = x.revision)
              AND NOT EXISTS (SELECT 1 FROM stale_kept k WHERE {same})
            """
        )
    finally:
        con.unregister("stale_touched")
        con.unregister("stale_kept")


@dataclass
class Frames:
    """Validated frames ready to MERGE, plus the quarantine records and counts: of one batch,
    or of a group of batches written in one transaction (``summaries`` one per batch, and
    ``parts`` saying which batch each content row came from)."""

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    summaries: list[LoadSummary]
    touched: pd.DataFrame
    # rows of a table's frame that passed validation (a table not named: all of them); the
    # MERGE filters while it scans, so a million rows of text are never copied to drop a few
    keep: dict[str, np.ndarray] = field(default_factory=dict)
    demoted: list[tuple[str, str]] = field(default_factory=list)  # (report_key, old primary)
    # report pages waiting for an attachment: (page URL, attachment URL, source, reason)
    waiting: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    arrived: list[str] = field(default_factory=list)  # report pages loaded: no longer waiting
    run_id: str = ""
    parts: dict[str, np.ndarray] = field(default_factory=dict)  # content table → batch no.

    def kept(self, table: str, inner: Sequence[str] = ("ordinal",)) -> pd.DataFrame:
        """The keys of the rows of ``table`` that will be loaded."""
        df = self.tables[table][["report_key", "revision", *inner]]
        mask = self.keep.get(table)
        return df if mask is None else df[mask]


@dataclass
class Part:
    """One batch of a group, planned: what ``build_group_frames`` validates."""

    batch: Batch
    plan: Plan
    fetches: pd.DataFrame
    documents: pd.DataFrame


def build_frames(
    batch: Batch,
    plan: Plan,
    fetches: pd.DataFrame,
    documents: pd.DataFrame,
    catalog: Catalog,
    today: date,
) -> Frames:
    """Validate every frame of a planned batch (pure: no database)."""
    return build_group_frames([Part(batch, plan, fetches, documents)], catalog, today)


def _stack(frames: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """Frames one under the other, and which of them each row came from."""
    part = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    if len(frames) == 1:
        return frames[0], part
    return pd.concat(frames, ignore_index=True), part


_EMPTY_Q = pd.DataFrame({c: pd.Series(dtype="object") for c in QUARANTINE_COLUMNS})


@dataclass
class _Checked:
    """A table validated once for the whole group, with its failures told per batch."""

    v: Any  # schemas.validate.Validated
    part: np.ndarray  # the batch of each row
    quarantine: list[pd.DataFrame]  # per batch
    bad: np.ndarray  # failed rows per batch
    good: np.ndarray  # passed rows per batch


def _check(table: str, df: pd.DataFrame, schema: Any, part: np.ndarray, n: int, run_id: str,
           key: Sequence[str]) -> _Checked:
    v = validate(table, df, schema, run_id=run_id, key=key)
    total = np.bincount(part, minlength=n)
    if v.bad_index.empty:
        return _Checked(v, part, [v.quarantine] + [_EMPTY_Q] * (n - 1), np.zeros(n, int), total)
    bad = np.bincount(part[np.asarray(v.bad_index, dtype=np.int64)], minlength=n)
    if n == 1:
        quarantine = [v.quarantine]
    else:  # rare: each batch's own records, for its own counts (keys are disjoint: the
        # records are the same as from the whole frame)
        quarantine = [validate(table, df[part == i], schema, run_id=run_id, key=key).quarantine
                      if bad[i] else _EMPTY_Q for i in range(n)]
    return _Checked(v, part, quarantine, bad, total - bad)


def build_group_frames(parts: Sequence[Part], catalog: Catalog, today: date) -> Frames:
    """Validate every frame of a group of planned batches at once (pure: no database), each
    table in one frame; the counts are told per batch, as if each had been built alone."""
    n = len(parts)
    run_id = parts[0].batch.run_id
    fetches, f_part = _stack([p.fetches for p in parts])
    documents, d_part = _stack([p.documents for p in parts])
    c_fetch = _check("fetch_log", fetches, tables.fetch_log(), f_part, n, run_id,
                     rows.KEYS["fetch_log"])
    c_docs = _check("documents", documents, tables.documents(), d_part, n, run_id,
                    rows.KEYS["documents"])

    planned = [(i, pr) for i, p in enumerate(parts) for pr in p.plan.reports]
    rep = rows.frame([pr.row for _, pr in planned], rows.REPORTS)
    c_rep = _check("reports", rep, tables.reports(today),
                   np.fromiter((i for i, _ in planned), dtype=np.int64, count=len(planned)), n,
                   run_id, rows.KEYS["reports"])
    bad = set(c_rep.v.bad_index.tolist())
    ok = [(i, pr) for k, (i, pr) in enumerate(planned) if k not in bad]
    lost = np.zeros(n, dtype=np.int64)  # children of quarantined reports, per batch
    for k in sorted(bad):
        i, pr = planned[k]
        lost[i] += len(pr.sections) + len(pr.mentions) + len(pr.cells)

    def children(attr: str) -> tuple[list[dict[str, Any]], np.ndarray]:
        got = [(i, r) for i, pr in ok for r in getattr(pr, attr)]
        return [r for _, r in got], np.fromiter((i for i, _ in got), dtype=np.int64,
                                                count=len(got))

    sec_rows, sec_part = children("sections")
    men_rows, men_part = children("mentions")
    cell_rows, cell_part = children("cells")
    sec = rows.frame(sec_rows, rows.SECTIONS)
    men = rows.frame(men_rows, rows.MENTIONS)
    if "_level" not in men.columns:  # no mentions at all
        men["_level"] = pd.Series(dtype=object)
    c_sec = _check("sections", sec, tables.sections(), sec_part, n, run_id,
                   rows.KEYS["sections"])
    c_men = _check("mentions", men, tables.mentions(catalog), men_part, n, run_id,
                   rows.KEYS["mentions"])
    cells = rows.frame(cell_rows, rows.DISCLOSURE_CELLS)
    c_cells = _check("disclosure_cells", cells, tables.disclosure_cells(), cell_part, n,
                     run_id, rows.KEYS["disclosure_cells"])
    c_cells.quarantine = [_name_identities(q, cells) for q in c_cells.quarantine]

    rd_rows = [(i, pr.document) for i, pr in ok] + [
        (i, c) for i, p in enumerate(parts) for c in p.plan.copies]
    docs_rd = pd.DataFrame([r for _, r in rd_rows],
                           columns=["report_key", "url", "sha256", "source_id", "role", "run_id"])
    rd_part = np.fromiter((i for i, _ in rd_rows), dtype=np.int64, count=len(rd_rows))
    skips, _ = _stack([pd.DataFrame(
        [(run_id, u, p.batch.source_id, "skipped", r) for u, r in p.batch.skipped]
        + [(run_id, u, p.batch.source_id, "error", r) for u, r in p.batch.errors],
        columns=["run_id", "url", "source_id", "kind", "reason"],
    ).drop_duplicates(["run_id", "url", "kind"]) for p in parts])

    summaries, q_all = [], []
    for i, p in enumerate(parts):
        plan, batch = p.plan, p.batch
        s = LoadSummary(run_id=run_id)
        q_parts = [pd.DataFrame(plan.quarantine, columns=QUARANTINE_COLUMNS)] if plan.quarantine \
            else []
        q_parts += [c.quarantine[i] for c in (c_fetch, c_docs, c_rep, c_sec, c_men, c_cells)]
        quarantine = pd.concat([q for q in q_parts if not q.empty] or [q_parts[-1]],
                               ignore_index=True)
        q_all.append(quarantine)
        if c_rep.bad[i]:
            s.skipped_by_reason["report quarantined"] = int(lost[i])
        for reason, k in plan.skipped.items():
            s.skipped_by_reason[reason] = s.skipped_by_reason.get(reason, 0) + k
        for _, r in batch.skipped:
            s.skipped_by_reason[f"skipped: {r}"] = s.skipped_by_reason.get(f"skipped: {r}", 0) + 1
        for _, r in batch.errors:
            s.skipped_by_reason[f"error: {r}"] = s.skipped_by_reason.get(f"error: {r}", 0) + 1
        s.quarantine_by_reason = {
            f"{t}: {c}": int(k)
            for (t, c), k in quarantine.groupby(["table_name", "check_name"]).size().items()
        }
        s.quarantined = int(len(plan.quarantine) + c_rep.bad[i] + c_sec.bad[i] + c_men.bad[i]
                            + c_cells.bad[i])
        s.extracted = (sum(1 + rows.n_children(r) for _, r in batch.reports)
                       + len(batch.skipped) + len(batch.errors))
        s.loaded = int(c_rep.good[i] + c_sec.good[i] + c_men.good[i] + c_cells.good[i]
                       + len(plan.copies))
        s.skipped = sum(s.skipped_by_reason.values())
        mine = [pr for j, pr in ok if j == i]
        s.new_reports = sum(1 for pr in mine if pr.action == "new")
        s.new_revisions = sum(1 for pr in mine if pr.action == "revision")
        s.unchanged_reports = sum(1 for pr in mine if pr.action == "same")
        s.rehomed = sum(1 for pr in mine if pr.action == "rehome")
        s.copies = len(plan.copies)
        s.failed_reports = (sum(1 for q in plan.quarantine if q["table_name"] == "reports")
                            + int(c_rep.bad[i]))
        s.documents = int(c_docs.good[i])
        s.fetches = int(c_fetch.good[i])
        summaries.append(s)
    quarantine = q_all[0] if n == 1 else pd.concat(q_all, ignore_index=True)
    v_rep = c_rep.v
    return Frames(
        tables={
            "fetch_log": c_fetch.v.good,
            "documents": c_docs.v.good,
            "reports": v_rep.good,
            "sections": c_sec.v.frame,
            "mentions": c_men.v.frame,
            "disclosure_cells": c_cells.v.frame,
            "report_documents": docs_rd,
            "skips": skips,
        },
        quarantine=quarantine,
        summaries=summaries,
        touched=v_rep.good[["report_key", "revision"]].copy(),
        keep={c.v.table: c.v.keep for c in (c_sec, c_men, c_cells) if not c.v.bad_index.empty},
        demoted=[(pr.row["report_key"], pr.demoted) for _, pr in ok if pr.demoted],
        waiting=[(page, att, p.batch.source_id, why) for p in parts
                 for page, att, why in p.batch.pending_attachments],
        arrived=[page.url for p in parts for page, _ in p.batch.reports],
        run_id=run_id,
        parts={} if n == 1 else {
            "reports": c_rep.part[c_rep.v.keep] if not c_rep.v.bad_index.empty else c_rep.part,
            "sections": sec_part, "mentions": men_part, "disclosure_cells": cell_part,
            "report_documents": rd_part},
    )


def _name_identities(q: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """A cell quarantined by the identity check says which identity failed, and how."""
    if q.empty:
        return q
    hit = q["check_name"] == tables.IDENTITY_CHECK
    if not hit.any():
        return q
    reasons = tables.identity_reasons(cells)
    key_cols = list(rows.KEYS["disclosure_cells"])
    keys = cells[key_cols].astype(str).agg("|".join, axis=1)
    by_key = dict(zip(keys, reasons, strict=True))
    q = q.copy()
    q.loc[hit, "check_name"] = [
        f"{tables.IDENTITY_CHECK}: {by_key.get(k, '')}" for k in q.loc[hit, "row_key"]
    ]
    return q


def _pending_attachments(con: duckdb.DuckDBPyConnection, frames: Frames,
                         loaded_at: datetime) -> None:
    """Count one more run for each page still waiting for its attachment (once per run: a
    batch loaded again changes nothing); forget pages whose report was loaded."""
    if frames.arrived:
        con.execute("DELETE FROM pending_attachments WHERE list_contains(?::VARCHAR[], page_url)",
                    [frames.arrived])
    for page, att, source_id, why in frames.waiting:
        # (read, then write: DuckLake has no UPDATE … RETURNING)
        got = con.execute(
            "SELECT run_id FROM pending_attachments WHERE page_url = ? AND attachment_url = ?",
            [page, att]).fetchall()
        if got and any(r[0] != frames.run_id for r in got):
            con.execute(
                "UPDATE pending_attachments SET tries = tries + 1, reason = ?, run_id = ?,"
                " loaded_at = ? WHERE page_url = ? AND attachment_url = ?"
                " AND run_id IS DISTINCT FROM ?",
                [why, frames.run_id, loaded_at, page, att, frames.run_id])
        elif not got:
            con.execute("INSERT INTO pending_attachments VALUES (?, ?, ?, 1, ?, ?, ?)",
                        [page, att, source_id, why, frames.run_id, loaded_at])


# the rows "written" counts: what a report brings (not the fetch log or the skips)
CONTENT_TABLES = ("reports", "sections", "mentions", "disclosure_cells", "report_documents")

MERGE_KEYS: Mapping[str, tuple[str, ...]] = {
    **rows.KEYS,
    "report_documents": ("report_key", "url", "sha256"),
    "skips": ("run_id", "url", "kind"),
    "quarantine": ("run_id", "table_name", "row_key", "check_name", "column_name"),
}


def write_frames(con: duckdb.DuckDBPyConnection, frames: Frames, loaded_at: datetime,
                 *, begun: bool = False) -> None:
    """Everything of one batch (or group) in one transaction: all of it lands, or none of
    it. ``begun``: the caller has opened the transaction (and read the state in it)."""
    if not begun:
        con.execute("BEGIN TRANSACTION")
    try:
        one = len(frames.summaries) == 1
        written = np.zeros(len(frames.summaries), dtype=np.int64)
        total = 0
        for table, df in frames.tables.items():
            content = table in CONTENT_TABLES
            n = merge(con, table, df, MERGE_KEYS[table], loaded_at, keep=frames.keep.get(table),
                      parts=None if one or not content else frames.parts[table],
                      changed=written)
            if content:
                total += n
        if one:
            written[0] = total
        elif written.sum() != total:  # never expected: said, not hidden
            log.warning("grouped load of run %s: the MERGEs wrote %d content rows, the count "
                        "before them attributed %d to its batches", frames.run_id, total,
                        int(written.sum()))
        for s, n in zip(frames.summaries, written.tolist(), strict=True):
            s.written += n
        merge(con, "quarantine", frames.quarantine, MERGE_KEYS["quarantine"], loaded_at,
              time_column="quarantined_at")  # fmt: skip
        _pending_attachments(con, frames, loaded_at)
        for key, url in frames.demoted:  # a better-ranked document became primary
            con.execute(
                "UPDATE report_documents SET role = 'copy' WHERE report_key = ? AND url = ?"
                " AND role = 'primary'", [key, url])
        delete_stale(con, "sections", frames.touched, frames.kept("sections"))
        delete_stale(con, "mentions", frames.touched, frames.kept("mentions"))
        delete_stale(con, "disclosure_cells", frames.touched,
                     frames.kept("disclosure_cells", rows.KEYS["disclosure_cells"][2:]),
                     rows.KEYS["disclosure_cells"][2:])
        con.execute("COMMIT")
    except BaseException:
        db.rollback(con)
        raise


# ------------------------------------------------------------------------- grouped loads
GROUP_BATCHES = 64  # batches (sources) at most in one grouped transaction
GROUP_ROWS = 200_000  # and rows at most (a backlog never becomes one huge transaction)


def _claims(part: Part) -> set[tuple[Any, ...]]:
    """Everything a planned batch's writes are keyed on. Two batches whose claims meet are
    never written in one transaction: each MERGE then sees every key once, and the result is
    the one of loading the batches one after the other. (Two batches may carry the same
    report: the later one is planned on the state the earlier one leaves, as a copy.)"""
    batch, plan = part.batch, part.plan
    out: set[tuple[Any, ...]] = set()
    for pr in plan.reports:
        key = pr.row["report_key"]
        out.add(("reports", key, pr.row["revision"]))  # its sections, mentions and cells too
        out.add(("report_documents", key, pr.document["url"]))
        if pr.demoted:
            out.add(("report_documents", key, pr.demoted))
    out.update(("report_documents", c["report_key"], c["url"]) for c in plan.copies)
    for table, df in (("fetch_log", part.fetches), ("documents", part.documents)):
        if not df.empty:
            out.update((table, *t) for t in df[list(MERGE_KEYS[table])].itertuples(
                index=False, name=None))
    out.update(("skips", u) for u, _ in (*batch.skipped, *batch.errors))
    out.update(("page", q["row_key"]) for q in plan.quarantine)
    out.update(("page", page) for page, *_ in batch.pending_attachments)
    out.update(("page", page.url) for page, _ in batch.reports)
    return out


def _size(part: Part) -> int:
    return (len(part.fetches) + len(part.documents) + len(part.batch.skipped)
            + len(part.batch.errors) + len(part.plan.copies)
            + sum(1 + len(pr.sections) + len(pr.mentions) + len(pr.cells)
                  for pr in part.plan.reports))


@dataclass
class Group:
    """Planned batches written in one transaction (``write_group``), in the order added."""

    parts: list[Part] = field(default_factory=list)
    claims: set[tuple[Any, ...]] = field(default_factory=set)
    rows: int = 0

    def add(self, part: Part) -> bool:
        """Take ``part`` unless the group is full, it is of another run, or its keys meet
        those of a batch already in (then it goes in the next transaction)."""
        claims, size = _claims(part), _size(part)
        if self.parts and (len(self.parts) >= GROUP_BATCHES or self.rows + size > GROUP_ROWS
                           or part.batch.run_id != self.parts[0].batch.run_id
                           or not claims.isdisjoint(self.claims)):
            return False
        self.parts.append(part)
        self.claims |= claims
        self.rows += size
        return True


def write_group(con: duckdb.DuckDBPyConnection, group: Group, catalog: Catalog, today: date,
                loaded_at: datetime, *, begun: bool = False) -> list[LoadSummary]:
    """Validate a group's batches together and write them in one transaction (one MERGE per
    table for all of them); return each batch's summary, the same as loaded alone."""
    frames = build_group_frames(group.parts, catalog, today)
    write_frames(con, frames, loaded_at, begun=begun)
    return frames.summaries
