"""Start-up of the command line: how long `govreports query "select 1"` takes from a cold
process, against a bare `python -c pass` measured in the same run (the interpreter's own
start-up), and `govreports --help`. Target: the query answers in under a second.

    python -m benchmarks.bench_cli [--runs N]

``run()`` returns the rows ``python -m benchmarks`` prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _time(cmd: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall seconds of ``cmd`` over ``runs`` cold processes."""
    took = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, timeout=120)
        took.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.decode()[-300:]}")
    return statistics.median(took)


def run(runs: int = 5) -> list[dict[str, Any]]:
    from govreports.settings import Settings
    from warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(warehouse=Path(tmp) / "wh.duckdb", data_dir=Path(tmp) / "data")
        with Warehouse(settings) as wh:
            wh.migrate()
        env = {**os.environ, "GOVREPORTS_WAREHOUSE": str(settings.warehouse),
               "GOVREPORTS_DATA_DIR": str(settings.data_dir)}
        bare = _time([sys.executable, "-c", "pass"], env, runs)
        cli = [sys.executable, "-m", "govreports.cli"]
        query = _time([*cli, "query", "select 1", "--format", "csv"], env, runs)
        helped = _time([*cli, "--help"], env, runs)
    rows = []
    for figure, value in (('query "select 1"', query), ("--help", helped)):
        rows.append({
            "benchmark": "cli", "figure": f"govreports {figure}, cold process",
            "value": round(value * 1000, 1), "unit": "ms", "baseline": "python -c pass",
            "baseline_value": round(bare * 1000, 1), "ratio": round(value / bare, 2),
            "peak_mem_mb": None,
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for row in run(args.runs):
        print(f"{row['figure']}: {row['value']} ms (python -c pass {row['baseline_value']} ms,"
              f" ×{row['ratio']}){'' if row['value'] < 1000 else '  OVER the 1 s target'}")


if __name__ == "__main__":
    main()
