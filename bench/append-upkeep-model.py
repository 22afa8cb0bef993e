#!/usr/bin/env python3
"""A model of the embedded store's append-log upkeep (the history's cost to the writer, H1), outside the server.

Usage: python3 bench/append-upkeep-model.py A|B [R]

Appends 120,000 rows over 61 keys (a transaction every 20, as a group commit of 20 updates would), indexes them every
1,024 rows, and every 10,000 rows forgets what lies past each key's newest 100, 500 ids a transaction, in id order; it
prints the microseconds each part costs an appended row (Python's sqlite3 included, so compare A with B only).
  A  as the store does it (AppendWrites.cs): the forget deletes each row's key, group and two reference index rows.
  B  each index in two generations: new index rows go to the current one, a forget deletes the appended row alone, and
     once R rows (default 16,384) were indexed since the last rotation the live rows the older generation indexed are
     indexed again into the current one, the older one is emptied whole (DELETE without WHERE) and becomes the current.
     Index rows of forgotten entries stay until then, so every read of an index must join the appended rows.
Neither the log rows' check nor the reads are modelled.
"""
import json
import os
import sqlite3
import sys
import time

KEYS, KEEP, N = 61, 100, 120_000
PATH = "/tmp/append-upkeep-model.db"
VALUE = os.urandom(147)


def open_db():
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(PATH + suffix):
            os.remove(PATH + suffix)
    c = sqlite3.connect(PATH, isolation_level=None)
    c.executescript("PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;")
    c.execute("CREATE TABLE appended(id INTEGER PRIMARY KEY, rev INTEGER, time INTEGER, key BLOB, grp BLOB, value BLOB, before_log INTEGER, after_log INTEGER)")
    for g in ("a", "b"):
        c.execute(f"CREATE TABLE k{g}(key BLOB, id INTEGER, rev INTEGER, PRIMARY KEY(key, id)) WITHOUT ROWID")
        c.execute(f"CREATE TABLE g{g}(grp BLOB, id INTEGER, PRIMARY KEY(grp, id)) WITHOUT ROWID")
        c.execute(f"CREATE TABLE r{g}(log_id INTEGER, id INTEGER, PRIMARY KEY(log_id, id)) WITHOUT ROWID")
    return c


def index(c, g, low, high):
    c.execute(f"INSERT OR IGNORE INTO k{g} SELECT key, id, rev FROM appended WHERE id > ? AND id <= ?", (low, high))
    c.execute(f"INSERT OR IGNORE INTO g{g} SELECT grp, id FROM appended WHERE id > ? AND id <= ?", (low, high))
    c.execute(f"INSERT OR IGNORE INTO r{g} SELECT before_log, id FROM appended WHERE id > ? AND id <= ? AND before_log IS NOT NULL "
              f"UNION ALL SELECT after_log, id FROM appended WHERE id > ? AND id <= ?", (low, high, low, high))


def past_newest(c):
    return [r[0] for r in c.execute(
        f"SELECT id FROM appended a WHERE id < (SELECT min(id) FROM (SELECT id FROM appended b WHERE b.key = a.key ORDER BY id DESC LIMIT {KEEP})) ORDER BY id")]


def forget(c, mode, ids):
    for k in range(0, len(ids), 500):
        chunk = json.dumps(ids[k:k + 500])
        if mode == "A":
            for delete in ("DELETE FROM ra WHERE (log_id, id) IN (SELECT before_log, id FROM appended WHERE id IN (SELECT value FROM json_each(?)))",
                           "DELETE FROM ra WHERE (log_id, id) IN (SELECT after_log, id FROM appended WHERE id IN (SELECT value FROM json_each(?)))",
                           "DELETE FROM ka WHERE (key, id) IN (SELECT key, id FROM appended WHERE id IN (SELECT value FROM json_each(?)))",
                           "DELETE FROM ga WHERE (grp, id) IN (SELECT grp, id FROM appended WHERE id IN (SELECT value FROM json_each(?)))"):
                c.execute(delete, (chunk,))
        c.execute("DELETE FROM appended WHERE id IN (SELECT value FROM json_each(?))", (chunk,))
        c.execute("COMMIT")
        c.execute("BEGIN")


def run(mode, rotate_every):
    c = open_db()
    spent = {"append": 0.0, "index": 0.0, "forget": 0.0, "rotate": 0.0}
    indexed, rotated, current, last = 0, 0, "a", {}
    c.execute("BEGIN")
    for i in range(1, N + 1):
        t0 = time.perf_counter()
        key = ("/metaservice/history/12345678901234567890123456789012/0-bench-h0c%d" % (i % KEYS)).encode()
        c.execute("INSERT INTO appended VALUES (?,?,?,?,?,?,?,?)", (i, i, i, key, b"/metaservice/trail/1234567890123456789012", VALUE, last.get(i % KEYS), i))
        last[i % KEYS] = i
        spent["append"] += time.perf_counter() - t0
        if i % 20 == 0:
            c.execute("COMMIT")
            c.execute("BEGIN")
        if i - indexed >= 1024:
            t0 = time.perf_counter()
            index(c, current, indexed, i)
            indexed = i
            spent["index"] += time.perf_counter() - t0
        if i % 10_000 == 0:
            ids = [x for x in past_newest(c) if x <= indexed]
            t0 = time.perf_counter()
            forget(c, mode, ids)
            spent["forget"] += time.perf_counter() - t0
            if mode == "B" and indexed - rotated >= rotate_every:
                t0 = time.perf_counter()
                older = "b" if current == "a" else "a"
                index(c, current, 0, rotated)
                for table in ("k", "g", "r"):
                    c.execute(f"DELETE FROM {table}{older}")
                current, rotated = older, indexed
                c.execute("COMMIT")
                c.execute("BEGIN")
                spent["rotate"] += time.perf_counter() - t0
    c.execute("COMMIT")
    parts = {k: round(v * 1e6 / N, 2) for k, v in spent.items()}
    print(mode, f"R={rotate_every}" if mode == "B" else "", parts, "total µs a row", round(sum(spent.values()) * 1e6 / N, 2))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("A", "B"):
        sys.exit(__doc__)
    run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 16_384)
