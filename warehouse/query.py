"""The read path: what the crawler and analysts ask of the warehouse (never blocks a load)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb  # noqa: TID251 (the warehouse package is where duckdb lives)

from govreports.models import FetchResult


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = con.execute(sql, list(params) if params else None)
    if cur.description is None:
        return [], []
    return [d[0] for d in cur.description], cur.fetchall()


def is_known(con: duckdb.DuckDBPyConnection, url: str) -> bool:
    """A URL is known once it is stored as a document, tied to a report, or was classified
    and skipped (a look-alike). URLs that only failed are not known: they are retried; nor
    is a report page waiting for its attachment (fetched again until the file arrives)."""
    got = con.execute(
        """
        SELECT (EXISTS (SELECT 1 FROM documents WHERE url = $1)
                OR EXISTS (SELECT 1 FROM report_documents WHERE url = $1)
                OR EXISTS (SELECT 1 FROM skips WHERE url = $1 AND kind = 'skipped'))
           AND NOT EXISTS (SELECT 1 FROM pending_attachments WHERE page_url = $1)
        """,
        [url],
    ).fetchone()
    return bool(got and got[0])


class CrawlIndex:
    """What the crawler asks, for every URL at once (a few queries instead of one per link).

    The DuckLake target reads it in bulk: on a PostgreSQL catalog each small query is a round
    trip to the catalog, and the crawler asks for every link it sees."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        waiting = {r[0]: int(r[1] or 0) for r in con.execute(
            "SELECT page_url, max(tries) FROM pending_attachments GROUP BY page_url").fetchall()}
        known = {r[0] for r in con.execute(
            """SELECT url FROM documents UNION SELECT url FROM report_documents
               UNION SELECT url FROM skips WHERE kind = 'skipped'""").fetchall()}
        self.known = known - waiting.keys()
        self.tries = waiting
        self.etags: dict[str, tuple[str | None, str | None]] = {
            r[0]: (r[1], r[2]) for r in con.execute(
                """SELECT url, arg_max(etag, (fetched_at, loaded_at)),
                          arg_max(last_modified, (fetched_at, loaded_at))
                   FROM fetch_log
                   WHERE outcome IN ('ok', 'not_modified')
                     AND (etag IS NOT NULL OR last_modified IS NOT NULL)
                   GROUP BY url""").fetchall()}
        self.pending: dict[str, list[str]] = {}
        for list_url, page_url in con.execute(
                "SELECT list_url, page_url FROM pending_list_pages ORDER BY loaded_at"
        ).fetchall():
            self.pending.setdefault(list_url, []).append(page_url)


def attachment_tries(con: duckdb.DuckDBPyConnection, url: str) -> int:
    """Runs that fetched the report page ``url`` but not its attachment."""
    got = con.execute("SELECT max(tries) FROM pending_attachments WHERE page_url = ?",
                      [url]).fetchone()
    return int(got[0]) if got and got[0] is not None else 0


def validators(con: duckdb.DuckDBPyConnection, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of the latest successful fetch, for a conditional request."""
    got = con.execute(
        """
        SELECT etag, last_modified FROM fetch_log
        WHERE url = ? AND outcome IN ('ok', 'not_modified')
          AND (etag IS NOT NULL OR last_modified IS NOT NULL)
        ORDER BY fetched_at DESC NULLS LAST, loaded_at DESC LIMIT 1
        """,
        [url],
    ).fetchone()
    return (got[0], got[1]) if got else (None, None)


def latest_documents(
    con: duckdb.DuckDBPyConnection,
    source_ids: Sequence[str] | None,
    since: datetime | None,
) -> Iterator[FetchResult]:
    """The latest stored document per URL, as FetchResults without content (bytes come from
    the raw store)."""
    sql = """
        SELECT url, source_id, status, content_type, final_url, etag, last_modified,
               fetched_at, sha256
        FROM documents
        WHERE ($1::VARCHAR[] IS NULL OR list_contains($1::VARCHAR[], source_id))
          AND ($2::TIMESTAMP IS NULL OR fetched_at >= $2::TIMESTAMP)
        QUALIFY row_number() OVER (
            PARTITION BY url ORDER BY fetched_at DESC NULLS LAST, loaded_at DESC, sha256) = 1
        ORDER BY url
    """
    # fetched_at is stored as naive UTC
    since_naive = since.astimezone(UTC).replace(tzinfo=None) if since and since.tzinfo else since
    cur = con.execute(sql, [list(source_ids) if source_ids is not None else None, since_naive])
    while batch := cur.fetchmany(500):
        for url, sid, status, ctype, final, etag, lm, fetched, sha in batch:
            yield FetchResult(
                url=url, source_id=sid, status=status, outcome="ok", content_type=ctype,
                final_url=final, etag=etag, last_modified=lm, fetched_at=fetched, sha256=sha,
            )  # fmt: skip
