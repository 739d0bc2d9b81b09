"""Which links are files, in one place: the crawler, discovery, the HTML extractor, the
batch builder and the re-parse all ask here.

Two sets. ``READ``: the formats the extractor reads (PDF, Word, WPS): fetched as a report
page's attachments, and accepted as report links on a list page. ``LISTED``: every file a
report page may attach (spreadsheets, OFD, archives too): noted as attachments and never
taken for the report page itself, though only ``READ`` ones are fetched and read.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

READ = ("pdf", "doc", "docx", "wps")
LISTED = (*READ, "xls", "xlsx", "et", "ofd", "zip", "rar", "7z")

# a path (no query) ending in a read format; embeddable in a larger pattern
READ_SUFFIX = r"\.(?:" + "|".join(READ) + r")$"
_READ_PATH = re.compile(READ_SUFFIX, re.IGNORECASE)
# an href naming a listed file (its query or fragment may follow)
_LISTED_HREF = re.compile(r"\.(?:" + "|".join(LISTED) + r")(?:$|[?#])", re.IGNORECASE)
# cheap pre-test on raw page bytes: does the page mention a read format at all?
READ_HINT = re.compile(rb"\.(?:" + "|".join(READ).encode() + rb")", re.IGNORECASE)


def _path(url: str) -> str:
    return urlsplit(url).path


def is_read_file(url: str) -> bool:
    """A link to a file the extractor reads (by its path's suffix)."""
    return bool(_READ_PATH.search(_path(url)))


def is_listed_file(url: str) -> bool:
    """A link to any file a report page may attach (by its path's suffix)."""
    return bool(_LISTED_HREF.search(_path(url)))


def names_listed_file(href: str) -> bool:
    """An href (possibly relative, with a query) that names a listed file."""
    return bool(_LISTED_HREF.search(href))
