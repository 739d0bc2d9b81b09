"""The ``govreports`` command.

Start-up stays light: every command imports what it needs inside its own body, so
``govreports extract`` over many files never pays for Prefect or DuckDB.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ui.runprint import console, print_run

EXIT_CODES = (
    "Exit codes: 0 done; 1 done, but some sources, URLs or files failed (each named on "
    "stderr), or a query/export/report could not run; 2 bad usage or input (an unknown "
    "option value, source id, year, file or registry), nothing was run; 3 another crawl, "
    "backfill or re-parse is running on the same warehouse, nothing was run."
)
app = typer.Typer(
    help="Crawl government disclosure sites for 法治政府建设年度报告 and 政府信息公开工作年度报告 "
    "and load them into DuckDB.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
sources_app = typer.Typer(help="Inspect and check the source registry.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

# options several commands share
_REGISTRY_HELP = "Registry file or folder (default GOVREPORTS_SOURCES)"
SourceIds = Annotated[
    list[str] | None, typer.Option("--source", "-s", help="Only these source ids")
]
RegistryPath = Annotated[Path | None, typer.Option(help=_REGISTRY_HELP)]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _console(stderr: bool = False) -> Any:
    return console(stderr)


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if isinstance(o, bytes):
        return None
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def dumps(obj: Any, *, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json_default, indent=indent)


# --------------------------------------------------------------------------- extract
@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help=".html (any encoding), .txt, .pdf or .docx")],
    url: Annotated[str | None, typer.Option(help="URL the page came from (one file)")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json | jsonl | table")] = "json",
) -> None:
    """Extract metadata, sections, quantity mentions and body text from saved files.

    One file prints one JSON object; several print one object per line. A file that cannot
    be extracted yields an error object for that file and the others are still extracted.
    """
    from govreports.extract import report_to_dict
    from govreports.pipeline import process_file  # extraction + mentions + checks

    if format not in ("json", "jsonl", "table"):
        _fail(f"unknown --format {format!r} (json, jsonl or table)")
    if url and len(files) > 1:
        _fail("--url names the page of a single FILE")
    failed = 0
    rows: list[dict[str, Any]] = []
    for path in files:
        try:
            report = process_file(path, url=url)
            rows.append(report_to_dict(report))
        except Exception as exc:  # one bad file never stops the others
            failed += 1
            # ExtractionError messages already start with the file name
            message = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc!r}"
            rows.append({"file": str(path), "error": message})
            typer.echo(f"error: {message}", err=True)
    if format == "table":
        _print_extract_table([r for r in rows if "error" not in r])
    elif format == "json" and len(rows) == 1:
        typer.echo(dumps(rows[0], indent=2))
    else:
        for row in rows:
            typer.echo(dumps(row))
    if failed:
        raise typer.Exit(1)


def _print_extract_table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table("file", "title", "issuer", "year", "published", "sections", "mentions")
    for r in rows:  # files that failed are named on stderr, not here
        md = r.get("metadata", {})
        table.add_row(
            str(r.get("file") or r.get("url") or ""),
            str(md.get("title") or ""),
            str(md.get("issuer") or ""),
            str(md.get("report_year") or ""),
            str(md.get("publish_date") or ""),
            str(len(r.get("sections", []))),
            str(len(r.get("mentions", []))),
        )
    _console().print(table)


# --------------------------------------------------------------------------- runs
def _quiet_prefect_defaults() -> None:
    """Keep a local run offline and quiet unless the user configured Prefect themselves."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # Without PREFECT_API_URL, Prefect starts a temporary local server; on a busy 2-core
    # machine it can take longer than Prefect's default 20 s to come up.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


