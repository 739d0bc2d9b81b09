"""The polite fetcher: the only module that speaks HTTP (and the only one importing httpx).

A site operator should never have a reason to block us: robots.txt is honoured, the
User-Agent says who we are, each host sees one request at a time with a minimum delay
between starts, failures back off exponentially with jitter, and 429/503 Retry-After is
obeyed. A researcher should be able to trust the log: every attempt (and every request we
refused to make) becomes a ``FetchResult`` with an outcome and a reason.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import random
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypedDict
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from govreports.models import FetchResult, Outcome, Source
from govreports.settings import Settings

Sleep = Callable[[float], Awaitable[None]]
Resolve = Callable[[str], Awaitable[list[str]]]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 600.0  # a longer Retry-After means "come back tomorrow": give up politely
MAX_BACKOFF = 120.0


def _now() -> datetime:
    return datetime.now(UTC)


def origin(url: str) -> tuple[str, int | None]:
    """(host, port) of a URL; the default ports of http and https are one (None), so a site's
    move from http to https stays the site while another port on the host does not."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1  # a malformed port matches nothing
    return (parts.hostname or "").lower(), (None if port in (None, 80, 443) else port)


def source_hosts(source: Source) -> set[tuple[str, int | None]]:
    """Hosts (with their ports) a source may be fetched from: its homepage, its lists and its
    declared attachment hosts (``host`` or ``host:port``)."""
    hosts = {origin(u) for u in (source.homepage, *source.lists)}
    hosts.update(origin(f"http://{h}") for h in source.attachment_hosts)
    return {h for h in hosts if h[0]}


def _is_private_ip(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or _now())).total_seconds())


@dataclass
class _Host:
    """Per-host politeness state: one slot (concurrency 1 by default) and the last start."""

    slot: asyncio.Semaphore
    delay: float
    last_start: float = -1e18
    robots: Protego | None = None
    robots_loaded: bool = False
    # Why every URL of this host is refused: robots.txt unreachable (outcome, reason).
    down: tuple[Outcome, str] | None = None
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    client: httpx.AsyncClient | None = None


class _Common(TypedDict):
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    attempt: int


