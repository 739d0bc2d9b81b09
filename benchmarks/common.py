"""The one interface every ``benchmarks/bench_*.py`` module follows.

A benchmark module exposes::

    def run(quick: bool = False) -> list[Row]: ...

``run`` measures the module's figures, each beside a baseline measured in the same call, and
returns them as :class:`Row` objects (built with :func:`row`, which computes the ratio).
``quick`` means smaller inputs (``python -m benchmarks --quick``). The module's ``main(argv)``
keeps its own command-line options and printout, built on the same measuring functions.
``python -m benchmarks`` imports each module in a child process, checks it with
:func:`check_interface` and calls ``run(quick)``: it knows nothing else about any module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

SIGNATURE = "run(quick: bool = False) -> list[Row]"


@dataclass(frozen=True)
class Row:
    """One figure of a benchmark beside its baseline from the same run."""

    benchmark: str
    figure: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    ratio: float | None = None  # value / baseline_value
    peak_mem_mb: float | None = None  # None: the runner fills in the child's peak

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row(benchmark: str, figure: str, value: float, unit: str, baseline: str = "",
        baseline_value: float | None = None, peak_mem_mb: float | None = None) -> Row:
    """A :class:`Row` with ``ratio = value / baseline_value`` (None without a baseline)."""
    ratio = value / baseline_value if baseline_value else None
    return Row(
        benchmark=benchmark, figure=figure, value=round(value, 3), unit=unit,
        baseline=baseline,
        baseline_value=None if baseline_value is None else round(baseline_value, 3),
        ratio=None if ratio is None else round(ratio, 3),
        peak_mem_mb=None if peak_mem_mb is None else round(peak_mem_mb, 1),
    )


class InterfaceError(Exception):
    """A benchmark module does not follow :data:`SIGNATURE`."""


def check_interface(module: ModuleType) -> Callable[[bool], list[Row]]:
    """The module's ``run``, or :class:`InterfaceError` saying in one line what is wrong."""
    name = module.__name__
    fn = getattr(module, "run", None)
    if fn is None or not callable(fn):
        raise InterfaceError(f"{name} has no run(); expected {SIGNATURE}")
    try:
        sig = inspect.signature(fn, eval_str=True)
    except Exception as exc:  # an annotation that does not evaluate, a builtin, ...
        raise InterfaceError(f"{name}.run has no readable signature ({exc}); "
                             f"expected {SIGNATURE}") from None
    params = list(sig.parameters.values())
    ok = (len(params) == 1 and params[0].name == "quick" and params[0].default is False
          and params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
          and params[0].annotation is bool and sig.return_annotation == list[Row])
    if not ok:
        raise InterfaceError(f"{name}.run{_plain(sig)} does not match {SIGNATURE}")
    run: Callable[[bool], list[Row]] = fn
    return run


def _plain(sig: inspect.Signature) -> str:
    """``(quick: bool = False) -> list[Row]`` rather than the repr of evaluated classes."""
    return str(sig).replace("benchmarks.common.", "").replace("<class '", "").replace("'>", "")


def check_rows(module_name: str, rows: object) -> list[Row]:
    """``rows`` if it is a list of :class:`Row`, else :class:`InterfaceError`."""
    if not isinstance(rows, list) or not all(isinstance(r, Row) for r in rows):
        got = type(rows).__name__ if not isinstance(rows, list) else "a list of " + ", ".join(
            sorted({type(r).__name__ for r in rows}))
        raise InterfaceError(f"{module_name}.run returned {got}, not a list of "
                             f"benchmarks.common.Row")
    return rows
