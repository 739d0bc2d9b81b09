"""Fetch policies on httpx.MockTransport: no network, no real waiting."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import httpx
import pytest

from govreports.fetch import Fetcher, retry_after_seconds
from govreports.models import FetchResult, Source
from govreports.settings import Settings

HOST = "www.wanyuan.gov.cn"
LIST = f"http://{HOST}/zwgk/fzzfjs/index.html"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def source(**kw: object) -> Source:
    base: dict[str, object] = dict(
        id="sc-wanyuan",
        name="万源市 法治政府建设年度报告",
        issuer="万源市人民政府",
        homepage=f"http://{HOST}/",
        lists=(LIST,),
    )
    base.update(kw)
    return Source(**base)  # type: ignore[arg-type]


def settings(**kw: object) -> Settings:
    base: dict[str, object] = dict(
        min_delay=0.0, max_retries=3, backoff_base=1.0, timeout=2.0,
        contact="mailto:data@example.org",
    )
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


Handler = Callable[[httpx.Request], httpx.Response]


def run(
    handler: Handler, url: str = LIST, src: Source | None = None, **kw: object
) -> tuple[list[FetchResult], FakeSleep, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    sleep = FakeSleep()

    def wrapped(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=ROBOTS)
        return handler(request)

    fetch_kw = {k: v for k, v in kw.items() if k in ("etag", "last_modified")}
    set_kw = {k: v for k, v in kw.items() if k not in fetch_kw}

    async def go() -> list[FetchResult]:
        async with Fetcher(
            settings(**set_kw),
            transport=httpx.MockTransport(wrapped),
            sleep=sleep,
            rng=lambda: 0.5,
        ) as f:
            return await f.fetch(url, src or source(), **fetch_kw)  # type: ignore[arg-type]

    return asyncio.run(go()), sleep, seen


def test_ok_sends_honest_user_agent_and_records_everything() -> None:
    results, _, seen = run(
        lambda r: httpx.Response(200, html="<p>列表</p>", headers={"ETag": '"a1"'})
    )
    assert [r.outcome for r in results] == ["ok", "ok"]  # robots.txt, then the page
    page = results[-1]
    assert page.status == 200 and page.etag == '"a1"' and page.content == "<p>列表</p>".encode()
    assert page.sha256 and page.fetched_at is not None and page.source_id == "sc-wanyuan"
    ua = seen[-1].headers["user-agent"]
    assert ua.startswith("govreports/") and "Mozilla" not in ua
    assert "+mailto:data@example.org" in ua


def test_retries_5xx_with_exponential_backoff_and_jitter_then_succeeds() -> None:
    calls = iter([503, 500, 502, 200])
    results, sleep, _ = run(lambda r: httpx.Response(next(calls), text="x"))
    page_attempts = results[1:]
    assert [r.status for r in page_attempts] == [503, 500, 502, 200]
    assert [r.attempt for r in page_attempts] == [1, 2, 3, 4]
    assert all("HTTP 5" in (r.error or "") for r in page_attempts[:-1])
    # rng 0.5 → factor 1.0: 1, 2, 4 seconds
    assert sleep.waits == [1.0, 2.0, 4.0]


def test_gives_up_after_max_retries_and_says_why() -> None:
    results, sleep, _ = run(lambda r: httpx.Response(500), max_retries=2)
    last = results[-1]
    assert last.outcome == "http_error" and last.status == 500 and last.attempt == 3
    assert last.error == f"sc-wanyuan: {LIST}: HTTP 500"
    assert len(sleep.waits) == 2


def test_429_honours_retry_after() -> None:
    calls = iter([httpx.Response(429, headers={"Retry-After": "30"}), httpx.Response(200)])
    results, sleep, _ = run(lambda r: next(calls))
    assert results[-1].outcome == "ok"
    assert sleep.waits == [30.0]


def test_retry_after_too_long_gives_up() -> None:
    results, sleep, _ = run(lambda r: httpx.Response(503, headers={"Retry-After": "86400"}))
    assert results[-1].outcome == "http_error" and "too long" in (results[-1].error or "")
    assert sleep.waits == []


def test_retry_after_http_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", now) == 10.0
    assert retry_after_seconds("garbage", now) is None


@pytest.mark.parametrize(
    ("exc", "outcome"),
    [
        (httpx.ReadTimeout("slow"), "timeout"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), "reset"),
        (httpx.ReadError("Connection reset by peer"), "reset"),
    ],
)
def test_timeouts_and_resets_are_retried_and_recorded(exc: Exception, outcome: str) -> None:
    state = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        state["n"] += 1
        if state["n"] == 1:
            raise exc
        return httpx.Response(200, text="ok")

    results, sleep, _ = run(handler)
    assert [r.outcome for r in results[1:]] == [outcome, "ok"]
    assert LIST in (results[1].error or "") and len(sleep.waits) == 1


def test_robots_disallowed_url_is_never_requested() -> None:
    url = f"http://{HOST}/private/decoy.html"
    results, _, seen = run(lambda r: httpx.Response(200), url=url)
    assert results[-1].outcome == "robots"
    assert [r.url.path for r in seen] == ["/robots.txt"]


def test_robots_unreachable_means_disallow_all() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(500)

    async def go() -> list[FetchResult]:
        async with Fetcher(
            settings(max_retries=1), transport=httpx.MockTransport(handler), sleep=FakeSleep()
        ) as f:
            return await f.fetch(LIST, source())

    results = asyncio.run(go())
    assert results[-1].outcome == "robots"
    assert seen == ["/robots.txt", "/robots.txt"]


def test_robots_crawl_delay_raises_the_host_delay() -> None:
    sleep = FakeSleep()
    clock = iter(float(i) * 0.001 for i in range(1000))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 7\n")
        return httpx.Response(200, text="ok")

    async def go() -> None:
        async with Fetcher(
            settings(min_delay=1.0),
            transport=httpx.MockTransport(handler),
            sleep=sleep,
            clock=lambda: next(clock),
        ) as f:
            await f.fetch(LIST, source())
            await f.fetch(LIST + "?2", source())

    asyncio.run(go())
    assert sleep.waits and max(sleep.waits) > 6.9


@pytest.mark.parametrize(
    ("url", "src_kw", "outcome"),
    [
        ("file:///etc/passwd", {}, "refused_scheme"),
        ("ftp://www.wanyuan.gov.cn/x", {}, "refused_scheme"),
        ("http://evil.example.com/x.html", {}, "refused_host"),
        ("http://127.0.0.1:8080/x", {"lists": ("http://127.0.0.1:8080/list",)}, "refused_private"),
        (
            "http://169.254.169.254/latest",
            {"homepage": "http://169.254.169.254/"},
            "refused_private",
        ),
        ("http://10.0.0.5/a", {"homepage": "http://10.0.0.5/"}, "refused_private"),
        ("http://localhost/a", {"homepage": "http://localhost/"}, "refused_private"),
    ],
)
def test_refused_targets_are_logged_not_requested(
    url: str, src_kw: dict[str, object], outcome: str
) -> None:
    results, _, seen = run(lambda r: httpx.Response(200), url=url, src=source(**src_kw))
    assert [r.outcome for r in results] == [outcome]
    assert seen == []
    assert url in (results[0].error or "")


def test_private_allowed_when_source_says_so() -> None:
    src = source(
        homepage="http://127.0.0.1:8080/", lists=("http://127.0.0.1:8080/l",), allow_private=True
    )
    results, _, _ = run(
        lambda r: httpx.Response(200, text="ok"), url="http://127.0.0.1:8080/l", src=src
    )
    assert results[-1].outcome == "ok"


def test_hostname_resolving_to_private_address_is_refused() -> None:
    async def resolve(host: str) -> list[str]:
        return ["192.168.1.10"]

    async def go() -> list[FetchResult]:
        async with Fetcher(
            settings(),
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
            resolve=resolve,
        ) as f:
            return await f.fetch(LIST, source())

    results = asyncio.run(go())
    assert results[-1].outcome == "refused_private" and "192.168.1.10" in (results[-1].error or "")


def test_attachment_host_allowed_only_when_declared() -> None:
    url = "http://files.wanyuan.gov.cn/a.pdf"
    refused, _, _ = run(lambda r: httpx.Response(200, content=b"%PDF"), url=url)
    assert refused[-1].outcome == "refused_host"
    ok, _, _ = run(
        lambda r: httpx.Response(200, content=b"%PDF"),
        url=url,
        src=source(attachment_hosts=("files.wanyuan.gov.cn",)),
    )
    assert ok[-1].outcome == "ok" and ok[-1].content == b"%PDF"


def test_another_port_of_the_same_host_is_another_site() -> None:
    """A link or redirect to the registry's host on another port is refused; the default
    ports of http and https are one site (a move to https is no other site)."""
    other_port, _, seen = run(lambda r: httpx.Response(200), url="http://www.wanyuan.gov.cn:8443/x")
    assert other_port[-1].outcome == "refused_host" and seen == []
    assert "www.wanyuan.gov.cn:8443" in (other_port[-1].error or "")
    tls, _, _ = run(lambda r: httpx.Response(200, text="ok"),
                    url="https://www.wanyuan.gov.cn/zwgk/x.html")
    assert tls[-1].outcome == "ok"

    def to_other_port(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://www.wanyuan.gov.cn:8080/x"})

    hops, _, _ = run(to_other_port)
    assert [r.outcome for r in hops[1:]] == ["redirect", "refused_host"]
    declared, _, _ = run(lambda r: httpx.Response(200, text="ok"),
                         url="http://files.wanyuan.gov.cn:8080/a.pdf",
                         src=source(attachment_hosts=("files.wanyuan.gov.cn:8080",)))
    assert declared[-1].outcome == "ok"


def test_redirects_are_checked_per_hop_and_capped() -> None:
    def off_site(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://evil.example.com/x"})

    results, _, _ = run(off_site)
    assert [r.outcome for r in results[1:]] == ["redirect", "refused_host"]

    def loop(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        return httpx.Response(301, headers={"Location": f"{LIST}?n={n + 1}"})

    results, _, seen = run(loop, max_redirects=3)
    assert results[-1].outcome == "too_many_redirects"
    assert len(seen) == 1 + 4  # robots + the first request and 3 followed hops

    def moved(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("index.html"):
            return httpx.Response(301, headers={"Location": "/zwgk/fzzfjs/"})
        return httpx.Response(200, text="moved here")

    results, _, _ = run(moved)
    assert results[-1].outcome == "ok" and results[-1].url == LIST
    assert results[-1].final_url == f"http://{HOST}/zwgk/fzzfjs/"


def test_redirect_into_a_robots_disallowed_path_is_not_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(301, headers={"Location": "/robots-real.txt"})
        if request.url.path == "/robots-real.txt":
            return httpx.Response(200, text=ROBOTS)
        return httpx.Response(302, headers={"Location": "/private/x.html"})

    seen: list[str] = []

    def wrapped(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return handler(request)

    async def go() -> list[FetchResult]:
        async with Fetcher(settings(), transport=httpx.MockTransport(wrapped)) as f:
            return await f.fetch(LIST, source())

    results = asyncio.run(go())
    assert results[-1].outcome == "robots" and "redirect from" in (results[-1].error or "")
    assert seen == ["/robots.txt", "/robots-real.txt", "/zwgk/fzzfjs/index.html"]


def test_conditional_request_304() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, text="fresh")

    results, _, seen = run(handler, etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert results[-1].outcome == "not_modified" and results[-1].error is None
    assert seen[-1].headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_size_caps_on_body_and_decompressed_body() -> None:
    big = b"x" * 5000
    results, _, _ = run(lambda r: httpx.Response(200, content=big), max_response_bytes=1000)
    assert results[-1].outcome == "too_large" and results[-1].content == b""

    declared = httpx.Response(200, headers={"Content-Length": "999999"}, content=b"")
    results, _, _ = run(lambda r: declared, max_response_bytes=1000)
    assert results[-1].outcome == "too_large" and "Content-Length" in (results[-1].error or "")

    bomb = gzip.compress(b"\0" * 2_000_000)  # ~2 KB on the wire
    results, _, _ = run(
        lambda r: httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"}),
        max_response_bytes=100_000,
    )
    assert results[-1].outcome == "too_large" and "decompressed" in (results[-1].error or "")


def test_budget_stops_requests_and_says_so() -> None:
    async def go() -> list[list[FetchResult]]:
        async with Fetcher(
            settings(),
            transport=httpx.MockTransport(lambda r: httpx.Response(200, text="ok")),
            sleep=FakeSleep(),
        ) as f:
            src = source(request_budget=3)
            return [await f.fetch(f"{LIST}?p={i}", src) for i in range(4)]

    out = asyncio.run(go())
    outcomes = [r.outcome for rs in out for r in rs]
    assert outcomes == ["ok", "ok", "ok", "budget", "budget"]  # robots + 2 pages, then none
    assert "budget of 3" in (out[-1][-1].error or "")


def test_one_request_at_a_time_per_host_with_delay_many_hosts_in_parallel() -> None:
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall = {"now": 0, "peak": 0}

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            h = request.url.host
            active[h] = active.get(h, 0) + 1
            overall["now"] += 1
            peak[h] = max(peak.get(h, 0), active[h])
            overall["peak"] = max(overall["peak"], overall["now"])
            await asyncio.sleep(0.005)
            active[h] -= 1
            overall["now"] -= 1
            return httpx.Response(200, text="User-agent: *\nAllow: /\n")

    hosts = [f"h{i}.gov.cn" for i in range(5)]

    async def go() -> None:
        async with Fetcher(settings(min_delay=0.01), transport=Slow()) as f:
            jobs = []
            for h in hosts:
                src = source(
                    id=h.replace(".", "-"), homepage=f"http://{h}/", lists=(f"http://{h}/l",)
                )
                jobs += [f.fetch(f"http://{h}/p{i}", src) for i in range(3)]
            await asyncio.gather(*jobs)

    asyncio.run(go())
    assert set(peak.values()) == {1}
    assert overall["peak"] > 1
