"""Start-up of the command line: how long `govreports query "select 1"` takes from a cold
process, against a bare `python -c pass` measured in the same run (the interpreter's own
start-up), and `govreports --help`. Target: the query answers in under a second.

    python -m benchmarks.bench_cli [--runs N]

``run(quick)`` returns the rows ``python -m benchmarks`` prints (5 runs each, quick or not:
the whole benchmark takes seconds).
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

from benchmarks.common import Row, row

REPO = Path(__file__).resolve().parents[1]
RUNS = 5


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


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of each command over ``runs`` cold processes."""
    from govreports.settings import Settings
    from warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(warehouse=Path(tmp) / "wh.duckdb", data_dir=Path(tmp) / "data")
        with Warehouse(settings) as wh:
            wh.migrate()
        env = {**os.environ, "GOVREPORTS_WAREHOUSE": str(settings.warehouse),
               "GOVREPORTS_DATA_DIR": str(settings.data_dir)}
        bare = _time([sys.executable, "-c", "pass"], env, runs)
        cli = [sys.executable, "-m", "ui.cli"]
        query = _time([*cli, "query", "select 1", "--format", "csv"], env, runs)
        helped = _time([*cli, "--help"], env, runs)
    return {"python -c pass": bare, 'query "select 1"': query, "--help": helped}


def to_rows(r: dict[str, float]) -> list[Row]:
    bare = r["python -c pass"] * 1000
    return [row("cli", f"govreports {figure}, cold process", r[figure] * 1000, "ms",
                "python -c pass", bare) for figure in ('query "select 1"', "--help")]


def run(quick: bool = False) -> list[Row]:
    return to_rows(measure(RUNS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    for r in to_rows(measure(args.runs)):
        print(f"{r.figure}: {r.value:.1f} ms (python -c pass {r.baseline_value:.1f} ms,"
              f" ×{r.ratio:.2f}){'' if r.value < 1000 else '  OVER the 1 s target'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
