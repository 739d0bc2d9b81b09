"""The command line as a new user meets it: bad input gets one clear line and exit 2 before
any work starts (Prefect is not even imported), failures exit 1, output to a pipe is not
wrapped, and `query` does not load the data-frame stack."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

REPO = Path(__file__).resolve().parents[2]
LIST_PAGE = REPO / "tests" / "crawler"  # any existing file will do for argument checks
NEXT_YEAR = date.today().year + 1


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVREPORTS_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("GOVREPORTS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GOVREPORTS_SOURCES", str(REPO / "sources"))
    from govreports.settings import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


BAD = [
    (["crawl", "-s", "nosuch"], "unknown source id(s) nosuch"),
    (["crawl", "--registry", "/nonexistent/sources.yaml"], "source registry not found"),
    (["backfill", "--years", "2024-2021"], "a range runs from the earlier year"),
    (["backfill", "--years", ""], "--years is empty"),
    (["backfill", "--years", "1999-2000"], "report years run from 2004"),
    (["backfill", "--years", f"2021-{NEXT_YEAR}"], "report years run from 2004"),
    (["backfill", "--years", "twenty"], "use e.g. 2021-2024"),
    (["backfill", "-s", "nosuch", "--years", "2022"], "unknown source id(s) nosuch"),
    (["report", "--indicator", "nosuch"], "is not in the catalog"),
    (["report", "--indicator", "mediation"], "did you mean"),
    (["report", "--province", "火星"], "is not a province-level unit"),
    (["report", "--years", "2030-2031"], "report years run from 2004"),
    (["reparse", "--since", "yesterday"], "is not an ISO date"),
    (["extract", "x.html", "--format", "xml"], "unknown --format"),
    (["query", "select 1", "--format", "xml"], "unknown --format"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(env: Path, args: list[str], message: str) -> None:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_discover_needs_a_real_url(env: Path, tmp_path: Path) -> None:
    page = tmp_path / "list.html"
    page.write_text("<html><a href='a.html'>x</a></html>", encoding="utf-8")
    res = CliRunner().invoke(app, ["discover", str(page), "--url", "notaurl"])
    assert res.exit_code == 2 and "give the http(s) URL" in res.output


def test_reparse_needs_a_warehouse_that_knows_the_source(env: Path) -> None:
    from govreports.settings import get_settings
    from warehouse import Warehouse

    res = CliRunner().invoke(app, ["reparse", "-s", "nosuch"])
    assert res.exit_code == 2 and "no warehouse at" in res.output
    with Warehouse(get_settings()) as wh:
        wh.migrate()
    res = CliRunner().invoke(app, ["reparse", "-s", "nosuch"])
    assert res.exit_code == 2 and "unknown source id(s) nosuch" in res.output


def test_extract_exits_1_when_any_file_failed_and_names_it(env: Path, tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("万源市2022年度法治政府建设情况报告\n2022年，我市共办理行政复议案件12件。\n",
                    encoding="utf-8")
    missing = tmp_path / "missing.html"
    res = CliRunner().invoke(app, ["extract", str(missing), str(good), "--format", "table"])
    assert res.exit_code == 1
    assert f"error: {missing}: cannot read" in res.output
    table = [ln for ln in res.output.splitlines() if "ok.txt" in ln]
    assert len(table) == 1 and "cannot read" not in table[0]  # the error is not a title


def test_sources_list_takes_the_same_registry_option_as_crawl(env: Path) -> None:
    starter = REPO / "sources" / "starter.yaml"
    a = CliRunner().invoke(app, ["sources", "list", "--registry", str(starter), "-f", "json"])
    b = CliRunner().invoke(app, ["sources", "list", "--path", str(starter), "-f", "json"])
    assert a.exit_code == b.exit_code == 0 and a.output == b.output
    assert len(json.loads(a.output)["sources"]) >= 23


def test_help_documents_the_exit_codes() -> None:
    res = CliRunner().invoke(app, ["--help"])
    assert "Exit codes: 0 done; 1 done, but some" in " ".join(res.output.split())


def _run(args: list[str], env: Path, code: str = "") -> subprocess.CompletedProcess[str]:
    import os

    prog = (
        "import sys\n"
        "from ui.cli import main\n"
        f"sys.argv = ['govreports', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
        f"{code}\n"
        "sys.exit(code)\n"
    )
    environ = {**os.environ, "GOVREPORTS_WAREHOUSE": str(env / "wh.duckdb"),
               "GOVREPORTS_DATA_DIR": str(env / "data"),
               "GOVREPORTS_SOURCES": str(REPO / "sources")}
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                          env=environ, cwd=env, timeout=120)


def test_a_bad_crawl_never_starts_prefect(env: Path) -> None:
    got = _run(["crawl", "-s", "nosuch"], env,
               "print('prefect' in sys.modules, 'flows.nightly' in sys.modules)")
    assert got.returncode == 2
    assert got.stdout.strip() == "False False"
    assert got.stderr.strip().splitlines() == [
        f"error: unknown source id(s) nosuch in {REPO / 'sources'} "
        "(`govreports sources list` shows them)"]


def test_query_does_not_load_pandas_and_piped_rows_are_not_wrapped(env: Path) -> None:
    from govreports.settings import Settings
    from warehouse import Warehouse

    with Warehouse(Settings(warehouse=env / "wh.duckdb", data_dir=env / "data")) as wh:
        wh.migrate()
    long = "x" * 300
    got = _run(["query", f"select '{long}' as a, 2 as b"], env,
               "print('PANDAS', 'pandas' in sys.modules, 'pandera' in sys.modules)")
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[-1] == "PANDAS False False"
    assert any(long in ln and ln.rstrip().endswith("│") for ln in lines)  # one row, one line
