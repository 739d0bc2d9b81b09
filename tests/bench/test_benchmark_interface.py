"""The benchmarks share one interface, and the runner knows nothing else about them.

Nothing here runs a real benchmark: the modules are imported and inspected, and the runner
is driven end to end over tiny fake benchmark modules in a temporary package.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH_NAMES = sorted(p.stem for p in (REPO / "benchmarks").glob("bench_*.py"))


@pytest.fixture
def importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``benchmarks`` is not an installed package: import it from the checkout."""
    monkeypatch.syspath_prepend(str(REPO))


def _runner() -> ModuleType:
    return importlib.import_module("benchmarks.__main__")


def test_there_are_benchmarks() -> None:
    assert len(BENCH_NAMES) >= 7, BENCH_NAMES


@pytest.mark.parametrize("name", BENCH_NAMES)
@pytest.mark.usefixtures("importable")
def test_every_benchmark_exposes_the_common_run(name: str) -> None:
    from benchmarks.common import Row, check_interface

    module = importlib.import_module(f"benchmarks.{name}")
    sig = inspect.signature(module.run, eval_str=True)
    assert list(sig.parameters) == ["quick"], sig
    quick = sig.parameters["quick"]
    assert quick.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert quick.default is False
    assert quick.annotation is bool
    assert sig.return_annotation == list[Row]
    assert check_interface(module) is module.run
    # the command line too is the same shape everywhere: main(argv) -> exit code
    main = inspect.signature(module.main, eval_str=True)
    assert list(main.parameters) == ["argv"] and main.parameters["argv"].default is None
    assert main.return_annotation is int


@pytest.mark.usefixtures("importable")
def test_runner_has_no_per_module_code() -> None:
    source = (REPO / "benchmarks" / "__main__.py").read_text(encoding="utf-8")
    for name in BENCH_NAMES:
        assert name not in source, f"benchmarks/__main__.py names {name}"
    assert "ADAPTERS" not in source
    assert _runner().discover() == BENCH_NAMES


@pytest.mark.usefixtures("importable")
def test_row_computes_the_ratio() -> None:
    from benchmarks.common import row

    r = row("x", "fig", 3.0, "s", "base", 2.0)
    assert (r.value, r.baseline_value, r.ratio, r.peak_mem_mb) == (3.0, 2.0, 1.5, None)
    assert row("x", "fig", 3.0, "s").ratio is None
    assert row("x", "fig", 3.0, "s", "zero", 0.0).ratio is None


FAKES = {
    "__init__": "",
    "bench_tiny": """
        from benchmarks.common import Row, row

        def run(quick: bool = False) -> list[Row]:
            print("chatter that is not a row")
            n = 2 if quick else 20
            return [row("tiny", f"sum of {n}", float(sum(range(n))), "units", "n", float(n)),
                    row("tiny", "own peak", 1.0, "s", peak_mem_mb=12.0)]

        def main(argv: list[str] | None = None) -> int:
            return 0
    """,
    "bench_old": """
        def run(repeat: int) -> dict[str, float]:
            return {"ms": 1.0}
    """,
    "bench_dicts": """
        from benchmarks.common import Row

        def run(quick: bool = False) -> list[Row]:
            return [{"benchmark": "dicts", "figure": "f"}]  # type: ignore[list-item]
    """,
    "bench_norun": """
        def main() -> None:
            print("1 report, 2.0 ms")
    """,
    "bench_crash": """
        from benchmarks.common import Row

        def run(quick: bool = False) -> list[Row]:
            raise RuntimeError("the test web did not start")
    """,
}


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, importable: None) -> ModuleType:
    """A package ``fakebench`` of benchmark modules, importable by the children too; the
    runner pointed at it."""
    pkg = tmp_path / "fakebench"
    pkg.mkdir()
    for stem, text in FAKES.items():
        (pkg / f"{stem}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    monkeypatch.setenv("PYTHONPATH", path)  # the children
    monkeypatch.syspath_prepend(str(tmp_path))  # this process (the in-process worker test)
    for name in [m for m in sys.modules if m.split(".")[0] == "fakebench"]:
        monkeypatch.delitem(sys.modules, name)  # another test's copy of the package
    runner = _runner()
    monkeypatch.setattr(runner, "HERE", pkg)
    monkeypatch.setattr(runner, "PACKAGE", "fakebench")
    return runner


def test_runner_runs_any_module_that_follows_the_interface(fakes: ModuleType) -> None:
    child = fakes.run_child("fakebench.bench_tiny", True)
    assert child.returncode == 0 and child.error is None, child.output
    assert [r.figure for r in child.rows] == ["sum of 2", "own peak"]
    first, second = child.rows
    assert (first.value, first.baseline_value, first.ratio) == (1.0, 2.0, 0.5)
    assert first.peak_mem_mb == child.peak_mb > 0  # filled in from the child's rusage
    assert second.peak_mem_mb == 12.0  # a module's own peak is kept
    assert "chatter" in child.output
    assert fakes.run_child("fakebench.bench_tiny", False).rows[0].figure == "sum of 20"


@pytest.mark.parametrize(("stem", "says"), [
    ("bench_old", "fakebench.bench_old.run(repeat: int) -> dict[str, float] does not match "
                  "run(quick: bool = False) -> list[Row]"),
    ("bench_dicts", "fakebench.bench_dicts.run returned a list of dict"),
    ("bench_norun", "fakebench.bench_norun has no run()"),
])
def test_a_module_off_the_interface_is_one_line_naming_it(
        fakes: ModuleType, stem: str, says: str) -> None:
    child = fakes.run_child(f"fakebench.{stem}", True)
    assert child.rows == []
    assert child.returncode == fakes.INTERFACE_EXIT
    assert "\n" not in child.error
    assert child.error.startswith(f"error: fakebench.{stem}")
    assert says in child.error


def test_main_over_fake_modules(fakes: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert fakes.main(["--quick", "--only", "tiny", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["benchmark"] for r in rows] == ["tiny", "tiny"]
    assert set(rows[0]) == {"benchmark", "figure", "value", "unit", "baseline",
                            "baseline_value", "ratio", "peak_mem_mb"}

    assert fakes.main(["--quick", "--only", "tiny,old,crash"]) == 1
    out = capsys.readouterr().out
    assert "sum of 2" in out and "ratio = value / baseline" in out
    assert "error: fakebench.bench_old.run(repeat: int)" in out
    assert "RuntimeError" not in out  # a crash's traceback goes to the terminal (stderr)...
    assert "error: fakebench.bench_crash exited with 1" in out  # ... its exit code here

    assert fakes.main(["--only", "nosuch"]) == 2
    assert "no benchmark bench_nosuch" in capsys.readouterr().err


def test_worker_in_process(fakes: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert fakes.worker("fakebench.bench_tiny", True) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith(fakes.MARK)
    assert json.loads(last[len(fakes.MARK):])[0]["figure"] == "sum of 2"
    sys.modules.pop("fakebench.bench_tiny")
    sys.modules.pop("fakebench")
