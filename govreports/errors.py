"""What kind of failure a run's error line is, so a run summary counts failures by kind.

Error lines are written where they happen ("<source>: <url>: <what>", a fetcher's message, an
extraction error); ``error_kind`` reads one back into a short, fixed kind. Counting by the
text before the first colon, as the summary used to, counted most lines under their source
id."""

from __future__ import annotations

import re

# first match wins: (kind, pattern on the line with its source and URL prefixes removed)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
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
)
_URL_PREFIX = re.compile(r"^(?:https?://\S+?|/\S*):\s+")


def error_kind(line: str, source_id: str | None = None) -> str:
    """A short, fixed kind for one error line: ``timeout``, ``deadline``, ``refused`` …, or
    ``other`` when the line says nothing the table above knows."""
    text = line.strip()
    if source_id and text.startswith(f"{source_id}: "):
        text = text[len(source_id) + 2:]
    text = _URL_PREFIX.sub("", text)
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"
