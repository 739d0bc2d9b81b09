"""``Warehouse``: the one handle the pipeline, the CLI and analysts use.

Every write is a short session (see ``warehouse.db``): open, migrate if needed, one
transaction, close, publish the read snapshot. Reads go to the snapshot (or the DuckLake
catalog), so they work while another process is loading.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb  # noqa: TID251 (the warehouse package is where duckdb lives)

from govreports.models import Batch, FetchResult, Source
from govreports.settings import Settings
from warehouse import db, query
from warehouse.rawstore import RawStore

if TYPE_CHECKING:  # pandas, pandera and pyarrow load with the first write, not for a query
    from schemas import Catalog
    from warehouse.load import LoadSummary

T = TypeVar("T")

TURN_AFTER = 2  # commit races a DuckLake writer loses before it claims the writer's turn
TURN_SECONDS = 120.0  # how long a claim holds (a killed writer's claim expires)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Prepared:
    """A batch with its fetch and document rows built and its raw bodies stored."""

    batch: Batch
    fetches: Any  # pandas frames (pandas loads with the first write)
    documents: Any
    keys: list[str]


def _call(sql: str, con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql).fetchall()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Warehouse:
    def __init__(self, settings: Settings, *, lock_timeout: float = 120.0) -> None:
        self.settings = settings
        self.lock_timeout = lock_timeout
        self.rawstore = RawStore(settings.data_dir / "raw")
        self._catalog: Catalog | None = None
        self._indicators_loaded = False
        self._reader: duckdb.DuckDBPyConnection | None = None
        self._reader_stamp: tuple[int, int] | None = None
        self._query_con: duckdb.DuckDBPyConnection | None = None  # the locked-down reader
        self._query_mark: tuple[int, int] | None = None
        self._index: query.CrawlIndex | None = None  # DuckLake: the crawler's lookups in bulk

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._query_con is not None:
            self._query_con.close()
            self._query_con = None

    def _snapshot_mark(self) -> tuple[int, int] | None:
        if self.settings.warehouse_target == "ducklake":
            return None  # DuckLake readers see each committed snapshot
        try:
            st = db.snapshot_path(self.settings.warehouse).stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _query_stale(self) -> bool:
        return self._snapshot_mark() != self._query_mark

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from schemas import load_catalog

            self._catalog = load_catalog(self.settings.catalog)
        return self._catalog

    def _write(self) -> Any:
        self.close()  # our own reader would hold a stale snapshot
        self._index = None
        return db.write_session(self.settings, timeout=self.lock_timeout)

    def _transact(self, body: Callable[[duckdb.DuckDBPyConnection], T], *,
                  turns: bool = False) -> T:
        """Run ``body`` in one write session. On DuckLake several processes write at once and
        a commit can lose a race (a conflict): the whole body runs again on a fresh session,
        so it reads what the other writer committed. With ``turns`` (the loads, which all
        conflict with each other through ``writer_token``), a writer that has lost
        ``TURN_AFTER`` races claims the turn (``writer_turn``, migration 011): the other
        loads wait before their next try until it has committed, so a long load cannot lose
        every race. Short bookkeeping writes skip the turn (one catalog read less each).
        The local file has one writer at a time (its advisory lock) and never conflicts."""
        lake = self.settings.warehouse_target == "ducklake"
        turns = turns and lake
        attempts = 12 if lake else 1
        me, claimed = uuid.uuid4().hex, False
        try:
            for attempt in range(attempts):
                try:
                    # (inside the retry: the first attach of a fresh lake can race too)
                    if turns:
                        self._await_turn(me)
                        if attempt >= TURN_AFTER and not claimed:
                            claimed = self._claim_turn(me)
                    with self._write() as con:
                        return body(con)
                except (duckdb.Error, db.WarehouseError) as exc:
                    if attempt == attempts - 1 or not db.is_conflict(exc):
                        raise
                    self._indicators_loaded = False
                    wait = min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random())
                    if claimed:
                        wait = 0.02  # the others are waiting for us: go again at once
                    log.info("write conflict with another writer (try %d): %s; again in %.2fs",
                             attempt + 1, str(exc).splitlines()[0][:120], wait)
                    time.sleep(wait)
            raise AssertionError("unreachable")
        finally:
            if claimed:
                self._release_turn(me)

    def _turn(self, con: duckdb.DuckDBPyConnection) -> tuple[str | None, float]:
        try:
            row = con.execute("SELECT holder, until FROM writer_turn WHERE id = 1").fetchone()
        except duckdb.CatalogException:  # a lake migrated before 011: nobody holds a turn
            return None, 0.0
        return (row[0], float(row[1])) if row else (None, 0.0)

    def _await_turn(self, me: str) -> None:
        """Wait while another writer holds an unexpired turn."""
        deadline = time.monotonic() + TURN_SECONDS
        while time.monotonic() < deadline:
            with self._write() as con:
                holder, until = self._turn(con)
            if holder in (None, me) or until <= time.time():
                return
            time.sleep(0.05 + 0.1 * random.random())

    def _claim_turn(self, me: str) -> bool:
        """Take the turn if nobody holds it (or the holder's claim expired)."""
        try:
            with self._write() as con:
                con.execute("BEGIN TRANSACTION")
                holder, until = self._turn(con)
                if holder not in (None, me) and until > time.time():
                    db.rollback(con)
                    return False
                con.execute("UPDATE writer_turn SET holder = ?, until = ? WHERE id = 1",
                            [me, time.time() + TURN_SECONDS])
                con.execute("COMMIT")
        except (duckdb.Error, db.WarehouseError) as exc:
            if db.is_conflict(exc):  # another writer claimed it first
                return False
            raise
        log.info("claimed the writer's turn after losing %d commit races", TURN_AFTER)
        return True

    def _release_turn(self, me: str) -> None:
        for _ in range(20):
            try:
                with self._write() as con:
                    con.execute("BEGIN TRANSACTION")
                    con.execute("UPDATE writer_turn SET holder = NULL, until = 0 "
                                "WHERE id = 1 AND holder = ?", [me])
                    con.execute("COMMIT")
                return
            except (duckdb.Error, db.WarehouseError) as exc:
                if not db.is_conflict(exc):
                    log.warning("could not release the writer's turn (it expires): %s", exc)
                    return
                time.sleep(0.02 + 0.05 * random.random())
        log.warning("could not release the writer's turn; it expires in %.0f s", TURN_SECONDS)

    def _ensure_indicators(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        if self._indicators_loaded:
            return
        catalog = self.catalog
        if catalog.version:  # already loaded from this very catalog (by an earlier session)
            got = con.execute(
                "SELECT count(*) FROM indicators WHERE catalog_version = ?", [catalog.version]
            ).fetchone()
            total = con.execute("SELECT count(*) FROM indicators").fetchone()
            n = len(catalog.indicators)
            if got is not None and total is not None and got[0] == total[0] == n:
                self._indicators_loaded = True
                return
        from schemas import tables, validate
        from warehouse import load, rows

        df = rows.indicator_rows(catalog.rows(), run_id)
        v = validate("indicators", df, tables.indicators(), run_id=run_id, key=("indicator_id",))
        if not v.quarantine.empty:
            first = v.quarantine.iloc[0]
            raise db.WarehouseError(
                f"{self.catalog.path}: indicator {first['row_key']}: {first['check_name']}"
            )
        con.execute("BEGIN TRANSACTION")
        load.merge(con, "indicators", v.good, ("indicator_id",), _now())
        con.execute("COMMIT")
        self._indicators_loaded = True

    def migrate(self) -> None:
        """Create or upgrade the warehouse now (it is otherwise done on first write)."""
        self._transact(lambda con: self._ensure_indicators(con, "migrate"))

    # ------------------------------------------------------------------ runs
    def start_run(self, kind: str, params: dict[str, Any]) -> str:
        """Record a run's start. Runs left open by a run that was killed (the caller holds
        the run lock, so none is still going) are closed as crashed first."""
        run_id = f"{_now():%Y%m%dT%H%M%S}-{kind}-{uuid.uuid4().hex[:8]}"
        scope = params.get("shard")  # shards run side by side: close only this shard's runs

        def body(con: duckdb.DuckDBPyConnection) -> None:
            self._ensure_indicators(con, run_id)
            con.execute("BEGIN TRANSACTION")
            con.execute(
                "UPDATE runs SET finished_at = ?, summary = ? WHERE finished_at IS NULL"
                " AND json_extract_string(params, '$.shard') IS NOT DISTINCT FROM ?",
                [_now(), json.dumps({"status": "crashed", "closed_by": run_id,
                                     "note": "the run ended without finishing (killed?)"}),
                 scope],
            )
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, NULL, NULL)",
                [run_id, kind, json.dumps(params, ensure_ascii=False, default=str), _now()],
            )
            con.execute("COMMIT")

        self._transact(body)
        return run_id

    def finish_run(self, run_id: str, summary: dict[str, Any]) -> None:
        self._transact(lambda con: con.execute(
            "UPDATE runs SET finished_at = ?, summary = ? WHERE run_id = ?",
            [_now(), json.dumps(summary, ensure_ascii=False, default=str), run_id]))

    # ------------------------------------------------------------------ loads
    def upsert_sources(self, sources: Sequence[Source], run_id: str = "registry") -> None:
        from schemas import tables, validate
        from warehouse import load, rows

        df = rows.source_rows(sources, run_id)
        v = validate("sources", df, tables.sources(), run_id=run_id, key=("source_id",))
        for rec in v.quarantine.itertuples():
            log.warning("source %s quarantined: %s", rec.row_key, rec.check_name)
        def body(con: duckdb.DuckDBPyConnection) -> None:
            con.execute("BEGIN TRANSACTION")
            load.merge(con, "sources", v.good, ("source_id",), _now())
            load.merge(con, "quarantine", v.quarantine, load.MERGE_KEYS["quarantine"], _now(),
                       time_column="quarantined_at")  # fmt: skip
            con.execute("COMMIT")

        self._transact(body)

    def load_batch(self, batch: Batch, *, today: date | None = None) -> LoadSummary:
        """Validate, quarantine and MERGE one batch in one transaction; return its counts."""
        return self.load_batches([batch], today=today)[0]

    def load_batches(self, batches: Sequence[Batch], *,
                     today: date | None = None) -> list[LoadSummary]:
        """Load several batches (one per source) in as few transactions as they allow, one
        MERGE per table for each group of them (``load.Group``: up to ``GROUP_BATCHES``
        batches of one run whose keys do not meet); return each batch's counts, the same as
        loading them one after the other. On DuckLake every transaction is a round of
        catalog queries and a Parquet file per table, so a backlog of small sources loads
        in a fraction of the time."""
        from warehouse import rows

        prepared = []
        for batch in batches:
            stored = []
            for f in batch.fetches:
                # a document is a successful body; an error page's body is not kept
                if f.content and f.outcome == "ok":
                    sha, path = self.rawstore.put(f.content)  # before the rows that point at it
                    if f.sha256 is None:
                        f.sha256 = sha
                    stored.append((f, sha, str(path.relative_to(self.settings.data_dir))))
            for page, _ in batch.reports:
                if page.content and page.sha256 is None:
                    page.sha256 = self.rawstore.put(page.content)[0]
            prepared.append(_Prepared(
                batch, rows.fetch_rows(batch.fetches, batch.run_id),
                rows.document_rows(stored, batch.run_id),
                sorted({k for _, r in batch.reports if (k := rows.report_key(r))})))
        out: list[LoadSummary] = []
        while len(out) < len(prepared):
            rest = prepared[len(out):]
            out += self._transact(functools.partial(self._load_group, rest, today or date.today()),
                                  turns=True)
        for summary in out:
            log.info(summary.line())
        return out

    def _load_group(self, prepared: Sequence[_Prepared], today: date,
                    con: duckdb.DuckDBPyConnection) -> list[LoadSummary]:
        """The first batches of ``prepared`` that make a group, in one transaction."""
        from warehouse import load

        self._ensure_indicators(con, prepared[0].batch.run_id)
        # The state is read in the transaction that writes: our advisory lock (file target)
        # or the lake's snapshot makes the decision and the write one unit. On the lake, the
        # token update makes two concurrent loads conflict (one is retried on what the other
        # committed) instead of both inserting the same new report.
        con.execute("BEGIN TRANSACTION")
        try:
            if self.settings.warehouse_target == "ducklake":
                con.execute("UPDATE writer_token SET n = n + 1")
            codes = load.source_codes(con)
            head = prepared[:load.GROUP_BATCHES]
            state = load.read_state(con, sorted({k for p in head for k in p.keys}), codes)
            group = load.Group()
            for p in head:
                # each batch is planned on the state the ones before it leave (``plan_reports``
                # updates it), as if they had been committed
                part = load.Part(p.batch, load.plan_reports(p.batch, state, codes), p.fetches,
                                 p.documents)
                if not group.add(part):
                    break
            return load.write_group(con, group, self.catalog, today, _now(), begun=True)
        except BaseException:
            db.rollback(con)
            raise

    def record_walks(
        self,
        source_id: str,
        list_urls: Sequence[str],
        walked: Sequence[str],
        broken: Sequence[tuple[str, str]],
        run_id: str,
    ) -> None:
        """Remember where column walks broke; pages read this time are no longer pending."""
        self.record_walks_of([(source_id, list_urls, walked, broken)], run_id)

    def record_walks_of(
        self,
        walks: Sequence[tuple[str, Sequence[str], Sequence[str], Sequence[tuple[str, str]]]],
        run_id: str,
    ) -> None:
        """``record_walks`` for several sources, (source id, list URLs, walked, broken) each,
        in one transaction."""
        # (list URL, page URL) pairs no longer pending: each source's columns × the pages
        # walked this time, and the pages where a walk broke (inserted again below)
        gone = list(dict.fromkeys(
            [(lu, pu) for _, list_urls, walked, _ in walks for lu in list_urls for pu in walked]
            + [pair for *_, broken in walks for pair in broken]))
        broken = list(dict.fromkeys((sid, lu, pu) for sid, *_, br in walks for lu, pu in br))

        def body(con: duckdb.DuckDBPyConnection) -> None:
            con.execute("BEGIN TRANSACTION")
            con.execute(
                "DELETE FROM pending_list_pages WHERE (list_url, page_url) IN"
                " (SELECT (p.l, p.u) FROM (SELECT unnest(?::STRUCT(l VARCHAR, u VARCHAR)[]) AS p))",
                [[{"l": lu, "u": pu} for lu, pu in gone]],
            )
            now = _now()
            for source_id, list_url, page_url in broken:
                con.execute("INSERT INTO pending_list_pages VALUES (?, ?, ?, ?, ?)",
                            [source_id, list_url, page_url, run_id, now])
            con.execute("COMMIT")

        if gone:
            self._transact(body)

    # ------------------------------------------------------------------ upkeep
    def maintain(self, keep_days: float = 7.0) -> dict[str, Any]:
        """Compact a DuckLake warehouse: every nightly commit leaves a snapshot and a few small
        Parquet files (or rows inlined in the catalog), and queries slow down as they pile
        up. Writes inlined rows out to Parquet, merges adjacent small files, rewrites files
        with many deleted rows, expires snapshots older than ``keep_days`` (time travel
        ends there) and deletes the files no snapshot needs any more that were set aside
        more than ``keep_days`` ago (a long query may still be reading them). Safe while
        loads run: each step is a lake transaction, retried on a conflict like a load.
        Returns what it did and the lake before and after. The DuckDB file target needs none
        (every write session checkpoints it)."""
        if self.settings.warehouse_target != "ducklake":
            return {"target": "duckdb", "steps": [],
                    "note": "a DuckDB file warehouse needs no maintenance: every write "
                            "session checkpoints it"}
        if keep_days < 0:
            raise db.WarehouseError(f"--keep-days must be 0 or more, not {keep_days}")
        older = f"now() - INTERVAL '{int(keep_days * 86400)} seconds'"
        steps = [
            ("flush inlined rows", "CALL ducklake_flush_inlined_data('lake')"),
            ("merge adjacent files", "CALL ducklake_merge_adjacent_files('lake')"),
            ("rewrite files with deletions", "CALL ducklake_rewrite_data_files('lake')"),
            ("expire snapshots", f"CALL ducklake_expire_snapshots('lake', older_than => {older})"),
            ("delete unused files",
             f"CALL ducklake_cleanup_old_files('lake', older_than => {older})"),
        ]

        def lake_stats(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
            got = con.execute(
                "SELECT coalesce(sum(file_count), 0), coalesce(sum(file_size_bytes), 0),"
                " coalesce(sum(delete_file_count), 0) FROM ducklake_table_info('lake')"
            ).fetchone()
            snaps = con.execute("SELECT count(*) FROM ducklake_snapshots('lake')").fetchone()
            assert got is not None and snaps is not None
            return {"data_files": int(got[0]), "data_bytes": int(got[1]),
                    "delete_files": int(got[2]), "snapshots": int(snaps[0])}

        # A SQLite catalog has one writer at a time and DuckLake does not wait for its lock:
        # there, maintenance waits for (or refuses beside) every run on this machine.
        catalog, _ = db.lake_paths(self.settings)
        alone = (db.every_run_lock(self.settings, "maintain", self.settings.run_lock_wait)
                 if catalog.startswith("sqlite:") else contextlib.nullcontext())
        with alone:
            before = self._transact(lake_stats)
            done = []
            for name, sql in steps:
                t = time.perf_counter()
                self._transact(functools.partial(_call, sql), turns=True)
                done.append({"step": name, "seconds": round(time.perf_counter() - t, 3)})
            after = self._transact(lake_stats)
        return {"target": "ducklake", "keep_days": keep_days, "before": before,
                "after": after, "steps": done}

    # ------------------------------------------------------------------ reads
    def _read(self) -> duckdb.DuckDBPyConnection:
        """A cached read-only connection, reopened when a newer snapshot was published."""
        if self.settings.warehouse_target == "ducklake":
            if self._reader is None:
                if not db.exists(self.settings):
                    self.migrate()
                self._reader = db.open_reader(self.settings)
            return self._reader
        snap = db.snapshot_path(self.settings.warehouse)
        if not db.exists(self.settings):
            self.migrate()
        try:
            st = snap.stat()
            stamp = (st.st_ino, st.st_mtime_ns)
        except FileNotFoundError:
            stamp = None
        if self._reader is None or stamp != self._reader_stamp:
            self.close()
            self._reader = db.open_reader(self.settings)
            st = snap.stat()
            self._reader_stamp = (st.st_ino, st.st_mtime_ns)
        return self._reader

    def _open_current(self) -> duckdb.DuckDBPyConnection:
        """A reader on a warehouse at the current schema: one made by an older version of
        govreports is migrated first (a write session), so its views exist for the query."""
        con = db.open_reader(self.settings)
        try:
            got = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        except duckdb.Error:
            got = None
        if got is None or got[0] is None or int(got[0]) < db.current_version():
            con.close()
            self.migrate()
            con = db.open_reader(self.settings)
        return con

    def _crawl_index(self) -> query.CrawlIndex | None:
        """On DuckLake, the crawler's lookups come from one bulk read (as of the first lookup,
        or of this handle's last write); the local file answers each from its snapshot."""
        if self.settings.warehouse_target != "ducklake":
            return None
        if self._index is None:
            self._index = query.CrawlIndex(self._read())
        return self._index

    def is_known(self, url: str) -> bool:
        if (index := self._crawl_index()) is not None:
            return url in index.known
        return query.is_known(self._read(), url)

    def attachment_tries(self, url: str) -> int:
        if (index := self._crawl_index()) is not None:
            return index.tries.get(url, 0)
        return query.attachment_tries(self._read(), url)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        if (index := self._crawl_index()) is not None:
            return index.etags.get(url, (None, None))
        return query.validators(self._read(), url)

    def pending_pages(self, list_url: str) -> list[str]:
        """List pages where the last walk of this column broke (the crawler resumes there)."""
        if (index := self._crawl_index()) is not None:
            return list(index.pending.get(list_url, ()))
        got = self._read().execute(
            "SELECT page_url FROM pending_list_pages WHERE list_url = ? ORDER BY loaded_at",
            [list_url],
        ).fetchall()
        return [r[0] for r in got]

    def stored_documents(
        self, source_ids: Sequence[str] | None = None, since: datetime | None = None
    ) -> Iterator[tuple[FetchResult, bytes]]:
        for fetch in list(query.latest_documents(self._read(), source_ids, since)):
            assert fetch.sha256 is not None
            data = self.raw(fetch.sha256)
            fetch.content = data
            yield fetch, data

    def raw(self, sha256: str) -> bytes:
        return self.rawstore.get(sha256)

    def query(
        self, sql: str, params: list[Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run SQL on the read snapshot: read-only, and with no file or network access beyond
        the warehouse (``db.lock_down``). Raises WarehouseError."""
        if not db.exists(self.settings):
            raise db.WarehouseError(
                f"no warehouse at {self.settings.warehouse} (set GOVREPORTS_WAREHOUSE)"
            )
        try:
            if self._query_con is None or self._query_stale():
                if self._query_con is not None:
                    self._query_con.close()
                self._query_con = self._open_current()
                self._query_con = db.lock_down(self._query_con, self.settings)
                self._query_mark = self._snapshot_mark()
            return query.run_query(self._query_con, sql, params)
        except duckdb.Error as exc:
            msg = str(exc).strip().splitlines()[0]
            raise db.WarehouseError(f"query failed: {msg}") from exc

    def export(
        self, out_dir: Path, fmt: str = "parquet", tables: Sequence[str] | None = None
    ) -> list[Path]:
        from warehouse import export

        return export.export_tables(self._read(), out_dir, fmt, tables)
