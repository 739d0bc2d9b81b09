"""Every copy of a report on the test web — TRS page, Hanweb page, GBK legacy page, PDF and
DOCX attachments, the xxgk platform copy, the traditional mirror with inserted pinyin — yields
the gold's metadata, the gold's quantity mentions (value, unit) and the indicators the plain
text gives. The layout and encoding of a copy must not change what a researcher gets."""

from __future__ import annotations

# ruff: noqa: E501  (report lines are kept whole)
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govreports import yamlfile
from govreports.normalize import to_simplified
from govreports.pipeline import process_document, process_file
from govreports.testweb import TestWeb

GOLD = Path(__file__).resolve().parents[1] / "gold"
SEEDS = Path(__file__).resolve().parents[2] / "govreports" / "data" / "seeds"


def _gold() -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = {}
    for f in sorted(GOLD.glob("0*.yaml")):  # the three seeds the test web serves
        g = yamlfile.safe_load(f.read_text(encoding="utf-8"))
        out[g["metadata"]["report_year"]] = g
    return out


def _key(value: float, unit: str, indicator: str | None) -> tuple[float, str, str | None]:
    return float(value), to_simplified(unit), indicator


@pytest.fixture(scope="module")
def web() -> Iterator[TestWeb]:
    with TestWeb(base_port=0) as w:
        yield w


def test_every_copy_yields_the_gold_mentions(web: TestWeb) -> None:
    gold = _gold()
    assert len(web.expected_reports) >= 7
    for issuer, year, url in web.expected_reports:
        got = httpx.get(url, timeout=10)
        report = process_document(
            got.content,
            url=url,
            content_type=got.headers.get("content-type"),
            filename=url.rsplit("/", 1)[-1],
        )
        g = gold[year]
        meta = g["metadata"]
        assert isinstance(meta, dict)
        # the seed text states no title; a page serving it shows the headline the gold
        # offers for display
        title = meta["title"] or (meta.get("display_title") if report.title else None)
        assert (report.issuer, report.report_year, report.title) == (issuer, year, title), url
        # the gold's quantities exactly; their indicators as the plain seed text gives them
        # (a copy's layout must not change them; the seed's agreement with the gold's ids is
        # tests/indicators/test_gold.py's business)
        want = Counter(_key(m["value"], m["unit"], None) for m in g["mentions"])  # type: ignore[attr-defined]
        have = Counter(_key(m.value, m.unit, None) for m in report.mentions)
        assert have == want, (url, want - have, have - want)
        plain = process_file(SEEDS / str(g["seed"]))
        want_ids = Counter(_key(m.value, m.unit, m.indicator) for m in plain.mentions)
        have_ids = Counter(_key(m.value, m.unit, m.indicator) for m in report.mentions)
        assert have_ids == want_ids, (url, want_ids - have_ids, have_ids - want_ids)
