"""HTTP behaviour: validators and 304s, 404s, HEAD, keep-alive, the request log, mutation."""

from __future__ import annotations

import socket
from email.utils import format_datetime, parsedate_to_datetime

import httpx

from govreports.testweb import TestWeb


def _report(web: TestWeb, site: str) -> str:
    return next(u for _, _, u in web.expected_reports if u.startswith(web.sites[site]))


def test_every_page_has_validators_and_304s(web: TestWeb, client: httpx.Client) -> None:
    for _, _, url in web.expected_reports:
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert etag.startswith('"') and parsedate_to_datetime(modified).year >= 2022
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        since = client.get(url, headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        stale = client.get(url, headers={"If-None-Match": '"not-this-one"'})
        assert stale.status_code == 200 and stale.content == first.content
        older = parsedate_to_datetime(modified).replace(year=2001)
        assert client.get(url, headers={"If-Modified-Since": format_datetime(older, usegmt=True)}
                          ).status_code == 200


def test_unknown_paths_are_404_and_head_has_no_body(web: TestWeb, client: httpx.Client) -> None:
    for base in web.sites.values():
        missing = client.get(base + "/zwgk/no-such-page.html")
        assert missing.status_code == 404 and "页面不存在" in missing.text
    url = _report(web, "trs")
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get(url).content)
    assert client.request("DELETE", url).status_code == 405


def test_keep_alive_serves_several_requests_on_one_socket(web: TestWeb) -> None:
    port = int(web.sites["trs"].rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for path in ("/robots.txt", "/zwgk/fzzfjs/index.html", "/robots.txt"):
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(1)
            assert head.startswith(b"HTTP/1.1 200 OK") and b"Connection: keep-alive" in head
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            body = b""
            while len(body) < length:
                body += sock.recv(length - len(body))
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        assert b"Connection: close" in data and data.endswith(b"Disallow: /search/\n")


def test_request_log_records_what_clients_did(web: TestWeb, client: httpx.Client) -> None:
    web.clear_log()
    url = _report(web, "hanweb")
    etag = client.get(url, headers={"User-Agent": "govreports-test"}).headers["etag"]
    client.get(url, headers={"If-None-Match": etag})
    client.get(web.sites["legacy"] + "/missing.asp?id=1")
    log = web.request_log
    assert [(r.site, r.method, r.status, r.conditional) for r in log] == [
        ("hanweb", "GET", 200, False), ("hanweb", "GET", 304, True), ("legacy", "GET", 404, False)]
    assert log[0].path == url.split(web.sites["hanweb"])[1]
    assert log[0].user_agent == "govreports-test"
    assert log[1].attempt == log[0].attempt + 1 and log[2].path == "/missing.asp?id=1"
    assert log[0].host == web.sites["hanweb"].removeprefix("http://") and log[0].fault is None
    web.clear_log()
    assert web.request_log == []


def test_change_report_makes_one_new_revision(client: httpx.Client) -> None:
    with TestWeb() as web:  # own instance: the mutation must not leak into other tests
        for site in ("trs", "hanweb", "legacy", "xxgk", "mirror"):
            url = _report(web, site)
            before = client.get(url)
            assert web.change_report(site) == url
            after = client.get(url)
            assert after.headers["etag"] != before.headers["etag"]
            assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
                before.headers["last-modified"])
            assert client.get(url, headers={"If-None-Match": before.headers["etag"]}
                              ).status_code == 200
            assert client.get(url, headers={"If-None-Match": after.headers["etag"]}
                              ).status_code == 304
            text = after.content.decode("gb18030" if site == "legacy" else "utf-8")
            assert "第1次修订" in text or "第1次修訂" in text
            assert len(after.content) > len(before.content)
        web.change_report("trs")
        text = client.get(_report(web, "trs")).text
        assert "第1次修订" in text and "第2次修订" in text
        try:
            web.change_report("attach")
        except ValueError as exc:
            assert "attach" in str(exc)
        else:
            raise AssertionError("attachment files cannot be mutated")


def test_garbage_requests_only_cost_their_own_connection(web: TestWeb,
                                                         client: httpx.Client) -> None:
    port = int(web.sites["xxgk"].rsplit(":", 1)[1])
    for junk in (b"NONSENSE\r\n\r\n", b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(junk)
            assert sock.recv(100) == b""  # closed without an answer
    assert client.get(web.sites["xxgk"] + "/robots.txt").status_code == 200
