"""A re-parse reads each stored page once: the read that finds its attachments is the read
the report is built from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import govreports.extract as extract_mod
from govreports.models import FetchResult
from tasks.extract import build_reparse_batch

SEED = (Path(__file__).resolve().parents[2] / "govreports" / "data" / "seeds"
        / "000_0e31c3dbbb217a42.txt")


def test_each_stored_page_is_extracted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = SEED.read_text(encoding="utf-8")
    html = "<html><head><title>{}</title></head><body><div class='content'>{}</div></body></html>"
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    page = FetchResult(url="http://www.example.gov.cn/zwgk/t20240301_1.html", source_id="x",
                       status=200, outcome="ok", content_type="text/html; charset=utf-8",
                       fetched_at=datetime(2024, 3, 1, tzinfo=UTC))
    title = "万源市人民政府关于2022年法治政府建设情况的报告"
    data = html.format(title, f"<h1>{title}</h1>{body}").encode("utf-8")
    real = extract_mod.extract_document
    calls: list[str] = []

    def counting(*args: object, **kw: object) -> object:
        calls.append(str(kw.get("url")))
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(extract_mod, "extract_document", counting)
    batch = build_reparse_batch("r", "x", [(page, data)])
    assert calls == [page.url]
    assert len(batch.reports) == 1 and batch.reports[0][1].mentions  # read whole, once
