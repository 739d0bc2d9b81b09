"""One test per test-web fault mode, through the whole pipeline (crawl → extract → load).

For each mode: the run finishes; every request the server broke belongs to a URL with a
recorded outcome in the warehouse's fetch log; every report that can be recovered in the run
(retryable faults, odd headers) is loaded in that run; reports behind faults that must not
be retried (size caps, redirect loops) are recorded as errors and loaded by the next
fault-free run; and the tables then equal a fault-free run's exactly — nothing duplicated.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from govreports.testweb import MODES, Faults, TestWeb

from .conftest import SOURCES
from .harness import consistency_problems, fast_settings, rows, run_pipeline, table_checksums

# Faults that a retrying crawler gets past within the run (they hit the first attempt only).
RETRIED = {"error_5xx", "rate_limit_429", "unavailable_503", "timeout", "reset", "truncate",
           "tarpit"}
# Served whole but odd: the page must be read right on the first attempt.
ODD = {"slow_body", "wrong_content_type", "lying_charset"}
# Refused by design (caps, loops): recorded, never retried in the run.
REFUSED = {"redirect_loop": "too_many_redirects", "huge_page": "too_large",
           "gzip_bomb": "too_large"}
# Each mode hits a share of requests; waiting modes (timeouts, Retry-After) hit fewer.
RATE = {"timeout": 0.2, "rate_limit_429": 0.2, "unavailable_503": 0.2, "tarpit": 0.2}

pytestmark = pytest.mark.slow


def _key(url: str) -> tuple[int | None, str]:
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    return parts.port, f"{path}?{parts.query}" if parts.query else path


def test_every_mode_is_covered() -> None:
    assert RETRIED | ODD | set(REFUSED) == set(MODES)


@pytest.mark.parametrize("mode", MODES)
def test_fault_mode(
    mode: str, web: TestWeb, registry: Path, reference: dict[str, tuple[int, str]],
    tmp_path: Path,
) -> None:
    settings = fast_settings(tmp_path)
    web.set_faults(Faults.only(mode, RATE.get(mode, 0.4), first_n=1, seed=11,
                               slow_seconds=0.3, huge_bytes=5_000_000, bomb_bytes=40_000_000))
    web.clear_log()
    try:
        result = run_pipeline(registry, settings, only=SOURCES)
    finally:
        web.set_faults(None)
    hit = [r for r in web.request_log if r.fault == mode]
    assert hit, f"{mode}: the test web injected nothing; the test proves nothing"

    # Every broken request belongs to a URL whose final outcome the warehouse recorded.
    log = rows(settings, "select url, attempt, outcome, error from fetch_log where run_id = ?"
                         " order by fetched_at", [result["run_id"]])
    outcomes: dict[tuple[int | None, str], list[tuple[int, str, str | None]]] = {}
    for url, attempt, outcome, error in log:
        outcomes.setdefault(_key(url), []).append((attempt, outcome, error))
    for r in hit:
        assert (r.port, r.path) in outcomes, f"{mode}: {r.path} has no fetch_log row"
        final = outcomes[(r.port, r.path)][-1][1]
        if mode in REFUSED:
            assert final == REFUSED[mode], (r.path, outcomes[(r.port, r.path)])
        else:
            assert final == "ok", (r.path, outcomes[(r.port, r.path)])
        if mode in RETRIED:  # the failed attempt itself is in the log too, with its reason
            first = outcomes[(r.port, r.path)][0]
            assert first[1] != "ok" and first[2], (r.path, first)

    if mode in REFUSED:
        # Each refused URL is an error line of the run naming it; the rest was loaded.
        assert result["errors"], f"{mode}: refused URLs were not reported"
        named = {_key(u) for u, _ in result["errors"]}
        page_hits = {(r.port, r.path) for r in hit}
        assert page_hits & named, (page_hits, named)
        assert all(reason for _, reason in result["errors"])
        assert consistency_problems(settings) == []
        # The next fault-free nightly run resumes the walks that broke on a refused page
        # (the warehouse remembers them) and loads what lay behind it.
        run_pipeline(registry, settings, only=SOURCES)
    else:
        assert result["errors"] == [], result["errors"]
        assert result["new_reports"] == 4  # three 法治 reports and 隆昌's disclosure report
    assert consistency_problems(settings) == []
    assert table_checksums(settings) == reference


def test_a_walk_broken_by_a_failed_list_page_resumes_on_the_next_night(
    web: TestWeb, registry: Path, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path)
    only = ["sc-wanyuan-trs"]
    # Page 2 of the TRS column loops once; the 万源 report sits behind it.
    web.set_faults(Faults.only("redirect_loop", sites={"trs"}, path_pattern=r"index_1\.html$",
                               first_n=1))
    try:
        first = run_pipeline(registry, settings, only=only)
    finally:
        web.set_faults(None)
    assert first["errors"] and first["new_reports"] == 0
    second = run_pipeline(registry, settings, only=only)
    assert second["new_reports"] == 1, second["errors"]
