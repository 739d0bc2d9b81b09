"""Prefect overhead: the nightly flow against the same work called as plain functions.

    python -m benchmarks.bench_flow [--sites 20] [--repeat 2] [--json]

Both paths run ``flows.common.crawl_and_load`` over the same test web (the six standard
sites plus ``--sites`` generated county sites), each into a fresh warehouse: once with the
plain step functions (the baseline) and once as the ``nightly_crawl`` flow, whose steps are
Prefect tasks. The temporary Prefect server is started by a warm-up flow before timing, so
the figure is the per-run orchestration overhead a scheduled deployment pays. Best of
``--repeat`` runs, alternating the two.
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


def _fresh_env(root: Path, name: str) -> None:
    from govreports.settings import get_settings

    os.environ["GOVREPORTS_WAREHOUSE"] = str(root / name / "wh.duckdb")
    os.environ["GOVREPORTS_DATA_DIR"] = str(root / name / "data")
    get_settings.cache_clear()


def run(sites: int = 20, repeat: int = 2) -> list[dict[str, Any]]:
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
    best_plain, best_flow = min(plain), min(flowed)
    return [
        {
            "benchmark": "flow",
            "figure": f"nightly flow, {6 + sites} sites ({reports} report pages)",
            "value": round(best_flow, 3),
            "unit": "s",
            "baseline": "same steps as plain functions",
            "baseline_value": round(best_plain, 3),
            "ratio": round(best_flow / best_plain, 3),
            "peak_mem_mb": round(peak, 1),
        },
        {
            "benchmark": "flow",
            "figure": "temporary Prefect server start (once per process, not in the ratio)",
            "value": round(server_start, 3),
            "unit": "s",
            "baseline": "",
            "baseline_value": None,
            "ratio": None,
            "peak_mem_mb": round(peak, 1),
        },
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=20, help="generated sites besides the six")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = run(args.sites, args.repeat)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        base = f"  baseline {r['baseline']}: {r['baseline_value']} s" if r["baseline"] else ""
        ratio = f"  ratio {r['ratio']}x" if r["ratio"] else ""
        print(f"{r['figure']}: {r['value']} {r['unit']}{base}{ratio}  peak {r['peak_mem_mb']} MB")


if __name__ == "__main__":
    main()
