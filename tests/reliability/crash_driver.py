"""Crash-test driver: imports the pipeline once, then forks one crawl process per command.

A fresh interpreter costs seconds of imports on a busy machine; a forked child starts at
once, so the test can SIGKILL twenty-odd real crawl processes within its time budget. The
child runs ``harness.run_pipeline`` (the nightly composition) and reports each stage on
stdout, so the test knows whether its kill landed during fetch, extraction or a load.

Protocol (one line each): stdin ``run <dir>`` → stdout ``pid <n>``, ``phase <stage>``…,
then from the parent ``exit <returncode>`` (``-9`` when killed); ``quit`` ends the driver.
Usage: ``python crash_driver.py REGISTRY SOURCE_ID...`` (the script's folder holds harness).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from harness import fast_settings, run_pipeline


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # unbuffered: nothing left to duplicate at fork


def child(registry: Path, only: list[str], folder: Path) -> None:
    say(f"pid {os.getpid()}")
    try:
        run_pipeline(registry, fast_settings(folder), phase=lambda p: say(f"phase {p}"),
                     only=only)
    except BaseException as exc:  # report, then leave without running the parent's atexit
        say(f"failed {type(exc).__name__}: {exc}")
        os._exit(1)
    os._exit(0)


def main() -> None:
    registry, only = Path(sys.argv[1]), sys.argv[2:]
    say("ready")
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "quit":
            break
        if cmd != "run":
            say(f"failed unknown command {cmd!r}")
            continue
        pid = os.fork()
        if pid == 0:
            child(registry, only, Path(arg))
        _, status = os.waitpid(pid, 0)
        say(f"exit {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
