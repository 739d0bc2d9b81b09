"""``govreports sources check``: probe registry entries live and say what a crawl would see.

Opt-in (it sends real requests, politely, through the same ``Fetcher`` a crawl uses) and
never run by the tests against the internet; they pass a MockTransport. For each list URL it
reports the HTTP outcome, whether robots.txt allows it, how many article links and reports
were found, the paging found, and whether the page looks like the declared CMS family, so an
unverified starter entry can be promoted to ``verified: true`` (or fixed) with evidence.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from govreports.discover import parse_list_page, sniff_family
from govreports.fetch import Fetcher
from govreports.models import Source
from govreports.settings import Settings


@dataclass
class ListCheck:
    url: str
    outcome: str
    status: int | None = None
    links: int = 0
    reports: int = 0
    lookalikes: int = 0
    next_pages: int = 0
    sniffed_cms: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class SourceCheck:
    source_id: str
    declared_cms: str
    lists: list[ListCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.lists) and all(c.outcome == "ok" and c.links for c in self.lists)


def summarize(
    source: Source,
    url: str,
    outcome: str,
    status: int | None,
    content: bytes,
    content_type: str | None,
    error: str | None,
) -> ListCheck:
    """What one fetched list page tells us about a registry entry (pure)."""
    check = ListCheck(url=url, outcome=outcome, status=status)
    if outcome != "ok":
        check.problems.append(error or outcome)
        return check
    page = parse_list_page(
        content,
        url,
        cms=source.cms,
        content_type=content_type,
        selectors=source.selectors,
        encoding=source.encoding,
    )
    check.links = len(page.links)
    check.reports = sum(1 for link in page.links if link.kind == "report")
    check.lookalikes = sum(1 for link in page.links if link.kind == "lookalike")
    check.next_pages = len(page.next_pages)
    check.sniffed_cms = sniff_family(content, url, content_type)
    check.problems.extend(page.notes)
    if not page.links:
        check.problems.append("no article links: wrong list URL, JS-rendered list or selectors")
    if check.sniffed_cms not in (source.cms, "generic"):
        check.problems.append(f"page looks like {check.sniffed_cms}, registry says {source.cms}")
    return check


async def check_sources_async(
    sources: Sequence[Source], settings: Settings, *, transport: Any = None
) -> list[SourceCheck]:
    async with Fetcher(settings, transport=transport) as fetcher:

        async def one(source: Source) -> SourceCheck:
            out = SourceCheck(source.id, source.cms)
            for url in source.lists:
                last = (await fetcher.fetch(url, source))[-1]
                out.lists.append(
                    summarize(
                        source,
                        url,
                        last.outcome,
                        last.status,
                        last.content,
                        last.content_type,
                        last.error,
                    )
                )
            return out

        return list(await asyncio.gather(*(one(s) for s in sources)))


def check_sources(
    sources: Sequence[Source], settings: Settings, *, transport: Any = None
) -> list[SourceCheck]:
    return asyncio.run(check_sources_async(sources, settings, transport=transport))
