"""The package boundaries the README describes, read from the sources (lazy imports too).

- ``govreports/`` is the pure core: bytes or text in, records out. It imports neither the
  flows, tasks, schemas, warehouse nor the outer layer (``ui``), nor Prefect, DuckDB,
  pandas or Pandera.
- ``ui/`` (command line, demo, HTML report) composes everything; nothing else imports it.
- No import cycles between modules of the project.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("govreports", "flows", "tasks", "schemas", "warehouse", "ui")
CORE_FORBIDDEN = ("flows", "tasks", "schemas", "warehouse", "ui", "prefect", "prefect_dask",
                  "duckdb", "pandas", "pandera", "typer", "rich")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_core_imports_no_edge() -> None:
    offenders = [
        f"{_module(p)} imports {name}"
        for p in _sources("govreports")
        for name in sorted(_imports(p))
        if name.split(".")[0] in CORE_FORBIDDEN
    ]
    assert offenders == []


def test_nothing_outside_ui_imports_it() -> None:
    offenders = [
        f"{_module(p)} imports {name}"
        for pkg in PACKAGES if pkg != "ui"
        for p in _sources(pkg)
        for name in sorted(_imports(p))
        if name.split(".")[0] == "ui"
    ]
    assert offenders == []


def test_no_import_cycles_between_project_modules() -> None:
    modules = {_module(p): p for pkg in PACKAGES for p in _sources(pkg)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for imp in _imports(path):
            # "a.b.c" may name a module or an attribute of module "a.b"
            while imp and imp not in modules:
                imp = imp.rpartition(".")[0]
            if imp and imp != name and not name.startswith(imp + "."):
                deps.add(imp)
        graph[name] = deps
    # a package's __init__ re-exporting its own modules is not a cycle worth reporting
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph[n]):
            if d.startswith(n + "."):
                continue
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    assert cycles == []


def test_the_cli_and_the_demo_no_longer_import_each_other() -> None:
    cli, demo = ROOT / "ui" / "cli.py", ROOT / "ui" / "demo.py"
    assert "ui.cli" not in _imports(demo)
    assert {"ui.runprint", "ui.demo"} <= {i for i in _imports(cli)}
