"""Connections, migrations and the read snapshot: everything that touches DuckDB files.

Two targets (``Settings.warehouse_target``):

* ``duckdb`` — one local file. A DuckDB writer locks the file against every other process,
  readers included, so writers use *short sessions*: take an advisory lock
  (``<warehouse>.lock``, serialises our own writers), open the file, write one batch in one
  transaction, CHECKPOINT, close, then publish the read snapshot ``<stem>.read.duckdb``: a
  symlink to one of two generation files, the stale one brought up to date in place (only
  the blocks the session can have changed) and the link repointed atomically (see "read
  snapshot" below). Readers (``govreports query``, a user's own ``duckdb -readonly``) open
  that snapshot read-only and never see the writer's lock or a half-written batch.
* ``ducklake`` — a DuckLake catalog (SQLite locally, PostgreSQL in production) with Parquet
  data files: several processes read and write at once; each transaction is a snapshot.

Extensions are loaded from the pinned wheels by file path: nothing is ever downloaded.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import glob
import hashlib
import importlib
import json
import logging
import os
import re
import shutil
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


_CONFLICTS = (
    "conflict", "already exists", "no transaction is active",
    # the catalog database's own word for it: a SQLite catalog busy with another writer's
    # commit; PostgreSQL refusing a write that raced another (maintenance beside a load),
    # and the statements after it in that catalog transaction
    "database is locked", "could not serialize access", "deadlock detected",
    "current transaction is aborted",
)


def is_conflict(exc: BaseException) -> bool:
    """A commit that lost a race with another writer (DuckLake's optimistic concurrency, or
    the catalog database's locks), or a migration another process applied first: worth doing
    again from the start (the callers retry a bounded number of times)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error | WarehouseError) and any(c in text for c in _CONFLICTS)


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


@contextlib.contextmanager
def every_run_lock(settings: Settings, kind: str, wait: float = 0.0) -> Iterator[None]:
    """The warehouse's run lock and every shard's that this machine has used: no crawl,
    backfill or re-parse of any shard runs here meanwhile (``RunLocked`` if one does)."""
    folder = run_lock_path(settings).parent
    shards = sorted({f"{m.group(1)}/{m.group(2)}" for p in folder.glob("*shard-*-of-*.lock")
                     if (m := re.search(r"shard-(\d+)-of-(\d+)\.lock$", p.name))})
    with contextlib.ExitStack() as stack:
        for shard in [None, *shards]:
            stack.enter_context(run_lock(settings, kind, wait, shard))
        yield


# ----------------------------------------------------------------------------- read snapshot
# ``<stem>.read.duckdb`` is a symlink to one of two *generations*, ``.<stem>.read/<stem>.read.
# <n>.duckdb``. A write session brings the other (stale) generation up to date in place and
# then points the symlink at it (``os.replace`` of a new symlink: atomic), so a publish costs
# what the session changed, not what the warehouse holds.
#
# Which blocks can differ. DuckDB's file is a 12 KiB header (a main header and two database
# headers, written alternately) then blocks of ``block_alloc_size`` bytes. A checkpoint never
# overwrites a block that holds table data of the previous checkpoint (that checkpoint must
# survive a crash until the new header is written): new data goes to free blocks or past the
# end. Metadata blocks, by contrast, are updated in place (new metadata lands in free 4 KiB
# parts of them). So, after each session, the writer lists the blocks holding table data
# (``pragma_storage_info``, every table); a generation holding state S is brought to state W
# by rewriting the header and comparing (byte for byte, copying what differs) every block
# that was not a data block in *every* state from S up to the one before W, plus any block
# past S's end, then truncating to W's length. The states are a journal of consecutive
# checkpoints (each session must advance DuckDB's checkpoint counter by exactly one; an
# outside write to the warehouse file resets the journal). Anything not known this way
# (the first sessions, a session with several checkpoints, an unexpected header) is a whole
# copy into a fresh generation, as is a stale generation that a reader has open.
#
# DuckDB's per-block checksums are not used to find changed blocks: the checksum is an XOR of
# the block's 8-byte words, blind to words that move inside a block, and a metadata block
# rewritten that way (same checksum, other bytes) shows up within a few hundred small
# sessions. They serve as a cross-check instead: after an update every skipped block must
# carry the warehouse's checksum, or the publish falls back to a whole copy.
#
# A generation is updated in place only while no reader has it open: DuckDB holds an fcntl
# read lock on a file it opens read-only, so another process's reader makes our write-lock
# attempt fail; readers in this process are found by their open file descriptors (fcntl locks
# do not conflict within a process), and ``open_reader`` resolves and opens a generation under
# the same in-process lock as the update. Generation names are never reused for a new file:
# DuckDB caches open databases by resolved path.

