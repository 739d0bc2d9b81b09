"""The pipeline as the nightly flow composes it, without Prefect, plus warehouse checks.

``run_pipeline`` is ``flows.common.crawl_and_load`` minus the Prefect run context: the same
plain steps (registry → crawl → extract → validate/load: the sources' batches in one grouped
load, or one after the other with a ``phase`` hook, whose stages a crash test kills between)
so a fault or crash test exercises exactly the production code paths, and a forked crash
child does not need a Prefect server. ``table_checksums`` and ``consistency_problems`` are
the oracle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govreports.crawl import SourceCrawl, crawl
from govreports.settings import Settings
from tasks.extract import build_batch
from tasks.load import extract_and_load, load_batch, record_walks
from tasks.sources import load_sources
from warehouse import Warehouse

Phase = Callable[[str], None]

# Data tables and the columns that legitimately differ between equivalent runs: run ids,
# load/fetch times, row hashes over those times, and the fetch-time validators of the server.
DATA_TABLES: dict[str, tuple[str, ...]] = {
    "reports": ("report_key", "revision"),
    "sections": ("report_key", "revision", "ordinal"),
    "mentions": ("report_key", "revision", "ordinal"),
    "documents": ("url", "sha256"),
    "report_documents": ("report_key", "url", "sha256"),
    "disclosure_cells": ("report_key", "revision", "table_name", "row_label", "column_label"),
}
IGNORED = {"run_id", "loaded_at", "row_hash", "fetched_at", "quarantined_at", "etag",
           "last_modified", "status", "content_type", "final_url"}


def fast_settings(tmp: Path, **kw: Any) -> Settings:
    """Settings for a test run: a private warehouse and data dir, short timeouts, no delay."""
    base: dict[str, Any] = dict(
        warehouse=tmp / "wh.duckdb", data_dir=tmp / "data", min_delay=0.0, timeout=1.0,
        max_retries=3, backoff_base=0.01, max_response_bytes=2_000_000,
        response_deadline=2.0,  # a tarpit (a byte every 0.2 s) never trips the read timeout
    )
    base.update(kw)
    return Settings(**base)


def run_pipeline(
    registry: Path,
    settings: Settings,
    phase: Phase | None = None,
    only: list[str] | None = None,
    **crawl_kw: Any,
) -> dict[str, Any]:
    """One nightly run; ``phase(name)`` is called as the run enters each stage."""
    mark: Phase = phase or (lambda _name: None)
    found, problems = load_sources(registry, only)
    with Warehouse(settings) as wh:
        run_id = wh.start_run("nightly", {"registry": str(registry)})
        wh.upsert_sources(found)
        mark("fetch")
        crawled: list[SourceCrawl] = crawl(
            found, wh, settings,
            on_source_done=lambda sc: mark(f"fetched {sc.source.id}"), **crawl_kw,
        )
    summary: dict[str, Any] = {"run_id": run_id, "new_reports": 0, "errors": [],
                               "registry_problems": problems, "fetches": []}
    if phase is None:
        # the flow's loader takes every crawl that ended while it was busy as one group:
        # here every crawl has ended, so all of them (``tasks.load.extract_and_load``)
        done = extract_and_load(crawled, run_id, settings)
        for sc, (loaded, errors) in zip(crawled, done, strict=True):
            summary["new_reports"] += loaded.new_reports
            summary["errors"] += [e.pair() for e in errors]  # as the batch stores them
            summary["fetches"] += sc.fetches
        crawled = []  # loaded; the stages below are for a crash test's phases
    for sc in crawled:
        mark(f"extract {sc.source.id}")
        batch = build_batch(sc, run_id)
        mark(f"load {sc.source.id}")
        loaded = load_batch(batch, settings)
        record_walks(sc, run_id, settings)
        mark(f"loaded {sc.source.id}")
        summary["new_reports"] += loaded.new_reports
        summary["errors"] += batch.errors
        summary["fetches"] += batch.fetches
    with Warehouse(settings) as wh:
        wh.finish_run(run_id, {k: v for k, v in summary.items() if k != "fetches"})
    mark("done")
    return summary


def rows(settings: Settings, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with Warehouse(settings) as wh:
        return wh.query(sql, params)[1]


def table_checksums(settings: Settings) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the sorted rows) per data table, lineage columns left out."""
    out: dict[str, tuple[int, str]] = {}
    with Warehouse(settings) as wh:
        for table in DATA_TABLES:
            cols = [c for c in wh.query(f"select * from {table} limit 0")[0] if c not in IGNORED]
            got = wh.query(f"select {', '.join(cols)} from {table}")[1]
            data = sorted(repr(r) for r in got)
            out[table] = (len(data), hashlib.sha256("\n".join(data).encode()).hexdigest()[:16])
    return out


def consistency_problems(settings: Settings) -> list[str]:
    """What a crash could have broken: duplicate keys, half-loaded reports, missing raw files."""
    problems: list[str] = []
    with Warehouse(settings) as wh:
        for table, key in DATA_TABLES.items():
            k = ", ".join(key)
            dup = wh.query(
                f"select {k}, count(*) from {table} group by {k} having count(*) > 1")[1]
            problems += [f"{table}: duplicate key {d}" for d in dup]
        # A report is loaded whole or not at all: its sections all there, and each of its
        # mentions either stored or quarantined (out-of-range values), never half a report.
        half = wh.query("""
            select r.report_key, r.revision, r.n_sections, r.n_mentions,
                   (select count(*) from sections s
                     where s.report_key = r.report_key and s.revision = r.revision),
                   (select count(*) from mentions m
                     where m.report_key = r.report_key and m.revision = r.revision)
                   + (select count(distinct q.row_key) from quarantine q
                       where q.table_name = 'mentions'
                         and q.row_key like r.report_key || '|' || r.revision || '|%')
            from reports r""")[1]
        problems += [
            f"reports: {h[0]} rev {h[1]} has {h[4]}/{h[2]} sections, {h[5]}/{h[3]} mentions"
            for h in half if (h[2], h[3]) != (h[4], h[5])
        ]
        orphans = wh.query("""select report_key from report_documents
                              where report_key not in (select report_key from reports)""")[1]
        problems += [f"report_documents: {o[0]} has no report" for o in orphans]
        for (sha,) in wh.query("select distinct sha256 from documents")[1]:
            try:
                wh.raw(sha)  # present, and its bytes still hash to its name
            except KeyError as exc:
                problems.append(f"documents: {exc}")
    return problems
