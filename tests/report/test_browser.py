"""The report in headless Chromium: the charts drew, no network request, a screenshot.

The DevTools protocol, not ``--dump-dom``, because it sees every request the page makes
(``Network.requestWillBeSent``), every script error and every CSP complaint, and it can wait
until the page says its charts are drawn before measuring and taking the screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-sync",
    "--metrics-recording-only",
    # Belt and braces: were the page to ask for any host, the name would not resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class BrowserUnavailable(RuntimeError):
    pass


def find_chromium() -> str:
    """Debian's chromium, installed by the set-up (``make browser``), never by a test."""
    found = shutil.which("chromium")
    if not found:
        raise BrowserUnavailable(
            "chromium is not installed: run `make browser` (or sudo apt-get install -y "
            "chromium fonts-wqy-zenhei)"
        )
    return found


@dataclass
class PageResult:
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    probe: dict[str, Any] = field(default_factory=dict)
    png: bytes = b""

    @property
    def network_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]


# What the test asks of the rendered DOM: per chart, whether Vega drew marks into an SVG.
PROBE = """
(() => {
  const root = document.documentElement;
  const charts = {};
  for (const el of document.querySelectorAll('.chart[id]')) {
    const svg = el.querySelector('svg');
    charts[el.id] = {
      svg: !!svg,
      marks: svg ? svg.querySelectorAll('path, rect, line, text').length : 0,
      width: svg ? svg.getBoundingClientRect().width : 0,
      height: svg ? svg.getBoundingClientRect().height : 0,
      error: el.classList.contains('chart-error') ? el.textContent : null,
    };
  }
  return JSON.stringify({
    drawn: root.dataset.chartsDrawn ?? null,
    failed: root.dataset.chartsFailed ?? null,
    cspViolations: Number(root.dataset.cspViolations || 0),
    lastViolation: root.dataset.lastViolation || null,
    scripts: document.querySelectorAll('script').length,
    alerts: window.__alerts || 0,
    empty: !!document.getElementById('empty'),
    charts,
  });
})()
"""


class _Session:
    def __init__(self, ws: ClientConnection, session_id: str) -> None:
        self.ws, self.session_id = ws, session_id
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {},
                                 "sessionId": self.session_id}))  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)


