"""Crawl benchmark: govreports vs Scrapy on a generated local test web, in the same run.

    python -m benchmarks.bench_crawl [--sites 200] [--latency 0.05] [--delay 0.5]

The test web runs in its own process (so its CPU is not charged to a crawler); each crawler
runs in its own child process, and its CPU is read from ``RUSAGE_CHILDREN`` after it exits
(pool workers included). Both crawlers do the same work: robots.txt, every list page of every
column, and every article linked from them, with one request in flight per host and the same
fixed delay between requests to a host. The politeness bound is hosts / delay pages per second.
Not a test: it takes about a minute and needs 127.0.0.1 ports only.

``run(quick)`` returns the rows ``python -m benchmarks`` prints: throughput and crawl CPU per
page, govreports against Scrapy (20 sites and a 0.2 s delay when quick).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.common import Row, row

ROOT = Path(__file__).resolve().parent.parent
SITES, LATENCY, DELAY = 200, 0.05, 0.5
QUICK_SITES, QUICK_DELAY = 20, 0.2
MODES = ("govreports", "scrapy")


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _cpu_here() -> float:
    """CPU of this process and of its (waited-for) children: a crawl's own cost, no imports."""
    return sum(
        ru.ru_utime + ru.ru_stime
        for ru in (resource.getrusage(resource.RUSAGE_SELF),
                   resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _start_web(sites: int, latency: float, registry: Path,
               wait: float = 60.0) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "ui.cli", "testweb", "--port", "0",
           "--generated-sites", str(sites), "--latency", str(latency),
           "--registry-out", str(registry)]
    web = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    for _ in range(int(wait * 10)):
        if registry.exists() and registry.stat().st_size > 0:
            time.sleep(0.2)
            return web
        if web.poll() is not None:
            raise SystemExit(f"test web exited early with code {web.returncode}")
        time.sleep(0.1)
    web.kill()
    raise SystemExit(f"test web did not write its registry within {wait:.0f} s")


def _proc_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process (Linux /proc), 0.0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_child(mode: str, registry: Path, delay: float, only_generated: bool) -> dict[str, float]:
    before = _cpu_children()
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_crawl", "--child", mode, "--registry",
         str(registry), "--delay", str(delay)] + (["--only-generated"] if only_generated else []),
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{mode} crawler failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu"] = _cpu_children() - before
    result["process_wall"] = wall
    return result


# --------------------------------------------------------------------------- children
def _sources(registry: Path, only_generated: bool) -> list:  # type: ignore[type-arg]
    from govreports.registry import load_registry

    sources, errors = load_registry(registry)
    if errors:
        raise SystemExit("; ".join(str(e) for e in errors))
    return [s for s in sources if s.id.startswith("gen-")] if only_generated else sources


def child_govreports(registry: Path, delay: float, only_generated: bool) -> dict[str, float]:
    from govreports.crawl import MemoryState, crawl
    from govreports.settings import Settings

    # The test web's registry sets min_delay 0 per source; the benchmark's delay must win.
    sources = [replace(s, min_delay=delay) for s in _sources(registry, only_generated)]
    settings = Settings(min_delay=delay, max_hosts_parallel=len(sources) + 1, timeout=10.0,
                        max_list_pages=100, request_budget=10_000)
    t0, c0 = time.perf_counter(), _cpu_here()
    results = crawl(sources, MemoryState(), settings, full=True,
                    fetch_kinds=("report", "disclosure", "lookalike", "other"))
    wall, cpu = time.perf_counter() - t0, _cpu_here() - c0
    ok = sum(
        1 for r in results for f in r.fetches
        if f.outcome == "ok" and not f.url.endswith("/robots.txt")  # Scrapy's count has none
    )
    errors = sum(len(r.errors) for r in results)
    return {"pages": ok, "wall": wall, "crawl_cpu": cpu, "errors": errors}


