"""Suite-wide set-up: offline, quiet Prefect in a temporary home; live tests opt-in."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports prefect: a private PREFECT_HOME, no analytics, no remote API.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="govreports-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
# flow and worker logs stay on the console: no test reads them from the API (sending them
# costs CPU in every flow process and in the server)
os.environ["PREFECT_LOGGING_TO_API_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-live", action="store_true", help="run tests that need the internet")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-live"):
        return
    skip = pytest.mark.skip(reason="needs the live web: pass --run-live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def real_html() -> Path:
    """../shared/real_html: real pages saved from government sites (never copied here)."""
    if not (SHARED / "real_html").is_dir():
        pytest.skip("../shared/real_html is not beside this checkout")
    return SHARED / "real_html"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Prefect server of the suite's own (one per test process; a start costs ~9 s of
    CPU): its environment for Prefect CLI, worker and flow processes. The deployment test
    and the in-process flow tests share it."""
    tmp_path = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # the server's background services no test uses: no cron runs scheduled ahead, no
        # late-run, pause, lease or vacuum sweeps, no automations, no event or task-run
        # history (flow runs and their states, deployments, pools and artifacts are kept)
        **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in (
            "SCHEDULER", "LATE_RUNS", "PAUSE_EXPIRATIONS", "CANCELLATION_CLEANUP", "FOREMAN",
            "TRIGGERS", "DB_VACUUM", "EVENT_LOGGER", "REPOSSESSOR", "EVENT_PERSISTER",
            "TASK_RUN_RECORDER")},
    }
    import httpx

    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            time.sleep(0.25)
        else:
            pytest.fail("prefect server did not start within 180 s")
        yield env
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def prefect_harness(prefect_server: dict[str, str]) -> Iterator[None]:
    """Flows run in this process against the suite's Prefect server."""
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
        yield
        try:  # the flows' logs reach the server before it stops
            APILogWorker.instance().drain()
        except RuntimeError:  # no flow logged
            pass


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A PostgreSQL server of the suite's own (one per test process), for the DuckLake catalog.

    Started with the project's own ``warehouse.pgserver`` (Debian's PostgreSQL, installed by
    ``.ci/run``); skips with the reason only where the server programs are missing."""

    from warehouse import pgserver

    try:
        pgserver.bin_dir()
    except pgserver.PgUnavailable as exc:
        pytest.skip(str(exc))
    directory = Path(tempfile.mkdtemp(prefix="govreports-pg-", dir="/tmp"))
    server = pgserver.up(directory, pgserver.free_port())
    try:
        yield server
    finally:
        pgserver.down(directory)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def pg_catalog(pg_server: object, request: pytest.FixtureRequest) -> str:
    """A fresh PostgreSQL database on the suite's server: a DuckLake catalog for one test."""
    import re
    import uuid

    from warehouse import pgserver

    assert isinstance(pg_server, pgserver.PgServer)
    name = "t_" + re.sub(r"\W", "_", request.node.name)[:40].lower() + "_" + uuid.uuid4().hex[:6]
    return pgserver.create_database(pg_server, name)
