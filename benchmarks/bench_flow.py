"""Prefect overhead: the nightly flow against the same work called as plain functions.

    python -m benchmarks.bench_flow [--sites 20] [--repeat 2] [--json]

Both paths run ``flows.common.crawl_and_load`` over the same test web (the six standard
sites plus ``--sites`` generated county sites), each into a fresh warehouse: once with the
plain step functions (the baseline) and once as the ``nightly_crawl`` flow, whose steps are
Prefect tasks. The temporary Prefect server is started by a warm-up flow before timing, so
the figure is the per-run orchestration overhead a scheduled deployment pays. Best of
``--repeat`` runs, alternating the two.

``run(quick)`` returns the rows ``python -m benchmarks`` prints (2 sites, 1 run when quick);
they carry this process's own peak memory (the whole run's, server included).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Row, row

SITES, REPEAT = 20, 2
QUICK_SITES, QUICK_REPEAT = 2, 1


def _fresh_env(root: Path, name: str) -> None:
    from govreports.settings import get_settings

    os.environ["GOVREPORTS_WAREHOUSE"] = str(root / name / "wh.duckdb")
    os.environ["GOVREPORTS_DATA_DIR"] = str(root / name / "data")
    get_settings.cache_clear()


def measure(sites: int = SITES, repeat: int = REPEAT) -> dict[str, Any]:
    """Best seconds of the plain and the flow run, server start, reports found, peak MB."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ["GOVREPORTS_MIN_DELAY"] = "0"
    from prefect import flow

    from flows.common import PLAIN, crawl_and_load
    from flows.nightly import nightly_crawl
    from govreports.settings import get_settings
    from govreports.testweb import TestWeb

    @flow(name="warm-up")
    def warm_up() -> int:
        return 1

    t0 = time.perf_counter()
    warm_up()
    server_start = time.perf_counter() - t0

    plain: list[float] = []
    flowed: list[float] = []
    reports = 0
    with TestWeb(base_port=0, generated_sites=sites) as web, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        registry = str(web.write_registry(root / "sources.yaml"))

        def plain_run() -> dict[str, Any]:
            return crawl_and_load(
                "plain", sources=None, registry=registry, full=False, years=None,
                refetch=False, settings=get_settings(), steps=PLAIN,
            )

        _fresh_env(root, "warm")  # first-use costs (imports, region table) out of the timing
        plain_run()
        for i in range(repeat):
            _fresh_env(root, f"plain{i}")
            t = time.perf_counter()
            res = plain_run()
            plain.append(time.perf_counter() - t)
            reports = res["reports_found"]
            _fresh_env(root, f"flow{i}")
            t = time.perf_counter()
            res = nightly_crawl(registry=registry)
            flowed.append(time.perf_counter() - t)
            assert res["reports_found"] == reports, "flow and plain runs found different work"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sites": sites, "repeat": repeat, "reports": reports, "plain_s": min(plain),
            "flow_s": min(flowed), "server_start_s": server_start, "peak_mem_mb": peak}


def to_rows(r: dict[str, Any]) -> list[Row]:
    peak = r["peak_mem_mb"]
    return [
        row("flow", f"nightly flow, {6 + r['sites']} sites ({r['reports']} report pages)",
            r["flow_s"], "s", "same steps as plain functions", r["plain_s"], peak_mem_mb=peak),
        row("flow", "temporary Prefect server start (once per process, not in the ratio)",
            r["server_start_s"], "s", peak_mem_mb=peak),
    ]


def run(quick: bool = False) -> list[Row]:
    return to_rows(measure(QUICK_SITES, QUICK_REPEAT) if quick else measure())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sites", type=int, default=SITES, help="generated sites besides the six")
    ap.add_argument("--repeat", type=int, default=REPEAT)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = to_rows(measure(args.sites, args.repeat))
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        base = f"  baseline {r.baseline}: {r.baseline_value} s" if r.baseline else ""
        ratio = f"  ratio {r.ratio}x" if r.ratio else ""
        print(f"{r.figure}: {r.value} {r.unit}{base}{ratio}  peak {r.peak_mem_mb} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
