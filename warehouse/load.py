"""Validate a batch and MERGE it into the warehouse in one transaction.

The pure part (``plan_reports``) decides, for each extracted report, whether it is a new
report, a new revision of one, a copy of one (another URL for the same report_key), a
re-parse of the current revision, or something to skip; the edge part (``write_batch``)
validates every frame lazily, sends failing rows to ``quarantine`` and MERGEs the rest from
Arrow. Row-by-row ``executemany`` is never used.
"""

from __future__ import annotations

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
) -> int:
    """MERGE ``df`` into ``table`` on ``key``: insert new keys, update rows whose hash changed.
    ``keep``: only these rows of ``df`` (a mask, applied as DuckDB scans them). Returns how
    many rows were inserted or changed."""
    if df.empty or (keep is not None and not keep.any()):
        return 0
    target = _columns(con, table)
    names = [c for c, _ in target]
    stage = df[[c for c in df.columns if c in names]]  # copy-on-write: df is untouched
    stage[time_column] = pd.Timestamp(loaded_at).as_unit("us")
    arrow = pa.Table.from_pandas(stage, preserve_index=False)
    view = f"stage_{table}"
    source = view
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
    """Validated frames ready to MERGE, plus the quarantine records and counts."""

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    summary: LoadSummary
    touched: pd.DataFrame
    # rows of a table's frame that passed validation (a table not named: all of them); the
    # MERGE filters while it scans, so a million rows of text are never copied to drop a few
    keep: dict[str, np.ndarray] = field(default_factory=dict)
    demoted: list[tuple[str, str]] = field(default_factory=list)  # (report_key, old primary)
    # report pages waiting for an attachment: (page URL, attachment URL, source, reason)
    waiting: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    arrived: list[str] = field(default_factory=list)  # report pages loaded: no longer waiting
    run_id: str = ""

    def kept(self, table: str, inner: Sequence[str] = ("ordinal",)) -> pd.DataFrame:
        """The keys of the rows of ``table`` that will be loaded."""
        df = self.tables[table][["report_key", "revision", *inner]]
        mask = self.keep.get(table)
        return df if mask is None else df[mask]


