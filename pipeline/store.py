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

import json
import sqlite3
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path

from pipeline.records import Article
from pipeline.stages.write import article_rows
from pipeline.tables import TABLES

STORE_NAME = ".frnews-store.sqlite"
SCHEMA_VERSION = "2"


class Store:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._create()

    # -- schema ------------------------------------------------------------
    def _create(self) -> None:
        ver = None
        if self.db.execute("SELECT name FROM sqlite_master WHERE name='meta'").fetchone():
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            ver = row[0] if row else None
        if ver not in (None, SCHEMA_VERSION):
            for t in ("meta", "articles", "mentions", "events"):
                self.db.execute(f"DROP TABLE IF EXISTS {t}")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
        acols = ", ".join(f'"{c.name}"' for c in TABLES["articles"])
        self.db.execute(f"CREATE TABLE IF NOT EXISTS articles(key TEXT PRIMARY KEY, cache_key TEXT, "
                        f"raw_hash TEXT, seq INTEGER, run TEXT, {acols})")
        for t in ("mentions", "events"):
            cols = ", ".join(f'"{c.name}"' for c in TABLES[t])
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {t}(key TEXT, idx INTEGER, {cols})")
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {t}_key ON {t}(key)")
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_run ON articles(run, seq)")
        # "the earliest earlier row of this run with this hash": with seq last in the index the
        # lookup is one index probe; without it SQLite walked (run, seq) over every earlier row,
        # so a run's cost grew with the square of the dump's size
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_hash ON articles(run, content_hash, seq)")
        self.db.execute("CREATE INDEX IF NOT EXISTS articles_raw ON articles(run, raw_hash, seq)")

    # -- reads -------------------------------------------------------------
    def cached(self, key: str, cache_key: str) -> bool:
        row = self.db.execute("SELECT cache_key FROM articles WHERE key=?", (key,)).fetchone()
        return row is not None and row[0] == cache_key

    def first_with(self, run: str, column: str, value: str, before_seq: int) -> str | None:
        """article_id of the earliest row of this run with ``column == value``, if any."""
        row = self.db.execute(
            f'SELECT article_id FROM articles WHERE run=? AND "{column}"=? AND seq<? AND status=\'ok\' '
            f"AND duplicate_of IS NULL ORDER BY seq LIMIT 1", (run, value, before_seq)).fetchone()
        return row[0] if row else None

    # -- writes ------------------------------------------------------------
    def mark_seen(self, items: Sequence[tuple[str, int]], run: str) -> None:
        """Mark cached articles as part of ``run`` at their new input position."""
        self.db.execute("BEGIN")
        self.db.executemany("UPDATE articles SET seq=?, run=? WHERE key=?",
                            [(seq, run, key) for key, seq in items])
        self.db.execute("COMMIT")

    def put(self, items: Sequence[tuple[str, str, str | None, int, Article]], run: str) -> None:
        """Replace the rows of processed articles in one transaction.

        ``items`` are ``(key, cache_key, raw_hash, seq, article)``.
        """
        acols = [c.name for c in TABLES["articles"]]
        mcols = [c.name for c in TABLES["mentions"]]
        ecols = [c.name for c in TABLES["events"]]
        a_sql = (f"INSERT OR REPLACE INTO articles(key, cache_key, raw_hash, seq, run, "
                 f"{', '.join(chr(34) + c + chr(34) for c in acols)}) VALUES ({', '.join('?' * (5 + len(acols)))})")
        m_sql = (f"INSERT INTO mentions(key, idx, {', '.join(chr(34) + c + chr(34) for c in mcols)}) "
                 f"VALUES ({', '.join('?' * (2 + len(mcols)))})")
        e_sql = (f"INSERT INTO events(key, idx, {', '.join(chr(34) + c + chr(34) for c in ecols)}) "
                 f"VALUES ({', '.join('?' * (2 + len(ecols)))})")
        aget, mget, eget = itemgetter(*acols), itemgetter(*mcols), itemgetter(*ecols)
        a_rows, m_rows, e_rows = [], [], []
        for key, cache_key, raw_hash, seq, article in items:
            arow, mrows, erows = article_rows(article)
            a_rows.append((key, cache_key, raw_hash, seq, run, *aget(arow)))
            m_rows.extend((key, i, *mget(r)) for i, r in enumerate(mrows))
            e_rows.extend((key, i, *eget(r)) for i, r in enumerate(erows))
        keys = [(it[0],) for it in items]
        self.db.execute("BEGIN")
        try:  # booleans are stored as 0/1 by sqlite3 itself (bool is an int)
            self.db.executemany("DELETE FROM mentions WHERE key=?", keys)
            self.db.executemany("DELETE FROM events WHERE key=?", keys)
            self.db.executemany(a_sql, a_rows)
            self.db.executemany(m_sql, m_rows)
            self.db.executemany(e_sql, e_rows)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def prune(self, run: str) -> int:
        """Forget articles that are no longer in the input (not seen in ``run``)."""
        self.db.execute("BEGIN")
        stale = "SELECT key FROM articles WHERE run IS NOT ?"
        self.db.execute(f"DELETE FROM mentions WHERE key IN ({stale})", (run,))
        self.db.execute(f"DELETE FROM events WHERE key IN ({stale})", (run,))
        n = self.db.execute("DELETE FROM articles WHERE run IS NOT ?", (run,)).rowcount
        self.db.execute("COMMIT")
        return n

    # -- export ------------------------------------------------------------
    def chunks(self, table: str, run: str, size: int = 2000) -> Iterator[list[tuple]]:
        """Rows of ``table`` for the articles seen in ``run``, in input order, as lists of
        tuples in the table's column order (values as stored: booleans are 0/1)."""
        cols = [c.name for c in TABLES[table]]
        sel = ", ".join(f't."{c}"' for c in cols)
        if table == "articles":
            sql = f"SELECT {sel} FROM articles t WHERE t.run=? ORDER BY t.seq"
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

    def errors(self, run: str, limit: int = 20) -> list[tuple[str, str, str]]:
        return self.db.execute("SELECT article_id, status, error FROM articles WHERE run=? AND status!='ok' "
                               "ORDER BY seq LIMIT ?", (run, limit)).fetchall()

    def set_meta(self, key: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, json.dumps(value)))

    def close(self) -> None:
        self.db.close()