class Fetcher:
    """Polite async HTTP for many hosts at once. Use as ``async with Fetcher(...) as f``."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        resolve: Resolve | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_decompressed: int | None = None,
    ) -> None:
        self.settings = settings
        self.user_agent = settings.user_agent
        self._transport = transport
        self._sleep = sleep
        self._rng = rng
        self._clock = clock
        # With an injected transport nothing goes to the network, so DNS checks are moot.
        self._resolve = resolve if resolve is not None else (None if transport else _getaddrinfo)
        self._hosts: dict[str, _Host] = {}
        self._dns: dict[str, tuple[Outcome, str] | None] = {}
        self._ssl: ssl.SSLContext | None = None  # one for all clients: loading CAs costs ~50 ms
        self._spent: dict[str, int] = {}
        # Compressed HTML inflates ~5-10x; beyond that it is a decompression bomb.
        self.max_decompressed = max_decompressed or settings.max_response_bytes * 5
        self._retry_after: dict[int, str] = {}  # id(FetchResult) -> Retry-After header

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for h in self._hosts.values():
            if h.client is not None:
                await h.client.aclose()
                h.client = None

    # ------------------------------------------------------------------ bookkeeping
    def spent(self, source_id: str) -> int:
        return self._spent.get(source_id, 0)

    def _budget(self, source: Source) -> int:
        return source.request_budget or self.settings.request_budget

    def _host(self, url: str, source: Source) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        host = self._hosts.get(key)
        if host is None:
            delay = source.min_delay if source.min_delay is not None else self.settings.min_delay
            host = _Host(asyncio.Semaphore(max(1, self.settings.per_host_concurrency)), delay)
            self._hosts[key] = host
        return host

    def _client(self, host: _Host) -> httpx.AsyncClient:
        # One client per host: httpcore's shared-pool bookkeeping grows with connections.
        if host.client is None:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context(trust_env=False)
            host.client = httpx.AsyncClient(
                verify=self._ssl,
                transport=self._transport,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                timeout=self.settings.timeout,
                follow_redirects=False,  # every hop is checked against the allowed hosts
                trust_env=False,  # never route through an environment proxy
                limits=httpx.Limits(max_connections=max(1, self.settings.per_host_concurrency)),
            )
        return host.client

    def _result(
        self,
        url: str,
        source: Source,
        outcome: Outcome,
        error: str | None,
        *,
        status: int | None = None,
        content_type: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        final_url: str | None = None,
        attempt: int = 1,
        elapsed_ms: float = 0.0,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            source_id=source.id,
            status=status,
            outcome=outcome,
            content_type=content_type,
            final_url=final_url,
            etag=etag,
            last_modified=last_modified,
            attempt=attempt,
            elapsed_ms=elapsed_ms,
            error=f"{source.id}: {url}: {error}" if error else None,
            fetched_at=_now(),
        )

    async def _refusal(self, url: str, source: Source) -> tuple[Outcome, str] | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "refused_scheme", f"scheme {parts.scheme or '(none)'!r} is not http(s)"
        host, port = origin(url)
        if (host, port) not in source_hosts(source):
            where = host if port is None else f"{host}:{port}"
            return "refused_host", f"host {where!r} is not in the registry entry for this source"
        if source.allow_private:
            return None
        if host == "localhost" or host.endswith(".localhost") or _is_private_ip(host):
            return "refused_private", f"{host} is a private/loopback/link-local address"
        if self._resolve is not None:
            if host not in self._dns:  # once per host and run: the answer rarely changes
                try:
                    addrs = await self._resolve(host)
                except OSError as exc:
                    self._dns[host] = ("dns_error", f"cannot resolve {host}: {exc}")
                else:
                    bad = [a for a in addrs if _is_private_ip(a)]
                    self._dns[host] = (
                        ("refused_private", f"{host} resolves to private address {bad[0]}")
                        if bad
                        else None
                    )
            return self._dns[host]
        return None

    # ------------------------------------------------------------------ robots
    async def _robots(
        self, url: str, source: Source, host: _Host, log: list[FetchResult]
    ) -> Protego | None:
        async with host.robots_lock:
            if host.robots_loaded:
                return host.robots
            robots_url = urljoin(url, "/robots.txt")
            results = await self._attempts(robots_url, source, host, None, None, robots_txt=True)
            log.extend(results)
            last = results[-1]
            if last.outcome == "ok":
                text = last.content[:500_000].decode("utf-8", "replace")
                host.robots = Protego.parse(text)
                delay = host.robots.crawl_delay(self.user_agent)
                if delay is not None:
                    host.delay = max(host.delay, float(delay))
            elif last.status is not None and 400 <= last.status < 500:
                host.robots = None  # RFC 9309: unavailable robots.txt means no restrictions
            elif last.outcome == "budget":
                return None  # not loaded: the caller stops on the budget, next run asks again
            else:
                # Unreachable (5xx, timeouts, no connection): assume complete disallow, as
                # RFC 9309 asks, and say why on every URL of the host.
                host.robots = Protego.parse("User-agent: *\nDisallow: /")
                what = f"HTTP {last.status}" if last.status else last.outcome
                host.down = (
                    last.outcome if last.status is None else "robots",
                    f"robots.txt unavailable ({what}), host treated as disallowed: "
                    f"{(last.error or '').rsplit(': ', 1)[-1]}",
                )
            host.robots_loaded = True
            return host.robots

    # ------------------------------------------------------------------ fetching
    async def fetch(
        self,
        url: str,
        source: Source,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        into: list[FetchResult] | None = None,
    ) -> list[FetchResult]:
        """Fetch ``url`` for ``source``; every attempt (robots.txt included) in order.

        The last entry is the final outcome for ``url``. With ``into``, each attempt is
        appended there as it happens, so attempts made before a deadline cancels the fetch
        are still recorded.
        """
        log: list[FetchResult] = into if into is not None else []
        start = len(log)
        refusal = await self._refusal(url, source)
        if refusal:
            log.append(self._result(url, source, refusal[0], refusal[1]))
            return log[start:]
        host = self._host(url, source)
        robots = await self._robots(url, source, host, log)
        if len(log) > start and log[-1].outcome == "budget":  # could not even ask robots.txt
            log.append(self._result(url, source, "budget", log[-1].error or "budget spent"))
            return log[start:]
        if host.down is not None:
            log.append(self._result(url, source, host.down[0], host.down[1]))
            return log[start:]
        if robots is not None and not robots.can_fetch(url, self.user_agent):
            log.append(self._result(url, source, "robots", "disallowed by robots.txt"))
            return log[start:]
        await self._attempts(url, source, host, etag, last_modified, log=log)
        return log[start:]

    async def _attempts(
        self,
        url: str,
        source: Source,
        host: _Host,
        etag: str | None,
        last_modified: str | None,
        *,
        robots_txt: bool = False,
        log: list[FetchResult] | None = None,
    ) -> list[FetchResult]:
        log = log if log is not None else []
        attempt = 0
        while True:
            attempt += 1
            result = await self._follow(
                url, source, host, etag, last_modified, attempt, log, robots_txt
            )
            retryable = result.outcome in ("timeout", "reset", "connect_error") or (
                result.outcome == "http_error" and result.status in RETRY_STATUSES
            )
            if not retryable or attempt > self.settings.max_retries:
                return log
            wait = self.settings.backoff_base * 2 ** (attempt - 1) * (0.5 + self._rng())
            wait = min(wait, MAX_BACKOFF)
            if result.status in (429, 503):
                ra = retry_after_seconds(self._retry_after.pop(id(result), None))
                if ra is not None:
                    if ra > MAX_RETRY_AFTER:
                        result.error = f"{result.error}; Retry-After {ra:.0f}s is too long, gave up"
                        return log
                    wait = max(wait, ra)
            await self._sleep(wait)

    async def _follow(
        self,
        url: str,
        source: Source,
        host: _Host,
        etag: str | None,
        last_modified: str | None,
        attempt: int,
        log: list[FetchResult],
        robots_txt: bool = False,
    ) -> FetchResult:
        """One attempt, following redirects hop by hop (each hop checked and logged)."""
        current, current_host = url, host
        for hop in range(self.settings.max_redirects + 1):
            headers: dict[str, str] = {}
            if hop == 0 and etag:
                headers["If-None-Match"] = etag
            if hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            result = await self._one(current, source, current_host, headers, attempt)
            log.append(result)
            if result.outcome != "redirect":
                if current != url:
                    result.url = url
                return result
            nxt = result.final_url or ""
            refusal = await self._refusal(nxt, source)
            if refusal:
                refused = self._result(
                    nxt,
                    source,
                    refusal[0],
                    f"redirect from {current}: {refusal[1]}",
                    attempt=attempt,
                )
                log.append(refused)
                return refused
            current, current_host = nxt, self._host(nxt, source)
            if not robots_txt:  # a redirect must not lead around robots.txt
                robots = await self._robots(nxt, source, current_host, log)
                if current_host.down is not None or (
                    robots is not None and not robots.can_fetch(nxt, self.user_agent)
                ):
                    why = current_host.down[1] if current_host.down else "disallowed by robots.txt"
                    refused = self._result(
                        nxt, source, "robots", f"redirect from {url}: {why}", attempt=attempt
                    )
                    log.append(refused)
                    return refused
        over = self._result(
            url,
            source,
            "too_many_redirects",
            f"more than {self.settings.max_redirects} redirects",
            attempt=attempt,
        )
        log.append(over)
        return over

    async def _one(
        self, url: str, source: Source, host: _Host, headers: dict[str, str], attempt: int
    ) -> FetchResult:
        if self._spent.get(source.id, 0) >= self._budget(source):
            return self._result(
                url,
                source,
                "budget",
                f"request budget of {self._budget(source)} spent",
                attempt=attempt,
            )
        async with host.slot:
            wait = host.last_start + host.delay - self._clock()
            if wait > 0:
                await self._sleep(wait)
            host.last_start = self._clock()
            self._spent[source.id] = self._spent.get(source.id, 0) + 1
            started = time.perf_counter()
            deadline = self.settings.response_deadline
            outcome: Outcome
            try:
                # the whole response, not each read: a body trickled a byte at a time never
                # trips a per-read timeout
                return await asyncio.wait_for(
                    self._request(url, source, host, headers, attempt, started), deadline)
            except TimeoutError:
                outcome, err = (
                    "timeout", f"no complete response within {deadline:g}s (a stalled or "
                    "trickling body)")
            except httpx.TimeoutException as exc:
                outcome, err = (
                    "timeout",
                    f"timed out after {self.settings.timeout}s ({type(exc).__name__})",
                )
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                outcome, err = "reset", f"connection reset or closed ({type(exc).__name__}: {exc})"
            except httpx.ConnectError as exc:
                outcome, err = "connect_error", f"cannot connect ({exc})"
            except httpx.HTTPError as exc:
                outcome, err = "error", f"{type(exc).__name__}: {exc}"
            return self._result(
                url,
                source,
                outcome,
                err,
                attempt=attempt,
                elapsed_ms=(time.perf_counter() - started) * 1000,
            )

    async def _request(
        self,
        url: str,
        source: Source,
        host: _Host,
        headers: dict[str, str],
        attempt: int,
        started: float,
    ) -> FetchResult:
        client = self._client(host)
        cap = self.settings.max_response_bytes
        async with client.stream("GET", url, headers=headers) as resp:

            def elapsed() -> float:
                return (time.perf_counter() - started) * 1000

            common = _Common(
                status=resp.status_code,
                content_type=resp.headers.get("content-type"),
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                attempt=attempt,
            )
            if resp.status_code in REDIRECTS and resp.headers.get("location"):
                target = urljoin(url, resp.headers["location"])
                r = self._result(
                    url, source, "redirect", f"redirect to {target}", final_url=target, **common
                )
                r.elapsed_ms = elapsed()
                return r
            if resp.status_code == 304:
                r = self._result(url, source, "not_modified", None, **common)
                r.elapsed_ms = elapsed()
                return r
            if resp.status_code >= 400:
                r = self._result(url, source, "http_error", f"HTTP {resp.status_code}", **common)
                if ra := resp.headers.get("retry-after"):
                    r.error = f"{r.error} (Retry-After: {ra})"
                    self._retry_after[id(r)] = ra
                r.elapsed_ms = elapsed()
                return r
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                r = self._result(
                    url, source, "too_large", f"Content-Length {declared} > cap {cap}", **common
                )
                r.elapsed_ms = elapsed()
                return r
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if resp.num_bytes_downloaded > cap or size > self.max_decompressed:
                    what = "body" if resp.num_bytes_downloaded > cap else "decompressed body"
                    r = self._result(url, source, "too_large", f"{what} exceeds cap", **common)
                    r.elapsed_ms = elapsed()
                    return r
                chunks.append(chunk)
            body = b"".join(chunks)
        r = self._result(url, source, "ok", None, final_url=url, **common)
        r.content, r.elapsed_ms, r.sha256 = body, elapsed(), hashlib.sha256(body).hexdigest()
        return r


async def _getaddrinfo(host: str) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(i[4][0]) for i in infos]


# outcomes a later attempt (a later run) may get past: the host was slow, busy or away
PASSING_OUTCOMES = ("timeout", "reset", "connect_error", "budget", "error")


def is_passing(result: FetchResult) -> bool:
    """Did ``result`` fail for a reason that may not hold next time (unlike a 404, a refused
    host, a robots.txt ban or a body over the cap)?"""
    return result.outcome in PASSING_OUTCOMES or (
        result.outcome == "http_error" and (result.status or 0) in RETRY_STATUSES)


def final(results: Iterable[FetchResult]) -> FetchResult:
    """The final outcome of one ``Fetcher.fetch`` call."""
    *_, last = results
    return last