class _Bars:
    """rich progress bars fed by govreports.progress (one bar per stage)."""

    def __enter__(self) -> _Bars:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from govreports import progress

        self._progress = Progress(
            TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[label]}"), console=Console(stderr=True), transient=False,
        )
        self._tasks: dict[str, Any] = {}
        self._progress.start()
        progress.set_listener(self._on)
        return self

    def _on(self, stage: str, advance: int, total: int | None, label: str) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(
                label if total is not None else stage, total=total, label=""
            )
            if total is not None:
                return
        self._progress.update(self._tasks[stage], advance=advance, total=total, label=label)

    def __exit__(self, *exc: object) -> None:
        from govreports import progress

        progress.set_listener(None)
        self._progress.stop()


def _parse_years(spec: str | None, option: str = "--years") -> list[int] | None:
    """``2021-2024`` or ``2021,2023`` → sorted years; None when the option was not given."""
    from datetime import date

    from schemas.tables import FIRST_YEAR

    if spec is None:
        return None
    last = date.today().year
    if not spec.strip():
        _fail(f"{option} is empty: use e.g. 2021-2024 or 2021,2023")
    years: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            _fail(f"{option} {spec!r}: use e.g. 2021-2024 or 2021,2023")
        if a > b:
            _fail(f"{option} {spec!r}: a range runs from the earlier year ({b}-{a})")
        if not (FIRST_YEAR <= a and b <= last):
            _fail(f"{option} {spec!r}: report years run from {FIRST_YEAR} (the first such "
                  f"reports) to {last}")
        years.extend(range(a, b + 1))
    return sorted(set(years))


def _check_registry(registry: Path | None, source: list[str] | None) -> Path:
    """The registry is readable and names every ``--source``: checked before Prefect starts
    (which takes seconds), so bad input costs nothing. Rejected entries are listed and the
    run goes on without them."""
    from govreports.registry import load_registry
    from govreports.settings import get_settings

    path = registry or get_settings().sources
    if not path.exists():
        _fail(f"{path}: source registry not found (pass --registry or set GOVREPORTS_SOURCES)")
    sources, errors = load_registry(path)
    for err in errors:
        typer.echo(f"warning: registry entry rejected: {err}", err=True)
    if not sources:
        _fail(f"{path}: no usable source in the registry")
    if source:
        unknown = sorted(set(source) - {s.id for s in sources})
        if unknown:
            _fail(f"unknown source id(s) {', '.join(unknown)} in {path} "
                  "(`govreports sources list` shows them)")
    return path


def _starting_prefect() -> None:
    import os

    api = os.environ.get("PREFECT_API_URL")
    if api:
        typer.echo(f"running on the Prefect server at {api} …", err=True)
    else:
        typer.echo("starting a temporary Prefect server (10–30 s; set PREFECT_API_URL to use "
                   "a running one) …", err=True)


def _check_not_running(kind: str, shard: str | None = None) -> None:
    """Another run on the warehouse: say so now, before Prefect starts (the flow takes the
    lock itself; this only spares the wait)."""
    from govreports.settings import get_settings
    from warehouse import RunLocked, run_lock

    try:
        with run_lock(get_settings(), kind, shard=shard):
            pass
    except RunLocked as exc:
        _fail(str(exc), code=3)


@contextlib.contextmanager
def _one_run() -> Iterator[None]:
    """A run refused because another holds the warehouse: one line and exit 3."""
    from warehouse import RunLocked

    try:
        yield
    except RunLocked as exc:
        _fail(str(exc), code=3)


def _exit_for(result: dict[str, Any]) -> None:
    if result.get("errors"):
        raise typer.Exit(1)


@app.command()
def crawl(
    source: SourceIds = None,
    registry: RegistryPath = None,
    shard: Annotated[
        str | None,
        typer.Option(help="Only shard K/N of the registry (sources split by host), e.g. 2/3: "
                          "N workers run the night side by side on one DuckLake warehouse"),
    ] = None,
) -> None:
    """Nightly job: incremental crawl of the registry, extract, validate and load.

    Exits 1 when some source or URL failed (each is named), 2 on bad input."""
    if shard is not None:
        from govreports.registry import parse_shard

        try:
            parse_shard(shard)
        except ValueError as exc:
            _fail(str(exc), code=2)
    path = _check_registry(registry, source)
    _check_not_running("nightly", shard)
    _quiet_prefect_defaults()
    _starting_prefect()
    from flows.nightly import nightly_crawl

    with _one_run(), _Bars():
        result = nightly_crawl(sources=source or None, registry=str(path), shard=shard)
    print_run(result)
    _exit_for(result)


