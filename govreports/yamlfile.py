"""YAML reading for the project's data files (catalog, lexicon, gold, CMS families).

`safe_load` is PyYAML's safe loader on libyaml's C parser where PyYAML was built with it (the
wheels are): the same safe subset of YAML, about ten times faster on the gold files and the
indicator catalog, which the evaluation and every extraction process read."""

from __future__ import annotations

from typing import Any

import yaml

try:
    _Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader

YAMLError = yaml.YAMLError


def safe_load(text: str | bytes) -> Any:
    """The document in ``text`` as plain Python data (dicts, lists, str, numbers, dates)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
