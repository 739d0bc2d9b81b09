"""A run summary counts failures by kind, not by whatever precedes the first colon (which was
the source id for most lines)."""

from __future__ import annotations

import pytest

from govreports.errors import error_kind

LINES = [
    ("sc-x: http://a.gov.cn/col/index_1.html: stopped at the source deadline (4s): what was "
     "fetched is kept", "deadline"),
    ("sc-x: http://a.gov.cn/t1.html: timed out after 1.0s (ReadTimeout)", "timeout"),
    ("no complete response within 2s (a stalled or trickling body)", "timeout"),
    ("extraction failed: http://a.gov.cn/t1.html: no article text found", "extraction failed"),
    ("waits for its attachment http://a.gov.cn/P1.pdf (timeout): tried in 1 of 3 runs, again "
     "next run", "waiting for an attachment"),
    ("attachment unsupported: scanned PDF, no text layer", "attachment unsupported"),
    ("sc-x: http://b.example/x.html: host 'b.example' is not in the registry entry for this "
     "source", "refused"),
    ("HTTP 404", "http error"),
    ("Content-Length 30000000 > cap 20000000", "too large"),
    ("cannot connect (All connection attempts failed)", "connection"),
    ("disallowed by robots.txt", "robots.txt"),
    ("sc-x: on_source_done: ValueError('x')", "other"),
]


@pytest.mark.parametrize(("line", "kind"), LINES)
def test_each_line_gets_its_kind(line: str, kind: str) -> None:
    assert error_kind(line, "sc-x") == kind


def test_lines_of_many_sources_count_under_one_kind() -> None:
    lines = [(f"gen-{i}", f"gen-{i}: http://h{i}.gov.cn/t.html: timed out after 30s (ReadTimeout)")
             for i in range(5)]
    assert {error_kind(line, sid) for sid, line in lines} == {"timeout"}
