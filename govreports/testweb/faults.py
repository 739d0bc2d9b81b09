"""Fault injection and latency for the test web: what to break, how often, for whom.

``Faults`` is plain configuration; ``FaultPlan`` turns it into one decision per request with a
seeded RNG and per-URL attempt counters, so a test run is reproducible and a retrying crawler
can be promised success after ``first_n`` attempts.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, fields

# Order matters only for how one random draw is split between modes.
MODES = (
    "error_5xx",
    "rate_limit_429",
    "unavailable_503",
    "timeout",
    "reset",
    "truncate",
    "slow_body",
    "tarpit",
    "wrong_content_type",
    "lying_charset",
    "redirect_loop",
    "huge_page",
    "gzip_bomb",
)


@dataclass(frozen=True)
class Faults:
    """Per-request probabilities for each fault mode (their sum must not exceed 1).

    ``first_n``: when set, faults hit only the first N requests of each URL (per site), so a
    crawler that retries eventually succeeds. ``sites``/``path_pattern`` limit where faults
    apply; robots.txt is spared unless ``include_robots``.
    """

    error_5xx: float = 0.0  # 500/502/504 chosen by the RNG
    rate_limit_429: float = 0.0  # 429 with Retry-After
    unavailable_503: float = 0.0  # 503 with Retry-After
    timeout: float = 0.0  # read the request, never answer until the client hangs up
    reset: float = 0.0  # TCP RST instead of a response
    truncate: float = 0.0  # Content-Length larger than the bytes sent, then close
    slow_body: float = 0.0  # body trickled over ``slow_seconds``
    tarpit: float = 0.0  # one byte every ``tarpit_interval`` s: never a per-read timeout
    wrong_content_type: float = 0.0  # HTML served as application/octet-stream
    lying_charset: float = 0.0  # header charset contradicts the bytes
    redirect_loop: float = 0.0  # 302 between two URLs forever
    huge_page: float = 0.0  # a page of ``huge_bytes``
    gzip_bomb: float = 0.0  # Content-Encoding: gzip expanding to ``bomb_bytes``
    seed: int = 0
    first_n: int | None = None
    include_robots: bool = False
    sites: frozenset[str] | None = None  # site names; None = every site
    path_pattern: str | None = None  # regex searched in the path (with query)
    retry_after: int = 1  # seconds, sent with 429/503
    slow_seconds: float = 2.0
    tarpit_interval: float = 0.2
    huge_bytes: int = 25_000_000
    bomb_bytes: int = 200_000_000

    def __post_init__(self) -> None:
        total = sum(getattr(self, m) for m in MODES)
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {total:.3f}; they must not exceed 1")
        for m in MODES:
            if getattr(self, m) < 0:
                raise ValueError(f"fault rate {m}={getattr(self, m)} is negative")
        if self.sites is not None and not isinstance(self.sites, frozenset):
            object.__setattr__(self, "sites", frozenset(self.sites))

    @classmethod
    def only(cls, mode: str, rate: float = 1.0, **kw: object) -> Faults:
        """``Faults.only("reset", first_n=2)``: one mode at a given rate."""
        if mode not in MODES:
            raise ValueError(f"unknown fault mode {mode!r}; choose from {', '.join(MODES)}")
        return cls(**{mode: rate}, **kw)  # type: ignore[arg-type]

    def active(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name in MODES and getattr(self, f.name) > 0}


class FaultPlan:
    """Decides, request by request, which fault (if any) to inject. Thread-safe."""

    def __init__(self, faults: Faults | None) -> None:
        self._lock = threading.Lock()
        self.faults = faults
        self._rng = random.Random(faults.seed if faults else 0)
        self._attempts: dict[tuple[str, str], int] = {}
        self._pattern = re.compile(faults.path_pattern) if faults and faults.path_pattern else None

    def attempt(self, site: str, target: str) -> int:
        """Count one request of ``target`` on ``site``; return its attempt number (1-based)."""
        with self._lock:
            n = self._attempts.get((site, target), 0) + 1
            self._attempts[(site, target)] = n
            return n

    def decide(self, site: str, target: str, attempt: int) -> str | None:
        f = self.faults
        if f is None or not f.active():
            return None
        if f.sites is not None and site not in f.sites:
            return None
        if not f.include_robots and target.startswith("/robots.txt"):
            return None
        if self._pattern is not None and not self._pattern.search(target):
            return None
        if f.first_n is not None and attempt > f.first_n:
            return None
        with self._lock:
            draw = self._rng.random()
        acc = 0.0
        for mode in MODES:
            acc += getattr(f, mode)
            if draw < acc:
                return mode
        return None

    def choice(self, options: tuple[int, ...]) -> int:
        with self._lock:
            return self._rng.choice(options)


@dataclass(frozen=True)
class Latency:
    fixed: float = 0.0
    jitter: float = 0.0  # uniform extra delay in [0, jitter)

    def __post_init__(self) -> None:
        if self.fixed < 0 or self.jitter < 0:
            raise ValueError(f"latency must be non-negative (fixed={self.fixed}, "
                             f"jitter={self.jitter})")

    def sample(self, rng: random.Random) -> float:
        return self.fixed + (rng.random() * self.jitter if self.jitter else 0.0)
