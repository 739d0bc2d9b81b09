"""The source registry: YAML files under ``sources/`` loaded into ``models.Source``.

Every entry is validated on its own, so one bad entry never hides the others; each error
names the file and the line of the offending entry (or field), because the person fixing
it will open that file in an editor.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from govreports import cms as declared
from govreports.models import FAMILIES, LEVELS, Source

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ADMIN_CODE = re.compile(r"^\d{6}(\d{3})?$")
_KNOWN_KEYS = {
    "id",
    "name",
    "issuer",
    "admin_code",
    "level",
    "province",
    "homepage",
    "cms",
    "lists",
    "encoding",
    "selectors",
    "min_delay",
    "request_budget",
    "attachment_hosts",
    "allow_private",
    "verified",
    "families",
    "notes",
}


@dataclass
class RegistryError:
    file: str
    line: int | None
    source_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        who = f" {self.source_id}:" if self.source_id else ""
        return f"{where}:{who} {self.message}"


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects, no entity expansion) that records line numbers."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        base = super().construct_mapping(node, deep=True)
        out = _Mapping({str(k): v for k, v in base.items()})
        out.line = node.start_mark.line + 1
        out.key_lines = {
            str(k.value): k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")
        }
        return out


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_host(value: Any) -> bool:
    if not isinstance(value, str) or not value or "/" in value or " " in value:
        return False
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return bool(re.match(r"^[A-Za-z0-9.-]+(:\d+)?$", value))


def _entry(
    raw: Any, file: str, line: int | None, seen: dict[str, str]
) -> tuple[Source | None, list[RegistryError]]:
    """Validate one entry; return (Source or None, errors)."""
    if not isinstance(raw, dict):
        return None, [RegistryError(file, line, None, "entry must be a mapping of fields")]
    key_lines: dict[str, int] = getattr(raw, "key_lines", {})
    sid = raw.get("id") if isinstance(raw.get("id"), str) else None
    errors: list[RegistryError] = []

    def err(key: str, message: str) -> None:
        errors.append(RegistryError(file, key_lines.get(key, line), sid, f"{key}: {message}"))

    if sid is None:
        err("id", "required, lowercase [a-z0-9-]")
    elif not _ID.match(sid):
        err("id", f"{sid!r} must be lowercase [a-z0-9-]")
    elif sid in seen:
        err("id", f"duplicate id (first defined at {seen[sid]})")
    else:
        seen[sid] = f"{file}:{line}"
    for key in sorted(set(raw) - _KNOWN_KEYS):
        err(key, f"unknown field (known: {', '.join(sorted(_KNOWN_KEYS))})")
    for key in ("name", "issuer"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            err(key, "required non-empty text")
    if not _is_http_url(raw.get("homepage")):
        err("homepage", "must be an http(s) URL")
    lists = raw.get("lists")
    if not isinstance(lists, list) or not lists or not all(_is_http_url(u) for u in lists):
        err("lists", "must be a non-empty list of http(s) URLs")
    cms = raw.get("cms", "generic")
    if cms not in declared.names():
        err("cms", f"{cms!r} is not one of {', '.join(declared.names())}")
    level = raw.get("level", "county_gov")
    if level not in LEVELS:
        err("level", f"{level!r} is not one of {', '.join(LEVELS)}")
    admin = raw.get("admin_code")
    if admin is not None and not (isinstance(admin, str) and _ADMIN_CODE.match(admin)):
        err("admin_code", f'{admin!r} must be a quoted 6- or 9-digit code, e.g. "511781"')
    encoding = raw.get("encoding")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(str(encoding))
        except LookupError:
            err("encoding", f"{encoding!r} is not a known codec")
    selectors = raw.get("selectors") or {}
    if not isinstance(selectors, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in selectors.items()
    ):
        err("selectors", "must map names (links, next, ...) to CSS selector strings")
        selectors = {}
    min_delay = raw.get("min_delay")
    if min_delay is not None and (
        isinstance(min_delay, bool) or not isinstance(min_delay, int | float) or min_delay < 0
    ):
        err("min_delay", "must be a number of seconds >= 0")
    budget = raw.get("request_budget")
    if budget is not None and (
        isinstance(budget, bool) or not isinstance(budget, int) or budget < 1
    ):
        err("request_budget", "must be a whole number >= 1")
    hosts = raw.get("attachment_hosts") or []
    if not isinstance(hosts, list) or not all(_is_host(h) for h in hosts):
        err("attachment_hosts", "must be a list of host names (no scheme or path)")
        hosts = []
    for key in ("allow_private", "verified"):
        if key in raw and not isinstance(raw[key], bool):
            err(key, "must be true or false")
    families = raw.get("families", ["rule_of_law"])
    if not isinstance(families, list) or not families or not all(
        f in FAMILIES for f in families
    ):
        err("families", f"must be a list of {', '.join(FAMILIES)}")
        families = ["rule_of_law"]
    if errors:
        return None, errors
    src = Source(
        id=str(sid),
        name=raw["name"].strip(),
        issuer=raw["issuer"].strip(),
        homepage=raw["homepage"].strip(),
        lists=tuple(u.strip() for u in lists or ()),
        cms=cms,
        admin_code=admin,
        level=level,
        province=raw.get("province"),
        encoding=encoding,
        selectors=dict(selectors),
        min_delay=float(min_delay) if min_delay is not None else None,
        request_budget=budget,
        attachment_hosts=tuple(str(h).lower() for h in hosts),
        allow_private=bool(raw.get("allow_private", False)),
        verified=bool(raw.get("verified", True)),
        families=tuple(families),
        file=file,
        line=line,
    )
    return src, []


def parse_registry(
    text: str, file: str = "<string>", seen: dict[str, str] | None = None
) -> tuple[list[Source], list[RegistryError]]:
    """Validate the registry YAML in ``text``; ``file`` is used in error messages."""
    seen = {} if seen is None else seen
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [], [RegistryError(file, line, None, f"invalid YAML: {problem}")]
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        return [], [
            RegistryError(file, 1, None, "top level must be a mapping with a 'sources:' list")
        ]
    sources: list[Source] = []
    errors: list[RegistryError] = []
    items_line = getattr(doc, "key_lines", {}).get("sources")
    for raw in doc["sources"]:
        line = getattr(raw, "line", None) or items_line
        src, errs = _entry(raw, file, line, seen)
        errors.extend(errs)
        if src is not None:
            sources.append(src)
    return sources, errors


def _files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def load_registry(path: Path) -> tuple[list[Source], list[RegistryError]]:
    """Load a registry file or a folder of ``*.yaml`` files: (valid sources, every error)."""
    if not path.exists():
        return [], [RegistryError(str(path), None, None, "registry file or folder not found")]
    sources: list[Source] = []
    errors: list[RegistryError] = []
    seen: dict[str, str] = {}
    for file in _files(path):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(RegistryError(str(file), None, None, f"cannot read: {exc}"))
            continue
        s, e = parse_registry(text, str(file), seen)
        sources.extend(s)
        errors.extend(e)
    return sources, errors


# ----------------------------------------------------------------------------- shards
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` → (2, 3): the second of three shards. ValueError with the reason otherwise."""
    m = _SHARD.match(text)
    if not m:
        raise ValueError(f"shard {text!r}: write it as K/N, e.g. 2/3 (the second of three)")
    k, n = int(m.group(1)), int(m.group(2))
    if not 1 <= k <= n:
        raise ValueError(f"shard {text!r}: K must be between 1 and N")
    return k, n


def shard_host(source: Source) -> str:
    """What a source is sharded by: the host (and port) of its first list page, else of its
    home page — the key the fetcher keeps its per-host delay under."""
    url = source.lists[0] if source.lists else source.homepage
    return (urlsplit(url).netloc or source.id).lower()


def shard_of(source: Source, shards: int) -> int:
    """The shard (1..shards) that crawls ``source``. Stable across runs, machines and Python
    versions (a hash of the host, not Python's salted ``hash``). Sources are sharded by host,
    not by id: every column of one site falls in one shard, so the per-host delay that one
    crawler keeps still holds when several shards run at once."""
    digest = hashlib.sha256(shard_host(source).encode()).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1
