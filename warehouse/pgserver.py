"""A local PostgreSQL server for the DuckLake catalog: started and stopped by the project.

``python -m warehouse.pgserver up [--dir DIR] [--port PORT]`` creates a cluster in ``DIR``
(``data/pg`` by default) on first use, starts it on 127.0.0.1:PORT and prints the value to put
in ``GOVREPORTS_DUCKLAKE_CATALOG``; ``down`` stops it; ``status`` says whether it runs.
``make pg-up`` / ``make pg-down`` call these. The test suite starts its own server the same
way (``tests/conftest.py``, fixture ``pg_catalog``).

The server is Debian's PostgreSQL (``apt-get install postgresql``; ``tools/install-postgres``
does it in CI). PostgreSQL refuses to run as root, so under root the cluster belongs to the
``postgres`` system user and its commands run through ``runuser``. Connections are local only
(``listen_addresses=127.0.0.1``, trust authentication on loopback): a development and test
server, not a production set-up (see docs/deployment.md for that).
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path("data/pg")
DEFAULT_PORT = 54329
DATABASE = "govreports"


class PgUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed (or cannot run here)."""


@dataclass(frozen=True)
class PgServer:
    directory: Path
    port: int
    user: str

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={DATABASE}"

    @property
    def catalog(self) -> str:
        """The value of ``GOVREPORTS_DUCKLAKE_CATALOG`` for this server."""
        return "postgres:" + self.dsn


def bin_dir() -> Path:
    """Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<v>/bin."""
    found = shutil.which("initdb") and shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    raise PgUnavailable("PostgreSQL's initdb/pg_ctl not found: install Debian's postgresql "
                        "package (tools/install-postgres)")


def _run_as() -> list[str]:
    """Prefix that runs a server command as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PgUnavailable("running as root and no 'postgres' user to run the server as"
                            ) from None
    runuser = shutil.which("runuser")
    if not runuser:
        raise PgUnavailable("running as root and runuser is not available")
    return [runuser, "-u", "postgres", "--"]


def _server_user() -> str:
    return "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name


def _cmd(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_run_as() + args, capture_output=True, text=True, check=check,
                          timeout=120, cwd="/")


def _prepare_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        ent = pwd.getpwnam("postgres")
        os.chown(directory, ent.pw_uid, ent.pw_gid)
        os.chmod(directory, 0o700)
        # the server user must be able to reach its directory through every parent
        for parent in directory.resolve().parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                raise PgUnavailable(
                    f"{directory}: the postgres user cannot reach it ({parent} is not"
                    " searchable by others); choose a directory such as /tmp/govreports-pg")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def running(directory: Path) -> bool:
    pid = directory / "pgdata" / "postmaster.pid"
    if not pid.exists():
        return False
    return _cmd([str(bin_dir() / "pg_ctl"), "status", "-D", str(directory / "pgdata")],
                check=False).returncode == 0


def up(directory: Path = DEFAULT_DIR, port: int = DEFAULT_PORT) -> PgServer:
    """Create (first time) and start the cluster; idempotent when it already runs."""
    directory = directory.resolve()
    server = PgServer(directory, port, _server_user())
    pgdata = directory / "pgdata"
    binaries = bin_dir()
    if running(directory):
        return _with_database(server, binaries)
    if not _port_free(port):
        raise PgUnavailable(f"port {port} on 127.0.0.1 is taken: choose another with --port")
    _prepare_dir(directory)
    if not (pgdata / "PG_VERSION").exists():
        done = _cmd([str(binaries / "initdb"), "-D", str(pgdata), "-U", server.user,
                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                    check=False)
        if done.returncode:
            raise PgUnavailable(f"initdb {pgdata} failed: {done.stderr.strip()[-400:]}")
    opts = (f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c fsync=off"
            " -c max_connections=200")
    done = _cmd([str(binaries / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(pgdata),
                 "-l", str(directory / "server.log"), "-o", opts], check=False)
    if done.returncode:
        log = directory / "server.log"
        tail = log.read_text(errors="replace")[-400:] if log.exists() else done.stderr
        raise PgUnavailable(f"PostgreSQL did not start in {pgdata}: {tail.strip()}")
    return _with_database(server, binaries)


def _with_database(server: PgServer, binaries: Path) -> PgServer:
    psql = [str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(server.port), "-U",
            server.user, "-d", "postgres", "-tAc"]
    deadline = time.monotonic() + 30
    while True:
        have = _cmd(psql + [f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                    check=False)
        if have.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if have.returncode:
        raise PgUnavailable(f"cannot connect to PostgreSQL on port {server.port}: "
                            f"{have.stderr.strip()}")
    if have.stdout.strip() != "1":
        _cmd(psql + [f"CREATE DATABASE {DATABASE}"])
    return server


def create_database(server: PgServer, name: str) -> str:
    """A new empty database on the server; returns its DuckLake catalog value."""
    if not name.isidentifier():
        raise ValueError(f"database name {name!r}: letters, digits and _ only")
    psql = [str(bin_dir() / "psql"), "-h", "127.0.0.1", "-p", str(server.port), "-U",
            server.user, "-d", "postgres", "-tAc", f"CREATE DATABASE {name}"]
    _cmd(psql)
    return server.catalog.replace(f"dbname={DATABASE}", f"dbname={name}")


def down(directory: Path = DEFAULT_DIR) -> bool:
    """Stop the cluster; False when it was not running."""
    directory = directory.resolve()
    if not running(directory):
        return False
    _cmd([str(bin_dir() / "pg_ctl"), "stop", "-m", "fast", "-w", "-D",
          str(directory / "pgdata")])
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m warehouse.pgserver",
                                 description="A local PostgreSQL for the DuckLake catalog.")
    ap.add_argument("action", choices=["up", "down", "status"])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                    help=f"cluster directory (default {DEFAULT_DIR})")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT,
                    help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    args = ap.parse_args(argv)
    try:
        if args.action == "up":
            server = up(args.dir, args.port)
            print(f"PostgreSQL running in {server.directory} on 127.0.0.1:{server.port}")
            print("export GOVREPORTS_WAREHOUSE_TARGET=ducklake")
            print(f"export GOVREPORTS_DUCKLAKE_CATALOG='{server.catalog}'")
        elif args.action == "down":
            print("stopped" if down(args.dir) else f"not running in {args.dir}")
        else:
            on = running(args.dir.resolve())
            print(f"{'running' if on else 'not running'} in {args.dir}")
            return 0 if on else 1
    except (PgUnavailable, subprocess.SubprocessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