_FILE_HEADER = 3 * 4096  # the main header, then two database headers of 4 KiB each
_CHECKSUM_MUL = 0xBF58476D1CE4E5B9
_WORD = 0xFFFF_FFFF_FFFF_FFFF
_STATE = "state.json"
_STATE_VERSION = 1
_JOURNAL = 4  # warehouse states remembered; a stale generation is normally two behind
_SNAPSHOT_LOCK = threading.Lock()  # this process: a reader opening a generation vs. a publish

Ranges = list[tuple[int, int]]  # half-open block ranges, sorted and disjoint


def snapshot_generations(warehouse: Path) -> Path:
    """The folder holding the snapshot's generation files."""
    return warehouse.with_name(f".{warehouse.stem}.read")


@dataclass(frozen=True)
class FileHeader:
    """A DuckDB file's 12 KiB header: its digest names one checkpointed state of the file."""

    sha: str
    iteration: int  # DuckDB's checkpoint counter (-1: not a header this code understands)
    block_size: int  # block_alloc_size (0: layout not understood)


def _duckdb_checksum(buf: bytes) -> int:
    """DuckDB's checksum: the XOR of each 8-byte word times a constant."""
    words = array.array("Q")
    words.frombytes(buf[: len(buf) // 8 * 8])
    if sys.byteorder != "little":
        words.byteswap()
    out = 5381
    for w in words:
        out ^= (w * _CHECKSUM_MUL) & _WORD
    return out


def read_header(path: Path) -> FileHeader | None:
    """The file's header, or None if there is no file. Never call this on a file a DuckDB
    connection of this process has open: closing our descriptor would drop its fcntl lock."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_FILE_HEADER)
    except FileNotFoundError:
        return None
    sha = hashlib.sha256(head).hexdigest()
    if len(head) < _FILE_HEADER or head[8:12] != b"DUCK" or sys.byteorder != "little":
        return FileHeader(sha, -1, 0)
    best = (-1, 0)
    for off in (4096, 8192):  # the database headers: checksum, iteration, …, block size
        stored = int.from_bytes(head[off:off + 8], "little")
        if _duckdb_checksum(head[off + 8:off + 4096]) != stored:
            return FileHeader(sha, -1, 0)
        iteration, _meta, _free, _count, block_size = struct.unpack_from("<5Q", head, off + 8)
        if iteration >= best[0]:
            best = (iteration, block_size)
    iteration, block_size = best
    if not 4096 <= block_size <= 2**30 or block_size & (block_size - 1):
        block_size = 0
    return FileHeader(sha, iteration, block_size)


def _mark(path: Path) -> list[int] | None:
    """What changes whenever a file is written or replaced (stat only: never opens it)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


@dataclass(frozen=True)
class _Session:
    """What a write session saw of the warehouse file."""

    start_mark: list[int] | None  # before it opened the file
    start: FileHeader | None
    data_blocks: Ranges | None  # blocks holding table data after its checkpoint


def data_blocks(con: duckdb.DuckDBPyConnection, database: str) -> Ranges | None:
    """Blocks holding the tables' data in ``database`` as checkpointed (None if unknown)."""
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = ? AND NOT temporary", [database]).fetchall()
        if not tables:
            return []
        parts = [
            "SELECT unnest(list_append(additional_block_ids, block_id)) AS b FROM "
            f"pragma_storage_info({_sql_str(_qualified(database, s, t))}) WHERE persistent"
            for s, t in tables
        ]
        rows = con.execute(
            "WITH ids AS (SELECT DISTINCT b FROM (" + " UNION ALL ".join(parts) + ") "
            "WHERE b >= 0) SELECT min(b), max(b) FROM (SELECT b, b - row_number() OVER "
            "(ORDER BY b) AS island FROM ids) GROUP BY island ORDER BY 1"
        ).fetchall()
    except duckdb.Error as exc:
        log.info("snapshot: cannot list the data blocks (%s); the next publish copies", exc)
        return None
    return [(int(a), int(b) + 1) for a, b in rows]


def _qualified(*names: str) -> str:
    return ".".join('"' + n.replace('"', '""') + '"' for n in names)


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    out: Ranges = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _complement(ranges: Ranges, n: int) -> Ranges:
    out: Ranges = []
    at = 0
    for lo, hi in ranges:
        if lo >= n:
            break
        if lo > at:
            out.append((at, lo))
        at = max(at, hi)
    if at < n:
        out.append((at, n))
    return out


def _load_state(folder: Path) -> dict[str, Any]:
    empty: dict[str, Any] = {"version": _STATE_VERSION, "source": None, "block_size": 0,
                             "journal": [], "generations": {}, "seq": 0}
    try:
        state = json.loads((folder / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    ok = (isinstance(state, dict) and state.get("version") == _STATE_VERSION
          and isinstance(state.get("journal"), list)
          and isinstance(state.get("generations"), dict) and isinstance(state.get("seq"), int))
    return state if ok else empty


def _save_state(folder: Path, state: dict[str, Any]) -> None:
    tmp = folder / f".{_STATE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, folder / _STATE)


def _advance_journal(state: dict[str, Any], head: FileHeader, mark: list[int],
                     session: _Session | None) -> None:
    """Record the warehouse's new state; keep the chain of single checkpoints it ends."""
    journal: list[dict[str, Any]] = state["journal"]
    entry = {"header": head.sha, "iteration": head.iteration,
             "used": session.data_blocks if session else None}
    known = bool(journal) and state.get("block_size") == head.block_size != 0
    if session is not None and session.start is not None:
        # the session began where the last one we saw ended: nobody else wrote in between
        known = known and state.get("source") == {"mark": session.start_mark,
                                                  "header": session.start.sha}
        known = known and journal[-1]["header"] == session.start.sha
        if known and head.sha == session.start.sha:
            pass  # nothing was checkpointed
        elif known and head.iteration == session.start.iteration + 1:
            journal.append(entry)
        else:  # several checkpoints (or an outside write): only the end state is known
            journal[:] = [entry]
    elif not (known and state.get("source") == {"mark": mark, "header": head.sha}):
        journal[:] = [entry]
    del journal[:-_JOURNAL]
    state["block_size"] = head.block_size
    state["source"] = {"mark": mark, "header": head.sha}


def _skipped_blocks(state: dict[str, Any], gen_header: str) -> Ranges | None:
    """Blocks a generation holding state ``gen_header`` shares with the warehouse for sure
    (None: that state is not in the journal, or a step of the chain is unknown)."""
    journal: list[dict[str, Any]] = state["journal"]
    at = next((i for i, e in enumerate(journal) if e["header"] == gen_header), None)
    if at is None:
        return None
    skip: Ranges = [(0, 2**62)]
    for e in journal[at:-1]:
        if e["used"] is None:
            return None
        skip = _intersect(skip, [(int(lo), int(hi)) for lo, hi in e["used"]])
    return skip


def _open_in_this_process(path: Path) -> bool:
    """Whether this process holds ``path`` open (say a DuckDB reader): fcntl locks do not
    conflict within a process, so the lock attempt cannot tell. True when it cannot be known."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            fds = os.listdir(folder)
        except OSError:
            continue
        for name in fds:
            try:
                fst = os.fstat(int(name))
            except (OSError, ValueError):
                continue  # the listing's own descriptor, or one closed meanwhile
            if (fst.st_dev, fst.st_ino) == (st.st_dev, st.st_ino):
                return True
        return False
    return True


class _Unexpected(Exception):
    """The in-place update cannot be trusted: publish a whole copy instead."""


def _current_generation(target: Path, folder: Path) -> str | None:
    try:
        link = Path(os.readlink(target))
    except OSError:  # no snapshot yet, or a plain file from an older version
        return None
    return link.name if link.parent == Path(folder.name) else None


def _point_at(target: Path, folder: Path, name: str) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.link")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(f"{folder.name}/{name}", tmp)
    os.replace(tmp, target)  # readers opening the snapshot now get this generation


def _update_generation(warehouse: Path, fd: int, record: dict[str, Any], head: FileHeader,
                       skip: Ranges) -> int:
    """Bring the generation open at ``fd`` (write-locked) to the warehouse's state; return
    the number of blocks written. Raises _Unexpected."""
    gen_size = os.fstat(fd).st_size
    with open(warehouse, "rb") as src:
        wfd = src.fileno()
        size = os.fstat(wfd).st_size
        bsize = head.block_size
        if gen_size != record["size"] or (size - _FILE_HEADER) % bsize:
            raise _Unexpected("sizes")
        if hashlib.sha256(os.pread(fd, _FILE_HEADER, 0)).hexdigest() != record["header"]:
            raise _Unexpected("the generation is not the state recorded for it")
        n = (size - _FILE_HEADER) // bsize
        written = 0
        header = os.pread(wfd, _FILE_HEADER, 0)
        if hashlib.sha256(header).hexdigest() != head.sha:
            raise _Unexpected("the warehouse changed during the publish")
        for lo, hi in _complement(skip, n):
            for i in range(lo, hi):
                off = _FILE_HEADER + i * bsize
                data = os.pread(wfd, bsize, off)
                if len(data) != bsize:
                    raise _Unexpected("short read")
                if off + bsize > gen_size or os.pread(fd, bsize, off) != data:
                    if os.pwrite(fd, data, off) != bsize:
                        raise _Unexpected("short write")
                    written += 1
        if os.pwrite(fd, header, 0) != _FILE_HEADER:
            raise _Unexpected("short write")
        os.ftruncate(fd, size)
        os.fsync(fd)
        _cross_check(fd, wfd, _intersect(skip, [(0, n)]), bsize)
        if _mark(warehouse) != _mark_of(src):
            raise _Unexpected("the warehouse changed during the publish")
    return written


def _cross_check(fd: int, wfd: int, skipped: Ranges, bsize: int) -> None:
    """Every block not compared must carry the warehouse's checksum (its first 8 bytes)."""
    for lo, hi in skipped:
        for i in range(lo, hi):
            off = _FILE_HEADER + i * bsize
            if os.pread(fd, 8, off) != os.pread(wfd, 8, off):
                raise _Unexpected(f"block {i} differs although it was not rewritten")


def _mark_of(fh: Any) -> list[int]:
    st = os.fstat(fh.fileno())
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _publish_in_place(warehouse: Path, folder: Path, name: str, state: dict[str, Any],
                      head: FileHeader, target: Path) -> bool:
    """Update the stale generation ``name`` and publish it; False if it may not be touched."""
    path = folder / name
    record = state["generations"][name]
    skip = _skipped_blocks(state, record["header"])
    if skip is None or head.block_size == 0:
        return False
    if _open_in_this_process(path):
        log.debug("snapshot: %s is open in this process", name)
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log.info("snapshot: generation %s is open by a reader; publishing a copy", name)
            return False
        t = time.perf_counter()
        try:
            written = _update_generation(warehouse, fd, record, head, skip)
        except _Unexpected as exc:
            log.warning("snapshot: in-place update of %s abandoned (%s); publishing a copy",
                        name, exc)
            state["journal"][:] = state["journal"][-1:]  # do not build on it again
            del state["generations"][name]
            return False
        state["generations"][name] = {"header": head.sha, "size": os.fstat(fd).st_size}
        _save_state(folder, state)
        _point_at(target, folder, name)
        log.debug("snapshot: %s updated in place, %d blocks written, %.3fs", name, written,
                  time.perf_counter() - t)
        return True
    finally:
        os.close(fd)  # releases our write lock: readers may open it now


def copy_snapshot(warehouse: Path) -> Path:
    """The snapshot as a plain whole-file copy (how every publish worked before the
    generations): the benchmark's baseline, and the way where symlinks are unavailable."""
    target = snapshot_path(warehouse)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    os.replace(tmp, target)  # readers holding the old file keep reading the old inode
    return target


def publish_snapshot(warehouse: Path, session: _Session | None = None) -> Path:
    """Publish the (closed, checkpointed) warehouse to the read snapshot, atomically: the
    stale generation updated in place when that is known to be safe, else a whole copy into
    a fresh generation. ``session`` is what ``write_session`` learned (None: nothing known)."""
    target = snapshot_path(warehouse)
    head, mark = read_header(warehouse), _mark(warehouse)
    if head is None or mark is None:
        raise WarehouseError(f"{warehouse}: no warehouse file to publish")
    folder = snapshot_generations(warehouse)
    folder.mkdir(exist_ok=True)
    state = _load_state(folder)
    _advance_journal(state, head, mark, session)
    gens: dict[str, Any] = state["generations"]
    current = _current_generation(target, folder)
    now = {"header": head.sha, "size": mark[2]}
    if current is not None and gens.get(current) == now and (folder / current).exists():
        _save_state(folder, state)  # nothing new to publish
        return target
    with _SNAPSHOT_LOCK:
        for name in sorted(set(gens) - {current}):
            if (folder / name).exists() and _publish_in_place(
                    warehouse, folder, name, state, head, target):
                _drop_generations(folder, state, keep={name, current})
                return target
    # A whole copy into a generation of a new name (DuckDB caches databases by path).
    seq = max([state["seq"], *(_generation_seq(p.name) for p in folder.iterdir())]) + 1
    name = f"{warehouse.stem}.read.{seq}.duckdb"
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        shutil.copyfile(warehouse, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    state["seq"] = seq
    gens[name] = now
    _save_state(folder, state)
    try:
        with _SNAPSHOT_LOCK:
            _point_at(target, folder, name)
    except OSError as exc:  # no symlinks here: the plain copy
        log.info("snapshot: cannot link %s (%s); publishing a plain copy", target, exc)
        return copy_snapshot(warehouse)
    _drop_generations(folder, state, keep={name, current})
    return target


def _generation_seq(name: str) -> int:
    m = re.search(r"\.read\.(\d+)\.duckdb", name)
    return int(m.group(1)) if m else 0


def _drop_generations(folder: Path, state: dict[str, Any], keep: set[str | None]) -> None:
    """Unlink every other generation (a reader holding one keeps reading its inode) and what
    a killed publish left behind."""
    gens: dict[str, Any] = state["generations"]
    for name in set(gens) - keep:
        del gens[name]
    _save_state(folder, state)
    for p in folder.iterdir():
        if p.name != _STATE and p.name not in keep:
            with contextlib.suppress(OSError):
                p.unlink()


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
        start_mark, start = _mark(path), read_header(path)  # not yet open in this process
        con = connect_file(path, read_only=False, timeout=timeout)
        used: Ranges | None = None
        try:
            database = con.execute("SELECT current_database()").fetchone()
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
            wal = path.with_name(path.name + ".wal")
            if database is not None and _mark(path) != start_mark and not wal.exists():
                used = data_blocks(con, str(database[0]))  # (a WAL would mean a checkpoint
                # at close, after this list)
        finally:
            con.close()
        publish_snapshot(path, _Session(start_mark, start, used))


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
    return _open_snapshot(snap)


def _open_snapshot(snap: Path, timeout: float = 60.0) -> duckdb.DuckDBPyConnection:
    """Open the generation the snapshot points at, read-only. Resolving and opening happen
    under the lock this process's publishes hold, and the link is checked again after: the
    connection is on the current generation, never on one being updated."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        with _SNAPSHOT_LOCK:
            gen = os.path.realpath(snap)
            try:
                con = duckdb.connect(gen, read_only=True, config=dict(_NO_NETWORK))
            except duckdb.IOException as exc:
                moved = os.path.realpath(snap) != gen  # republished meanwhile: open that
                if not moved and (not _is_lock_error(exc) or time.monotonic() > deadline):
                    raise WarehouseError(f"{snap}: cannot open: {exc}") from exc
            else:
                if os.path.realpath(snap) == gen:
                    return con
                con.close()
                continue
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


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