@app.command()
def backfill(
    years: Annotated[str | None, typer.Option(help="Report years, e.g. 2021-2024")] = None,
    source: SourceIds = None,
    refetch: Annotated[bool, typer.Option(help="Re-download pages already stored")] = False,
    registry: RegistryPath = None,
) -> None:
    """Walk list pages fully (no early stop) for the given report years and sources.

    Exits 1 when some source or URL failed (each is named), 2 on bad input."""
    parsed = _parse_years(years)
    path = _check_registry(registry, source)
    _check_not_running("backfill")
    _quiet_prefect_defaults()
    _starting_prefect()
    from flows.backfill import backfill as backfill_flow

    with _one_run(), _Bars():
        result = backfill_flow(
            years=parsed, sources=source or None, refetch=refetch, registry=str(path)
        )
    print_run(result)
    _exit_for(result)


@app.command()
def reparse(
    source: SourceIds = None,
    since: Annotated[
        str | None, typer.Option(help="Only documents fetched since (ISO date)")
    ] = None,
    dask_workers: Annotated[
        int, typer.Option(help="Run extraction on a local Dask cluster of N processes")
    ] = 0,
    dask_address: Annotated[
        str | None, typer.Option(help="Run extraction on an existing Dask scheduler")
    ] = None,
) -> None:
    """Re-extract stored pages with the current extractor (no network).

    Exits 1 when some document failed (each is named), 2 on bad input."""
    from datetime import datetime

    try:
        since_dt = datetime.fromisoformat(since) if since else None
    except ValueError:
        _fail(f"--since {since!r} is not an ISO date (e.g. 2025-04-01)")
        return
    if dask_workers < 0:
        _fail("--dask-workers must be 0 (no Dask) or more")
    _check_stored_sources(source)
    _check_not_running("reparse")
    _quiet_prefect_defaults()
    _starting_prefect()
    from flows.reparse import reparse as reparse_flow
    from flows.reparse import reparse_on_dask

    with _one_run(), _Bars():
        if dask_workers or dask_address:
            result = reparse_on_dask(
                source or None, since_dt, n_workers=dask_workers or 2, address=dask_address
            )
        else:
            result = reparse_flow(sources=source or None, since=since_dt)
    print_run(result)
    _exit_for(result)


def _check_stored_sources(source: list[str] | None) -> None:
    """A reparse reads the warehouse: it must exist, and know every ``--source``."""
    from govreports.settings import get_settings
    from warehouse import Warehouse, WarehouseError

    settings = get_settings()
    try:
        with Warehouse(settings) as wh:
            known = {r[0] for r in wh.query("SELECT source_id FROM sources")[1]}
    except WarehouseError as exc:
        _fail(f"reparse: {exc}")
        return
    unknown = sorted(set(source or ()) - known)
    if unknown:
        _fail(f"unknown source id(s) {', '.join(unknown)}: the warehouse "
              f"{settings.warehouse} has none of their documents")


@app.command()
def serve() -> None:
    """Serve the four deployments from this process (Prefect `serve`): nightly at 02:30 CST,
    DuckLake maintenance on Sundays at 06:00."""
    _quiet_prefect_defaults()
    from flows.serve import serve_all

    serve_all()


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="First port of the bundled test web")] = 8701,
) -> None:
    """Start the bundled test web, run the nightly flow against it, load and query the warehouse."""
    _quiet_prefect_defaults()
    from ui.demo import run_demo

    run_demo(port)


