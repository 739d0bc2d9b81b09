"""Opt-in checks against the real government sites of the starter registry.

Skipped by default (no test may reach the internet); run on a machine with internet access:
``pytest tests/crawler/test_live.py --run-live -m live``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.registry import load_registry
from govreports.settings import Settings
from govreports.sourcecheck import check_sources

REGISTRY = Path(__file__).resolve().parents[2] / "sources"


@pytest.mark.live
def test_some_starter_sources_answer_and_list_reports() -> None:
    sources, errors = load_registry(REGISTRY)
    assert not errors
    checks = check_sources(sources[:5], Settings(min_delay=2.0, timeout=30.0))
    answered = [c for c in checks for lc in c.lists if lc.outcome == "ok" and lc.links]
    assert answered, [(c.source_id, [lc.problems for lc in c.lists]) for c in checks]
