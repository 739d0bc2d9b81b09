"""Printing a run's summary: shared by the command line and the demo."""

from __future__ import annotations

import sys
from typing import Any


def console(stderr: bool = False) -> Any:
    """A rich console; piped output is never wrapped at 80 columns (rows stay whole)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 100_000)


def print_run(result: dict[str, Any]) -> None:
    """A run's summary dict (flows.summary) as a table (or one line per source on a narrow
    terminal), then its totals, registry problems and failures by kind."""
    from rich.table import Table

    out = console()
    rows = result.get("per_source") or []
    if rows and out.width < 110:  # a narrow terminal: one line per source reads better
        out.print(f"{result['kind']} run {result['run_id']}")
        for row in rows:
            out.print(
                f"  {row['source']}: "
                + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in row.items() if k != "source")
            )
    elif rows:
        table = Table(title=f"{result['kind']} run {result['run_id']}")
        cols = list(result["per_source"][0].keys())
        short = {"pages_fetched": "fetched", "pages_unchanged": "304", "reports_found": "found",
                 "new_reports": "new",
                 "new_revisions": "revised", "quarantined": "quarant.", "errors": "failed"}
        for c in cols:
            table.add_column(short.get(c, c.replace("_", " ")),
                             justify="left" if c == "source" else "right")
        for row in result["per_source"]:
            table.add_row(*(str(row[c]) for c in cols))
        out.print(table)
    reports = result.get("reports_found", result.get("reports", 0))
    out.print(
        f"summary: sources {result.get('sources_visited', 0)}, pages fetched "
        f"{result.get('pages_fetched', 0)} (not modified since the last run "
        f"{result.get('pages_unchanged', 0)}); reports found {reports}: new "
        f"{result.get('new_reports', 0)}, revised {result.get('new_revisions', 0)}, unchanged "
        f"{result.get('unchanged', 0)}; rows written {result.get('written', 0)}, quarantined "
        f"{result.get('quarantined', 0)}, skipped {result.get('skipped', 0)}; failed URLs "
        f"{result.get('errors', 0)}"
    )
    for line in result.get("registry_problems", []):
        out.print(f"[yellow]registry: {line}[/yellow]")
    for reason, n in sorted(result.get("errors_by_reason", {}).items()):
        out.print(f"[yellow]errors: {reason}: {n}[/yellow]")
