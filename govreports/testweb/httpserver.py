"""A small asyncio HTTP/1.1 server: keep-alive, conditional GET, latency and raw faults.

One ``Handler`` serves every port; ``asyncio.start_server`` gives each site its own listening
socket and the handler is told which site a connection belongs to. Raw socket control is
the reason this is not ``http.server``: resets (RST via SO_LINGER 0), truncated bodies and
requests that are never answered cannot be produced through a framework.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from functools import cache
from urllib.parse import quote, unquote, urlsplit

from govreports.testweb.faults import FaultPlan, Latency
from govreports.testweb.sites import Resource, Site

MAX_HEAD = 64 * 1024
NOT_FOUND = (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 页面不存在</title></head>"
    "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p>"
    "<a href=\"/\">返回首页</a></body></html>"
).encode()


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (the tests' view of what a crawler did)."""

    time: float  # time.time() when the request was read
    site: str
    host: str  # the Host header as sent
    port: int
    method: str
    path: str  # path with query, as requested
    status: int | None  # None: no response (timeout, reset)
    conditional: bool  # If-None-Match or If-Modified-Since present
    fault: str | None
    attempt: int  # how many times this site+path has been requested (this one included)
    user_agent: str = ""


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split()
    if len(parts) != 3:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = b""
    length = int(headers.get("content-length", "0") or 0)
    if length:
        body = await reader.readexactly(min(length, 1_000_000))
    return Request(parts[0].upper(), parts[1], parts[2].upper(), headers, body)


@cache
def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1000:1)."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
        left = size
        while left > 0:
            gz.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
    return buf.getvalue()


