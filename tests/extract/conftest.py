"""Paths for the extraction tests: the committed seeds and gold, and ../shared when present."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "govreports" / "data" / "seeds"
GOLD = REPO / "tests" / "gold"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL_HTML = SHARED / "real_html"
