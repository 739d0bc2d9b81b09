"""Paths for the extraction tests: the committed seeds and gold, and ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "govreports" / "data" / "seeds"
GOLD = REPO / "tests" / "gold"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL_HTML = SHARED / "real_html"


@pytest.fixture(scope="session")
def real_html() -> Path:
    if not REAL_HTML.is_dir():
        pytest.skip("../shared/real_html is not beside this checkout")
    return REAL_HTML