class Handler:
    """Per-connection logic, shared by all sites of one ``TestWeb``."""

    def __init__(self, log: Callable[[RequestRecord], None], seed: int) -> None:
        self.log = log
        self.plan = FaultPlan(None)
        self.latency = Latency()
        self.site_latency: dict[str, Latency] = {}
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.connections: set[asyncio.Task[None]] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    # ------------------------------------------------------------------ connection loop
    async def serve(self, site: Site, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.connections.add(task)
        self.writers.add(writer)
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                req = await read_request(reader)
                if req is None:
                    break
                if not await self.respond(site, port, req, reader, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, asyncio.CancelledError):
            pass  # a client that hangs up or sends garbage only loses its own connection
        finally:
            self.writers.discard(writer)
            if task is not None:
                self.connections.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def respond(self, site: Site, port: int, req: Request, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> bool:
        """Answer one request; return whether the connection stays open."""
        started = time.time()
        split = urlsplit(req.target)
        path, query = unquote(split.path) or "/", split.query
        target = f"{path}?{query}" if query else path
        keep = req.headers.get("connection", "").lower() != "close" and req.version == "HTTP/1.1"
        conditional = "if-none-match" in req.headers or "if-modified-since" in req.headers
        attempt = self.plan.attempt(site.name, target)
        fault = None if path.startswith("/__loop/") else self.plan.decide(site.name, target,
                                                                          attempt)

        # Responses are logged before they are sent: a client that has read one finds it in
        # the log (tests read the log right after their request returns).
        def record(status: int | None) -> None:
            self.log(RequestRecord(started, site.name, req.headers.get("host", ""), port,
                                   req.method, target, status, conditional, fault, attempt,
                                   req.headers.get("user-agent", "")))

        # Global and per-site latency add up: a slow site on a slow network.
        with self._rng_lock:
            wait = self.latency.sample(self._rng)
            if site.name in self.site_latency:
                wait += self.site_latency[site.name].sample(self._rng)
        if wait:
            await asyncio.sleep(wait)

        faults = self.plan.faults
        if fault == "timeout":
            record(None)
            while await reader.read(65536):  # hold the socket until the client gives up
                pass
            return False
        if fault == "reset":
            record(None)
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if fault in ("error_5xx", "rate_limit_429", "unavailable_503"):
            status = {"rate_limit_429": 429, "unavailable_503": 503}.get(
                fault, 0) or self.plan.choice((500, 502, 504))
            extra = [] if status in (500, 502, 504) else [
                ("Retry-After", str(faults.retry_after if faults else 1))]
            body = f"<html><body><h1>{status}</h1>服务器繁忙，请稍后再试。</body></html>".encode()
            record(status)
            await self._send(writer, status, body, "text/html; charset=utf-8", extra, keep,
                             req.method)
            return keep
        if fault == "redirect_loop" or path.startswith("/__loop/"):
            step = "2" if path == "/__loop/1" else "1"
            origin = query[2:] if path.startswith("/__loop/") else quote(target, safe="")
            location = f"/__loop/{step}?u={origin}"
            record(302)
            await self._send(writer, 302, b"", "text/html; charset=utf-8",
                             [("Location", location)], keep, req.method)
            return keep

        res = site.get(path, query)
        if req.method not in ("GET", "HEAD", "POST"):
            record(405)
            await self._send(writer, 405, b"", "text/plain", [("Allow", "GET, HEAD")], keep,
                             req.method)
            return keep
        if res is None:
            record(404)
            await self._send(writer, 404, NOT_FOUND, "text/html; charset=utf-8", [], keep,
                             req.method)
            return keep
        validators = [("ETag", res.etag), ("Last-Modified", _http_date(res.last_modified))]
        if _not_modified(req.headers, res):
            record(304)
            await self._send(writer, 304, b"", None, validators, keep, req.method)
            return keep

        ctype, body, extra = res.content_type, res.body, list(validators)
        if fault == "wrong_content_type":
            ctype = "application/octet-stream"
        elif fault == "lying_charset" and ctype.startswith("text/"):
            # Claim the other family: UTF-8 pages say gbk, GB pages say utf-8.
            lie = "gbk" if "utf-8" in ctype.lower() else "utf-8"
            ctype = f"{ctype.split(';')[0]}; charset={lie}"
        elif fault == "huge_page":
            size = faults.huge_bytes if faults else 25_000_000
            record(200)
            return await self._send_huge(writer, size, keep, req.method)
        elif fault == "gzip_bomb":
            size = faults.bomb_bytes if faults else 200_000_000
            body = await asyncio.get_running_loop().run_in_executor(None, gzip_bomb, size)
            extra.append(("Content-Encoding", "gzip"))
            ctype = "text/html; charset=utf-8"
        elif fault == "truncate":
            head = _head(200, ctype, len(body) + max(1024, len(body) // 2), extra, False)
            record(200)
            writer.write(head + (body[: len(body) // 2] if req.method != "HEAD" else b""))
            await writer.drain()
            return False
        elif fault == "slow_body":
            seconds = faults.slow_seconds if faults else 2.0
            record(200)
            writer.write(_head(200, ctype, len(body), extra, keep))
            if req.method != "HEAD":
                pieces = 20
                size = max(1, -(-len(body) // pieces))
                for i in range(0, len(body), size):
                    writer.write(body[i:i + size])
                    await writer.drain()
                    await asyncio.sleep(seconds / pieces)
            await writer.drain()
            return keep
        elif fault == "tarpit":  # a host answering a byte at a time, for as long as it takes
            interval = faults.tarpit_interval if faults else 0.2
            record(200)
            writer.write(_head(200, ctype, len(body), extra, False))
            if req.method != "HEAD":
                for i in range(len(body)):
                    writer.write(body[i:i + 1])
                    await writer.drain()
                    await asyncio.sleep(interval)
            await writer.drain()
            return False
        record(200)
        await self._send(writer, 200, body, ctype, extra, keep, req.method)
        return keep

    # ------------------------------------------------------------------ writing
    async def _send(self, writer: asyncio.StreamWriter, status: int, body: bytes,
                    ctype: str | None, headers: list[tuple[str, str]], keep: bool,
                    method: str) -> None:
        length = 0 if status == 304 else len(body)
        writer.write(_head(status, ctype, length, headers, keep))
        if method != "HEAD" and status != 304:
            writer.write(body)
        await writer.drain()

    async def _send_huge(self, writer: asyncio.StreamWriter, size: int, keep: bool,
                         method: str) -> bool:
        writer.write(_head(200, "text/html; charset=utf-8", size, [], keep))
        if method != "HEAD":
            opening = b"<html><head><meta charset=\"utf-8\"></head><body>"
            line = "<p>附件清单（续）第0000行：内容待补充。</p>\n".encode()
            writer.write(opening)
            left = size - len(opening)
            block = line * (65536 // len(line))
            while left > 0:
                piece = block[: min(left, len(block))]
                writer.write(piece)
                left -= len(piece)
                await writer.drain()
        await writer.drain()
        return keep


def _http_date(dt: datetime) -> str:
    return format_datetime(dt, usegmt=True)


def _not_modified(headers: dict[str, str], res: Resource) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or res.etag in tags
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return res.last_modified <= since
    return False


_REASONS = {200: "OK", 302: "Found", 304: "Not Modified", 404: "Not Found",
            405: "Method Not Allowed", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def _head(status: int, ctype: str | None, length: int, headers: list[tuple[str, str]],
          keep: bool) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}",
             f"Date: {formatdate(usegmt=True)}", "Server: govreports-testweb"]
    if ctype:
        lines.append(f"Content-Type: {ctype}")
    lines.append(f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append("Connection: keep-alive" if keep else "Connection: close")
    # Header values may carry non-ASCII (a Chinese Location); encode as servers do, UTF-8.
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
