"""A run's summary as typed records: one row per source, counted in one place, and the dict
the flows return (the CLI prints it, the warehouse keeps it with the run, Prefect shows it).

``as_dict`` yields the keys the flows have always returned; the totals are every count of
the rows, summed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from govreports.crawl import SourceCrawl
from govreports.errors import RunError
from govreports.models import Batch
from warehouse import LoadSummary


@dataclass
class SourceRow:
    """One source's line of a nightly or backfill run."""

    source: str
    pages_fetched: int = 0
    # conditional requests answered "not modified": a list page with nothing new
    pages_unchanged: int = 0
    requests: int = 0
    reports_found: int = 0
    new_reports: int = 0
    new_revisions: int = 0
    unchanged: int = 0
    copies: int = 0
    loaded: int = 0
    written: int = 0
    quarantined: int = 0
    skipped: int = 0
    errors: int = 0

    @classmethod
    def of(cls, crawled: SourceCrawl, load: LoadSummary, errors: int) -> SourceRow:
        # report links already stored are found too: not fetched again, so unchanged
        kinds = {lk.url: lk.kind for page in crawled.list_pages for lk in page.links}
        known = sum(1 for u in crawled.known if kinds.get(u) in ("report", "disclosure"))
        row = cls(
            source=crawled.source.id,
            pages_fetched=sum(1 for f in crawled.fetches if f.outcome == "ok"),
            pages_unchanged=sum(1 for f in crawled.fetches if f.outcome == "not_modified"),
            requests=len(crawled.fetches),
            reports_found=len(crawled.reports) + known,
            new_reports=load.new_reports,
            unchanged=known,
        )
        _add_load(row, load, errors)
        return row


@dataclass
class ReparseRow:
    """One source's line of a re-parse (the sum of its chunks)."""

    source: str | None
    documents: int = 0
    reports: int = 0
    new_revisions: int = 0
    unchanged: int = 0
    copies: int = 0
    loaded: int = 0
    written: int = 0
    quarantined: int = 0
    skipped: int = 0
    errors: int = 0

    def add(self, documents: int, batch: Batch, load: LoadSummary) -> None:
        """One chunk of ``documents`` stored documents, re-parsed into ``batch`` and loaded."""
        self.documents += documents
        self.reports += len(batch.reports)
        _add_load(self, load, len(batch.errors))


def _add_load(row: SourceRow | ReparseRow, load: LoadSummary, errors: int) -> None:
    """What one load (and its ``errors`` failed URLs) adds to a source's row."""
    row.new_revisions += load.new_revisions
    row.unchanged += load.unchanged_reports
    row.copies += load.copies
    row.loaded += load.loaded
    row.written += load.written
    row.quarantined += load.quarantined
    row.skipped += load.skipped
    row.errors += errors


def _totals(
    row_type: type[SourceRow] | type[ReparseRow], rows: Sequence[SourceRow | ReparseRow]
) -> dict[str, int]:
    """Each count of the rows summed over them, in the rows' order of keys."""
    return {
        f.name: sum(getattr(row, f.name) for row in rows)
        for f in fields(row_type)
        if f.name != "source"
    }


@dataclass
class RunResult:
    """A nightly or backfill run: its sources' rows and everything that failed, the
    registry's rejected entries included, counted by kind in ``errors_by_reason``."""

    run_id: str
    kind: str
    shard: str | None = None
    registry_problems: list[str] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)
    failures: list[RunError] = field(default_factory=list)

    def reject_entries(self, registry: str, lines: Sequence[str]) -> None:
        """Registry entries left out of the run, one line each."""
        self.registry_problems.extend(lines)
        self.failures.extend(
            RunError("", registry, "registry entry rejected", line) for line in lines
        )

    def add_source(
        self, crawled: SourceCrawl, load: LoadSummary, errors: Sequence[RunError]
    ) -> SourceRow:
        """One source crawled, extracted and loaded; ``errors``: what failed on the way."""
        row = SourceRow.of(crawled, load, len(errors))
        self.rows.append(row)
        self.failures.extend(errors)
        return row

    def errors_by_kind(self) -> dict[str, int]:
        return dict(Counter(e.kind for e in self.failures))

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "shard": self.shard,
            "sources_visited": len(self.rows),
            "registry_problems": self.registry_problems,
            "per_source": [asdict(row) for row in self.rows],
            "errors_by_reason": self.errors_by_kind(),
            **_totals(SourceRow, self.rows),
        }


@dataclass
class ReparseResult:
    """A re-parse run: one row per source, each the sum of that source's chunks."""

    run_id: str
    rows: dict[str | None, ReparseRow] = field(default_factory=dict)

    def row(self, source_id: str | None) -> ReparseRow:
        return self.rows.setdefault(source_id, ReparseRow(source_id))

    def as_dict(self) -> dict[str, Any]:
        rows = list(self.rows.values())
        return {
            "run_id": self.run_id,
            "kind": "reparse",
            "sources_visited": len(rows),
            "per_source": [asdict(row) for row in rows],
            "pages_fetched": 0,  # a re-parse fetches nothing and finds no new report
            "new_reports": 0,
            **_totals(ReparseRow, rows),
        }
