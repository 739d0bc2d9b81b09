"""Crash safety: SIGKILL the crawl at random points, then check and converge.

A round starts an empty warehouse and kills several successive crawl processes (a killed
run is followed by another that is killed too), each after a random delay into a randomly
chosen stage: during fetch, during extraction, or in the middle of a load. After every kill
the warehouse must open (DuckDB replays or drops its WAL), hold no duplicate keys, no
half-loaded report and no raw file that does not match its hash. After the round, one
uninterrupted run must leave exactly the data tables a never-interrupted run leaves
(checksums over every data column; run ids and load/fetch times left out).
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from govreports.testweb import TestWeb
from warehouse import Warehouse

from .conftest import SOURCES
from .harness import consistency_problems, fast_settings, table_checksums

ROUNDS, KILLS_PER_ROUND = 1, 3  # each stage killed once, in turn, on one warehouse
DRIVER = Path(__file__).resolve().parent / "crash_driver.py"
STAGES = ("fetch", "extract", "load")


def stage_lengths(seen: list[tuple[float, str]]) -> dict[tuple[str, int], float]:
    """(stage, nth) → how long that stage lasted in an uninterrupted run: where to aim."""
    out: dict[tuple[str, int], float] = {}
    count = {s: 0 for s in STAGES}
    for (t, line), (t_next, _) in zip(seen, seen[1:], strict=False):
        stage = line.split()[1] if line.startswith("phase ") else ""
        if stage in count:
            out[(stage, count[stage])] = t_next - t
            count[stage] += 1
    return out

pytestmark = pytest.mark.slow


class Driver:
    def __init__(self, registry: Path, log: Path) -> None:
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(registry), *SOURCES], cwd=DRIVER.parents[2],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("eof")

    def next(self, timeout: float = 180.0) -> str:
        line = self.lines.get(timeout=timeout)
        assert line != "eof" and not line.startswith("failed"), line
        return line

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def run(self, folder: Path) -> list[tuple[float, str]]:
        """An uninterrupted run; its stage lines with when each arrived."""
        self.send(f"run {folder}")
        seen = []
        while not (line := self.next()).startswith("exit"):
            seen.append((time.monotonic(), line))
        assert line == "exit 0", (line, seen)
        return seen

    def run_and_kill(self, folder: Path, stage: str, nth: int, delay: float) -> str | None:
        """Start a run, SIGKILL it ``delay`` s into the ``nth`` ``stage``; the stage hit."""
        self.send(f"run {folder}")
        pid = int(self.next().split()[1])
        current, count, deadline = "start", 0, None
        while True:
            try:
                line = self.lines.get(timeout=0.01)
            except queue.Empty:
                line = ""
            if line.startswith("phase "):
                current = line.split()[1]
                count += current == stage
                if current == stage and count == nth + 1:
                    deadline = time.monotonic() + delay
                if current == "done":
                    break
            if deadline is not None and time.monotonic() >= deadline:
                # The run may have ended a moment ago: then it reports "exit 0", no crash.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
        killed = deadline is not None and time.monotonic() >= deadline
        while not (line := self.next()).startswith("exit"):
            pass
        if line == "exit 0":
            return None  # the run finished before the kill: not a crash
        assert line == "exit -9", line
        assert killed
        return {"fetched": "fetch", "loaded": "extract"}.get(current, current)

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.send("quit")
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.log.close()


def test_sigkill_at_random_points_then_converge(
    web: TestWeb, registry: Path, reference: dict[str, tuple[int, str]], tmp_path: Path
) -> None:
    rng = random.Random(20261122)
    driver = Driver(registry, tmp_path / "driver.log")
    web.set_latency(0.03, jitter=0.04)  # a crawl of ~1-2 s, so kills land inside it
    hits: Counter[str] = Counter()
    try:
        assert driver.next() == "ready"
        # one uninterrupted run (elsewhere) to learn how long each stage lasts
        lengths = stage_lengths(driver.run(tmp_path / "calibration"))
        for round_no in range(ROUNDS):
            folder = tmp_path / f"round{round_no}"
            settings = fast_settings(folder)
            kills = 0
            # every stage, in turn, until each was hit (a kill aimed at one stage can land in
            # the next when that stage ends first)
            while kills < KILLS_PER_ROUND or (not set(STAGES) <= set(hits)
                                              and kills < 3 * KILLS_PER_ROUND):
                missing = [s for s in STAGES if s not in hits]
                stage = missing[0] if missing else STAGES[kills % len(STAGES)]
                nth = rng.randrange(len(SOURCES)) if stage != "fetch" else 0
                # somewhere inside that stage (it runs about as long as in calibration)
                delay = rng.uniform(0.1, 0.7) * lengths.get((stage, nth), 0.2)
                stage_hit = driver.run_and_kill(folder, stage, nth, delay)
                if stage_hit is None:
                    continue
                kills += 1
                hits[stage_hit] += 1
                with Warehouse(settings) as wh:
                    wh.migrate()  # opens the killed run's file read-write: WAL replayed or dropped
                problems = consistency_problems(settings)
                assert problems == [], (round_no, kills, stage_hit, problems)
            driver.run(folder)
            assert consistency_problems(settings) == []
            assert table_checksums(settings) == reference, f"round {round_no}: {dict(hits)}"
    finally:
        web.set_latency(0.0)
        driver.close()
    assert sum(hits.values()) >= ROUNDS * KILLS_PER_ROUND
    assert {"fetch", "extract", "load"} <= set(hits), dict(hits)
    print(f"SIGKILLs by stage: {dict(hits)}")
