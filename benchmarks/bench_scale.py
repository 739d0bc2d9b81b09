"""Scale benchmark: the nightly run over thousands of generated sites into DuckLake on the
project's own PostgreSQL, by one worker and by three shard workers, in the same invocation;
and the cost of one write session on a large single-file warehouse.

    python -m benchmarks.bench_scale [--sites 2000] [--delay 0.5] [--workers 3]
                                     [--hosts-parallel 64] [--file-gb 1.0] [--json]

Each generated site (``govreports.testweb.generated``) is one TRS-like column of 40
articles on 4 list pages, on a host (port) of its own: 2,000 sites are 90,000 pages, of which
a crawler reads robots.txt, the list pages and the one report-looking article per site (the
rest are classified by title and skipped). The test web runs in its own process.

Figures, each beside its baseline measured in the same invocation:
- crawl pages/s and CPU ms per page for 1 worker and for N shard workers (sources split by
  host, each worker a process of its own), against the politeness bound (hosts / delay)
  and the bound of the hosts a worker crawls at once (``--hosts-parallel`` per worker, the
  ``max_hosts_parallel`` setting: at most that many hosts / delay);
- the lake's commits (DuckLake snapshots) per source loaded: sources whose crawls end while
  a load runs are loaded together (``Warehouse.load_batches``);
- load rows/s (rows written to the warehouse per second of the run);
- an analyst's query (``SELECT count(*) … FROM reports_current``) timed every 2 s while the
  run loads: median and worst;
- single-file DuckDB target: one write session (lock, open, migrate check, checkpoint, publish
  the read snapshot) on a small warehouse and on one grown to ``--file-gb``, publishing by
  the old whole-file copy (``whole_copy_session``, the baseline) and by today's in-place
  update of the stale snapshot generation (``write_session_cost``).
Not a test: it takes minutes and needs 127.0.0.1 ports and PostgreSQL's server programs.

``run(quick)`` returns the rows ``python -m benchmarks`` prints (2,000 sites and a 1 GB file
in full, 100 sites and 0.2 GB when quick; 0.5 s delay and 3 workers in both).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_crawl import _start_web
from benchmarks.common import Row, row

ROOT = Path(__file__).resolve().parent.parent
SITES, DELAY, WORKERS, FILE_GB, HOSTS_PARALLEL = 2000, 0.5, 3, 1.0, 64
CONTENT = {"reports": "row_hash", "sections": "row_hash", "mentions": "row_hash",
           "disclosure_cells": "row_hash", "report_documents": "report_key, url, sha256, role",
           "documents": "url, sha256"}
QUICK_SITES, QUICK_FILE_GB = 100, 0.2

SHARD_CHILD = """
import json, sys, time
from flows.common import PLAIN, crawl_and_load
from warehouse import load
load.GROUP_BATCHES = int(sys.argv[4])  # 1: every source in a transaction of its own
from govreports.settings import Settings
settings = Settings(**json.loads(sys.argv[1]))
t = time.perf_counter()
out = crawl_and_load("nightly", sources=None, registry=sys.argv[2], full=False, years=None,
                     refetch=False, settings=settings, steps=PLAIN, shard=sys.argv[3])
print(json.dumps({"wall": time.perf_counter() - t, "requests": out["requests"],
                  "new_reports": out["new_reports"], "written": out["written"],
                  "sources": out["sources_visited"],
                  "errors": out["errors"], "errors_by_reason": out["errors_by_reason"]}))
