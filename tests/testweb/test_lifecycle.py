"""Start/stop hygiene, fixed ports, generated sites, and the ``govreports testweb`` command."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from govreports import yamlfile
from govreports.testweb import Faults, TestWeb
from govreports.testweb.generated import ARTICLES

ROOT = Path(__file__).resolve().parents[2]


def _refused(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_start_is_fast_and_stop_leaves_nothing_behind(client: httpx.Client) -> None:
    TestWeb().start().stop()  # warm the caches (seed files, opencc) first
    before = {t.ident for t in threading.enumerate()}
    started = time.monotonic()
    web = TestWeb().start()
    assert time.monotonic() - started < 1.0  # ~0.05 s warm; slack for a loaded CI box
    assert web.running and len(web.sites) == 7  # six hand-built, one declared (vsb)
    urls = list(web.sites.values())
    assert client.get(urls[0] + "/robots.txt").status_code == 200
    # a connection held open by a timeout fault must not keep the server alive
    web.set_faults(Faults.only("timeout"))
    holder = socket.create_connection(("127.0.0.1", int(urls[1].rsplit(":", 1)[1])))
    holder.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    web.stop()
    assert holder.recv(10) == b""  # the server hung up on stop
    holder.close()
    assert not web.running
    assert {t.ident for t in threading.enumerate()} <= before
    assert all(_refused(u) for u in urls)
    web.stop()  # idempotent


def test_context_manager_and_restart_refusal() -> None:
    with TestWeb() as web:
        with pytest.raises(RuntimeError, match="already running"):
            web.start()
        urls = list(web.sites.values())
    assert all(_refused(u) for u in urls)


def test_base_port_puts_sites_on_consecutive_ports(client: httpx.Client) -> None:
    for _ in range(5):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 65000:
            continue
        try:
            web = TestWeb(base_port=base).start()
        except OSError:
            continue  # another process took one of the ports meanwhile
        try:
            assert [int(u.rsplit(":", 1)[1]) for u in web.sites.values()] == list(
                range(base, base + 7))
            with pytest.raises(OSError, match=r"cannot listen on 127\.0\.0\.1:\d+ for site"):
                TestWeb(base_port=base).start()
            assert client.get(web.sites["trs"] + "/robots.txt").status_code == 200
        finally:
            web.stop()
        return
    pytest.skip("no free run of ports found")


def _snapshot(web: TestWeb, client: httpx.Client, site: str) -> dict[str, bytes]:
    base = web.sites[site] + "/xxgk/tzgg/"
    pages = {}
    for p in ("index.html", "index_1.html", "index_2.html", "index_3.html"):
        pages[p] = client.get(base + p).content
    for href in re.findall(rb'href="\./(\d{6}/t\d{8}_\d+\.html)"', pages["index_1.html"])[:3]:
        pages[href.decode()] = client.get(base + href.decode()).content
    return pages


def test_generated_sites_are_many_sized_and_deterministic(client: httpx.Client) -> None:
    with TestWeb(generated_sites=12, seed=7) as a:
        names = list(a.sites)
        # six hand-built sites, one per declared family (cms_families.yaml), then generated
        assert names[:7] == ["trs", "hanweb", "legacy", "attach", "xxgk", "mirror", "vsb"]
        assert names[7:] == [f"gen-{i:03d}" for i in range(12)]
        snap_a = _snapshot(a, client, "gen-004")
        links = []
        for p in ("index.html", "index_1.html", "index_2.html", "index_3.html"):
            links += re.findall(rb'href="\./(\d{6}/t\d{8}_\d+\.html)"', snap_a[p])
        assert len(links) == len(set(links)) == ARTICLES
        assert b"var countPage = 4" in snap_a["index.html"]
        sizes = [len(v) for k, v in snap_a.items() if k.endswith(".html") and "/" in k]
        assert all(25_000 < s < 40_000 for s in sizes), sizes
        gen_bases = [a.sites[n] for n in names[7:]]
        gen_reports = [r for r in a.expected_reports if "/".join(r[2].split("/")[:3]) in gen_bases]
        assert len(gen_reports) == 12 and len(a.expected_reports) == 8 + 12  # one copy per site
        assert len({(i, y) for i, y, _ in a.expected_reports}) == 3
        for _, _, url in gen_reports:
            assert client.get(url).status_code == 200
        issuers = [s["issuer"] for s in a.registry()[10:]]  # 10 entries of the 7 sites first
        assert len(set(issuers)) == 12
    with TestWeb(generated_sites=12, seed=7) as b:
        assert _snapshot(b, client, "gen-004") == snap_a
        assert [u.split("/", 3)[3] for *_, u in b.expected_reports] == [
            u.split("/", 3)[3] for *_, u in a.expected_reports]
    with TestWeb(generated_sites=12, seed=8) as c:
        assert _snapshot(c, client, "gen-004") != snap_a


def test_two_hundred_generated_hosts_start_quickly() -> None:
    started = time.monotonic()
    with TestWeb(generated_sites=200) as web:
        assert time.monotonic() - started < 5.0
        assert len(web.sites) == 207 and len(set(web.sites.values())) == 207
        reg = yamlfile.safe_load(web.registry_yaml())
        assert len(reg["sources"]) == 210  # + three 政府信息公开年报 columns


def test_cli_serves_and_writes_a_registry(tmp_path: Path) -> None:
    out = tmp_path / "testweb.yaml"
    with subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "testweb", "--port", "0",
         "--registry-out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(11)]  # 10 registry entries
            assert lines[0].startswith("trs ") and "/zwgk/fzzfjs/index.html" in lines[0]
            assert lines[1].startswith("trs ") and "/zwgk/zfxxgknb/index.html" in lines[1]
            assert lines[9].startswith("vsb ") and "/fzzfjs.htm" in lines[9]
            assert lines[10].strip() == f"registry: {out}"
            url = lines[1].split()[1]
            with httpx.Client(trust_env=False, timeout=5) as c:
                assert c.get(url).status_code == 200
            assert yamlfile.safe_load(out.read_text("utf-8"))["sources"][1]["lists"] == [url]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
