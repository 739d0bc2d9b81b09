"""Typed records passed between the pipeline stages.

These are the contracts between modules: the registry yields ``Source``; discovery yields
``Link`` and ``ListPage``; the fetcher yields ``FetchResult``; extraction yields ``Report``
(with ``Section`` and ``Mention``); the loader takes a ``Batch``. All are plain dataclasses so
the pure core has no dependency on pandas, httpx, DuckDB or Prefect.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal, get_args

# report: a 法治政府建设年度报告; disclosure: a 政府信息公开工作年度报告 (the second family)
LinkKind = Literal["report", "disclosure", "lookalike", "other"]
Family = Literal["rule_of_law", "disclosure_annual"]
FAMILIES: tuple[str, ...] = get_args(Family)
KIND_OF_FAMILY: dict[str, str] = {"rule_of_law": "report", "disclosure_annual": "disclosure"}
Script = Literal["simplified", "traditional"]
Role = Literal["achievements", "problems", "plans", "leadership_duty", "other"]
Level = Literal[
    "province_gov",
    "prefecture_gov",
    "county_gov",
    "district_gov",
    "department",
    "functional_zone",
    "other",
]
LEVELS: tuple[str, ...] = get_args(Level)
# A CMS family's name: the families are data (govreports/data/cms_families.yaml, read by
# govreports.cms), so the set is checked where registry entries are read, not by the type.
CmsName = str
# What one request ended in (govreports/fetch.py): the fetch log's outcome column.
Outcome = Literal[
    "ok", "not_modified", "redirect", "too_many_redirects", "http_error", "timeout", "reset",
    "connect_error", "dns_error", "too_large", "budget", "robots", "error",
    "refused_host", "refused_private", "refused_scheme",
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
MentionKind = Literal["count", "rate", "amount", "area", "duration", "other"]
MENTION_KINDS: tuple[str, ...] = get_args(MentionKind)
Approx = Literal["gte", "lte", "approx"]
APPROXES: tuple[str, ...] = get_args(Approx)
Scope = Literal["part", "subset"]
SCOPES: tuple[str, ...] = get_args(Scope)


@dataclass(frozen=True)
class Source:
    """One registry entry: a site (or one column of a site) that publishes reports."""

    id: str
    name: str
    issuer: str
    homepage: str
    lists: tuple[str, ...]
    cms: CmsName = "generic"
    admin_code: str | None = None
    level: str = "county_gov"
    province: str | None = None
    encoding: str | None = None  # override when the site lies about its charset
    selectors: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    min_delay: float | None = None  # seconds between requests to this host
    request_budget: int | None = None
    attachment_hosts: tuple[str, ...] = ()
    allow_private: bool = False  # the local test web lives on 127.0.0.1
    verified: bool = True
    # the report families this column is crawled for (a 政府信息公开年报 column: disclosure)
    families: tuple[str, ...] = ("rule_of_law",)
    file: str | None = None  # registry file the entry came from
    line: int | None = None  # its line in that file


@dataclass(frozen=True)
class Link:
    """An article link found on a list page, classified."""

    url: str
    title: str
    date: str | None = None  # ISO date as printed next to the link, when present
    kind: LinkKind = "other"
    reason: str = ""
    report_year: int | None = None
    provisional: bool = False  # a report by its title that the page's body must confirm


@dataclass
class ListPage:
    url: str
    links: list[Link] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # paging a parser saw but could not follow


@dataclass
class FetchResult:
    """What one request produced (also one row of the fetch log)."""

    url: str
    source_id: str | None
    status: int | None  # HTTP status, None when no response
    outcome: Outcome
    content: bytes = b""
    content_type: str | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempt: int = 1
    elapsed_ms: float = 0.0
    error: str | None = None
    fetched_at: datetime | None = None
    sha256: str | None = None


@dataclass
class Section:
    heading: str
    line: int
    role: Role | None = None  # top-level only
    run_in: bool = False
    level: int = 1
    offset: int | None = None
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Mention:
    """One quantity stated in a report (gold README conventions)."""

    text: str
    offset: int
    value: float
    unit: str
    kind: MentionKind
    line: int | None = None
    context: str = ""
    sentence: str = ""
    raw_unit: str | None = None
    approx: Approx | None = None
    indicator: str | None = None
    not_a_level: bool = False
    scope: Scope | None = None
    part_of: str | None = None
    rate_name: str | None = None
    subtype: str | None = None
    section: str | None = None
    section_role: str | None = None
    id: str = ""
    # the assignment's evidence: the winning score, its lead over the next indicator, and
    # the candidates considered ("id:score:where"), also when none was assigned
    confidence: float | None = None
    margin: float | None = None
    candidates: list[str] = field(default_factory=list)


EvidenceSource = Literal[
    "meta_tag",  # <meta name=ArticleTitle|PubDate|ContentSource …>
    "page_label",  # a labelled field: 发布时间: / 标题: / 发布机构 (also in table cells)
    "title",  # the report's title line (or heading block: issuer line + title)
    "opening",  # the opening sentence (现将…报告如下; 2022年，万源坚持…)
    "closing",  # the 落款 (issuing body and date at the end)
    "page_date",  # a date printed under the headline, unlabelled
    "index_number",  # 索引号 (its leading six digits are often the admin code)
    "url",  # the page's URL (t20240328_… in TRS paths)
    "registry",  # the registry entry the crawler came from
    "issuer",  # derived from the issuer (region, code, is_department)
    "content",  # derived from the document's own structure (script)
]
EVIDENCE_SOURCES: tuple[str, ...] = get_args(EvidenceSource)
# Where an evidence span points: the report's text (offsets index ``Report.text``), the page's
# visible text (HTML: every visible line joined by newlines), a meta tag, the URL, the registry.
EvidenceWhere = Literal["text", "page", "meta", "url", "registry", ""]


@dataclass
class Evidence:
    """Where one metadata value came from, or why it is null.

    ``quote`` is the words the value was read from (at most a line), ``start``/``end`` their
    code-point span in ``where`` (``text`` or ``page``). ``inferred`` marks a value the page
    implies but does not state (a place's 人民政府 from the report's own subject). A null value
    has ``source`` None and a ``reason``; ``candidates`` lists values seen but not taken.
    """

    source: str | None = None
    quote: str = ""
    where: str = ""
    start: int | None = None
    end: int | None = None
    inferred: bool = False
    reason: str | None = None
    candidates: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Region:
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    county_type: str | None = None


@dataclass
class Report:
    """Everything extracted from one document (HTML page, text, PDF or DOCX)."""

    url: str | None = None
    file: str | None = None
    title: str | None = None
    display_title: str | None = None  # constructed for display when the page states no title
    title_in_text: bool = True
    issuer: str | None = None
    issuer_in_text: bool = True
    region: Region = field(default_factory=Region)
    admin_code: str | None = None
    functional_zone: bool = False
    is_department: bool = False
    report_year: int | None = None
    sign_date: date | None = None  # the 落款 date
    written_date: date | None = None  # 成文日期 as the page's information table states it
    publish_date: date | None = None
    source_agency: str | None = None
    script: Script = "simplified"
    doc_number: str | None = None
    index_number: str | None = None  # 索引号
    encoding: str | None = None
    text: str = ""  # main body, original script
    normalized_text: str = ""  # folded for matching (t2s, punctuation, pinyin removed)
    sections: list[Section] = field(default_factory=list)
    missing_elements: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # absolute URLs of linked files
    warnings: list[str] = field(default_factory=list)
    extractor_version: str = ""
    evidence: dict[str, Evidence] = field(default_factory=dict)  # metadata field → evidence
    classification: str = ""  # why this is a report (title, and the body where it decided)
    family: str = "rule_of_law"  # rule_of_law | disclosure_annual
    # a 政府信息公开工作年度报告's template tables (govreports.disclosure.Disclosure)
    disclosure: Any = None
    catalog_version: str = ""  # the indicator catalog (and lexicon) the mentions were read with

    def metadata(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "display_title": self.display_title,
            "title_in_text": self.title_in_text,
            "issuer": self.issuer,
            "issuer_in_text": self.issuer_in_text,
            "region": asdict(self.region),
            "admin_code": self.admin_code,
            "functional_zone": self.functional_zone,
            "is_department": self.is_department,
            "report_year": self.report_year,
            "sign_date": self.sign_date.isoformat() if self.sign_date else None,
            "written_date": self.written_date.isoformat() if self.written_date else None,
            "publish_date": self.publish_date.isoformat() if self.publish_date else None,
            "source_agency": self.source_agency,
            "script": self.script,
            "doc_number": self.doc_number,
            "index_number": self.index_number,
            "evidence": {k: v.as_dict() for k, v in self.evidence.items()},
        }


class ExtractionError(Exception):
    """A document could not be turned into a report; the message names what and why."""


@dataclass
class Batch:
    """Rows produced by one run for one source (or one re-parse chunk), ready to validate/load."""

    run_id: str
    source_id: str | None
    fetches: list[FetchResult] = field(default_factory=list)
    reports: list[tuple[FetchResult, Report]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    # report pages waiting for an attachment: (page URL, attachment URL, reason)
    pending_attachments: list[tuple[str, str, str]] = field(default_factory=list)
