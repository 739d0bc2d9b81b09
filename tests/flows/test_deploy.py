"""`prefect deploy --all` against a local Prefect server, then a parameterised backfill run
executed by a process worker against the test web. This is what "run it on a schedule" in
the README does, end to end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from govreports.testweb import TestWeb

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = [sys.executable, "-m", "prefect"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
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
            time.sleep(1)
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


def _prefect_many(commands: list[list[str]], env: dict[str, str], timeout: float = 240) -> None:
    """Several Prefect CLI commands in one process (the CLI's start-up costs seconds each)."""
    prog = (
        "import sys\nfrom prefect.cli import app\n"
        f"for args in {commands!r}:\n"
        "    sys.argv = ['prefect', *args]\n"
        "    try:\n        app()\n"
        "    except SystemExit as e:\n"
        "        if e.code:\n            sys.exit(f'prefect {args}: exit {e.code}')\n"
    )
    done = subprocess.run([sys.executable, "-c", prog], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"


def _prefect(args: list[str], env: dict[str, str], timeout: float = 240) -> str:
    done = subprocess.run(
        [*PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_deploy_all_then_a_backfill_run_on_a_process_worker(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    env = prefect_server
    api = env["PREFECT_API_URL"]
    # a process pool needs no job template of its own: created through the API (a second
    # saved on the Prefect CLI's start-up)
    made = httpx.post(f"{api}/work_pools/", json={"name": "govreports-process",
                                                  "type": "process"}, timeout=30)
    assert made.status_code == 201, made.text
    out = _prefect(["--no-prompt", "deploy", "--all"], env)
    for name in ("nightly_crawl/nightly", "backfill/backfill", "reparse/reparse"):
        assert name in out, out

    deployments = httpx.post(f"{api}/deployments/filter", json={}, timeout=30).json()
    by_name = {d["name"]: d for d in deployments}
    assert set(by_name) == {"nightly", "backfill", "reparse"}
    nightly = by_name["nightly"]
    # prefect.yaml's concurrency_limit becomes a global concurrency limit on the deployment
    limit = (nightly.get("global_concurrency_limit") or {}).get("limit")
    assert 1 in (limit, nightly.get("concurrency_limit")), nightly
    cron = [s["schedule"] for s in nightly["schedules"]]
    assert cron == [{"cron": "30 2 * * *", "timezone": "Asia/Shanghai", "day_or": True}]
    assert not by_name["backfill"]["schedules"] and not by_name["reparse"]["schedules"]

    # Past one machine: the same prefect.yaml on docker and kubernetes pools, with the image
    # as a job variable. Prefect then runs flows from /opt/prefect, where the Dockerfile
    # puts the project.
    workdir = next(
        line.split()[1]
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.startswith("WORKDIR")
    )
    pools = (("govreports-docker", "docker"), ("govreports-k8s", "kubernetes"))
    _prefect_many([
        step for pool, kind in pools for step in (
            ["work-pool", "create", pool, "--type", kind],
            ["--no-prompt", "deploy", "-n", "nightly", "--pool", pool,
             "--job-variable", "image=govreports:0.1.0"],
        )
    ], env)
    moved = httpx.post(f"{api}/deployments/filter", json={}, timeout=30).json()
    nightly = next(d for d in moved if d["name"] == "nightly")
    assert nightly["work_pool_name"] == "govreports-k8s"  # the last one it was deployed to
    assert nightly["job_variables"]["image"] == "govreports:0.1.0"
    steps = nightly["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]
    assert steps["directory"] == workdir
    kinds = {p["name"]: p["type"] for p in httpx.post(f"{api}/work_pools/filter", json={},
                                                       timeout=30).json()}
    assert {kinds[p] for p, _ in pools} == {"docker", "kubernetes"}

    # `govreports serve` on the same server registers its own deployments beside these: the
    # deployed ones keep their pull steps (a served deployment of the same name used to
    # replace them, and every later worker run crashed).
    before = {d["name"]: d for d in httpx.post(f"{api}/deployments/filter", json={},
                                               timeout=30).json()}
    served = subprocess.run(
        [sys.executable, "-c",
         "from flows.serve import deployments\nfor d in deployments(): d.apply()"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=240)
    assert served.returncode == 0, served.stderr
    after = {d["name"]: d for d in httpx.post(f"{api}/deployments/filter", json={},
                                              timeout=30).json()}
    assert set(after) == set(before) | {"nightly-serve", "backfill-serve", "reparse-serve"}
    for name in ("nightly", "backfill", "reparse"):
        assert after[name]["pull_steps"] == before[name]["pull_steps"] != None  # noqa: E711
        assert after[name]["work_pool_name"] == before[name]["work_pool_name"]

    with TestWeb(base_port=0) as web:
        registry = web.write_registry(tmp_path / "sources.yaml")
        worker_env = {
            **env,
            "GOVREPORTS_WAREHOUSE": str(tmp_path / "wh.duckdb"),
            "GOVREPORTS_DATA_DIR": str(tmp_path / "data"),
            "GOVREPORTS_MIN_DELAY": "0",
        }
        backfill = after["backfill"]
        run = httpx.post(f"{api}/deployments/{backfill['id']}/create_flow_run",
                         json={"parameters": {"years": [2022], "registry": str(registry)}},
                         timeout=30)
        assert run.status_code == 201, run.text
        _prefect(
            ["worker", "start", "--pool", "govreports-process", "--run-once"],
            worker_env,
            timeout=400,
        )
    runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=30).json()
    assert [r["state_type"] for r in runs] == ["COMPLETED"], runs
    assert runs[0]["parameters"]["years"] == [2022]

    query = subprocess.run(
        [
            sys.executable,
            "-m",
            "govreports.cli",
            "query",
            "select issuer, report_year, family from reports_current order by family, issuer",
            "--format",
            "json",
        ],
        env=worker_env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert query.returncode == 0, query.stderr
    # the 2022 法治政府建设 report, and the three 2022 政府信息公开工作年度报告 of the columns
    # registered for them (one with a planted inconsistency: loaded, its bad cell held back)
    assert json.loads(query.stdout) == [
        {"issuer": i, "report_year": 2022, "family": f} for i, f in (
            ("万源市人民政府", "disclosure_annual"), ("四川省司法厅", "disclosure_annual"),
            ("船营区人民政府", "disclosure_annual"), ("万源市人民政府", "rule_of_law"))
    ]