def child_scrapy(registry: Path, delay: float, only_generated: bool) -> dict[str, float]:
    import re

    import scrapy
    from scrapy.crawler import CrawlerProcess

    from govreports.settings import Settings

    sources = _sources(registry, only_generated)
    starts = [u for s in sources for u in s.lists]
    article = re.compile(r"/t\d{8}_\d+\.html$")
    count = {"pages": 0, "errors": 0}

    class Lists(scrapy.Spider):
        name = "lists"

        async def start(self):  # type: ignore[no-untyped-def]
            for url in starts:
                yield scrapy.Request(url, callback=self.parse_list, meta=self._slot(url))

        @staticmethod
        def _slot(url: str) -> dict[str, str]:
            # All sites share 127.0.0.1: slot per host:port, as a hostname per site would be.
            return {"download_slot": url.split("/")[2]}

        def parse_list(self, response):  # type: ignore[no-untyped-def]
            count["pages"] += 1
            for href in response.css("ul.list a::attr(href)").getall():
                url = response.urljoin(href)
                if article.search(url):
                    yield scrapy.Request(url, callback=self.parse_article, meta=self._slot(url))
            text = response.text
            m = re.search(r"createPageHTML\(countPage, (\d+)", text)
            c = re.search(r"var countPage = (\d+)", text)
            if m and c and not response.url.endswith(tuple(f"_{i}.html" for i in range(1, 99))):
                for i in range(1, int(c.group(1))):
                    url = response.urljoin(f"index_{i}.html")
                    yield scrapy.Request(url, callback=self.parse_list, meta=self._slot(url))

        def parse_article(self, response):  # type: ignore[no-untyped-def]
            count["pages"] += 1
            title = response.css("title::text").get()
            yield {"url": response.url, "title": title}

    process = CrawlerProcess(settings={
        "USER_AGENT": Settings().user_agent,
        # Scrapy's robots.txt middleware slots its requests by hostname, and every test-web
        # site is 127.0.0.1: obeying robots would push 200 robots fetches through one slot
        # with the delay. So Scrapy runs without robots.txt (a conservative baseline:
        # govreports still fetches and obeys every site's robots.txt).
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": 2 * len(starts) + 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,  # a fixed delay per slot, like min_delay
        "CONCURRENT_ITEMS": 10,
        "LOG_LEVEL": os.environ.get("BENCH_LOG", "ERROR"),
        "TELNETCONSOLE_ENABLED": False,
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "RETRY_ENABLED": True,
        "COOKIES_ENABLED": False,
    })
    process.crawl(Lists)
    t0, c0 = time.perf_counter(), _cpu_here()
    process.start()
    wall, cpu = time.perf_counter() - t0, _cpu_here() - c0
    return {"pages": count["pages"], "wall": wall, "crawl_cpu": cpu, "errors": count["errors"]}


# --------------------------------------------------------------------------- parent
def measure(sites: int = SITES, latency: float = LATENCY, delay: float = DELAY) -> dict[str, Any]:
    """Both crawlers over one test web: {sites, latency, delay, bound, crawlers: {mode: {
    pages, wall, crawl_cpu, errors, cpu, process_wall, web_cpu}}}."""
    with tempfile.TemporaryDirectory(prefix="govreports-bench-") as tmp:
        registry = Path(tmp) / "registry.yaml"
        web = _start_web(sites, latency, registry)
        try:
            crawlers = {}
            for mode in MODES:
                web_cpu = _proc_cpu(web.pid)
                crawlers[mode] = _run_child(mode, registry, delay, True)
                crawlers[mode]["web_cpu"] = _proc_cpu(web.pid) - web_cpu
        finally:
            web.terminate()
            web.wait(timeout=20)
    return {"sites": sites, "latency": latency, "delay": delay, "bound": sites / delay,
            "crawlers": crawlers}


def to_rows(result: dict[str, Any]) -> list[Row]:
    ours, scrapy = (result["crawlers"][m] for m in MODES)
    return [
        row("crawl", f"throughput, {int(ours['pages'])} pages (polite)",
            ours["pages"] / ours["wall"], "pages/s", "Scrapy, same hosts/delay",
            scrapy["pages"] / scrapy["wall"]),
        row("crawl", "CPU per page", ours["crawl_cpu"] / ours["pages"] * 1000, "ms/page",
            "Scrapy", scrapy["crawl_cpu"] / scrapy["pages"] * 1000),
    ]


def run(quick: bool = False) -> list[Row]:
    return to_rows(measure(QUICK_SITES, LATENCY, QUICK_DELAY) if quick else measure())


def report(result: dict[str, Any]) -> None:
    sites, delay, bound = result["sites"], result["delay"], result["bound"]
    print(f"test web: {sites} generated hosts, latency {result['latency'] * 1000:.0f} ms, "
          f"per-host concurrency 1, delay {delay} s; politeness bound "
          f"{sites} / {delay} = {bound:.0f} pages/s; {os.cpu_count()} CPUs")
    for name, r in result["crawlers"].items():
        pps = r["pages"] / r["wall"]
        print(f"{name:10} {int(r['pages']):6d} pages in {r['wall']:6.1f} s = {pps:6.1f} pages/s "
              f"({pps / bound:4.0%} of bound); crawl CPU {r['crawl_cpu']:5.1f} s = "
              f"{r['crawl_cpu'] / r['pages'] * 1000:5.2f} ms/page (process incl. imports "
              f"{r['cpu']:5.1f} s); errors {int(r['errors'])}; test web CPU meanwhile "
              f"{r['web_cpu']:5.1f} s ({r['web_cpu'] / r['wall']:.0%} of a core)")
    g, s = (result["crawlers"][m] for m in MODES)
    speed = (g["pages"] / g["wall"]) / (s["pages"] / s["wall"])
    cpu = (g["crawl_cpu"] / g["pages"]) / (s["crawl_cpu"] / s["pages"])
    print(f"ratio govreports/scrapy: throughput {speed:.2f}x, CPU per page {cpu:.2f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sites", type=int, default=SITES)
    ap.add_argument("--latency", type=float, default=LATENCY)
    ap.add_argument("--delay", type=float, default=DELAY)
    ap.add_argument("--child", choices=MODES)
    ap.add_argument("--registry", type=Path)
    ap.add_argument("--only-generated", action="store_true", default=True)
    args = ap.parse_args(argv)
    if args.child:
        fn = child_govreports if args.child == "govreports" else child_scrapy
        print(json.dumps(fn(args.registry, args.delay, args.only_generated)))
        return 0
    report(measure(args.sites, args.latency, args.delay))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
