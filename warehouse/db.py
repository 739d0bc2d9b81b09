"""Connections, migrations and the read snapshot: everything that touches DuckDB files.

Two targets (``Settings.warehouse_target``):

* ``duckdb`` — one local file. A DuckDB writer locks the file against every other process,
  readers included, so writers use *short sessions*: take an advisory lock
  (``<warehouse>.lock``, serialises our own writers), open the file, write one batch in one
  transaction, CHECKPOINT, close, then copy the file to ``<stem>.read.duckdb`` and publish it
  with ``os.replace``. Readers (``govreports query``, a user's own ``duckdb -readonly``) open
  that snapshot read-only and never see the writer's lock or a half-written batch.
* ``ducklake`` — a DuckLake catalog (SQLite locally, PostgreSQL in production) with Parquet
  data files: several processes read and write at once; each transaction is a snapshot.

Extensions are loaded from the pinned wheels by file path: nothing is ever downloaded.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import importlib
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb  # noqa: TID251 (the warehouse package is where duckdb lives)

from govreports.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_NO_NETWORK = {
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
}


class WarehouseError(RuntimeError):
    """A warehouse problem a person can act on; the message names the file or catalog."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(folder: Path = MIGRATIONS) -> list[Migration]:
    out = []
    for p in sorted(folder.glob("*.sql")):
        m = _MIGRATION_NAME.match(p.name)
        if not m:
            raise WarehouseError(f"{p}: migration files are named NNN_words.sql")
        out.append(Migration(int(m.group(1)), p.stem, p.read_text(encoding="utf-8")))
    versions = [m.version for m in out]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"{folder}: two migrations share a version number")
    return out


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply pending migrations (each in its own transaction); return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version BIGINT, name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for m in migrations():
        if m.version in done or (upto is not None and m.version > upto):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [m.version, m.name, datetime.now(UTC).replace(tzinfo=None)],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            rollback(con)
            raise WarehouseError(f"migration {m.name}.sql failed: {exc}") from exc
        applied.append(m.version)
        log.info("applied migration %s", m.name)
    return applied


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, if a transaction is still open (a failed commit has already ended it)."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def is_conflict(exc: BaseException) -> bool:
    """A commit that lost a race with another writer (DuckLake's optimistic concurrency), or a
    migration another process applied first: worth doing again from the start."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error | WarehouseError) and (
        "conflict" in text or "already exists" in text or "no transaction is active" in text)


def migrate_shared(con: duckdb.DuckDBPyConnection, attempts: int = 8) -> list[int]:
    """``migrate`` where several processes may migrate one lake at once: a migration another
    process applied first is seen on the next try."""
    for attempt in range(attempts):
        try:
            return migrate(con)
        except (duckdb.Error, WarehouseError) as exc:
            if not is_conflict(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return []


def current_version() -> int:
    return max(m.version for m in migrations())


# ----------------------------------------------------------------------------- extensions
def extension_path(package: str, name: str) -> str:
    """Path of an extension binary shipped inside a pinned wheel (no download)."""
    mod = importlib.import_module(package)
    base = os.path.dirname(mod.__file__ or "")
    found = sorted(glob.glob(os.path.join(base, "extensions", "*", f"{name}.duckdb_extension")))
    if not found:
        raise WarehouseError(f"extension {name} not found inside {base}; run `make setup`")
    return found[-1]


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _load_wheel(con: duckdb.DuckDBPyConnection, package: str, name: str, needed_by: str) -> None:
    try:
        path = extension_path(package, name)
    except ModuleNotFoundError:
        wheel = package.replace("_", "-")
        raise WarehouseError(
            f"{needed_by}: needs the {name} extension: add {wheel}==1.5.5 to pyproject.toml"
        ) from None
    con.execute(f"LOAD {_sql_str(path)}")


def lake_paths(settings: Settings) -> tuple[str, str]:
    catalog = settings.ducklake_catalog or f"sqlite:{settings.data_dir / 'lake' / 'catalog.sqlite'}"
    data = settings.ducklake_data_path or str(settings.data_dir / "lake" / "data") + "/"
    return catalog, data


def connect_lake(settings: Settings, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    catalog, data = lake_paths(settings)
    if catalog.startswith("sqlite:"):
        Path(catalog.removeprefix("sqlite:")).parent.mkdir(parents=True, exist_ok=True)
        if "://" not in data:
            Path(data).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config=dict(_NO_NETWORK))
    try:
        con.execute(
            f"LOAD {_sql_str(extension_path('duckdb_extension_sqlite_scanner', 'sqlite_scanner'))}"
        )
        con.execute(f"LOAD {_sql_str(extension_path('duckdb_extension_ducklake', 'ducklake'))}")
        # Production: a PostgreSQL catalog and object storage need two more pinned wheels.
        if catalog.startswith("postgres:"):
            _load_wheel(con, "duckdb_extension_postgres_scanner", "postgres_scanner", catalog)
        if data.startswith(("s3://", "gs://", "gcs://", "r2://", "az://", "https://")):
            _load_wheel(con, "duckdb_extension_httpfs", "httpfs", data)
        opts = [f"DATA_PATH {_sql_str(data)}"]
        if read_only:
            opts.append("READ_ONLY")
        con.execute(f"ATTACH {_sql_str('ducklake:' + catalog)} AS lake ({', '.join(opts)})")
        con.execute("USE lake")
    except WarehouseError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"DuckLake catalog {catalog}: {exc}") from exc
    return con


_LAKES: dict[tuple[int, str, str], duckdb.DuckDBPyConnection] = {}
_LAKES_LOCK = threading.Lock()


def _lake_writer(settings: Settings) -> duckdb.DuckDBPyConnection:
    """One DuckDB instance per process with the lake attached and migrated, from which each
    write session takes a cursor. Loading the extensions and attaching the catalog costs
    ~0.25 s, and a run writes a few times per source; DuckLake itself keeps writers from
    different processes apart, so nothing needs the instance closed between sessions.
    Keyed by pid too: a forked child never uses its parent's instance."""
    catalog, data = lake_paths(settings)
    key = (os.getpid(), catalog, data)
    with _LAKES_LOCK:
        con = _LAKES.get(key)
        if con is None:
            con = connect_lake(settings)
            try:
                migrate_shared(con)
            except BaseException:
                con.close()
                raise
            _LAKES[key] = con
        return con


