"""Every gold file: metadata fields and the outline match (adding a gold file adds its test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govreports import yamlfile
from govreports.extract import EXTRACTOR_VERSION, extract_file, report_to_dict

from .conftest import GOLD, SEEDS

GOLD_FILES = sorted(GOLD.glob("*.yaml"))


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any], str]:
    gold = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    seed = SEEDS / gold["seed"]
    out = report_to_dict(extract_file(seed))
    return gold, out, seed.read_text(encoding="utf-8")


def test_there_is_gold() -> None:
    assert len(GOLD_FILES) >= 3


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_metadata_matches_gold(path: Path) -> None:
    gold, out, _ = _load(path)
    got = out["metadata"]
    compared = [k for k in gold["metadata"] if k in got]
    assert len(compared) >= 12
    mismatches = {k: (got[k], gold["metadata"][k]) for k in compared
                  if got[k] != gold["metadata"][k]}
    assert mismatches == {}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_top_level_sections_match_gold(path: Path) -> None:
    gold, out, text = _load(path)
    got = [(s["heading"], s["line"], s["role"]) for s in out["sections"]]
    want = [(s["heading"], s["line"], s["role"]) for s in gold["sections"]]
    assert got == want
    lines = text.split("\n")
    for s in out["sections"]:
        # offsets and lines index the file text itself (mentions are placed by offset)
        assert text[s["offset"] :].startswith(s["heading"])
        assert lines[s["line"] - 1].strip().startswith(s["heading"])


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_subsections_match_gold(path: Path) -> None:
    gold, out, text = _load(path)
    got = [[(c["heading"], c["line"], c["run_in"]) for c in s["subsections"]]
           for s in out["sections"]]
    want = [[(c["heading"], c["line"], c["run_in"]) for c in s["subsections"]]
            for s in gold["sections"]]
    assert got == want
    for s in out["sections"]:
        for c in s["subsections"]:
            assert text[c["offset"] :].startswith(c["heading"])


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_output_shape_and_text(path: Path) -> None:
    gold, out, text = _load(path)
    assert out["text"] == text  # .txt: the body is the file text, exactly
    assert out["extractor_version"] == EXTRACTOR_VERSION
    assert {"file", "url", "metadata", "sections", "missing_elements", "mentions", "checks",
            "attachments", "warnings", "text"} <= set(out)
    assert {"is_department", "doc_number", "index_number"} <= set(out["metadata"])
    # "other matters" is missing exactly where the gold outline has no such part
    has_other = any(sec.get("role") == "other" for sec in gold["sections"])
    assert ("other" in out["missing_elements"]) != has_other
    assert not {"achievements", "problems", "plans"} & set(out["missing_elements"])