"""


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _registry_with_delay(registry: Path, delay: float, out: Path) -> int:
    """The test web's registry with the benchmark's per-host delay (it ships min_delay 0)."""
    import yaml

    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for entry in data["sources"]:
        entry["min_delay"] = delay
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return len({e["lists"][0].split("/")[2] for e in data["sources"]})


def _analyst(settings: Any, stop: threading.Event, seen: list[float]) -> None:
    """An analyst's query every 2 s while the run loads (its own connection each time)."""
    from warehouse import Warehouse

    while not stop.wait(2.0):
        t = time.perf_counter()
        try:
            with Warehouse(settings) as wh:
                wh.query("SELECT count(*), count(DISTINCT admin_code) FROM reports_current")
        except Exception:  # noqa: BLE001 (the lake may not exist yet in the first seconds)
            continue
        seen.append(time.perf_counter() - t)


def night(registry: Path, catalog: str, tmp: Path, workers: int,
          hosts_parallel: int = HOSTS_PARALLEL, group: int | None = None) -> dict[str, Any]:
    """One nightly run by ``workers`` shard processes into a fresh lake; ``group``: at most
    that many sources per load transaction (default: ``load.GROUP_BATCHES``)."""
    from govreports.settings import Settings
    from warehouse import Warehouse, load

    settings = Settings(warehouse=tmp / "unused.duckdb", data_dir=tmp / "data",
                        warehouse_target="ducklake", ducklake_catalog=catalog,
                        ducklake_data_path=str(tmp / "lake") + "/", min_delay=0.0,
                        timeout=30.0, response_deadline=60.0, max_hosts_parallel=hosts_parallel)
    Warehouse(settings).migrate()
    commits_before = _lake_commits(settings)
    stop, seen = threading.Event(), []  # type: ignore[var-annotated]
    analyst = threading.Thread(target=_analyst, args=(settings, stop, seen), daemon=True)
    before = _cpu_children()
    t0 = time.perf_counter()
    analyst.start()
    procs = [subprocess.Popen(
        [sys.executable, "-c", SHARD_CHILD, settings.model_dump_json(), str(registry),
         f"{k}/{workers}", str(group or load.GROUP_BATCHES)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
        for k in range(1, workers + 1)]
    outs = []
    try:
        for p in procs:
            out, err = p.communicate()
            if p.returncode:
                raise SystemExit(f"shard worker failed:\n{err[-3000:]}")
            outs.append(json.loads(out.strip().splitlines()[-1]))
    finally:  # a failed or interrupted night leaves no shard worker behind
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    wall = time.perf_counter() - t0
    stop.set()
    analyst.join()
    cpu = _cpu_children() - before
    with Warehouse(settings) as wh:
        pages = wh.query("SELECT count(*) FROM fetch_log WHERE outcome IN ('ok', 'not_modified')"
                         )[1][0][0]
        failures = [f"{r[0]}: {r[1]}" for r in wh.query(
            "SELECT source_id, reason FROM skips WHERE kind = 'error' ORDER BY ALL LIMIT 20")[1]]
        counts = {t: wh.query(f"SELECT count(*) FROM {t}")[1][0][0]
                  for t in ("reports", "sections", "mentions", "fetch_log", "report_documents",
                            "skips", "documents")}
        # what the night left, run ids and clocks aside: nights compare equal or not
        content = {t: list(wh.query(f"SELECT count(*), bit_xor(hash({cols})) FROM {t}")[1][0])
                   for t, cols in CONTENT.items()}
    rows_written = sum(counts.values())
    commits = _lake_commits(settings) - commits_before
    sources = sum(o["sources"] for o in outs)
    return {"workers": workers, "wall_s": wall, "cpu_s": cpu, "pages": pages,
            "requests": sum(o["requests"] for o in outs),
            "errors": sum(o["errors"] for o in outs), "rows": counts,
            "errors_by_reason": [o["errors_by_reason"] for o in outs if o["errors_by_reason"]],
            "failures": failures,
            "pages_per_s": pages / wall, "cpu_ms_per_page": 1000 * cpu / max(pages, 1),
            "rows_per_s": rows_written / wall,
            "query_median_s": statistics.median(seen) if seen else None,
            "query_worst_s": max(seen) if seen else None, "queries": len(seen),
            "sources": sources, "lake_commits": commits, "content": content,
            "commits_per_source": commits / max(sources, 1)}


def _lake_commits(settings: Any) -> int:
    """How many snapshots (commits) the lake has."""
    from warehouse import db

    con = db.open_reader(settings)
    try:
        got = con.execute("SELECT count(*) FROM ducklake_snapshots('lake')").fetchone()
    finally:
        con.close()
    return int(got[0]) if got else 0


def _one_row(con: Any) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS bench_rows (n INTEGER, written TIMESTAMP)")
    con.execute("INSERT INTO bench_rows VALUES ((SELECT count(*) FROM bench_rows), now())")


def whole_copy_session(settings: Any, body: Any = None) -> None:
    """The baseline: a write session as before the snapshot generations, the same steps as
    ``db.write_session`` (lock, open, migrate check, the body, checkpoint, close) and then a
    whole-file copy of the warehouse to the snapshot (``db.copy_snapshot``)."""
    from warehouse import db

    path = settings.warehouse
    with db.file_lock(path.with_name(path.name + ".lock"), 120.0):
        con = db.connect_file(path, read_only=False)
        try:
            db.migrate(con)
            if body is not None:
                body(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        db.copy_snapshot(path)


def write_session_cost(tmp: Path, gb: float, repeat: int = 5) -> dict[str, Any]:
    """Write sessions on a small warehouse and on one grown to ``gb``: the old whole-file
    copy (``whole_copy_session``) against today's ``db.write_session`` (the stale snapshot
    generation updated in place), each with one row written and with nothing written, and
    the publish alone. Medians of ``repeat`` sessions."""
    from govreports.settings import Settings
    from warehouse import Warehouse, db

    out: dict[str, Any] = {}
    for name, size in (("small", 0.0), ("large", gb)):
        settings = Settings(warehouse=tmp / f"{name}.duckdb", data_dir=tmp / f"{name}-data")
        Warehouse(settings).migrate()
        if size:
            with db.write_session(settings) as con:  # bulk rows of the real mentions table
                con.execute("CREATE TABLE ballast AS SELECT range AS id, "
                            "repeat(md5(range::VARCHAR), 8) AS text FROM range(1)")
                while settings.warehouse.stat().st_size < size * 2**30:
                    con.execute("INSERT INTO ballast SELECT range, repeat(md5(range::VARCHAR),"
                                " 8) FROM range(2000000)")
                    con.execute("CHECKPOINT")
        out[name] = _session_costs(settings, repeat)
    return out


def _session_costs(settings: Any, repeat: int) -> dict[str, Any]:
    from warehouse import db

    def timed(session: Any) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            session()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    publish_times: list[float] = []
    real_publish = db.publish_snapshot

    def publish_timed(*args: Any, **kwargs: Any) -> Path:
        t = time.perf_counter()
        try:
            return real_publish(*args, **kwargs)
        finally:
            publish_times.append(time.perf_counter() - t)

    def new_session(body: Any = None) -> None:
        with db.write_session(settings) as con:
            if body is not None:
                body(con)

    r: dict[str, Any] = {"mb": settings.warehouse.stat().st_size / 2**20}
    r["old_row_s"] = timed(lambda: whole_copy_session(settings, _one_row))
    r["old_empty_s"] = timed(lambda: whole_copy_session(settings))
    r["old_publish_s"] = timed(lambda: db.copy_snapshot(settings.warehouse))
    for _ in range(2):
        new_session(_one_row)  # warm-up: the first two generations are whole copies
    gen = db.snapshot_generations(settings.warehouse)
    inodes = {p.stat().st_ino for p in gen.glob("*.duckdb")}
    db.publish_snapshot = publish_timed  # write_session calls it: time the publish alone
    try:
        r["new_row_s"] = timed(lambda: new_session(_one_row))
        r["new_publish_s"] = statistics.median(publish_times)
        r["new_empty_s"] = timed(new_session)
    finally:
        db.publish_snapshot = real_publish
    # updated in place: still the same two files, and the snapshot is the warehouse
    r["in_place"] = {p.stat().st_ino for p in gen.glob("*.duckdb")} == inodes
    r["identical"] = (db.snapshot_path(settings.warehouse).read_bytes()
                      == settings.warehouse.read_bytes())
    r["session_s"] = r["new_row_s"]
    return r


def _exit_on_sigterm() -> None:
    """``kill <pid>`` of the benchmark runs its clean-ups (test web, PostgreSQL, workers)."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(f"stopped by signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def measure(sites: int = SITES, delay: float = DELAY, workers: int = WORKERS,
            file_gb: float = FILE_GB, hosts_parallel: int = HOSTS_PARALLEL,
            ungrouped: bool = False) -> dict[str, Any]:
    """Both nights (``night_1``, ``night_<workers>``) and the write-session cost; with
    ``ungrouped`` a third night first (``night_1_ungrouped``: one worker loading every source
    in a transaction of its own, as before grouped loads)."""
    from warehouse import pgserver

    _exit_on_sigterm()

    with tempfile.TemporaryDirectory(prefix="govreports-scale-") as tmp_name:
        tmp = Path(tmp_name)
        web = _start_web(sites, 0.0, tmp / "web.yaml", wait=120.0)
        pg_dir = Path(tempfile.mkdtemp(prefix="govreports-pg-", dir="/tmp"))
        try:
            server = pgserver.up(pg_dir, pgserver.free_port())
            hosts = _registry_with_delay(tmp / "web.yaml", delay, tmp / "sources.yaml")
            result: dict[str, Any] = {"sites": sites, "hosts": hosts, "delay_s": delay,
                                      "workers": workers, "hosts_parallel": hosts_parallel,
                                      "politeness_bound_pages_per_s": hosts / delay}
            nights = [("night_1_ungrouped", 1, 1)] if ungrouped else []
            for name, n, group in [*nights, ("night_1", 1, None), (f"night_{workers}", workers,
                                                                   None)]:
                catalog = pgserver.create_database(server, f"scale_{name.removeprefix('night_')}")
                result[name] = night(tmp / "sources.yaml", catalog, tmp / name, n,
                                     hosts_parallel, group)
                result[name]["parallel_bound_pages_per_s"] = min(hosts, n * hosts_parallel) / delay
        finally:
            web.terminate()
            web.wait(timeout=30)
            pgserver.down(pg_dir)
        if file_gb:
            result["write_session"] = write_session_cost(tmp, file_gb)
    return result


def to_rows(r: dict[str, Any]) -> list[Row]:
    workers = r["workers"]
    one, many = r["night_1"], r[f"night_{workers}"]
    out = [
        row("scale", f"crawl+load, {r['sites']:,} sites, {workers} shard workers",
            many["pages_per_s"], "pages/s", "1 worker", one["pages_per_s"]),
        row("scale", "crawl+load, 1 worker", one["pages_per_s"], "pages/s",
            "politeness bound (hosts / delay)", r["politeness_bound_pages_per_s"]),
        row("scale", f"CPU per page, {workers} workers", many["cpu_ms_per_page"], "ms",
            "1 worker", one["cpu_ms_per_page"]),
        row("scale", f"rows loaded per second, {workers} workers", many["rows_per_s"], "rows/s",
            "1 worker", one["rows_per_s"]),
    ]
    if "night_1_ungrouped" in r:
        base = r["night_1_ungrouped"]
        out.append(row("scale", "crawl+load, 1 worker, sources loaded in groups",
                       one["pages_per_s"], "pages/s", "one source per transaction",
                       base["pages_per_s"]))
    if many["query_median_s"] is not None and one["query_median_s"] is not None:
        out.append(row("scale", f"analyst query during the run, {workers} workers (median)",
                       many["query_median_s"], "s", "1 worker", one["query_median_s"]))
    if "write_session" in r:
        ws = r["write_session"]
        small, large = ws["small"], ws["large"]
        for w in (large, small):
            out.append(row("scale", f"file write session, 1 row, at {w['mb']:,.0f} MB",
                           w["new_row_s"], "s", "old whole-file copy", w["old_row_s"]))
        out.append(row("scale", f"file write session, 1 row, at {large['mb']:,.0f} MB",
                       large["new_row_s"], "s", f"at {small['mb']:.0f} MB", small["new_row_s"]))
    return out


def run(quick: bool = False) -> list[Row]:
    if quick:
        return to_rows(measure(QUICK_SITES, DELAY, WORKERS, QUICK_FILE_GB))
    return to_rows(measure())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sites", type=int, default=SITES)
    ap.add_argument("--delay", type=float, default=DELAY, help="seconds between requests to a host")
    ap.add_argument("--workers", type=int, default=WORKERS)
    ap.add_argument("--hosts-parallel", type=int, default=HOSTS_PARALLEL,
                    help="hosts each worker crawls at once (the max_hosts_parallel setting)")
    ap.add_argument("--file-gb", type=float, default=FILE_GB)
    ap.add_argument("--ungrouped-baseline", action="store_true",
                    help="also a one-worker night loading each source in its own transaction")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    r = measure(args.sites, args.delay, args.workers, args.file_gb, args.hosts_parallel,
                args.ungrouped_baseline)
    if args.json:
        print(json.dumps(r, indent=1, default=str))
        return 0
    bound = r["politeness_bound_pages_per_s"]
    print(f"{r['sites']:,} generated sites on {r['hosts']:,} hosts, {r['delay_s']} s per host: "
          f"politeness bound {bound:,.0f} pages/s; {r['hosts_parallel']} hosts at once per "
          "worker")
    base = r["night_1"]
    for key in ("night_1_ungrouped", "night_1", f"night_{args.workers}"):
        if key not in r:
            continue
        n = r[key]
        if key == "night_1_ungrouped":
            print("  (baseline: one source per load transaction)")
        q = ("-" if n["query_median_s"] is None else
             f"{n['query_median_s']:.2f} s median, {n['query_worst_s']:.2f} s worst")
        print(f"  {n['workers']} worker(s): {n['pages']:,} pages in {n['wall_s']:.1f} s = "
              f"{n['pages_per_s']:.1f} pages/s ({n['pages_per_s'] / bound:.1%} of the bound, "
              f"{base['wall_s'] / n['wall_s']:.2f}x one worker), {n['cpu_ms_per_page']:.1f} ms "
              f"CPU/page, {n['rows_per_s']:,.0f} rows/s loaded, {n['errors']} errors; "
              f"bound at {r['hosts_parallel']} hosts at once per worker "
              f"{n['parallel_bound_pages_per_s']:,.0f} pages/s; {n['lake_commits']:,} lake "
              f"commits for {n['sources']:,} sources ({n['commits_per_source']:.2f} per source)"
              f"; analyst query {q} ({n['queries']} tries)"
              + ("" if key == "night_1" else "; the same content as one worker's night: "
                 + ("yes" if n["content"] == base["content"] else "NO")))
    if "write_session" in r:
        for w in (r["write_session"]["small"], r["write_session"]["large"]):
            print(f"  single-file write session at {w['mb']:,.0f} MB, 1 row: "
                  f"{w['new_row_s']:.3f} s (old whole copy {w['old_row_s']:.3f} s); nothing "
                  f"written: {w['new_empty_s']:.3f} s (old {w['old_empty_s']:.3f} s); the "
                  f"publish alone: {w['new_publish_s']:.3f} s (old {w['old_publish_s']:.3f} s)"
                  f"{'' if w['in_place'] and w['identical'] else ' NOT IN PLACE/IDENTICAL'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    raise SystemExit(main())