def close_lakes() -> None:
    """Close this process's cached lake instances (tests; a long-lived process changing
    catalogs)."""
    with _LAKES_LOCK:
        for con in _LAKES.values():
            with contextlib.suppress(duckdb.Error):
                con.close()
        _LAKES.clear()


# ----------------------------------------------------------------------------- local file
def snapshot_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".read.duckdb")


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflict" in text or "could not set" in text)


def connect_file(
    path: Path, *, read_only: bool, timeout: float = 60.0
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file, retrying while another process holds its lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=dict(_NO_NETWORK))
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise WarehouseError(f"{path}: cannot open: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _flock_within(fd: int, seconds: float, poll: float) -> bool:
    """Take an exclusive flock on ``fd``, trying for up to ``seconds``; False if not taken."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float) -> Iterator[None]:
    """Advisory exclusive lock so that our writers queue instead of failing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        if not _flock_within(fh.fileno(), timeout, 0.05):
            raise WarehouseError(f"{path}: another writer held the lock for {timeout:.0f}s")
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class RunLocked(WarehouseError):
    """Another crawl, backfill or re-parse is running on this warehouse."""


def run_lock_path(settings: Settings, shard: str | None = None) -> Path:
    suffix = ".run.lock" if not shard else ".run.shard-{}-of-{}.lock".format(
        *[p.strip() for p in shard.split("/", 1)])
    if settings.warehouse_target == "ducklake":
        return settings.data_dir / "lake" / suffix.lstrip(".")
    return settings.warehouse.with_name(settings.warehouse.name + suffix)


@contextlib.contextmanager
def run_lock(settings: Settings, kind: str, wait: float = 0.0,
             shard: str | None = None) -> Iterator[None]:
    """One run at a time per warehouse, or per shard "K/N" of it (two crawls of the same
    sources would fetch everything twice). Waits up to ``wait`` seconds for a running one
    to end, then raises ``RunLocked`` naming it. The lock is the kernel's (flock): a run
    killed with SIGKILL releases it. It is a lock on this machine's file system: workers on
    several hosts share shards through Prefect (one deployment per shard, concurrency 1)."""
    path = run_lock_path(settings, shard)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        if not _flock_within(fh.fileno(), wait, 0.2):
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RunLocked(
                f"{settings.warehouse if settings.warehouse_target == 'duckdb' else path}"
                f": a run is in progress ({holder}"
                f"{', shard ' + shard if shard else ''}); this {kind} run did not start"
            )
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{kind} run, pid {os.getpid()}, started "
                     f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
            fh.flush()
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def publish_snapshot(warehouse: Path) -> Path:
    """Copy the (closed, checkpointed) warehouse to the read snapshot, atomically."""
    target = snapshot_path(warehouse)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    os.replace(tmp, target)  # readers holding the old file keep reading the old inode
    return target


@contextlib.contextmanager
def write_session(
    settings: Settings, *, timeout: float = 120.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One short write session on the configured target, migrated to the current schema.

    The caller runs its own transaction inside. For the local file the read snapshot is
    published before the lock is released, so readers see each batch whole or not at all.
    """
    if settings.warehouse_target == "ducklake":
        con = _lake_writer(settings).cursor()  # a connection of its own on the attached lake
        try:
            con.execute("USE lake")
            yield con
        finally:
            con.close()
        return
    path = settings.warehouse
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_name(path.name + ".lock"), timeout):
        con = connect_file(path, read_only=False, timeout=timeout)
        try:
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        publish_snapshot(path)


def open_reader(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A read-only connection that never waits for, or blocks, a loading writer."""
    if settings.warehouse_target == "ducklake":
        return connect_lake(settings, read_only=True)
    snap = snapshot_path(settings.warehouse)
    if not snap.exists():
        if not settings.warehouse.exists():
            raise WarehouseError(
                f"no warehouse at {settings.warehouse} (set GOVREPORTS_WAREHOUSE or load a crawl)"
            )
        with write_session(settings):  # an old warehouse without a snapshot: publish one
            pass
    return connect_file(snap, read_only=True)


def lock_down(con: duckdb.DuckDBPyConnection, settings: Settings) -> duckdb.DuckDBPyConnection:
    """An analyst's connection: no file or network access beyond the warehouse itself (no
    COPY … TO, read_text/read_csv of other files, ATTACH, INSTALL/LOAD) and a locked
    configuration, so no SET can undo it. Writes are refused by the read-only attach."""
    if settings.warehouse_target == "ducklake":
        catalog, data = lake_paths(settings)
        allowed = [data] if "://" not in data else []
        if catalog.startswith("sqlite:"):
            allowed.append(str(Path(catalog.removeprefix("sqlite:")).parent) + "/")
        if allowed:
            con.execute(f"SET allowed_directories = [{', '.join(_sql_str(a) for a in allowed)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def exists(settings: Settings) -> bool:
    if settings.warehouse_target == "ducklake":
        catalog, _ = lake_paths(settings)
        return not catalog.startswith("sqlite:") or Path(catalog.removeprefix("sqlite:")).exists()
    return settings.warehouse.exists() or snapshot_path(settings.warehouse).exists()
