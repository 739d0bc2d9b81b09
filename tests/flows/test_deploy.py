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

# one Prefect server for the module's tests on a worker (a start costs ~10 s)
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = [sys.executable, "-m", "prefect"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    tmp_path = tmp_path_factory.mktemp("prefect-server")
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


def _post(url: str, body: object) -> httpx.Response:
    """POST to the Prefect API; a busy server (SQLite under a loaded machine) answers 503
    for a moment, which a client retries."""
    for _ in range(20):
        res = httpx.post(url, json=body, timeout=30)
        if res.status_code != 503:
            return res
        time.sleep(0.5)
    return res


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


def _process_pool(api: str) -> None:
    """The process pool the deployments name (a process pool needs no job template of its
    own: created through the API, which saves a Prefect CLI start-up)."""
    made = _post(f"{api}/work_pools/", {"name": "govreports-process",
                                                  "type": "process"})
    assert made.status_code in (201, 409), made.text  # 409: the module's other test made it


def test_deploy_all_then_a_backfill_run_on_a_process_worker(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    env = prefect_server
    api = env["PREFECT_API_URL"]
    _process_pool(api)
    out = _prefect(["--no-prompt", "deploy", "--all"], env)
    for name in ("nightly_crawl/nightly", "backfill/backfill", "reparse/reparse"):
        assert name in out, out

    deployments = _post(f"{api}/deployments/filter", {}).json()
    by_name = {d["name"]: d for d in deployments if not d["name"].startswith("nightly-shard")}
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
    moved = _post(f"{api}/deployments/filter", {}).json()
    nightly = next(d for d in moved if d["name"] == "nightly")
    assert nightly["work_pool_name"] == "govreports-k8s"  # the last one it was deployed to
    assert nightly["job_variables"]["image"] == "govreports:0.1.0"
    steps = nightly["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]
    assert steps["directory"] == workdir
    kinds = {p["name"]: p["type"] for p in _post(f"{api}/work_pools/filter", {}).json()}
    assert {kinds[p] for p, _ in pools} == {"docker", "kubernetes"}

    # `govreports serve` on the same server registers its own deployments beside these: the
    # deployed ones keep their pull steps (a served deployment of the same name used to
    # replace them, and every later worker run crashed).
    before = {d["name"]: d for d in _post(f"{api}/deployments/filter", {}).json()
              if not d["name"].startswith("nightly-shard")}
    served = subprocess.run(
        [sys.executable, "-c",
         "from flows.serve import deployments\nfor d in deployments(): d.apply()"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=240)
    assert served.returncode == 0, served.stderr
    after = {d["name"]: d for d in _post(f"{api}/deployments/filter", {}).json()
             if not d["name"].startswith("nightly-shard")}
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
        # the columns that carry 2022 reports (the others would only add crawling time)
        with_2022 = ["sc-wanyuan-trs", "sc-wanyuan-xxgknb", "jl-chuanying-xxgknb",
                     "sc-sft-xxgknb"]
        run = _post(f"{api}/deployments/{backfill['id']}/create_flow_run",
                    {"parameters": {"years": [2022], "registry": str(registry),
                                    "sources": with_2022}})
        assert run.status_code == 201, run.text
        _prefect(
            ["worker", "start", "--pool", "govreports-process", "--run-once"],
            worker_env,
            timeout=400,
        )
    runs = _post(f"{api}/flow_runs/filter", {}).json()
    runs = [r for r in runs if r["deployment_id"] == backfill["id"]]
    assert [r["state_type"] for r in runs] == ["COMPLETED"], runs
    assert runs[0]["parameters"]["years"] == [2022]

    query = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.cli",
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


def test_three_process_workers_run_the_sharded_night_into_postgres_ducklake(
    prefect_server: dict[str, str], pg_catalog: str, tmp_path: Path
) -> None:
    """prefect.shards.yaml on the process pool, three workers started side by side, each
    taking one shard's run, all writing one DuckLake on the suite's PostgreSQL: the night
    loads what one unsharded run loads, each shard in its own run."""
    from flows.common import PLAIN, crawl_and_load
    from govreports.registry import load_registry, shard_of
    from govreports.settings import Settings
    from warehouse import Warehouse

    env = prefect_server
    api = env["PREFECT_API_URL"]
    _process_pool(api)
    out = _prefect(["--no-prompt", "deploy", "--prefect-file", "prefect.shards.yaml", "--all"],
                   env)
    shards = {d["name"]: d for d in _post(f"{api}/deployments/filter", {}).json()
              if d["name"].startswith("nightly-shard")}
    assert sorted(shards) == [f"nightly-shard-{k}-of-3" for k in (1, 2, 3)], out
    assert {d["parameters"]["shard"] for d in shards.values()} == {"1/3", "2/3", "3/3"}

    with TestWeb(base_port=0) as web:
        registry = web.write_registry(tmp_path / "sources.yaml")
        # one source of each shard that has one (the test web's ports, so shards, vary)
        by_shard: dict[int, str] = {}
        for src in load_registry(registry)[0]:
            by_shard.setdefault(shard_of(src, 3), src.id)
        only = sorted(by_shard.values())
        lake = {"GOVREPORTS_WAREHOUSE_TARGET": "ducklake",
                "GOVREPORTS_DUCKLAKE_CATALOG": pg_catalog,
                "GOVREPORTS_DUCKLAKE_DATA_PATH": str(tmp_path / "lake") + "/",
                "GOVREPORTS_DATA_DIR": str(tmp_path / "data"),
                "GOVREPORTS_WAREHOUSE": str(tmp_path / "unused.duckdb"),
                "GOVREPORTS_MIN_DELAY": "0"}
        ids = []
        for d in shards.values():
            run = _post(f"{api}/deployments/{d['id']}/create_flow_run",
                        {"parameters": {"shard": d["parameters"]["shard"],
                                        "registry": str(registry), "sources": only}})
            assert run.status_code == 201, run.text
            ids.append(run.json()["id"])
        # three workers at once, each running at most one flow run at a time
        logs = [(tmp_path / f"worker{i}.log").open("w") for i in range(3)]
        workers = [subprocess.Popen(
            [*PREFECT, "worker", "start", "--pool", "govreports-process", "--limit", "1",
             "--name", f"worker-{i}"],
            env={**env, **lake, "PREFECT_WORKER_QUERY_SECONDS": "1",
                 "PREFECT_LOGGING_LEVEL": "INFO"},
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            for i, log in enumerate(logs)]
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                runs = {r["id"]: r for r in _post(
                    f"{api}/flow_runs/filter", {}).json() if r["id"] in ids}
                if all(r["state_type"] in ("COMPLETED", "FAILED", "CRASHED")
                       for r in runs.values()):
                    break
                time.sleep(1)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(timeout=60)
            for log in logs:
                log.close()
        assert [r["state_type"] for r in runs.values()] == ["COMPLETED"] * 3, runs
        # which worker ran which run: it said it was submitting it and was not told to abort
        took = {}
        for k in range(3):
            lines = (tmp_path / f"worker{k}.log").read_text().splitlines()
            took[k] = sum(
                any("submitting flow run" in ln and i in ln for ln in lines)
                and not any("Aborted submission" in ln and i in ln for ln in lines)
                for i in ids)
        assert sum(took.values()) == 3 and max(took.values()) < 3, took
        # the shards ran side by side: some two runs overlap in time
        spans = sorted((r["start_time"], r["end_time"]) for r in runs.values())
        assert any(spans[i + 1][0] < spans[i][1] for i in range(2)), spans

        # the reference: one unsharded run of the same registry into a local file
        whole = Settings(warehouse=tmp_path / "whole.duckdb", data_dir=tmp_path / "whole",
                         min_delay=0.0)
        crawl_and_load("nightly", sources=only, registry=str(registry), full=False,
                       years=None, refetch=False, settings=whole, steps=PLAIN)
    sql = ("SELECT report_key, revision, family, n_sections, n_mentions FROM reports"
           " ORDER BY ALL")
    lake_settings = Settings(warehouse=tmp_path / "unused.duckdb", data_dir=tmp_path / "data",
                             warehouse_target="ducklake", ducklake_catalog=pg_catalog,
                             ducklake_data_path=str(tmp_path / "lake") + "/")
    with Warehouse(lake_settings) as wh:
        got = wh.query(sql)[1]
        shards_run = wh.query("SELECT json_extract_string(params, '$.shard') FROM runs"
                              " WHERE kind = 'nightly' ORDER BY 1")[1]
    with Warehouse(whole) as wh:
        assert got == wh.query(sql)[1] and got  # (two sources may carry one report)
    assert shards_run == [("1/3",), ("2/3",), ("3/3",)]
