"""Per-source crawl: walk the list pages, classify links, fetch new reports and their files.

Incremental by default: list pages are re-fetched conditionally (ETag/If-Modified-Since) and
paging stops at the first page that holds only links the warehouse already knows; ``full``
walks every page (backfill). Nothing is lost: every request is a ``FetchResult`` in
``fetches``, and every discovered link ends up fetched (``reports``), skipped with a reason
(``skipped``), already known (``known``) or failed (``run_errors``, one ``RunError`` each).
One failing source never fails the others.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from govreports import filetypes
from govreports.decode import decode_bytes
from govreports.discover import parse_list_page
from govreports.errors import RunError
from govreports.fetch import Fetcher, Sleep, is_passing
from govreports.models import KIND_OF_FAMILY, FetchResult, Link, ListPage, Source
from govreports.settings import Settings

log = logging.getLogger(__name__)

_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


class CrawlState(Protocol):
    """What the crawler needs to know from the warehouse (an in-memory one ships here)."""

    def is_known(self, url: str) -> bool: ...  # detail page (or skipped link) already stored

    def validators(self, url: str) -> tuple[str | None, str | None]: ...  # (etag, last_modified)

    # Optional: ``pending_pages(list_url) -> Sequence[str]``, the list pages where the last
    # walk of that column broke (from ``SourceCrawl.broken_walks``), so the next run resumes;
    # ``attachment_tries(page_url) -> int``, the runs that fetched a report page but not its
    # attachment (the report waits for it; see tasks.extract).


@dataclass
class ReportDocument:
    page: FetchResult
    link: Link
    attachments: list[FetchResult] = field(default_factory=list)
    # earlier runs that fetched this page but not its attachment (``attachment_tries``)
    attachment_tries: int = 0


@dataclass
class SourceCrawl:
    source: Source
    fetches: list[FetchResult] = field(default_factory=list)
    reports: list[ReportDocument] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    run_errors: list[RunError] = field(default_factory=list)  # what failed, as records
    known: list[str] = field(default_factory=list)  # links not fetched: already stored
    list_pages: list[ListPage] = field(default_factory=list)
    # (column list URL, page where its walk broke): the next run resumes there.
    broken_walks: list[tuple[str, str]] = field(default_factory=list)
    timed_out: bool = False  # stopped at the source's (or the run's) deadline

    @property
    def errors(self) -> list[tuple[str, str]]:
        """``run_errors`` as (url, reason) pairs, the rows the warehouse stores. A copy: add
        a failure to ``run_errors``."""
        return [e.pair() for e in self.run_errors]


@dataclass
class MemoryState:
    """A ``CrawlState`` in memory: what a previous run stored. ``remember`` plays the loader."""

    urls: set[str] = field(default_factory=set)
    etags: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    broken: dict[str, list[str]] = field(default_factory=dict)  # list URL -> failed pages

    def is_known(self, url: str) -> bool:
        return url in self.urls

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.etags.get(url, (None, None))

    def pending_pages(self, list_url: str) -> list[str]:
        return list(self.broken.get(list_url, ()))

    def remember(self, crawl: SourceCrawl) -> None:
        walked = {page.url for page in crawl.list_pages}
        for list_url in crawl.source.lists:  # a page read this time is no longer pending
            left = [u for u in self.broken.get(list_url, ()) if u not in walked]
            self.broken[list_url] = left
        for list_url, page_url in crawl.broken_walks:
            self.broken.setdefault(list_url, []).append(page_url)
        for doc in crawl.reports:
            self.urls.add(doc.link.url)
        for url, _ in crawl.skipped:
            self.urls.add(url)
        for f in crawl.fetches:
            if f.outcome == "ok" and (f.etag or f.last_modified):
                self.etags[f.url] = (f.etag, f.last_modified)


def attachment_urls(content: bytes, page_url: str, content_type: str | None = None) -> list[str]:
    """PDF/DOC/DOCX/WPS links on a report page, and the suffix-less download links a CMS
    family declares (their type is read from the bytes). A regex: no tree is needed."""
    if not filetypes.may_link_files(content):  # most pages link no files: skip decoding
        return []
    text = decode_bytes(content, content_type).text
    out: list[str] = []
    for href in _HREF.findall(text):
        url = urljoin(page_url, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if (
            parts.scheme in ("http", "https")
            and filetypes.is_fetched_attachment(url)
            and url not in out
        ):
            out.append(url)
    return out


class _Deadline(Exception):
    def __init__(self, which: str, seconds: float) -> None:
        self.which, self.seconds = which, seconds

    def __str__(self) -> str:
        if self.which == "run" and self.seconds <= 0:
            return ("the run's deadline passed before this source started: it is crawled "
                    "next run")
        return (f"stopped at the {self.which} deadline ({self.seconds:g}s): what was fetched "
                "is kept, the rest is read next run")


class _SourceCrawler:
    def __init__(
        self,
        source: Source,
        state: CrawlState,
        settings: Settings,
        fetcher: Fetcher,
        *,
        full: bool,
        years: set[int] | None,
        refetch: bool,
        fetch_kinds: Collection[str] | None = None,
    ) -> None:
        self.source, self.state, self.settings, self.fetcher = source, state, settings, fetcher
        self.full, self.years, self.refetch = full, years, refetch
        # what the column is crawled for: the registry entry's report families
        self.fetch_kinds = frozenset(
            fetch_kinds if fetch_kinds is not None
            else (KIND_OF_FAMILY[f] for f in source.families)
        )
        self.result = SourceCrawl(source)
        self._seen: set[str] = set()
        self._origin: dict[str, tuple[str, str]] = {}  # link → (column, list page it was on)

    async def _get(self, url: str, conditional: bool) -> FetchResult:
        etag, modified = self.state.validators(url) if conditional else (None, None)
        # attempts land in the source's fetch log as they happen: a deadline that stops the
        # source mid-fetch still leaves them recorded
        results = await self.fetcher.fetch(url, self.source, etag=etag, last_modified=modified,
                                           into=self.result.fetches)
        return results[-1]

    async def walk(self, list_url: str) -> list[Link]:
        """Walk one column: its pages in order, until an unchanged or all-known page.

        A walk that broke on a failed page last time resumes there (when the state offers
        ``pending_pages``): page 1 answering 304 must not hide the pages never read.
        """
        found: list[Link] = []
        queue, visited = [list_url], set[str]()
        pending_fn = getattr(self.state, "pending_pages", None)
        pending = list(pending_fn(list_url) if pending_fn else ())
        while queue and len(visited) < self.settings.max_list_pages:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            # A backfill or a revision check needs every page's content, not a 304; a page
            # that failed last time is fetched whole.
            conditional = not (self.full or self.refetch or url in pending)
            got = await self._get(url, conditional=conditional)
            if got.outcome == "not_modified":
                # Unchanged since the last run: its links (and older pages) are known.
                queue = self._resume(pending, visited)
                continue
            if got.outcome != "ok":
                self._fail(RunError.from_fetch(
                    self.source.id, url, got, f"{self.source.id}: {url}: {got.outcome}"))
                self.result.broken_walks.append((list_url, url))
                break
            try:
                page = parse_list_page(
                    got.content,
                    got.final_url or url,
                    cms=self.source.cms,
                    content_type=got.content_type,
                    selectors=self.source.selectors,
                    encoding=self.source.encoding,
                )
            except Exception as exc:  # a parser bug on one page must not end the run
                self._fail(RunError.from_text(
                    self.source.id, url, f"{self.source.id}: {url}: list parse failed: {exc}"))
                self.result.broken_walks.append((list_url, url))
                break
            self.result.list_pages.append(page)
            for link in page.links:
                self._origin.setdefault(link.url, (list_url, url))
            for note in page.notes:
                self._fail(RunError.from_text(self.source.id, url,
                                              f"{self.source.id}: {url}: {note}"))
            new = [link for link in page.links if not self.state.is_known(link.url)]
            found.extend(page.links)
            if not page.links and len(visited) == 1:
                self._fail(RunError(
                    self.source.id, url, "other",
                    f"{self.source.id}: {url}: no article links found (cms {self.source.cms})"))
            if page.links and not new and not (self.full or self.refetch):
                queue = self._resume(pending, visited)
                continue
            queue.extend(u for u in page.next_pages if u not in visited)
        return found

    def _fail(self, error: RunError) -> None:
        self.result.run_errors.append(error)

    @staticmethod
    def _resume(pending: list[str], visited: set[str]) -> list[str]:
        """Where an early stop goes on: the pages a broken walk never read, if any."""
        return [u for u in pending if u not in visited]

    async def report(self, link: Link) -> None:
        page = await self._get(link.url, conditional=self.refetch)
        if page.outcome == "not_modified":
            self.result.known.append(link.url)
            return
        if page.outcome == "robots":  # the site asked us not to: a reason, not an error
            self.result.skipped.append((link.url, f"robots: {page.error}"))
            return
        if page.outcome != "ok":
            self._fail(RunError.from_fetch(self.source.id, link.url, page))
            # A failed page is not stored, so not known: reading its list page whole next
            # time (not a 304) finds the link again and the report is retried.
            if link.url in self._origin:
                self.result.broken_walks.append(self._origin[link.url])
            return
        tries_fn = getattr(self.state, "attachment_tries", None)
        doc = ReportDocument(page=page, link=link,
                             attachment_tries=tries_fn(link.url) if tries_fn else 0)
        if not filetypes.is_read_file(link.url):
            for url in attachment_urls(page.content, page.final_url or link.url, page.content_type):
                got = await self._get(url, conditional=False)
                doc.attachments.append(got)
                if got.outcome != "ok":
                    self._fail(RunError.from_fetch(self.source.id, url, got))
                    # the report may wait for this file: its list page is read whole next
                    # run, so the page (not known while it waits) is found and fetched again
                    if is_passing(got) and link.url in self._origin:
                        self.result.broken_walks.append(self._origin[link.url])
        self.result.reports.append(doc)

    async def run(self) -> SourceCrawl:
        links: list[Link] = []
        for list_url in self.source.lists:
            links.extend(await self.walk(list_url))
        todo: list[Link] = []
        for link in links:
            if link.url in self._seen:
                continue
            self._seen.add(link.url)
            if self.state.is_known(link.url) and not self.refetch:
                self.result.known.append(link.url)
            elif link.kind not in self.fetch_kinds:
                note = (" (this column is not crawled for that family: add it to the"
                        " source's families)" if link.kind in ("report", "disclosure") else "")
                self.result.skipped.append((link.url, f"{link.kind}: {link.reason}{note}"))
            elif (
                link.kind in ("report", "disclosure")
                and self.years is not None
                and link.report_year not in self.years
            ):
                self.result.skipped.append(
                    (link.url, f"report year {link.report_year} not in {sorted(self.years)}")
                )
            else:
                todo.append(link)
        # The host slot keeps these polite; gathering lets attachment hosts run alongside.
        await asyncio.gather(*(self.report(link) for link in todo))
        return self.result


async def crawl_sources(
    sources: Sequence[Source],
    state: CrawlState,
    settings: Settings,
    *,
    transport: Any = None,
    full: bool = False,
    years: set[int] | None = None,
    refetch: bool = False,
    on_source_done: Callable[[SourceCrawl], None] | None = None,
    sleep: Sleep | None = None,
    fetch_kinds: Collection[str] | None = None,
) -> list[SourceCrawl]:
    """Crawl every source, many hosts in parallel; results in the order of ``sources``.

    ``transport`` is an ``httpx.AsyncBaseTransport`` (MockTransport in tests).
    ``fetch_kinds`` overrides what is fetched (default: the kinds of each source's report
    families), e.g. every link for a benchmark.
    """
    gate = asyncio.Semaphore(max(1, settings.max_hosts_parallel))
    kw: dict[str, Any] = {"transport": transport}
    if sleep is not None:
        kw["sleep"] = sleep

    run_started = time.monotonic()

    async with Fetcher(settings, **kw) as fetcher:

        async def one(source: Source) -> SourceCrawl:
            async with gate:
                crawler = _SourceCrawler(
                    source,
                    state,
                    settings,
                    fetcher,
                    full=full,
                    years=years,
                    refetch=refetch,
                    fetch_kinds=fetch_kinds,
                )
                left = settings.run_deadline - (time.monotonic() - run_started)
                budget = min(settings.source_deadline, left)
                try:
                    if budget <= 0:
                        raise _Deadline("run", settings.run_deadline)
                    try:
                        result = await asyncio.wait_for(crawler.run(), budget)
                    except TimeoutError:
                        which = "source" if budget == settings.source_deadline else "run"
                        raise _Deadline(which, budget) from None
                except _Deadline as over:
                    # what was fetched is kept and loaded; the columns are read again (not
                    # conditionally) next run, from where this one stopped
                    result = crawler.result
                    result.timed_out = True
                    result.run_errors.append(
                        RunError(source.id, source.homepage, "deadline", f"{source.id}: {over}"))
                    for list_url in source.lists:
                        result.broken_walks.append((list_url, list_url))
                except Exception as exc:  # one source's failure never fails the others
                    log.exception("crawl of %s failed", source.id)
                    result = crawler.result
                    result.run_errors.append(RunError.from_text(
                        source.id, source.homepage,
                        f"{source.id}: {source.homepage}: crawl failed: {exc!r}"))
            if on_source_done is not None:
                try:
                    on_source_done(result)
                except Exception as exc:  # e.g. a load failed: keep crawling the others
                    log.exception("on_source_done failed for %s", source.id)
                    result.run_errors.append(RunError.from_text(
                        source.id, source.homepage, f"{source.id}: on_source_done: {exc!r}"))
            return result

        return list(await asyncio.gather(*(one(s) for s in sources)))


def crawl(
    sources: Sequence[Source], state: CrawlState, settings: Settings, **kw: Any
) -> list[SourceCrawl]:
    """Synchronous wrapper around ``crawl_sources``."""
    return asyncio.run(crawl_sources(sources, state, settings, **kw))
