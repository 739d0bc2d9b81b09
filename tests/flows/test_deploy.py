"""`prefect deploy --all` against a local Prefect server, then process workers running the
deployed flows against the test web: what "run it on a schedule" in the README and
"several workers" in docs/deployment.md do, end to end. One test, so one server and one set
of workers (each Prefect process costs seconds of CPU to start)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from govreports.testweb import TestWeb

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PREFECT = [sys.executable, "-m", "prefect"]


def _post(url: str, body: object) -> httpx.Response:
    """POST to the Prefect API; a busy server (SQLite under a loaded machine) answers 503
    for a moment, which a client retries."""
    for _ in range(20):
        res = httpx.post(url, json=body, timeout=30)
        if res.status_code != 503:
            return res
        time.sleep(0.5)
    return res


def _prefect_many(commands: list[list[str]], env: dict[str, str], then: str = "",
                  timeout: float = 240) -> None:
    """Several Prefect CLI commands in one process (the CLI's start-up costs seconds each),
    then some Python in the same process."""
    prog = (
        "import sys\nfrom prefect.cli import app\n"
        f"for args in {commands!r}:\n"
        "    sys.argv = ['prefect', *args]\n"
        "    try:\n        app()\n"
        "    except SystemExit as e:\n"
        "        if e.code:\n            sys.exit(f'prefect {args}: exit {e.code}')\n"
        f"{then}\n"
    )
    done = subprocess.run([sys.executable, "-c", prog], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"


def _process_pool(api: str) -> None:
    """The process pool the deployments name (a process pool needs no job template of its
    own: created through the API, which saves a Prefect CLI start-up)."""
    made = _post(f"{api}/work_pools/", {"name": "govreports-process", "type": "process"})
    assert made.status_code == 201, made.text


def _wait_for(api: str, ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        runs = {r["id"]: r for r in _post(f"{api}/flow_runs/filter", {}).json()
                if r["id"] in ids}
        done = all(r["state_type"] in ("COMPLETED", "FAILED", "CRASHED") for r in runs.values())
        if done or time.monotonic() > deadline:
            return runs
        time.sleep(1)


def test_deployments_coexist_and_three_process_workers_run_a_backfill_and_the_sharded_night(
    prefect_server: dict[str, str], pg_catalog: str, tmp_path: Path
) -> None:
    """What the README's "run it on a schedule" and docs/deployment.md's "several workers" do,
    on one Prefect server: `prefect deploy --all` for prefect.yaml and prefect.shards.yaml, the
    same nightly moved to docker and kubernetes pools, `govreports serve` beside them; then
    three process workers take four runs side by side: a parameterised backfill into a DuckDB
    file and the three shards of the night into one DuckLake on the suite's PostgreSQL."""
    from flows.common import PLAIN, crawl_and_load
    from govreports.registry import load_registry, shard_of
    from govreports.settings import Settings
    from warehouse import Warehouse

    env = prefect_server
    api = env["PREFECT_API_URL"]
    _process_pool(api)
    # Past one machine: the same prefect.yaml on docker and kubernetes pools, with the image
    # as a job variable. Prefect then runs flows from /opt/prefect, where the Dockerfile
    # puts the project. Then `govreports serve` registers its own deployments beside these:
    # the deployed ones keep their pull steps (a served deployment of the same name used to
    # replace them, and every later worker run crashed).
    pools = (("govreports-docker", "docker"), ("govreports-k8s", "kubernetes"))
    _prefect_many(
        [["--no-prompt", "deploy", "--all"],
         ["--no-prompt", "deploy", "--prefect-file", "prefect.shards.yaml", "--all"]]
        + [step for pool, kind in pools for step in (
            ["work-pool", "create", pool, "--type", kind],
            ["--no-prompt", "deploy", "-n", "nightly", "--pool", pool,
             "--job-variable", "image=govreports:0.1.0"])],
        env, then="from flows.serve import deployments\nfor d in deployments(): d.apply()")

    by_name = {d["name"]: d for d in _post(f"{api}/deployments/filter", {}).json()}
    shard_names = [f"nightly-shard-{k}-of-3" for k in (1, 2, 3)]
    assert set(by_name) == {"nightly", "backfill", "reparse", *shard_names,
                            "nightly-serve", "backfill-serve", "reparse-serve"}, sorted(by_name)
    nightly = by_name["nightly"]
    # prefect.yaml's concurrency_limit becomes a global concurrency limit on the deployment
    limit = (nightly.get("global_concurrency_limit") or {}).get("limit")
    assert 1 in (limit, nightly.get("concurrency_limit")), nightly
    cron = [s["schedule"] for s in nightly["schedules"]]
    assert cron == [{"cron": "30 2 * * *", "timezone": "Asia/Shanghai", "day_or": True}]
    assert not by_name["backfill"]["schedules"] and not by_name["reparse"]["schedules"]
    workdir = next(
        line.split()[1]
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.startswith("WORKDIR")
    )
    assert nightly["work_pool_name"] == "govreports-k8s"  # the last one it was deployed to
    assert nightly["job_variables"]["image"] == "govreports:0.1.0"
    kinds = {p["name"]: p["type"] for p in _post(f"{api}/work_pools/filter", {}).json()}
    assert {kinds[p] for p, _ in pools} == {"docker", "kubernetes"}
    here = "prefect.deployments.steps.set_working_directory"
    for name in ("nightly", "backfill", "reparse", *shard_names):
        assert by_name[name]["pull_steps"] == [
            {here: {"directory": workdir if name == "nightly" else str(REPO)}}], by_name[name]
    for name in ("backfill", "reparse", *shard_names):
        assert by_name[name]["work_pool_name"] == "govreports-process"
    assert {by_name[n]["parameters"]["shard"] for n in shard_names} == {"1/3", "2/3", "3/3"}

    with TestWeb(base_port=0) as web:
        registry = web.write_registry(tmp_path / "sources.yaml")
        # the backfill: a parameterised run on the columns that carry 2022 reports, into a
        # DuckDB file named in the run's own job variables
        backfill_env = {"GOVREPORTS_WAREHOUSE_TARGET": "duckdb",
                        "GOVREPORTS_WAREHOUSE": str(tmp_path / "wh.duckdb"),
                        "GOVREPORTS_DATA_DIR": str(tmp_path / "backfill-data")}
        with_2022 = ["sc-wanyuan-trs", "sc-wanyuan-xxgknb", "jl-chuanying-xxgknb",
                     "sc-sft-xxgknb"]
        run = _post(f"{api}/deployments/{by_name['backfill']['id']}/create_flow_run",
                    {"parameters": {"years": [2022], "registry": str(registry),
                                    "sources": with_2022},
                     "job_variables": {"env": backfill_env}})
        assert run.status_code == 201, run.text
        backfill_id = run.json()["id"]
        # the night: one source of each shard that has one (the test web's ports, so shards,
        # vary), every shard into the DuckLake the workers are configured for
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
        shard_ids = []
        for name in shard_names:
            d = by_name[name]
            run = _post(f"{api}/deployments/{d['id']}/create_flow_run",
                        {"parameters": {"shard": d["parameters"]["shard"],
                                        "registry": str(registry), "sources": only}})
            assert run.status_code == 201, run.text
            shard_ids.append(run.json()["id"])
        ids = [backfill_id, *shard_ids]
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
            runs = _wait_for(api, ids, timeout=400)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(timeout=60)
            for log in logs:
                log.close()
        assert [runs[i]["state_type"] for i in ids] == ["COMPLETED"] * 4, runs
        assert runs[backfill_id]["parameters"]["years"] == [2022]
        # which worker ran which run: it said it was submitting it and was not told to abort
        took = {}
        for k in range(3):
            lines = (tmp_path / f"worker{k}.log").read_text().splitlines()
            took[k] = sum(
                any("submitting flow run" in ln and i in ln for ln in lines)
                and not any("Aborted submission" in ln and i in ln for ln in lines)
                for i in ids)
        assert sum(took.values()) == 4 and sum(1 for n in took.values() if n) >= 2, took
        # the runs went side by side: some two overlap in time
        spans = sorted((r["start_time"], r["end_time"]) for r in runs.values())
        assert any(spans[i + 1][0] < spans[i][1] for i in range(3)), spans

        # the reference: one unsharded run of the same registry into a local file
        whole = Settings(warehouse=tmp_path / "whole.duckdb", data_dir=tmp_path / "whole",
                         min_delay=0.0)
        crawl_and_load("nightly", sources=only, registry=str(registry), full=False,
                       years=None, refetch=False, settings=whole, steps=PLAIN)

    # the backfill: the 2022 法治政府建设 report, and the three 2022 政府信息公开工作年度报告
    # of the columns registered for them (one with a planted inconsistency: loaded, its bad
    # cell held back)
    backfilled = Settings(warehouse=tmp_path / "wh.duckdb", data_dir=tmp_path / "backfill-data")
    with Warehouse(backfilled) as wh:
        assert wh.query("select issuer, report_year, family from reports_current"
                        " order by family, issuer")[1] == [
            (issuer, 2022, family) for issuer, family in (
                ("万源市人民政府", "disclosure_annual"), ("四川省司法厅", "disclosure_annual"),
                ("船营区人民政府", "disclosure_annual"), ("万源市人民政府", "rule_of_law"))]
    # the night: the shards load what one unsharded run loads, each shard in its own run
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
