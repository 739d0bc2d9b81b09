"""A process-wide progress hook: long steps report, an interactive front end listens.

The CLI installs a listener that draws rich progress bars; flows run by a worker have none,
and reporting is then a no-op. Kept free of any UI import so the pure core can call it.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int | None, str], None]  # (stage, advance, total, label)

_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def report(stage: str, advance: int = 1, total: int | None = None, label: str = "") -> None:
    if _listener is not None:
        try:
            _listener(stage, advance, total, label)
        except Exception:  # a broken progress bar never breaks a crawl
            pass
