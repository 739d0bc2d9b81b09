"""`govreports demo`: the whole pipeline against the bundled test web, then a first query."""

from __future__ import annotations

import os
import sys

FIRST_QUERY = (
    "select issuer, report_year, publish_date, title from reports_current "
    "where family = 'rule_of_law' order by report_year, issuer"
)
# the second family: how each 政府信息公开工作年度报告's applications were decided
DISCLOSURE_QUERY = (
    "select issuer, report_year as year, received, disclosed, partly_disclosed as partly, "
    "withheld, total from disclosure_applications where requester = '总计' "
    "order by issuer, report_year"
)


def run_demo(port: int = 8701) -> None:
    from rich.console import Console

    # The test web is ours: a short politeness delay keeps the demo quick. A user's own
    # setting still wins.
    os.environ.setdefault("GOVREPORTS_MIN_DELAY", "0.05")
    from govreports.settings import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    console = Console()

    from govreports.testweb import TestWeb

    web = TestWeb(base_port=port)
    try:
        web.start()
    except OSError as exc:
        console.print(
            f"[red]error: cannot start the test web on 127.0.0.1:{port}+ ({exc}); "
            "free the ports or pass --port[/red]"
        )
        sys.exit(1)
    try:
        registry = web.write_registry(settings.data_dir / "demo" / "sources.yaml")
        console.print(f"test web: {len(web.sites)} sites on 127.0.0.1 (registry {registry})")
        from flows.nightly import nightly_crawl
        from ui.runprint import print_run

        result = nightly_crawl(registry=str(registry))
        print_run(result)
    finally:
        web.stop()

    from warehouse import Warehouse

    console.print(f"\nwarehouse: {settings.warehouse}")
    from rich.table import Table

    with Warehouse(settings) as wh:
        for label, sql in (("first query", FIRST_QUERY), ("the second family", DISCLOSURE_QUERY)):
            cols, rows = wh.query(sql)
            console.print(f'{label}:  govreports query "{sql}"')
            table = Table()
            for c in cols:
                table.add_column(c, overflow="fold")
            for row in rows:
                table.add_row(*("" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
                                for v in row))
            console.print(table)

    from ui.htmlreport import write_report

    report = write_report(settings, settings.data_dir / "report.html").resolve()
    console.print(f"\nreport: {report}  (open it in a browser; no network needed)")
