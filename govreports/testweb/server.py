"""``TestWeb``: the virtual sites served from one background thread running an asyncio loop."""

from __future__ import annotations

import asyncio
import functools
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

from govreports.testweb.declared import build_declared_sites
from govreports.testweb.disclosure import Numbers
from govreports.testweb.faults import FaultPlan, Faults, Latency
from govreports.testweb.generated import build_generated
from govreports.testweb.httpserver import Handler, RequestRecord
from govreports.testweb.sites import Site, build_default_sites

HOST = "127.0.0.1"


class TestWeb:
    """Government sites on 127.0.0.1, one port per site. See the package docstring."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, base_port: int = 0, latency: float = 0.0, faults: Faults | None = None,
                 generated_sites: int = 0, seed: int = 0) -> None:
        if generated_sites < 0:
            raise ValueError(f"generated_sites must be >= 0, got {generated_sites}")
        self.base_port = base_port
        self.seed = seed
        self.generated_sites = generated_sites
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._handler = Handler(self._append, seed)
        self._handler.latency = Latency(latency)
        self._handler.plan = FaultPlan(faults)
        self._sites: list[Site] = []
        self._ports: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> TestWeb:
        if self._thread is not None:
            raise RuntimeError("TestWeb is already running")
        # the hand-built sites, one per CMS family whose declaration has a testweb section,
        # then the generated ones
        self._sites = build_default_sites() + build_declared_sites() + [
            build_generated(self.seed, i) for i in range(self.generated_sites)
        ]
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="govreports-testweb", daemon=True)
        self._thread.start()
        ready.wait()
        try:
            asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout=30)
        except BaseException:
            self.stop()
            raise
        return self

    async def _listen(self) -> None:
        for i, site in enumerate(self._sites):
            port = self.base_port + i if self.base_port else 0
            try:
                server = await asyncio.start_server(
                    functools.partial(self._handler.serve, site), HOST, port,
                    limit=64 * 1024, backlog=128)
            except OSError as exc:
                raise OSError(f"test web: cannot listen on {HOST}:{port} for site "
                              f"{site.name!r}: {exc.strerror}") from exc
            self._servers.append(server)
            self._ports[site.name] = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            try:
                fut.result(timeout=10)
            finally:
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None
        self._servers = []

    async def _shutdown(self) -> None:
        for server in self._servers:
            server.close()
        for writer in list(self._handler.writers):
            writer.transport.abort()
        tasks = list(self._handler.connections)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        # gzip bombs are built in the default executor; do not leave its thread behind.
        await asyncio.get_running_loop().shutdown_default_executor()

    def __enter__(self) -> TestWeb:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ addresses
    @property
    def sites(self) -> dict[str, str]:
        """Site name → base URL (``http://127.0.0.1:PORT``), in a stable order."""
        return {name: f"http://{HOST}:{port}" for name, port in self._ports.items()}

    def url(self, site: str, path: str = "/") -> str:
        return self.sites[self._known(site)] + path

    def _known(self, site: str) -> str:
        if site not in self._ports:
            raise KeyError(f"no test-web site {site!r}; running sites: {', '.join(self._ports)}")
        return site

    def site(self, name: str) -> Site:
        """The content model of one site (paths, resources, report copies)."""
        for s in self._sites:
            if s.name == name:
                return s
        raise KeyError(f"no test-web site {name!r}")

    # ------------------------------------------------------------------ knobs
    def set_faults(self, faults: Faults | None) -> None:
        """Replace the fault configuration; per-URL attempt counters start again."""
        self._handler.plan = FaultPlan(faults)

    def set_latency(self, fixed: float, jitter: float = 0.0, site: str | None = None) -> None:
        """Delay responses by ``fixed`` + U[0, jitter) seconds: every site's (``site=None``)
        or one site's extra delay, added to the global one. ``set_latency(0, site=s)`` clears."""
        lat = Latency(fixed, jitter)
        if site is None:
            self._handler.latency = lat
        else:
            self._handler.site_latency[self._known(site)] = lat

    def change_report(self, site_name: str) -> str:
        """Append a correction paragraph to the site's report page; return the page URL.

        The page gets a new ETag and a Last-Modified of now, so conditional requests see it
        changed. Only HTML report pages can change (not the attachment files).
        """
        site = self.site(self._known(site_name))
        path = site.change_report()
        return self.url(site_name, path)

    # ------------------------------------------------------------------ observation
    def _append(self, rec: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(rec)

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    @property
    def expected_reports(self) -> list[tuple[str, int, str]]:
        """(issuer, report_year, url) for every copy of every report a crawler must find."""
        from govreports.testweb.content import seed_reports

        reps = seed_reports()
        return [(reps[c.key].issuer, reps[c.key].report_year, self.url(s.name, c.path))
                for s in self._sites for c in s.reports]

    @property
    def expected_disclosures(self) -> list[tuple[str, int, str, Numbers]]:
        """(issuer, report_year, url, numbers) for every 政府信息公开工作年度报告 served: the
        report page (for a file, the page that links it) and the numbers its tables print
        (``numbers.planted`` names the one cell made inconsistent, if any)."""
        return [(d.issuer, d.year, self.url(s.name, d.path), d.numbers)
                for s in self._sites for d in s.disclosures]

    # ------------------------------------------------------------------ registry
    def registry(self) -> list[dict[str, Any]]:
        out = []
        for s in self._sites:
            base = self.sites[s.name]
            for entry in (s.source, *s.more_sources):
                src = dict(entry)
                src["homepage"] = base + str(src["homepage"])
                src["lists"] = [base + str(p) for p in src["lists"]]  # type: ignore[attr-defined]
                src.setdefault("min_delay", 0.0)
                src["allow_private"] = True
                src["verified"] = True
                out.append(src)
        return out

    def registry_yaml(self) -> str:
        if not self._ports:
            raise RuntimeError("start the test web before asking for its registry")
        head = "# Source registry for the local test web (generated; ports change per run).\n"
        return head + yaml.safe_dump({"sources": self.registry()}, allow_unicode=True,
                                     sort_keys=False, width=120)

    def write_registry(self, path: str | Path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.registry_yaml(), encoding="utf-8")
        return p
