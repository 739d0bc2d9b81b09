"""``make bench``: run every benchmark module and print one table.

    python -m benchmarks [--quick] [--only extract,load] [--json]

Every ``benchmarks/bench_*.py`` follows one interface (``benchmarks/common.py``)::

    def run(quick: bool = False) -> list[Row]

returning its figures, each beside a baseline measured in the same run. The runner knows
nothing else about any module: each runs in its own child process (``python -m benchmarks
--worker benchmarks.bench_<name>``), so one benchmark's imports, caches and memory never
colour another's figures, and its peak memory is the child's own (``wait4`` rusage of the
child and its children), filled into every row that does not carry its own. The child
checks the interface and calls ``run(quick)``; a module that does not follow it fails with
one line naming the module. Benchmarks are not tests and do not run in CI.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import SIGNATURE, InterfaceError, Row, check_interface, check_rows

ROOT = Path(__file__).resolve().parent.parent  # the children's working directory
RUNNER = "benchmarks"  # python -m RUNNER --worker MODULE
HERE, PACKAGE = ROOT / "benchmarks", "benchmarks"  # where bench_*.py are found, and as what
MARK = "BENCH-ROWS "
INTERFACE_EXIT = 3  # the child's exit code when the module does not follow the interface


# ----------------------------------------------------------------------------- worker/parent
def worker(module: str, quick: bool) -> int:
    """In the child: run one benchmark module, print its rows as one JSON line."""
    try:
        run = check_interface(importlib.import_module(module))
        rows = check_rows(module, run(quick))
    except InterfaceError as exc:
        sys.stdout.flush()
        print(f"error: {exc}", flush=True)
        return INTERFACE_EXIT
    sys.stdout.flush()
    print(MARK + json.dumps([r.as_dict() for r in rows], ensure_ascii=False), flush=True)
    return 0


@dataclasses.dataclass(frozen=True)
class Child:
    """What one benchmark's child process gave back."""

    module: str
    rows: list[Row]
    output: str  # its stdout besides the rows line
    returncode: int
    seconds: float
    peak_mb: float  # peak resident MB of the child and its children

    @property
    def error(self) -> str | None:
        """None if it ran; else one line (interface) or its output and exit code."""
        if self.returncode == INTERFACE_EXIT:
            lines = self.output.strip().splitlines()
            return lines[-1] if lines else f"error: {self.module} does not follow {SIGNATURE}"
        if self.returncode != 0:
            tail = self.output.strip()[-2000:]
            return f"--- {self.module}\n{tail}\nerror: {self.module} exited with {self.returncode}"
        return None


def run_child(module: str, quick: bool) -> Child:
    """Run ``module`` (``benchmarks.bench_<name>``) in a child process and time it."""
    cmd = [sys.executable, "-m", RUNNER, "--worker", module] + (["--quick"] if quick else [])
    started = time.perf_counter()
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    seconds = time.perf_counter() - started
    peak = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    rows: list[Row] = []
    other: list[str] = []
    for line in out.splitlines():
        if line.startswith(MARK):
            rows = [Row(**r) for r in json.loads(line[len(MARK):])]
        else:
            other.append(line)
    rows = [r if r.peak_mem_mb is not None else dataclasses.replace(r, peak_mem_mb=peak)
            for r in rows]
    return Child(module, rows, "\n".join(other), proc.returncode, seconds, peak)


def discover() -> list[str]:
    """The benchmark names: the ``bench_*`` module stems in ``HERE``, sorted."""
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def _fmt(v: Any) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
    return str(v)


def table(rows: list[Row]) -> str:
    head = ["benchmark", "figure", "value", "unit", "baseline (same run)", "baseline value",
            "ratio", "peak MB"]
    body = [[r.benchmark, r.figure, _fmt(r.value), r.unit, r.baseline or "-",
             _fmt(r.baseline_value), _fmt(r.ratio),
             "-" if r.peak_mem_mb is None else f"{r.peak_mem_mb:.0f}"]
            for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="smaller inputs (a few minutes)")
    ap.add_argument("--only", help="comma-separated names, e.g. extract,load")
    ap.add_argument("--json", action="store_true", help="rows as JSON instead of the table")
    ap.add_argument("--worker", help=argparse.SUPPRESS)  # in the child: a module's dotted name
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.quick)
    names = discover()
    if args.only:
        wanted = {f"bench_{n.strip().removeprefix('bench_')}" for n in args.only.split(",")}
        unknown = wanted - set(names)
        if unknown:
            print(f"error: no benchmark {', '.join(sorted(unknown))} in {HERE}", file=sys.stderr)
            return 2
        names = [n for n in names if n in wanted]
    rows: list[Row] = []
    errors: list[str] = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        child = run_child(f"{PACKAGE}.{name}", args.quick)
        rows += child.rows
        print(f"  {name}: {child.seconds:.0f} s, peak {child.peak_mb:.0f} MB", file=sys.stderr,
              flush=True)
        if child.error:
            errors.append(child.error)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
    else:
        print(table(rows))
        print("ratio = value / baseline; for pages/s and rows/s higher is better, for s and "
              "ms lower is better. Peak MB: the benchmark's own process tree.")
    for error in errors:  # under the table; beside the JSON, not inside it
        print(error, file=sys.stderr if args.json else sys.stdout)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