def build_frames(
    batch: Batch,
    plan: Plan,
    fetches: pd.DataFrame,
    documents: pd.DataFrame,
    catalog: Catalog,
    today: date,
) -> Frames:
    """Validate every frame of a planned batch (pure: no database)."""
    s = LoadSummary(run_id=batch.run_id)
    q_parts: list[pd.DataFrame] = []
    if plan.quarantine:
        q_parts.append(pd.DataFrame(plan.quarantine, columns=QUARANTINE_COLUMNS))

    v_fetch = validate("fetch_log", fetches, tables.fetch_log(), run_id=batch.run_id,
                       key=rows.KEYS["fetch_log"])  # fmt: skip
    v_docs = validate("documents", documents, tables.documents(), run_id=batch.run_id,
                      key=rows.KEYS["documents"])  # fmt: skip
    q_parts += [v_fetch.quarantine, v_docs.quarantine]

    rep = rows.frame([p.row for p in plan.reports], rows.REPORTS)
    v_rep = validate("reports", rep, tables.reports(today), run_id=batch.run_id,
                     key=rows.KEYS["reports"])  # fmt: skip
    q_parts.append(v_rep.quarantine)
    bad = set(v_rep.bad_index.tolist())
    ok_reports = [p for i, p in enumerate(plan.reports) if i not in bad]
    for i in sorted(bad):
        p = plan.reports[i]
        s.skipped_by_reason["report quarantined"] = (
            s.skipped_by_reason.get("report quarantined", 0) + len(p.sections) + len(p.mentions)
            + len(p.cells)
        )

    sec = rows.frame([r for p in ok_reports for r in p.sections], rows.SECTIONS)
    men = rows.frame([r for p in ok_reports for r in p.mentions], rows.MENTIONS)
    if "_level" not in men.columns:  # no mentions at all
        men["_level"] = pd.Series(dtype=object)
    v_sec = validate("sections", sec, tables.sections(), run_id=batch.run_id,
                     key=rows.KEYS["sections"])  # fmt: skip
    v_men = validate("mentions", men, tables.mentions(catalog), run_id=batch.run_id,
                     key=rows.KEYS["mentions"])  # fmt: skip
    q_parts += [v_sec.quarantine, v_men.quarantine]
    cells = rows.frame([r for p in ok_reports for r in p.cells], rows.DISCLOSURE_CELLS)
    v_cells = validate("disclosure_cells", cells, tables.disclosure_cells(),
                       run_id=batch.run_id, key=rows.KEYS["disclosure_cells"])  # fmt: skip
    q_parts.append(_name_identities(v_cells.quarantine, cells))

    docs_rd = pd.DataFrame(
        [p.document for p in ok_reports] + plan.copies,
        columns=["report_key", "url", "sha256", "source_id", "role", "run_id"],
    )
    skips = pd.DataFrame(
        [(batch.run_id, u, batch.source_id, "skipped", r) for u, r in batch.skipped]
        + [(batch.run_id, u, batch.source_id, "error", r) for u, r in batch.errors],
        columns=["run_id", "url", "source_id", "kind", "reason"],
    ).drop_duplicates(["run_id", "url", "kind"])
    quarantine = pd.concat([q for q in q_parts if not q.empty] or [q_parts[-1]], ignore_index=True)

    for reason, n in plan.skipped.items():
        s.skipped_by_reason[reason] = s.skipped_by_reason.get(reason, 0) + n
    for _, r in batch.skipped:
        s.skipped_by_reason[f"skipped: {r}"] = s.skipped_by_reason.get(f"skipped: {r}", 0) + 1
    for _, r in batch.errors:
        s.skipped_by_reason[f"error: {r}"] = s.skipped_by_reason.get(f"error: {r}", 0) + 1
    s.quarantine_by_reason = {
        f"{t}: {c}": int(n)
        for (t, c), n in quarantine.groupby(["table_name", "check_name"]).size().items()
    }
    s.quarantined = (
        len(plan.quarantine) + len(v_rep.bad_index) + len(v_sec.bad_index) + len(v_men.bad_index)
        + len(v_cells.bad_index)
    )
    s.extracted = (
        sum(
            1 + rows.n_children(r)
            for _, r in batch.reports
        )
        + len(batch.skipped)
        + len(batch.errors)
    )
    s.loaded = (v_rep.n_good + v_sec.n_good + v_men.n_good + v_cells.n_good
                + len(plan.copies))
    s.skipped = sum(s.skipped_by_reason.values())
    s.new_reports = sum(1 for p in ok_reports if p.action == "new")
    s.new_revisions = sum(1 for p in ok_reports if p.action == "revision")
    s.unchanged_reports = sum(1 for p in ok_reports if p.action == "same")
    s.rehomed = sum(1 for p in ok_reports if p.action == "rehome")
    s.copies = len(plan.copies)
    s.failed_reports = (sum(1 for q in plan.quarantine if q["table_name"] == "reports")
                        + len(v_rep.bad_index))
    s.documents = len(v_docs.good)
    s.fetches = len(v_fetch.good)
    touched = v_rep.good[["report_key", "revision"]].copy()
    return Frames(
        tables={
            "fetch_log": v_fetch.good,
            "documents": v_docs.good,
            "reports": v_rep.good,
            "sections": v_sec.frame,
            "mentions": v_men.frame,
            "disclosure_cells": v_cells.frame,
            "report_documents": docs_rd,
            "skips": skips,
        },
        quarantine=quarantine,
        summary=s,
        touched=touched,
        keep={v.table: v.keep for v in (v_sec, v_men, v_cells) if not v.bad_index.empty},
        demoted=[(p.row["report_key"], p.demoted) for p in ok_reports if p.demoted],
        waiting=[(page, att, batch.source_id, why) for page, att, why in batch.pending_attachments],
        arrived=[page.url for page, _ in batch.reports],
        run_id=batch.run_id,
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
        got = con.execute(
            "UPDATE pending_attachments SET tries = tries + 1, reason = ?, run_id = ?,"
            " loaded_at = ? WHERE page_url = ? AND attachment_url = ?"
            " AND run_id IS DISTINCT FROM ? RETURNING tries",
            [why, frames.run_id, loaded_at, page, att, frames.run_id]).fetchall()
        if not got and not con.execute(
                "SELECT 1 FROM pending_attachments WHERE page_url = ? AND attachment_url = ?",
                [page, att]).fetchone():
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
    """Everything of one batch in one transaction: all of it lands, or none of it.
    ``begun``: the caller has opened the transaction (and read the state in it)."""
    if not begun:
        con.execute("BEGIN TRANSACTION")
    try:
        for table, df in frames.tables.items():
            n = merge(con, table, df, MERGE_KEYS[table], loaded_at, keep=frames.keep.get(table))
            if table in CONTENT_TABLES:
                frames.summary.written += n
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