@app.command()
def testweb(
    port: Annotated[
        int, typer.Option("--port", help="first port; sites use consecutive ports (0: any)")
    ] = 8701,
    registry_out: Annotated[
        Path | None, typer.Option("--registry-out", help="write the registry YAML here")
    ] = None,
    latency: Annotated[float, typer.Option(help="seconds added to every response")] = 0.0,
    generated_sites: Annotated[int, typer.Option(help="extra generated TRS-like sites")] = 0,
) -> None:
    """Serve the local test web (virtual government sites on 127.0.0.1) until Ctrl-C."""
    import time

    from govreports.testweb import TestWeb

    web = TestWeb(base_port=port, latency=latency, generated_sites=generated_sites)
    try:
        web.start()
    except OSError as exc:
        _fail(str(exc))
    try:
        site_of = {base: name for name, base in web.sites.items()}
        for source in web.registry():  # one line per registry entry (a site may have two)
            name = site_of[str(source["homepage"]).rstrip("/")]
            typer.echo(f"{name:8} {source['lists'][0]}")
        if registry_out is not None:
            typer.echo(f"registry: {web.write_registry(registry_out)}")
        typer.echo("serving; Ctrl-C to stop", err=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()


# --------------------------------------------------------------------------- crawler
@app.command()
def discover(
    file: Annotated[Path, typer.Argument(help="a saved list (column) page, as the server sent it")],
    url: Annotated[str, typer.Option(help="URL the page came from (links resolve against it)")],
    cms: Annotated[
        str | None,
        typer.Option(help="trs_static|trs_json|hanweb|generic|xxgk_directory (default: sniff)"),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json | table")] = "table",
) -> None:
    """Article links on a saved list page, each classed report / look-alike / other with the
    reason, plus the next-page URLs found: how to debug a new site."""
    from dataclasses import asdict

    from govreports.discover import CMS_FAMILIES, discover_file, sniff_family

    if format not in ("json", "table"):
        _fail(f"unknown --format {format!r} (json or table)")
    if cms is not None and cms not in CMS_FAMILIES:
        _fail(f"unknown --cms {cms!r} ({', '.join(CMS_FAMILIES)})")
    if not file.is_file():
        _fail(f"{file}: no such file")
    if not re.match(r"^https?://[^/\s]+", url):
        _fail(f"--url {url!r}: give the http(s) URL the page came from (links resolve against it)")
    family = cms or sniff_family(file.read_bytes(), url)
    page = discover_file(file, url, family)
    if format == "json":
        typer.echo(dumps({"cms": family, **asdict(page)}, indent=2))
        return
    from rich.table import Table

    table = Table("kind", "year", "date", "title", "url", "reason", title=f"{file} ({family})")
    for link in page.links:
        kind = f"{link.kind} (to confirm)" if link.provisional else link.kind
        table.add_row(kind, str(link.report_year or ""), link.date or "", link.title,
                      link.url, link.reason)
    console = _console()
    console.print(table)
    for nxt in page.next_pages:
        console.print(f"next page: {nxt}")
    for note in page.notes:
        console.print(f"note: {note}")
    if not page.next_pages and not page.notes:
        console.print("next page: none found")



@sources_app.command("list")
def sources_list(
    path: Annotated[
        Path | None, typer.Option("--registry", "--path", help=_REGISTRY_HELP)
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json | table")] = "table",
) -> None:
    """The source registry, with every validation error (file:line)."""
    from dataclasses import asdict

    from govreports.registry import load_registry
    from govreports.settings import get_settings

    sources, errors = load_registry(path or get_settings().sources)
    if format == "json":
        typer.echo(dumps({"sources": [asdict(s) for s in sources],
                          "errors": [str(e) for e in errors]}, indent=2))
    else:
        from rich.table import Table

        table = Table("id", "issuer", "level", "cms", "families", "lists", "verified")
        for s in sources:
            table.add_row(s.id, s.issuer, s.level, s.cms, ", ".join(s.families),
                          "\n".join(s.lists), str(s.verified))
        _console().print(table)
    for err in errors:
        typer.echo(f"error: {err}", err=True)
    if errors:
        raise typer.Exit(1)


@sources_app.command("check")
def sources_check(
    ids: Annotated[list[str] | None, typer.Argument(help="source ids (default: all)")] = None,
    path: Annotated[
        Path | None, typer.Option("--registry", "--path", help=_REGISTRY_HELP)
    ] = None,
) -> None:
    """Probe registry entries LIVE (real requests, politely): outcome, links, reports, paging."""
    from govreports.registry import load_registry
    from govreports.settings import get_settings
    from govreports.sourcecheck import check_sources

    settings = get_settings()
    sources, errors = load_registry(path or settings.sources)
    for err in errors:
        typer.echo(f"error: {err}", err=True)
    if ids:
        unknown = set(ids) - {s.id for s in sources}
        if unknown:
            _fail(f"unknown source id(s): {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.id in ids]
    failed = 0
    for check in check_sources(sources, settings):
        failed += not check.ok
        for c in check.lists:
            mark = "ok " if check.ok else "BAD"
            typer.echo(f"{mark} {check.source_id}: {c.url}: {c.outcome} {c.status or ''} "
                       f"links={c.links} reports={c.reports} lookalikes={c.lookalikes} "
                       f"next={c.next_pages} cms={c.sniffed_cms or '?'}")
            for problem in c.problems:
                typer.echo(f"    {problem}")
    if failed:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- indicators
@app.command("eval")
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="folder of gold *.yaml (seeds in ../seeds)")],
    format: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="write the scores as the new baseline")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option(help="baseline JSON (default: tests/indicators/baseline.json)")
    ] = None,
) -> None:
    """Score every development set under GOLD_DIR: mentions and indicators of full reports;
    metadata per field with invented values (metadata/, metadata_validation/); the outline;
    classification (classify/); indicator phrasings per indicator with the confusion list
    (phrasings*/). Exits 1 when a score drops below the committed baseline (unless
    --update-baseline)."""
    from govreports import evaluation
    from govreports.indicators import evaluate as ind_ev

    if format not in ("table", "json"):
        _fail(f"unknown --format {format!r} (table or json)")
    try:
        result = evaluation.run(gold_dir)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    typer.echo((evaluation.render_json if format == "json" else evaluation.render_table)(result))
    path = baseline or ind_ev.DEFAULT_BASELINE
    current = evaluation.scores(result)
    if update_baseline:
        ind_ev.write_baseline(path, current)
        typer.echo(f"baseline written: {path}", err=True)
        return
    if path.is_file():
        dropped = evaluation.regressions(current, ind_ev.load_baseline(path))
        for line in dropped:
            typer.echo(f"regression: {line}", err=True)
        if dropped:
            raise typer.Exit(1)


