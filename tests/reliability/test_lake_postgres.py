"""DuckLake on a real PostgreSQL catalog (the suite's own server), written by three shards of
the nightly run at once: exactly the tables of one run into the single-file warehouse."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from flows.common import PLAIN, crawl_and_load
from govreports.registry import load_registry, shard_of
from govreports.settings import Settings
from govreports.testweb import TestWeb

from .harness import consistency_problems, fast_settings, rows, run_pipeline, table_checksums

REPO = Path(__file__).resolve().parents[2]


def lake(tmp: Path, catalog: str) -> Settings:
    return fast_settings(tmp, warehouse_target="ducklake", ducklake_catalog=catalog,
                         ducklake_data_path=str(tmp / "lake") + "/")


# A shard of the nightly run in its own process (no Prefect: the plain steps the flow calls).
# With a marker file, it writes the file as its first load begins (the parent kills it then).
SHARD = """
import json, logging, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="%(asctime)s %(name)s %(message)s")
from flows.common import PLAIN, Steps, crawl_and_load
from govreports.settings import Settings
settings = Settings(**json.loads(sys.argv[1]))
marker = Path(sys.argv[4]) if sys.argv[4] else None
def extract_and_load(*args, **kw):
    if marker is not None:
        marker.write_text("loading")
    return PLAIN.extract_and_load(*args, **kw)
steps = Steps(PLAIN.load_sources, PLAIN.crawl_sources, extract_and_load)
out = crawl_and_load("nightly", sources=json.loads(sys.argv[5]), registry=sys.argv[2],
                     full=False, years=None, refetch=False, settings=settings, steps=steps,
                     shard=sys.argv[3])
print(json.dumps({"new": out["new_reports"], "errors": out["errors"]}))
"""


def _shard(settings: Settings, registry: Path, shard: str, only: list[str],
           marker: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", SHARD, settings.model_dump_json(), str(registry), shard,
            str(marker or ""), json.dumps(only)]
    return subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish(procs: list[subprocess.Popen[str]]) -> list[dict[str, object]]:
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        outs.append(json.loads(out.strip().splitlines()[-1]))
    return outs


@pytest.mark.slow
def test_three_shards_at_once_one_killed_then_the_next_night_equals_one_run(
    web: TestWeb, registry: Path, pg_catalog: str, tmp_path: Path
) -> None:
    """Three shard processes write one PostgreSQL DuckLake at once; one is SIGKILLed once its
    first load has begun. The next night's three shards pick up what it missed: the tables
    equal those of one unsharded run into a local file, every page was fetched by one shard
    only (per-host politeness holds across shards), and only the killed run is closed as
    crashed."""
    web.set_faults(None)
    # the test web's ports are random, so which source falls in which shard varies: take
    # one source of each shard that has one
    sources, _ = load_registry(registry)
    by_shard = {k: [s.id for s in sources if shard_of(s, 3) == k][:1] for k in (1, 2, 3)}
    only = sorted(i for ids in by_shard.values() for i in ids)
    whole = fast_settings(tmp_path / "whole")
    assert run_pipeline(registry, whole, only=only)["errors"] == []
    expected = table_checksums(whole)

    settings = lake(tmp_path / "lake", pg_catalog)
    victim = max(by_shard, key=lambda k: len(by_shard[k]))
    marker = tmp_path / "loading"
    procs = {k: _shard(settings, registry, f"{k}/3", only, marker if k == victim else None)
             for k in (1, 2, 3)}
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not marker.exists():
        for p in procs.values():
            p.kill()
        logs = {k: p.communicate()[1][-3000:] for k, p in procs.items()}
        raise AssertionError(f"the victim shard ({victim}) never started loading: {logs}")
    procs[victim].kill()
    procs[victim].communicate()
    assert all(o["errors"] == 0 for o in _finish([p for k, p in procs.items() if k != victim]))
    assert table_checksums(settings) != expected  # the killed shard's reports are missing
    assert consistency_problems(settings) == []

    # the next night (in this process: the concurrency was the first night's)
    for k in (1, 2, 3):
        done = crawl_and_load("nightly", sources=only, registry=str(registry), full=False,
                              years=None, refetch=False, settings=settings, steps=PLAIN,
                              shard=f"{k}/3")
        assert done["errors"] == 0
    assert table_checksums(settings) == expected
    assert consistency_problems(settings) == []
    shard_of_run = {r: json.loads(p)["shard"] for r, p in rows(settings,
                    "SELECT run_id, params FROM runs WHERE kind = 'nightly'")}
    shards_of_host: dict[str, set[str]] = {}
    for url, run_id in rows(settings, "SELECT url, run_id FROM fetch_log"):
        shards_of_host.setdefault(urlsplit(url).netloc, set()).add(shard_of_run[run_id])
    assert all(len(s) == 1 for s in shards_of_host.values()), shards_of_host
    crashed = rows(settings, "SELECT json_extract_string(params, '$.shard') FROM runs"
                             " WHERE json_extract_string(summary, '$.status') = 'crashed'")
    assert crashed == [(f"{victim}/3",)]  # closed by its own shard's next run only
    # migrations, views and the quarantine live in the PostgreSQL catalog too
    assert rows(settings, "SELECT max(version) FROM schema_migrations")[0][0] >= 10
    assert rows(settings, "SELECT count(*) FROM report_coverage")[0][0] > 0
