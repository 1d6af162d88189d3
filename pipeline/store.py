"""The run store: processed rows kept in SQLite between runs.

Every batch of processed articles is committed in one transaction, so a run
killed at any moment (even with SIGKILL) loses at most the batch in flight.
Each article row keeps a ``cache_key`` (hash of the raw record, the pipeline
version with its rules hash and model, the options and the dump-chrome lines
that touch the article); a later run skips an article whose key is unchanged
and only marks it as seen.  The final tables are exported from the rows seen
in the current run, in input order, so an incremental or resumed run writes
the same tables as one uninterrupted run over the same input.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.contract import CONTRACT, Contract
from pipeline.records import Article

STORE_NAME = ".frnews-store.sqlite"
#: bump when the store's own bookkeeping columns or indexes change (the output columns are
#: versioned by the contract's digest)
LAYOUT = "3"


class Store:
    """The run store of one output folder; its tables' columns come from ``contract``."""

    def __init__(self, path: Path, contract: Contract = CONTRACT):
        self.path = path
        self.contract = contract
        self.schema_version = f"{LAYOUT}.{contract.digest()}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._create()

    @classmethod
    def reader(cls, path: Path, contract: Contract = CONTRACT) -> Store:
        """A read-only connection to an existing store (for a second process reading it)."""
        self = cls.__new__(cls)
        self.path, self.contract = path, contract
        self.schema_version = f"{LAYOUT}.{contract.digest()}"
        self.db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
        return self

    # -- schema ------------------------------------------------------------
    def _create(self) -> None:
        ver = None
        if self.db.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone():
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            ver = row[0] if row else None
        if ver not in (None, self.schema_version):  # another contract: its rows cannot be reused
            for (t,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                self.db.execute(f'DROP TABLE IF EXISTS "{t}"')
        self.db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (self.schema_version,))
        acols = ", ".join(f'"{c}"' for c in self.contract["articles"].names())
        self.db.execute(f"CREATE TABLE IF NOT EXISTS articles(key TEXT PRIMARY KEY, cache_key TEXT, "
                        f"raw_hash TEXT, seq INTEGER, run TEXT, {acols})")
        for t in self.row_tables():
            cols = ", ".join(f'"{c}"' for c in self.contract[t].names())
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {t}(key TEXT, idx INTEGER, {cols})")
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {t}_key ON {t}(key)")
        for t in self.dump_tables():  # written whole by a post-pass, for one run
            cols = ", ".join(f'"{c}"' for c in self.contract[t].names())
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {t}(run TEXT, idx INTEGER, {cols})")
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_run ON articles(run, seq)")
        # "the earliest earlier row of this run with this hash": with seq last in the index the
        # lookup is one index probe; without it SQLite walked (run, seq) over every earlier row,
        # so a run's cost grew with the square of the dump's size
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_hash ON articles(run, content_hash, seq)")
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_raw ON articles(run, raw_hash, seq)")

    def row_tables(self) -> list[str]:
        """The contract's tables other than ``articles`` (rows keyed by their article)."""
        return [t for t in self.contract if t != "articles" and self.contract[t].records != "dump"]

    def dump_tables(self) -> list[str]:
        """The contract's dump-level tables (rows written by a post-pass for the whole run)."""
        return [t for t in self.contract if self.contract[t].records == "dump"]

    def put_dump(self, table: str, run: str, rows: Sequence[tuple]) -> None:
        """Replace the rows of the dump-level ``table`` (contract column order) in one transaction."""
        cols = self.contract[table].names()
        sql = (f"INSERT INTO {table}(run, idx, {', '.join(chr(34) + c + chr(34) for c in cols)}) "
               f"VALUES ({', '.join('?' * (2 + len(cols)))})")
        self.db.execute("BEGIN")
        try:
            self.db.execute(f"DELETE FROM {table}")
            self.db.executemany(sql, [(run, i, *r) for i, r in enumerate(rows)])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # -- reads -------------------------------------------------------------
    def cached(self, key: str, cache_key: str) -> tuple[str, str | None, str | None] | None:
        """``(status, duplicate_of, content_hash)`` of the stored row of ``key`` when its cache
        key matches (the row can be reused if it is still the same kind of copy), else None."""
        row = self.db.execute("SELECT cache_key, status, duplicate_of, content_hash FROM articles WHERE key=?",
                              (key,)).fetchone()
        return row[1:] if row is not None and row[0] == cache_key else None

    def first_with(self, run: str, column: str, value: str, before_seq: int) -> str | None:
        """article_id of the earliest row of this run with ``column == value``, if any."""
        row = self.db.execute(
            f'SELECT article_id FROM articles WHERE run=? AND "{column}"=? AND seq<? AND status=\'ok\' '
            f"AND duplicate_of IS NULL ORDER BY seq LIMIT 1", (run, value, before_seq)).fetchone()
        return row[0] if row else None

    def first_raw(self, run: str, raw_hash: str, before_seq: int) -> str | None:
        """article_id of the earliest row of this run before ``before_seq`` with this raw hash."""
        row = self.db.execute("SELECT article_id FROM articles WHERE run=? AND raw_hash=? AND seq<? "
                              "ORDER BY seq LIMIT 1", (run, raw_hash, before_seq)).fetchone()
        return row[0] if row else None

    def article_row(self, run: str, article_id: str) -> tuple | None:
        """The stored articles row (contract columns) of ``article_id``'s first copy in ``run``."""
        cols = ", ".join(f'"{c}"' for c in self.contract["articles"].names())
        return self.db.execute(f"SELECT {cols} FROM articles WHERE run=? AND article_id=? ORDER BY seq LIMIT 1",
                               (run, article_id)).fetchone()

    # -- writes ------------------------------------------------------------
    def record_columns(self) -> list[str]:
        """The articles columns that come from the input record itself (``origin="record"``),
        which the cache key does not cover: where the record was read (``source``), how it
        was decoded.  A cached row takes them from this run's record."""
        return [c.name for c in self.contract["articles"].columns
                if c.origin == "record" and c.name != "article_id"]

    def mark_seen(self, items: Sequence[tuple[str, int, Sequence[object]]], run: str) -> None:
        """Mark cached articles as part of ``run`` at their new input position, with this
        run's values of :meth:`record_columns` (``items``: ``(key, seq, values)``)."""
        sets = "".join(f', "{c}"=?' for c in self.record_columns())
        self.db.execute("BEGIN")
        self.db.executemany(f"UPDATE articles SET seq=?, run=?{sets} WHERE key=?",
                            [(seq, run, *values, key) for key, seq, values in items])
        self.db.execute("COMMIT")

    def put(self, items: Sequence[tuple[str, str, str | None, int, Article | tuple]], run: str) -> None:
        """Replace the rows of processed articles in one transaction.

        ``items`` are ``(key, cache_key, raw_hash, seq, article)``; ``article`` is an
        :class:`Article`, or a ready articles row (a tuple: an exact duplicate, no other rows).
        """
        tables = self.row_tables()
        acols = self.contract["articles"].names()
        a_sql = (f"INSERT OR REPLACE INTO articles(key, cache_key, raw_hash, seq, run, "
                 f"{', '.join(chr(34) + c + chr(34) for c in acols)}) VALUES ({', '.join('?' * (5 + len(acols)))})")
        sqls, rows = {}, {t: [] for t in tables}
        for t in tables:
            cols = self.contract[t].names()
            sqls[t] = (f"INSERT INTO {t}(key, idx, {', '.join(chr(34) + c + chr(34) for c in cols)}) "
                       f"VALUES ({', '.join('?' * (2 + len(cols)))})")
        a_rows = []
        for key, cache_key, raw_hash, seq, article in items:
            arow = article if isinstance(article, tuple) else self.contract["articles"].rows(article)[0]
            a_rows.append((key, cache_key, raw_hash, seq, run, *arow))
            if isinstance(article, tuple):
                continue
            for t in tables:
                rows[t].extend((key, i, *r) for i, r in enumerate(self.contract[t].rows(article)))
        keys = [(it[0],) for it in items]
        self.db.execute("BEGIN")
        try:  # booleans are stored as 0/1 by sqlite3 itself (bool is an int)
            for t in tables:
                self.db.executemany(f"DELETE FROM {t} WHERE key=?", keys)
            self.db.executemany(a_sql, a_rows)
            for t in tables:
                self.db.executemany(sqls[t], rows[t])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def prune(self, run: str) -> int:
        """Forget articles that are no longer in the input (not seen in ``run``)."""
        self.db.execute("BEGIN")
        stale = "SELECT key FROM articles WHERE run IS NOT ?"
        for t in self.row_tables():
            self.db.execute(f"DELETE FROM {t} WHERE key IN ({stale})", (run,))
        n = self.db.execute("DELETE FROM articles WHERE run IS NOT ?", (run,)).rowcount
        self.db.execute("COMMIT")
        return n

    # -- export ------------------------------------------------------------
    def chunks(self, table: str, run: str, size: int = 2000) -> Iterator[list[tuple]]:
        """Rows of ``table`` for the articles seen in ``run``, in input order, as lists of
        tuples in the table's column order (values as stored: booleans are 0/1)."""
        cols = self.contract[table].names()
        sel = ", ".join(f't."{c}"' for c in cols)
        if table == "articles":
            sql = f"SELECT {sel} FROM articles t WHERE t.run=? ORDER BY t.seq"
        elif table in self.dump_tables():
            sql = f"SELECT {sel} FROM {table} t WHERE t.run=? ORDER BY t.idx"
        else:
            sql = (f"SELECT {sel} FROM {table} t JOIN articles a ON a.key=t.key WHERE a.run=? "
                   f"ORDER BY a.seq, t.idx")
        cur = self.db.execute(sql, (run,))
        while True:
            chunk = cur.fetchmany(size)
            if not chunk:
                break
            yield chunk

    def status_counts(self, run: str) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM articles WHERE run=? GROUP BY status",
                                    (run,)).fetchall())

    def count_noted(self, run: str, note: str) -> int:
        """Rows of ``run`` whose notes hold ``note``."""
        return self.db.execute("SELECT COUNT(*) FROM articles WHERE run=? AND instr(notes, ?) > 0",
                               (run, note)).fetchone()[0]

    def errors(self, run: str, limit: int = 20) -> list[tuple[str, str, str]]:
        return self.db.execute("SELECT article_id, status, error FROM articles WHERE run=? AND status!='ok' "
                               "ORDER BY seq LIMIT ?", (run, limit)).fetchall()

    def close(self) -> None:
        self.db.close()
