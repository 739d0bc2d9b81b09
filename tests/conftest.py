"""Suite-wide set-up: offline, quiet Prefect in a temporary home; live tests opt-in."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports prefect: a private PREFECT_HOME, no analytics, no remote API.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="govreports-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
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


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session (it costs ~10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A PostgreSQL server of the suite's own (one per test process), for the DuckLake catalog.

    Started with the project's own ``warehouse.pgserver`` (Debian's PostgreSQL, installed by
    ``.ci/run``); skips with the reason only where the server programs are missing."""
    import shutil

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
