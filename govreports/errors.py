"""What went wrong in a run, as a record: which source, which URL, what kind, and the text.

A failure is recorded where it happens, as a ``RunError`` whose ``kind`` the code there knows
(a fetch's outcome, "extraction failed", "load failed" …), so a run summary counts failures
by kind. Where only free text is at hand (a fetcher message quoting an exception, a parser's
note), ``error_kind`` reads the kind from the text. Counting by the text before the first
colon, as the summary once did, counted most lines under their source id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from govreports.models import FetchResult, Outcome

ErrorKind = Literal[
    # what the pipeline did
    "waiting for an attachment",
    "extraction failed",
    "attachment unsupported",
    # what the network did
    "deadline",
    "timeout",
    "refused",
    "robots.txt",
    "too large",
    "redirects",
    "connection",
    "http error",
    "request budget",
    "registry",
    # what the run did around the crawl
    "registry entry rejected",
    "load failed",
    "other",
]
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)

# first match wins: (kind, pattern on the line with its source and URL prefixes removed)
_PATTERNS: tuple[tuple[ErrorKind, str], ...] = (
    # what the pipeline did (these lines may quote a fetch outcome: read them first)
    ("waiting for an attachment", r"^waits for its attachment"),
    ("extraction failed", r"^extraction failed|extractor failed"),
    ("attachment unsupported", r"^attachment (?:unsupported|not fetched)"),
    # what the network did
    ("deadline", r"stopped at the (?:source|run) deadline"),
    ("timeout", r"no complete response within|timed out|\btimeout\b"),
    ("refused", r"\brefused|not in the registry entry|private|not http\(s\)"),
    ("robots.txt", r"robots\.txt|\brobots\b"),
    ("too large", r"too large|\btoo_large\b|exceeds cap|> cap"),
    ("redirects", r"redirect"),
    ("connection", r"cannot connect|connection reset|\breset\b|connect_error|dns"),
    ("http error", r"\bHTTP \d{3}\b|http_error"),
    ("request budget", r"\bbudget\b"),
    ("registry", r"^registry|unknown source id"),
)
_KINDS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS)
_URL_PREFIX = re.compile(r"^(?:https?://\S+?|/\S*):\s+")

# The kind of a failed fetch, for the outcomes whose message is fixed text (govreports/fetch.py:
# "HTTP 404", "timed out after …", "Content-Length … > cap …" …). The others quote free text (an
# exception, robots.txt's own failure, a budget spent while asking robots.txt), which
# ``error_kind`` reads as it always did: "cannot connect (… Connection refused)" is "refused",
# "robots.txt unavailable (too_many_redirects) …" is "robots.txt".
_OUTCOME_KINDS: dict[Outcome, ErrorKind] = {
    "http_error": "http error",
    "timeout": "timeout",
    "too_large": "too large",
    "refused_host": "refused",
    "refused_private": "refused",
    "refused_scheme": "refused",
}


def error_kind(line: str, source_id: str | None = None) -> ErrorKind:
    """A short, fixed kind for one line of free text: ``timeout``, ``deadline``, ``refused`` …,
    or ``other`` when the line says nothing the table above knows."""
    text = line.strip()
    if source_id and text.startswith(f"{source_id}: "):
        text = text[len(source_id) + 2:]
    text = _URL_PREFIX.sub("", text)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"


@dataclass(frozen=True)
class RunError:
    """One failure of a run: ``source`` (a source id; "" for the registry), the ``url`` it
    concerns, its ``kind`` and ``detail``, the text stored as the warehouse row's reason (it
    may quote a fetcher's own "<source>: <url>: <what>" message)."""

    source: str
    url: str
    kind: ErrorKind
    detail: str

    @classmethod
    def from_text(cls, source: str, url: str, detail: str) -> RunError:
        """A failure known only by its text (an exception's, a parser's note): its kind is
        read from the text."""
        return cls(source, url, error_kind(detail, source), detail)

    @classmethod
    def from_fetch(cls, source: str, url: str, result: FetchResult,
                   fallback: str | None = None) -> RunError:
        """A failed fetch of ``url``: its kind from the outcome where the outcome says it all,
        else from the fetcher's message. ``fallback``: the text when the fetch has no message
        (the outcome alone by default)."""
        detail = result.error or fallback or result.outcome
        kind = _OUTCOME_KINDS.get(result.outcome)
        return cls(source, url, kind, detail) if kind else cls.from_text(source, url, detail)

    def line(self) -> str:
        """The line a run logs: "<source>: <url>: <detail>"."""
        return f"{self.source}: {self.url}: {self.detail}"

    def pair(self) -> tuple[str, str]:
        """(url, reason): what a ``Batch`` carries and the warehouse stores."""
        return self.url, self.detail