# --------------------------------------------------------------------------- report
@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write")] = Path(
        "report.html"
    ),
    province: Annotated[
        list[str] | None, typer.Option("--province", "-p", help="Only this province (repeat)")
    ] = None,
    years: Annotated[str | None, typer.Option(help="Report years, e.g. 2021-2024")] = None,
    indicator: Annotated[
        str | None, typer.Option(help="Indicator id to chart (default: the most widely reported)")
    ] = None,
) -> None:
    """Write one self-contained HTML page: coverage, timeliness, an indicator, 政府信息公开
    application outcomes, data quality. Exits 2 on an unknown indicator or province."""
    from govreports.settings import get_settings
    from ui.htmlreport import write_report
    from warehouse import WarehouseError

    settings = get_settings()
    parsed = _parse_years(years)
    if indicator is not None:
        from schemas import load_catalog

        ids = {i.id for i in load_catalog(settings.catalog).indicators}
        if indicator.strip() not in ids:
            close = sorted(i for i in ids if indicator.strip().lower() in i)[:5]
            _fail(f"--indicator {indicator!r} is not in the catalog"
                  + (f" (did you mean {', '.join(close)}?)" if close else
                     " (its ids are in govreports/data/indicators.yaml)"))
    for p in province or ():
        from govreports.extract.region import provinces
        from ui.htmlreport.queries import province_stem

        names = provinces()
        if province_stem(p) not in {province_stem(n) for n in names}:
            _fail(f"--province {p!r} is not a province-level unit (e.g. 四川 or 四川省)")
    try:
        path = write_report(
            settings, out, provinces=province, years=parsed, indicator=indicator
        )
    except (WarehouseError, OSError) as exc:
        _fail(f"report: {exc}")
        return
    typer.echo(str(path.resolve()))