def _launch(binary: str, profile: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start Chromium; its DevTools endpoint is announced in <profile>/DevToolsActivePort."""
    proc = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        lines = port_file.read_text().split() if port_file.exists() else []
        if len(lines) >= 2:
            return proc, f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.1)
    _stop(proc)
    raise BrowserUnavailable(f"{binary} did not start its DevTools endpoint within 30 s")


def render(
    ws_url: str,
    page: Path,
    timeout: float = 45,
    until: Callable[[dict[str, Any]], bool] | None = None,
) -> PageResult:
    """Open ``page`` in a new tab of the headless Chromium at ``ws_url``; wait for the charts
    (or for ``until(probe)``); probe, screenshot, report; close the tab."""
    result = PageResult()
    with connect(ws_url, max_size=None, open_timeout=10) as ws:
        ws.send(json.dumps({"id": 0, "method": "Target.createTarget",
                            "params": {"url": "about:blank"}}))  # fmt: skip
        target = _wait_id(ws, 0)["targetId"]
        ws.send(json.dumps({"id": -1, "method": "Target.attachToTarget",
                            "params": {"targetId": target, "flatten": True}}))  # fmt: skip
        s = _Session(ws, _wait_id(ws, -1)["sessionId"])
        for domain in ("Network", "Page", "Runtime", "Log"):
            s.send(f"{domain}.enable")
        # Count alert() calls: a hostile title must never get to run one.
        s.send("Page.addScriptToEvaluateOnNewDocument", {
            "source": "window.__alerts = 0; window.alert = () => { window.__alerts++; };"
        })  # fmt: skip
        s.send("Page.navigate", {"url": page.resolve().as_uri()})
        deadline = time.monotonic() + timeout
        probe: dict[str, Any] = {}
        while time.monotonic() < deadline:
            got = s.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True})
            if "exceptionDetails" in got:  # the document is still being replaced
                probe = {"exception": got["exceptionDetails"].get("text")}
                time.sleep(0.2)
                continue
            probe = json.loads(got["result"]["value"])
            settled = probe["drawn"] is not None or (
                probe["scripts"] <= 1 and probe["empty"]
            )
            if settled and (until is None or until(probe)):
                break
            time.sleep(0.2)
        result.probe = probe
        metrics = s.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = s.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"],
                     "height": min(size["height"], 12000), "scale": 1},
        })  # fmt: skip
        result.png = base64.b64decode(shot["data"])
        _collect(s.events, result)
        ws.send(json.dumps({"id": -2, "method": "Target.closeTarget",
                            "params": {"targetId": target}}))  # fmt: skip
        _wait_id(ws, -2)
    return result


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the Chromium we started and its helper processes (its own process group)."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _wait_id(ws: ClientConnection, msg_id: int) -> dict[str, Any]:
    while True:
        msg = json.loads(ws.recv(timeout=15))
        if msg.get("id") == msg_id:
            if "error" in msg:
                raise RuntimeError(str(msg["error"]))
            return dict(msg["result"])


def _collect(events: list[dict[str, Any]], result: PageResult) -> None:
    for e in events:
        method, p = e["method"], e.get("params", {})
        if method == "Network.requestWillBeSent":
            result.requests.append(p["request"]["url"])
        elif method == "Network.loadingFailed":
            result.failed.append(f"{p.get('errorText')} {p.get('blockedReason') or ''}".strip())
        elif method == "Runtime.exceptionThrown":
            result.errors.append(p["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            result.errors.append(p["entry"].get("text", ""))


# ----------------------------------------------------------------------------- tests
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # git-ignored


@pytest.fixture(scope="session")
def chromium() -> Iterator[str]:
    """One headless Chromium for the session (its own profile): its DevTools endpoint. Each
    page is rendered in a tab of its own, closed afterwards."""
    try:
        binary = find_chromium()
    except (BrowserUnavailable, subprocess.TimeoutExpired, OSError) as exc:
        pytest.skip(f"headless Chromium unavailable: {exc}")
    with tempfile.TemporaryDirectory(
        prefix="govreports-chromium-", ignore_cleanup_errors=True
    ) as profile:
        proc, ws_url = _launch(binary, Path(profile))
        try:
            yield ws_url
        finally:
            with contextlib.suppress(Exception):  # the browser may close the socket first
                with connect(ws_url, open_timeout=10) as ws:
                    ws.send(json.dumps({"id": 1, "method": "Browser.close"}))
            _stop(proc)


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What `govreports demo` loads: the bundled test web (127.0.0.1) crawled and loaded,
    through the same plain task functions the nightly flow wraps (no Prefect server)."""
    from govreports.settings import Settings
    from govreports.testweb import TestWeb
    from tasks.crawl import crawl_sources
    from tasks.extract import build_batch
    from tasks.load import load_batch
    from tasks.sources import load_sources
    from warehouse import Warehouse

    root = tmp_path_factory.mktemp("demo")
    settings = Settings(warehouse=root / "wh.duckdb", data_dir=root / "data", min_delay=0.0)
    with TestWeb(base_port=0) as web:
        found, problems = load_sources(web.write_registry(root / "sources.yaml"), None)
        assert found and not problems, problems
        with Warehouse(settings) as wh:
            run_id = wh.start_run("nightly", {"demo": True})
            wh.upsert_sources(found)
            crawled = crawl_sources(found, wh, settings)
        for sc in crawled:
            load_batch(build_batch(sc, run_id), settings)
    return settings


def _assert_drawn_offline(got: PageResult, charts: int = 4) -> None:
    probe = got.probe
    assert probe["failed"] == "0" and probe["drawn"] == str(charts), probe
    for chart_id in ("chart-coverage", "chart-timeliness", "chart-indicator", "chart-quality"):
        chart = probe["charts"][chart_id]
        assert chart["svg"] and chart["error"] is None, (chart_id, chart)
        assert chart["marks"] > 10 and chart["width"] > 100 and chart["height"] > 50, chart
    # Nothing but the file itself was requested, nothing was refused, no script failed.
    assert got.network_requests == [], got.network_requests
    assert got.requests and got.requests[0].startswith("file:"), got.requests
    assert probe["cspViolations"] == 0, probe["lastViolation"]
    assert got.failed == [] and got.errors == [], (got.failed, got.errors)
    assert got.png.startswith(b"\x89PNG") and len(got.png) > 50_000


@pytest.mark.browser
@pytest.mark.slow
def test_demo_report_draws_its_charts_offline(chromium: str, demo_settings: Any) -> None:
    from ui.htmlreport import write_report

    out = write_report(demo_settings, ARTIFACTS / "report.html")
    size = out.stat().st_size
    assert size < 3_000_000, f"{out}: {size} bytes, over the few-MB budget"
    got = render(chromium, out)
    (ARTIFACTS / "report.png").write_bytes(got.png)
    # coverage, timeliness, indicator, 政府信息公开 outcomes, data quality
    _assert_drawn_offline(got, charts=5)


@pytest.mark.browser
def test_hostile_titles_stay_text_in_the_browser(chromium: str, hostile_scenario: Any) -> None:
    from ui.htmlreport import write_report

    out = write_report(
        hostile_scenario.settings,
        ARTIFACTS / "report-hostile.html",
        indicator="mediation_success_rate",
    )
    got = render(chromium, out)
    (ARTIFACTS / "report-hostile.png").write_bytes(got.png)
    _assert_drawn_offline(got)
    assert got.probe["alerts"] == 0, "a scraped <script> title ran in the page"


@pytest.mark.browser
def test_empty_page_renders_and_a_request_would_be_caught(
    chromium: str, make_warehouse: Any, tmp_path: Path
) -> None:
    from ui.htmlreport import write_report

    scenario = make_warehouse(empty=True)
    out = write_report(scenario.settings, tmp_path / "empty.html")
    got = render(chromium, out, timeout=45)
    assert got.probe["empty"] and got.probe["charts"] == {}, got.probe
    assert got.network_requests == [] and got.errors == [], (got.requests, got.errors)

    # Negative control: the same page with one remote image. The harness must see the
    # request, and the page's CSP must refuse it (a .invalid name never resolves anyway).
    leaky = tmp_path / "leaky.html"
    pixel = "https://example.invalid/pixel.png"
    leaky.write_text(
        out.read_text(encoding="utf-8").replace("<main>", f'<main><img src="{pixel}">', 1),
        encoding="utf-8",
    )
    # The CSP violation is reported asynchronously, after the page has settled: wait for it.
    caught = render(chromium, leaky, timeout=45, until=lambda p: p["cspViolations"] >= 1)
    assert caught.network_requests == [pixel], caught.requests
    assert caught.probe["cspViolations"] == 1 and caught.failed == ["csp"], caught.probe
