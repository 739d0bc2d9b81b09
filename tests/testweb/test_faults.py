"""Every fault mode is observable from a real client, and the knobs behave as documented."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator

import httpx
import pytest

from govreports.decode import decode_bytes
from govreports.testweb import MODES, Faults, TestWeb
from govreports.testweb.faults import FaultPlan, Latency

INDEX = "/zwgk/fzzfjs/index.html"


@pytest.fixture(scope="module")
def fweb() -> Iterator[TestWeb]:
    with TestWeb() as w:
        yield w


@pytest.fixture(autouse=True)
def _reset(fweb: TestWeb) -> Iterator[None]:
    yield
    fweb.set_faults(None)
    fweb.set_latency(0.0)
    for site in fweb.sites:
        fweb.set_latency(0.0, site=site)


def _url(web: TestWeb, path: str = INDEX, site: str = "trs") -> str:
    return web.sites[site] + path


def _last_fault(web: TestWeb) -> str | None:
    return web.request_log[-1].fault


def test_5xx_429_503(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("error_5xx", seed=3))
    codes = {client.get(_url(fweb)).status_code for _ in range(12)}
    assert codes <= {500, 502, 504} and len(codes) >= 2
    fweb.set_faults(Faults.only("rate_limit_429", retry_after=7))
    resp = client.get(_url(fweb))
    assert resp.status_code == 429 and resp.headers["retry-after"] == "7"
    fweb.set_faults(Faults.only("unavailable_503", retry_after=2))
    resp = client.get(_url(fweb))
    assert resp.status_code == 503 and resp.headers["retry-after"] == "2"
    assert _last_fault(fweb) == "unavailable_503"


def test_timeout_holds_until_the_client_gives_up(fweb: TestWeb) -> None:
    fweb.set_faults(Faults.only("timeout"))
    started = time.monotonic()
    with httpx.Client(timeout=0.4, trust_env=False) as c, pytest.raises(httpx.ReadTimeout):
        c.get(_url(fweb))
    assert 0.35 < time.monotonic() - started < 3
    rec = fweb.request_log[-1]
    assert rec.fault == "timeout" and rec.status is None


def test_reset_and_truncation_break_the_transfer(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("reset"))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        client.get(_url(fweb))
    assert fweb.request_log[-1].status is None
    fweb.set_faults(Faults.only("truncate"))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(_url(fweb))
    assert _last_fault(fweb) == "truncate"


def test_slow_body_trickles_but_arrives_whole(fweb: TestWeb, client: httpx.Client) -> None:
    whole = client.get(_url(fweb)).content
    fweb.set_faults(Faults.only("slow_body", slow_seconds=0.6))
    started = time.monotonic()
    chunks = 0
    with client.stream("GET", _url(fweb)) as resp:
        body = b""
        for chunk in resp.iter_raw():
            body += chunk
            chunks += 1
    assert time.monotonic() - started >= 0.5 and body == whole and chunks > 5


def test_content_type_and_charset_lies(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("wrong_content_type"))
    assert client.get(_url(fweb)).headers["content-type"] == "application/octet-stream"
    fweb.set_faults(Faults.only("lying_charset"))
    resp = client.get(_url(fweb))
    assert resp.headers["content-type"] == "text/html; charset=gbk"
    decoded = decode_bytes(resp.content, resp.headers["content-type"])
    assert decoded.encoding == "utf-8" and "法治政府建设" in decoded.text
    legacy = client.get(_url(fweb, "/list.asp?page=1", "legacy"))
    assert legacy.headers["content-type"] == "text/html; charset=utf-8"
    assert "政務公開" in decode_bytes(legacy.content, legacy.headers["content-type"]).text


def test_redirect_loop_never_ends(fweb: TestWeb) -> None:
    fweb.set_faults(Faults.only("redirect_loop"))
    with httpx.Client(trust_env=False, follow_redirects=True, max_redirects=6) as c, \
            pytest.raises(httpx.TooManyRedirects):
        c.get(_url(fweb))
    locations = [r.path for r in fweb.request_log[-7:]]
    assert locations[0] == INDEX and {p.split("?")[0] for p in locations[1:]} == {
        "/__loop/1", "/__loop/2"}


def test_huge_page_and_gzip_bomb(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("huge_page", huge_bytes=3_000_000))
    with client.stream("GET", _url(fweb)) as resp:
        assert int(resp.headers["content-length"]) == 3_000_000
        assert sum(len(c) for c in resp.iter_raw()) == 3_000_000
    fweb.set_faults(Faults.only("gzip_bomb", bomb_bytes=20_000_000))
    with client.stream("GET", _url(fweb)) as resp:
        assert resp.headers["content-encoding"] == "gzip"
        raw = b"".join(resp.iter_raw())
    assert len(raw) < 100_000
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert len(inflater.decompress(raw, 25_000_000)) == 20_000_000
    assert raw[:2] == b"\x1f\x8b"


def test_first_n_lets_a_retrying_client_succeed(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("error_5xx", first_n=2))
    url = _url(fweb, "/zwgk/fzzfjs/index_1.html")
    statuses = [client.get(url).status_code for _ in range(4)]
    assert [s >= 500 for s in statuses] == [True, True, False, False]
    assert [r.attempt for r in fweb.request_log[-4:]] == [1, 2, 3, 4]
    assert client.get(_url(fweb)).status_code >= 500  # another URL has its own count


def test_robots_sites_and_paths_can_be_spared(fweb: TestWeb, client: httpx.Client) -> None:
    fweb.set_faults(Faults.only("unavailable_503"))
    assert client.get(_url(fweb, "/robots.txt")).status_code == 200
    fweb.set_faults(Faults.only("unavailable_503", include_robots=True))
    assert client.get(_url(fweb, "/robots.txt")).status_code == 503
    fweb.set_faults(Faults.only("unavailable_503", sites=frozenset({"hanweb"})))
    assert client.get(_url(fweb)).status_code == 200
    assert client.get(_url(fweb, "/col/col6157/index.html", "hanweb")).status_code == 503
    fweb.set_faults(Faults.only("unavailable_503", path_pattern=r"index_\d+\.html$"))
    assert client.get(_url(fweb)).status_code == 200
    assert client.get(_url(fweb, "/zwgk/fzzfjs/index_2.html")).status_code == 503


def test_mixed_rates_follow_the_seeded_rng(fweb: TestWeb, client: httpx.Client) -> None:
    def run(seed: int) -> list[int]:
        fweb.set_faults(Faults(error_5xx=0.3, unavailable_503=0.2, seed=seed))
        return [client.get(_url(fweb)).status_code for _ in range(40)]

    a, b, c = run(5), run(5), run(6)
    assert a == b and a != c
    share = sum(s != 200 for s in a) / len(a)
    assert 0.25 < share < 0.8 and 200 in a and 503 in a


def test_fault_config_is_validated() -> None:
    with pytest.raises(ValueError, match="must not exceed 1"):
        Faults(reset=0.7, timeout=0.5)
    with pytest.raises(ValueError, match="unknown fault mode"):
        Faults.only("explode")
    with pytest.raises(ValueError, match="negative"):
        Faults(reset=-0.1)
    with pytest.raises(ValueError, match="non-negative"):
        Latency(-1.0)
    assert set(Faults(**{m: 1 / len(MODES) for m in MODES}).active()) == set(MODES)
    plan = FaultPlan(Faults.only("reset", first_n=1))
    assert plan.decide("trs", "/a", plan.attempt("trs", "/a")) == "reset"
    assert plan.decide("trs", "/a", plan.attempt("trs", "/a")) is None


def test_latency_global_and_per_site(fweb: TestWeb, client: httpx.Client) -> None:
    def timed(site: str, path: str) -> float:
        start = time.monotonic()
        assert client.get(_url(fweb, path, site)).status_code == 200
        return time.monotonic() - start

    fweb.set_latency(0.25, site="hanweb")
    assert timed("hanweb", "/robots.txt") >= 0.24
    assert timed("trs", "/robots.txt") < 0.2
    fweb.set_latency(0.15, jitter=0.1)
    t = timed("trs", "/robots.txt")
    assert 0.14 <= t < 0.6
    assert timed("hanweb", "/robots.txt") >= 0.39  # site latency adds to the global one
