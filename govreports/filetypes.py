"""Which links are files, in one place: the crawler, discovery, the HTML extractor, the
batch builder and the re-parse all ask here.

Two sets, and the download links CMS families declare. ``READ``: the formats the extractor
reads (PDF, Word, WPS): fetched as a report page's attachments, and accepted as report
links on a list page. ``LISTED``: every file a report page may attach (spreadsheets, OFD,
archives too): noted as attachments and never taken for the report page itself, though
only ``READ`` ones are fetched and read. A download link that names no suffix (VSB's
``download.jsp?…wbfileid=``), declared by its family in ``cms_families.yaml``, is both:
fetched, and its type read from the bytes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from govreports import cms as declared

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


def is_download_link(href: str) -> bool:
    """A suffix-less download link some CMS family declares (the file type is unknown until
    its bytes arrive)."""
    pattern = declared.attachment_link()
    return bool(pattern and pattern.search(href))


def is_listed_file(url: str) -> bool:
    """A link to any file a report page may attach (by its path's suffix, or a declared
    download link)."""
    return bool(_LISTED_HREF.search(_path(url))) or is_download_link(url)


def names_listed_file(href: str) -> bool:
    """An href (possibly relative, with a query) that names a listed file or is a declared
    download link."""
    return bool(_LISTED_HREF.search(href)) or is_download_link(href)


def may_link_files(content: bytes) -> bool:
    """A cheap pre-test on a page's raw bytes: could it link a fetched attachment at all?"""
    hint = declared.attachment_hint()
    return bool(READ_HINT.search(content) or (hint and hint.search(content)))


def is_fetched_attachment(url: str) -> bool:
    """A report page's link the crawler fetches as an attachment: a read format or a declared
    download link."""
    return is_read_file(url) or is_download_link(url)
