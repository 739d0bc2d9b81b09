"""``make bench``: run every benchmark module and print one table.

    python -m benchmarks [--quick] [--only extract,load] [--json]

Each ``benchmarks/bench_*.py`` runs in its own child process, so one benchmark's imports,
caches and memory never colour another's figures, and its peak memory is the child's own
(``wait4`` rusage). The modules were written by different people and expose different
things; the runner adapts to each rather than asking them to change:

- ``run() -> list[dict]`` rows of {benchmark, figure, value, unit, baseline, baseline_value,
  ratio, peak_mem_mb}: used as they are (bench_flow);
- ``run(...) -> dict``: converted by an adapter below (bench_indicators, bench_load);
- ``main()`` that only prints: timed through its helpers (bench_extract) or its printed
  lines parsed (bench_crawl).

A module without an adapter still runs: if ``run()`` returns a list it is used, otherwise
its own output is printed under the table. Every baseline is measured in the same run as
the figure beside it. Benchmarks are not tests and do not run in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MARK = "BENCH-ROWS "
Row = dict[str, Any]


def _row(bench: str, figure: str, value: float, unit: str, baseline: str = "",
         baseline_value: float | None = None) -> Row:
    ratio = value / baseline_value if baseline_value else None
    return {"benchmark": bench, "figure": figure, "value": round(value, 3), "unit": unit,
            "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 3),
            "ratio": None if ratio is None else round(ratio, 2), "peak_mem_mb": None}


# ----------------------------------------------------------------------------- adapters
def _extract(quick: bool) -> list[Row]:
    import warnings

    m = importlib.import_module("benchmarks.bench_extract")
    files = sorted(Path(m.DEFAULT_PAGES).glob("*.html"))
    if not files:
        raise RuntimeError(f"no .html pages in {m.DEFAULT_PAGES} (../shared/real_html)")
    from govreports.decode import decode_bytes

    pages = [(f.read_bytes(), decode_bytes(f.read_bytes()).text) for f in files]
    warnings.filterwarnings("ignore")  # bs4/GNE parser chatter
    tools = [("govreports extract", m._ours()), ("trafilatura.extract", m._trafilatura()),
             ("GNE extract", m._gne())]
    ms = dict(m._time_all(tools, pages, 2 if quick else 5))
    ours = ms["govreports extract"]
    return [_row("extract", f"extract_document, {len(pages)} real pages", ours, "ms/page",
                 name, ms[name]) for name in ("trafilatura.extract", "GNE extract")]


def _indicators(quick: bool) -> list[Row]:
    m = importlib.import_module("benchmarks.bench_indicators")
    r = m.run(5 if quick else 50)
    ms = r["ms_per_report"]
    base = "fold (baseline)"
    return [_row("indicators", f"{name}, {r['reports']} reports", v, "ms/report",
                 "normalize.fold of the same text", ms[base])
            for name, v in ms.items() if "baseline" not in name]


def _load(quick: bool) -> list[Row]:
    m = importlib.import_module("benchmarks.bench_load")
    n_rows, n_records = (100_000, 5_000) if quick else (1_000_000, 50_000)
    r = m.run(n_rows, n_records)
    validated = sum(r[s][0] for s in ("frame", "validate", "merge"))
    raw = r["raw arrow insert"][0]
    out = [_row("load", f"validated MERGE load, {n_rows:,} mention rows", validated, "s",
                "raw Arrow INSERT of the same rows", raw)]
    if "load_batch" in r:
        w = r["load_batch"][0]
        rec = r["load_batch_rows"]
        out.append(_row("load", f"load_batch from records, {rec:,} rows", rec / w, "rows/s",
                        "raw Arrow INSERT", n_rows / raw))
    return out


_CRAWL_LINE = re.compile(r"^(govreports|scrapy)\s+(\d+) pages in\s+([\d.]+) s = \s*([\d.]+) "
                         r"pages/s.*?crawl CPU\s+([\d.]+) s = \s*([\d.]+) ms/page")


def _crawl(quick: bool) -> list[Row]:
    m = importlib.import_module("benchmarks.bench_crawl")
    argv = ["--sites", "20", "--delay", "0.2"] if quick else []
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        m.main(argv)
    got = {g.group(1): g for line in buf.getvalue().splitlines() if (g := _CRAWL_LINE.match(line))}
    if set(got) != {"govreports", "scrapy"}:
        raise RuntimeError(f"bench_crawl printed no comparable lines:\n{buf.getvalue()}")
    ours, scrapy = got["govreports"], got["scrapy"]
    pages = ours.group(2)
    return [
        _row("crawl", f"throughput, {pages} pages (polite)", float(ours.group(4)), "pages/s",
             "Scrapy, same hosts/delay", float(scrapy.group(4))),
        _row("crawl", "CPU per page", float(ours.group(6)), "ms/page", "Scrapy",
             float(scrapy.group(6))),
    ]


def _flow(quick: bool) -> list[Row]:
    m = importlib.import_module("benchmarks.bench_flow")
    rows: list[Row] = m.run(2, 1) if quick else m.run()
    return rows


def _scale(quick: bool) -> list[Row]:
    m = importlib.import_module("benchmarks.bench_scale")
    sites, gb = (100, 0.2) if quick else (2000, 1.0)
    r = m.run(sites, 0.5, 3, gb)
    one, many = r["night_1"], r["night_3"]
    out = [
        _row("scale", f"crawl+load, {sites:,} sites, 3 shard workers", many["pages_per_s"],
             "pages/s", "1 worker", one["pages_per_s"]),
        _row("scale", "crawl+load, 1 worker", one["pages_per_s"], "pages/s",
             "politeness bound (hosts / delay)", r["politeness_bound_pages_per_s"]),
        _row("scale", "CPU per page, 3 workers", many["cpu_ms_per_page"], "ms", "1 worker",
             one["cpu_ms_per_page"]),
        _row("scale", "rows loaded per second, 3 workers", many["rows_per_s"], "rows/s",
             "1 worker", one["rows_per_s"]),
    ]
    if many["query_median_s"] is not None and one["query_median_s"] is not None:
        out.append(_row("scale", "analyst query during the run, 3 workers (median)",
                        many["query_median_s"], "s", "1 worker", one["query_median_s"]))
    ws = r["write_session"]
    out.append(_row("scale", f"file write session at {ws['large']['mb']:,.0f} MB",
                    ws["large"]["session_s"], "s", f"at {ws['small']['mb']:.0f} MB",
                    ws["small"]["session_s"]))
    return out


ADAPTERS: dict[str, Callable[[bool], list[Row]]] = {
    "bench_crawl": _crawl, "bench_extract": _extract, "bench_indicators": _indicators,
    "bench_load": _load, "bench_flow": _flow, "bench_scale": _scale,
}


def _generic(name: str, quick: bool) -> list[Row]:
    m = importlib.import_module(f"benchmarks.{name}")
    run = getattr(m, "run", None)
    if run is not None:
        got = run()
        if isinstance(got, list) and all(isinstance(r, dict) and "figure" in r for r in got):
            return got
    if hasattr(m, "main"):  # it prints its own table; shown under ours
        if m.main.__code__.co_argcount:
            m.main([])
        else:
            m.main()
    return []


# ----------------------------------------------------------------------------- worker/parent
def worker(name: str, quick: bool) -> None:
    """In the child: run one benchmark, print its rows as one JSON line."""
    fn = ADAPTERS.get(name)
    rows = fn(quick) if fn else _generic(name, quick)
    sys.stdout.flush()
    print(MARK + json.dumps(rows, ensure_ascii=False), flush=True)


def run_child(name: str, quick: bool) -> tuple[list[Row], str, float, float]:
    """(rows, other output, seconds, peak resident MB of the child and its children)."""
    cmd = [sys.executable, "-m", "benchmarks", "--worker", name] + (["--quick"] if quick else [])
    started = time.perf_counter()
    with subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    seconds = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    rows: list[Row] = []
    other: list[str] = []
    for line in out.splitlines():
        if line.startswith(MARK):
            rows = json.loads(line[len(MARK):])
        else:
            other.append(line)
    if proc.returncode != 0:
        other.append(f"error: {name} exited with {proc.returncode}")
    for r in rows:
        if r.get("peak_mem_mb") is None:
            r["peak_mem_mb"] = round(peak, 1)
    return rows, "\n".join(other), seconds, peak


def _fmt(v: Any) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
    return str(v)


def table(rows: list[Row]) -> str:
    head = ["benchmark", "figure", "value", "unit", "baseline (same run)", "baseline value",
            "ratio", "peak MB"]
    body = [[r["benchmark"], r["figure"], _fmt(r["value"]), r["unit"], r.get("baseline") or "-",
             _fmt(r.get("baseline_value")), _fmt(r.get("ratio")),
             "-" if r.get("peak_mem_mb") is None else f"{r['peak_mem_mb']:.0f}"]
            for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="smaller inputs (a few minutes)")
    ap.add_argument("--only", help="comma-separated names, e.g. extract,load")
    ap.add_argument("--json", action="store_true", help="rows as JSON instead of the table")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.quick)
        return 0
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        wanted = {f"bench_{n.removeprefix('bench_')}" for n in args.only.split(",")}
        unknown = wanted - set(names)
        if unknown:
            print(f"error: no benchmark {', '.join(sorted(unknown))} in {HERE}", file=sys.stderr)
            return 2
        names = [n for n in names if n in wanted]
    rows: list[Row] = []
    notes: list[str] = []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        got, other, seconds, peak = run_child(name, args.quick)
        rows += got
        print(f"  {name}: {seconds:.0f} s, peak {peak:.0f} MB", file=sys.stderr, flush=True)
        if not got and other.strip():
            notes.append(f"--- {name} (own output)\n{other.strip()}")
        elif "error:" in other:
            notes.append(f"--- {name}\n{other.strip()[-2000:]}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(table(rows))
        print("ratio = value / baseline; for pages/s and rows/s higher is better, for s and "
              "ms lower is better. Peak MB: the benchmark's own process tree.")
    for note in notes:
        print(note)
    return 1 if any("error:" in n for n in notes) else 0


if __name__ == "__main__":
    sys.exit(main())