# --------------------------------------------------------------------------- query / export
@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run on the warehouse's read snapshot")],
    format: Annotated[str, typer.Option("--format", "-f", help="table | csv | json")] = "table",
) -> None:
    """Run read-only SQL on the warehouse; works while a crawl is loading."""
    from govreports.settings import get_settings
    from warehouse import Warehouse, WarehouseError

    if format not in ("table", "csv", "json"):
        _fail(f"unknown --format {format!r} (table, csv or json)")
    try:
        with Warehouse(get_settings()) as wh:
            columns, rows = wh.query(sql)
    except WarehouseError as exc:
        _fail(str(exc), code=1)
        return
    if format == "json":
        typer.echo(dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=1))
    elif format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        from rich.table import Table

        table = Table(*columns)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        _console().print(table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="parquet | csv")] = "parquet",
    table: Annotated[
        list[str] | None, typer.Option("--table", "-t", help="Table or view (repeat; default all)")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into")] = Path("export"),
) -> None:
    """Export warehouse tables and views to Parquet or CSV files, one file per table."""
    from govreports.settings import get_settings
    from warehouse import Warehouse, WarehouseError

    try:
        with Warehouse(get_settings()) as wh:
            paths = wh.export(out, format, table)
    except (WarehouseError, OSError) as exc:
        _fail(str(exc), code=1)
        return
    for path in paths:
        typer.echo(str(path))


@app.command()
def maintain(
    keep_days: Annotated[float, typer.Option(
        "--keep-days", help="Keep snapshots (time travel) and set-aside files this many days")
    ] = 7.0,
    format: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
) -> None:
    """Compact a DuckLake warehouse (run it weekly, or after a big night): write inlined rows
    out, merge small files, rewrite files with deletions, expire old snapshots, delete
    files no snapshot needs. On a PostgreSQL catalog it runs beside a loading crawl; on a
    SQLite catalog it waits for this machine's runs (exit 3 if one holds on). A DuckDB file
    needs none."""
    from govreports.settings import get_settings
    from warehouse import RunLocked, Warehouse, WarehouseError

    if format not in ("table", "json"):
        _fail(f"unknown --format {format!r} (table or json)")
    try:
        with Warehouse(get_settings()) as wh:
            out = wh.maintain(keep_days)
    except RunLocked as exc:
        _fail(str(exc).replace("this maintain run did not start", "maintenance did not start"),
              code=3)
        return
    except WarehouseError as exc:
        _fail(str(exc), code=1)
        return
    if format == "json":
        typer.echo(dumps(out, indent=1))
        return
    if out["target"] != "ducklake":
        typer.echo(out["note"])
        return
    for step in out["steps"]:
        typer.echo(f"{step['step']}: {step['seconds']:.2f} s")
    b, a = out["before"], out["after"]
    typer.echo(f"data files {b['data_files']:,} → {a['data_files']:,} "
               f"({b['data_bytes'] / 2**20:,.1f} MB → {a['data_bytes'] / 2**20:,.1f} MB), "
               f"delete files {b['delete_files']:,} → {a['delete_files']:,}, "
               f"snapshots {b['snapshots']:,} → {a['snapshots']:,}")


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `govreports query ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
