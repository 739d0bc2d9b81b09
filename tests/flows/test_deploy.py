"""`prefect deploy --all` against a local Prefect server, then process workers running the
deployed flows against the test web: what "run it on a schedule" in the README and
"several workers" in docs/deployment.md do, end to end. One test, so one server and one set
of workers (each Prefect process costs seconds of CPU to start)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    from govreports.registry import load_registry, shard_host, shard_of
    from govreports.settings import Settings
    from tests.reliability.harness import consistency_problems, table_checksums
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
    assert set(by_name) == {"nightly", "backfill", "reparse", "maintain", *shard_names,
                            "nightly-serve", "backfill-serve", "reparse-serve",
                            "maintain-serve"}, sorted(by_name)
    nightly = by_name["nightly"]
    # prefect.yaml's concurrency_limit becomes a global concurrency limit on the deployment
    limit = (nightly.get("global_concurrency_limit") or {}).get("limit")
    assert 1 in (limit, nightly.get("concurrency_limit")), nightly
    cron = [s["schedule"] for s in nightly["schedules"]]
    assert cron == [{"cron": "30 2 * * *", "timezone": "Asia/Shanghai", "day_or": True}]
    assert not by_name["backfill"]["schedules"] and not by_name["reparse"]["schedules"]
    for name in ("maintain", "maintain-serve"):  # weekly, Sunday morning after the night
        assert [s["schedule"] for s in by_name[name]["schedules"]] == [
            {"cron": "0 6 * * 0", "timezone": "Asia/Shanghai", "day_or": True}], name
        assert by_name[name]["parameters"] == {"keep_days": 7}
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
    for name in ("nightly", "backfill", "reparse", "maintain", *shard_names):
        assert by_name[name]["pull_steps"] == [
            {here: {"directory": workdir if name == "nightly" else str(REPO)}}], by_name[name]
    for name in ("backfill", "reparse", "maintain", *shard_names):
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
        # the night: shards split the registry by host (the test web's ports, so shards,
        # vary). One source of each shard, and in one shard a second source on another
        # site that answers slowly: that shard's worker is killed between its two loads.
        registered = load_registry(registry)[0]
        by_shard: dict[int, dict[str, str]] = {}
        for src in registered:
            by_shard.setdefault(shard_of(src, 3), {}).setdefault(shard_host(src), src.id)
        victim = next(k for k, hosts in sorted(by_shard.items()) if len(hosts) >= 2)
        backfill_hosts = {shard_host(s) for s in registered if s.id in with_2022}
        hosts = sorted(by_shard[victim], key=lambda h: h not in backfill_hosts)  # slow: last
        fast_id, slow_id = by_shard[victim][hosts[0]], by_shard[victim][hosts[-1]]
        only = sorted({next(iter(h.values())) for h in by_shard.values()} | {fast_id, slow_id})
        slow_site = next(n for n, url in web.sites.items() if urlsplit(url).netloc == hosts[-1])
        web.set_latency(1.0, site=slow_site)
        lake = {"GOVREPORTS_WAREHOUSE_TARGET": "ducklake",
                "GOVREPORTS_DUCKLAKE_CATALOG": pg_catalog,
                "GOVREPORTS_DUCKLAKE_DATA_PATH": str(tmp_path / "lake") + "/",
                "GOVREPORTS_DATA_DIR": str(tmp_path / "data"),
                "GOVREPORTS_WAREHOUSE": str(tmp_path / "unused.duckdb"),
                "GOVREPORTS_MIN_DELAY": "0"}
        lake_settings = Settings(warehouse=tmp_path / "unused.duckdb",
                                 data_dir=tmp_path / "data", min_delay=0.0,
                                 warehouse_target="ducklake", ducklake_catalog=pg_catalog,
                                 ducklake_data_path=str(tmp_path / "lake") + "/")
        shard_ids = []
        for name in shard_names:
            d = by_name[name]
            run = _post(f"{api}/deployments/{d['id']}/create_flow_run",
                        {"parameters": {"shard": d["parameters"]["shard"],
                                        "registry": str(registry), "sources": only}})
            assert run.status_code == 201, run.text
            shard_ids.append(run.json()["id"])
        victim_id = shard_ids[victim - 1]
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
            # the victim shard's worker, with the flow run it started, is SIGKILLed once the
            # shard's first source is loaded (its second is still being crawled): a host lost
            killed = _kill_mid_night(workers, tmp_path, victim_id, lake_settings, fast_id)
            runs = _wait_for(api, [i for i in ids if i != victim_id], timeout=400)
        finally:
            for w in workers:
                if w.poll() is None:
                    w.terminate()
            for w in workers:
                w.wait(timeout=60)
            for log in logs:
                log.close()
        assert [runs[i]["state_type"] for i in ids if i != victim_id] == ["COMPLETED"] * 3, runs
        assert runs[backfill_id]["parameters"]["years"] == [2022]
        with Warehouse(lake_settings) as wh:  # the killed shard loaded one source, not two
            loaded = dict(wh.query("SELECT source_id, count(*) FROM documents GROUP BY 1")[1])
        assert loaded.get(fast_id) and not loaded.get(slow_id), (killed, loaded)
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
        assert any(spans[i + 1][0] < spans[i][1] for i in range(2)), spans

        # the next night (here, one shard after another: the concurrency was the first
        # night's): the killed shard's run picks up what it missed
        web.set_latency(0, site=slow_site)
        for k in (1, 2, 3):
            done = crawl_and_load("nightly", sources=only, registry=str(registry), full=False,
                                  years=None, refetch=False, settings=lake_settings,
                                  steps=PLAIN, shard=f"{k}/3")
            assert done["errors"] == 0, done
        # the reference: one unsharded, uninterrupted run of the same sources into a file
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
    # the two nights leave exactly the data tables one uninterrupted run leaves
    assert table_checksums(lake_settings) == table_checksums(whole)
    assert consistency_problems(lake_settings) == []
    with Warehouse(lake_settings) as wh:
        shard_of_run = {r: json.loads(p)["shard"] for r, p in wh.query(
            "SELECT run_id, params FROM runs WHERE kind = 'nightly'")[1]}
        fetched = wh.query("SELECT url, run_id FROM fetch_log")[1]
        crashed = wh.query("SELECT json_extract_string(params, '$.shard') FROM runs"
                           " WHERE json_extract_string(summary, '$.status') = 'crashed'")[1]
        # migrations, views and the quarantine live in the PostgreSQL catalog too
        assert wh.query("SELECT max(version) FROM schema_migrations")[1][0][0] >= 10
        assert wh.query("SELECT count(*) FROM report_coverage")[1][0][0] > 0
    assert sorted(shard_of_run.values()) == ["1/3", "1/3", "2/3", "2/3", "3/3", "3/3"]
    # only the killed run is closed as crashed, by its own shard's next run
    assert crashed == [(f"{victim}/3",)]
    # per-host politeness across shards: every host was fetched by one shard only
    shards_of_host: dict[str, set[str]] = {}
    for url, run_id in fetched:
        shards_of_host.setdefault(urlsplit(url).netloc, set()).add(shard_of_run[run_id])
    assert all(len(v) == 1 for v in shards_of_host.values()), shards_of_host


def _descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_mid_night(workers: list[subprocess.Popen[bytes]], tmp_path: Path, run_id: str,
                    settings: Any, loaded_source: str) -> int:
    """SIGKILL the worker that runs ``run_id``, and all it started, once ``loaded_source``
    is in the warehouse; which worker it was."""
    from warehouse import db

    deadline = time.monotonic() + 240
    con = None
    while time.monotonic() < deadline:
        who = [k for k in range(len(workers)) if any(
            "submitting flow run" in ln and run_id in ln
            for ln in (tmp_path / f"worker{k}.log").read_text().splitlines())]
        try:
            con = con or db.connect_lake(settings, read_only=True)
            row = con.execute("SELECT count(*) FROM documents WHERE source_id = ?",
                              [loaded_source]).fetchone()
            loaded = bool(row and row[0])
        except Exception:  # noqa: BLE001 - the lake is still being created by a shard
            con, loaded = None, False
        if who and loaded:
            victim = workers[who[0]]
            for pid in [victim.pid, *_descendants(victim.pid)]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            victim.wait(timeout=30)
            if con is not None:
                con.close()
            return who[0]
        time.sleep(0.2)
    raise AssertionError(f"{loaded_source} was never loaded by run {run_id}")
