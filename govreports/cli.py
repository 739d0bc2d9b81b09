"""The ``govreports`` command.

Start-up stays light: every command imports what it needs inside its own body, so
``govreports extract`` over many files never pays for Prefect or DuckDB.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Crawl government disclosure sites for 法治政府建设年度报告 and load them into DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
sources_app = typer.Typer(help="Inspect and check the source registry.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


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
    from govreports.extract import extract_file, report_to_dict

    if format not in ("json", "jsonl", "table"):
        _fail(f"unknown --format {format!r} (json, jsonl or table)")
    if url and len(files) > 1:
        _fail("--url names the page of a single FILE")
    failed = 0
    rows: list[dict[str, Any]] = []
    for path in files:
        try:
            report = extract_file(path, url=url)
            rows.append(report_to_dict(report))
        except Exception as exc:  # one bad file never stops the others
            failed += 1
            rows.append({"file": str(path), "error": f"{type(exc).__name__}: {exc}"})
            typer.echo(f"error: {path}: {exc}", err=True)
    if format == "table":
        _print_extract_table(rows)
    elif format == "json" and len(rows) == 1:
        typer.echo(dumps(rows[0], indent=2))
    else:
        for row in rows:
            typer.echo(dumps(row))
    if failed == len(files):
        raise typer.Exit(1)


def _print_extract_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("file", "title", "issuer", "year", "published", "sections", "mentions")
    for r in rows:
        if "error" in r:
            table.add_row(r["file"], f"[red]{r['error']}[/red]", "", "", "", "", "")
            continue
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
    Console().print(table)


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `govreports query ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
