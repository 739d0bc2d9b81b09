"""A report that lives in an attachment is not lost when the file fails: its cover-note page
waits (not loaded without its text) and is fetched again each night until the file arrives
— then the tables are those of a clean night — or, after GOVREPORTS_ATTACHMENT_TRIES nights,
it is loaded from the page alone with a warning saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.testweb import Faults, TestWeb

from .harness import consistency_problems, fast_settings, rows, run_pipeline, table_checksums

pytestmark = pytest.mark.slow
ATTACH = ["sc-sft-attach"]
# every attempt at every PDF/DOCX of the attachment site fails (retries included)
FILES_DOWN = Faults(error_5xx=1.0, sites=frozenset({"attach"}), path_pattern=r"\.(pdf|docx)$")


def test_a_failed_attachment_waits_then_the_night_it_arrives_matches_a_clean_night(
    web: TestWeb, registry: Path, tmp_path: Path
) -> None:
    clean = fast_settings(tmp_path / "clean")
    assert run_pipeline(registry, clean, only=ATTACH)["new_reports"] == 2
    web.set_faults(FILES_DOWN)
    settings = fast_settings(tmp_path / "faulty")
    try:
        night1 = run_pipeline(registry, settings, only=ATTACH)
    finally:
        web.set_faults(None)
    assert night1["new_reports"] == 0  # nothing loaded from a cover note
    waits = [r for _, r in night1["errors"] if r.startswith("waits for its attachment")]
    assert len(waits) == 2 and all("tried in 1 of 3 runs" in r for r in waits), waits
    assert rows(settings, "select count(*), max(tries) from pending_attachments") == [(2, 1)]
    assert consistency_problems(settings) == []

    night2 = run_pipeline(registry, settings, only=ATTACH)  # the files answer again
    assert night2["new_reports"] == 2 and night2["errors"] == []
    assert rows(settings, "select count(*) from pending_attachments") == [(0,)]
    assert table_checksums(settings) == table_checksums(clean)


def test_an_attachment_that_never_arrives_is_given_up_with_a_warning(
    web: TestWeb, registry: Path, tmp_path: Path
) -> None:
    settings = fast_settings(tmp_path, max_retries=0)
    web.set_faults(FILES_DOWN)
    try:
        nights = [run_pipeline(registry, settings, only=ATTACH) for _ in range(3)]
        again = run_pipeline(registry, settings, only=ATTACH)
    finally:
        web.set_faults(None)
    assert [n["new_reports"] for n in nights] == [0, 0, 2]
    assert rows(settings, "select count(*) from pending_attachments") == [(0,)]
    warned = rows(settings, "select warnings from reports")
    assert len(warned) == 2
    assert all("could not be fetched in 3 runs" in str(w) for (w,) in warned)
    # given up means known: the next night does not fetch the page again
    assert again["new_reports"] == 0 and not any(
        "waits for its attachment" in r for _, r in again["errors"])
