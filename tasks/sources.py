"""Read the source registry; bad entries are reported one line each and left out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from govreports.models import Source
from govreports.registry import load_registry, parse_shard, shard_of

log = logging.getLogger(__name__)


class RegistryUnreadable(RuntimeError):
    """The registry as a whole cannot be used: a systemic error that fails the flow."""


def load_sources(
    registry: Path, only: Sequence[str] | None = None, shard: str | None = None
) -> tuple[list[Source], list[str]]:
    """Valid sources (optionally only the named ids, and only those of ``shard`` "K/N") and
    one line per rejected entry."""
    if not registry.exists():
        raise RegistryUnreadable(f"{registry}: source registry not found")
    sources, errors = load_registry(registry)
    problems = [str(e) for e in errors]
    for line in problems:
        log.warning("registry: %s", line)
    if only:
        wanted = set(only)
        unknown = wanted - {s.id for s in sources}
        problems += [f"{registry}: unknown source id {sid!r}" for sid in sorted(unknown)]
        sources = [s for s in sources if s.id in wanted]
    if not sources and problems and len(problems) == len(errors) and not only:
        raise RegistryUnreadable(f"{registry}: no valid source ({len(problems)} errors)")
    if shard:
        k, n = parse_shard(shard)
        sources = [s for s in sources if shard_of(s, n) == k]
    return sources, problems


load_sources_task = task(name="load-sources", cache_policy=NO_CACHE)(load_sources)
