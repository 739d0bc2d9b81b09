"""The cue lexicons (``govreports/data/lexicon.yaml``): words the mention grammar and the
indicator assignment read, kept as versioned data beside the catalog.

Each list compiles to one alternation (words folded to simplified; ``re:`` entries kept as
regular expressions), so a lexicon edit needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govreports.normalize import fold

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and the entry."""


def _pattern(raw: Any, where: str) -> re.Pattern[str]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items:
        raise LexiconError(f"{where}: expected a word list or a 're:' pattern")
    alts = []
    for w in map(str, items):
        alts.append(w[3:] if w.startswith("re:") else re.escape(fold(w).text))
    try:
        return re.compile("|".join(f"(?:{a})" for a in alts))
    except re.error as exc:
        raise LexiconError(f"{where}: bad pattern: {exc}") from exc


@dataclass(frozen=True)
class Lexicon:
    version: str
    filler: re.Pattern[str]
    subject_nouns: re.Pattern[str]
    verbs: re.Pattern[str]
    campaign: re.Pattern[str]
    rate_words: re.Pattern[str]
    join: re.Pattern[str]
    change: re.Pattern[str]
    change_verb: re.Pattern[str]
    target_left: re.Pattern[str]
    target_right: re.Pattern[str]
    reduction: re.Pattern[str]
    require_verb: re.Pattern[str]
    distributive: re.Pattern[str]
    target_sentence: re.Pattern[str]
    baseline: re.Pattern[str]
    outcome_verbs: re.Pattern[str]
    domains: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # cue → the indicator ids (or categories) a clause holding it leaves open
    outside: tuple[tuple[str, frozenset[str]], ...] = ()
    path: str = ""


_LISTS = ("filler", "subject_nouns", "verbs", "campaign", "rate_words", "join", "change",
          "change_verb", "target_left", "target_right", "reduction", "require_verb",
          "distributive", "target_sentence", "baseline", "outcome_verbs")


def parse_lexicon(data: Any, where: str = "<lexicon>") -> Lexicon:
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping of cue lists")
    missing = [k for k in _LISTS if k not in data]
    if missing:
        raise LexiconError(f"{where}: missing cue list(s): {', '.join(missing)}")
    lists = {k: _pattern(data[k], f"{where}: {k}") for k in _LISTS}
    domains = {str(k): _pattern(v, f"{where}: domains.{k}")
               for k, v in (data.get("domains") or {}).items()}
    outside = tuple(
        (fold(str(cue)).text, frozenset(str(x) for x in (ids or ())))
        for cue, ids in (data.get("outside") or {}).items()
    )
    return Lexicon(version=str(data.get("version", "")), domains=domains, outside=outside,
                   path=where, **lists)


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Lexicon:
    from govreports import yamlfile

    try:
        data = yamlfile.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc.strerror}") from exc
    except yamlfile.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    return parse_lexicon(data, path)


def load_lexicon(path: Path | None = None) -> Lexicon:
    p = Path(path) if path is not None else DEFAULT_LEXICON
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise LexiconError(f"{p}: cannot read lexicon: {exc.strerror}") from exc
    return _load_cached(str(p), mtime)
