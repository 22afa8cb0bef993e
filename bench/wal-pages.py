#!/usr/bin/env python3
"""WAL frames per update on the embedded store's file layout, for the history layouts below.

Replays on a fresh file the store's own tables (kv, log, log_rev, meta: src/MetaService.Sqlite/StoreSchema.cs) and
statements (a put reads the key's row, appends a log row and inserts or points the key's row at it), with the H1
suite's shape: 32 functions, 10 updates per commit (the group commit the server reached under 32 clients). Each update
writes the function's record (2,000 B) and its platform key (1,800 B), plus what the layout adds. A commit writes every
page it dirtied to the WAL, whole; frames are counted from the WAL's growth, checkpoints off.

    python3 bench/wal-pages.py [LAYOUT ...]     (no arguments: every layout)
"""
import os
import random
import sqlite3
import sys
import tempfile

SCHEMA = """
CREATE TABLE kv(key BLOB PRIMARY KEY, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, log_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE log(id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, create_rev INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE INDEX log_rev ON log(rev);
CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE appended(id INTEGER PRIMARY KEY, value BLOB);
CREATE TABLE history(id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, time INTEGER NOT NULL, key BLOB NOT NULL, grp BLOB NOT NULL, value BLOB NOT NULL, before_log INTEGER, after_log INTEGER);
CREATE TABLE history_keys(key BLOB NOT NULL, id INTEGER NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
CREATE TABLE history_groups(grp BLOB NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(grp, id)) WITHOUT ROWID;
CREATE TABLE history_refs(log_id INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(log_id, id)) WITHOUT ROWID;
INSERT INTO meta VALUES('revision', 0);
"""
TENANT = "12345678901234567890123456789012"
NAMES = [f"0-bench-h0c{i}" for i in range(32)]
COMMITS, PER_COMMIT = 400, 10

# Each layout: the (key, value bytes) puts an update adds, and the bytes it appends to a rowid table of its own (no key).
LAYOUTS = {
    "off": "history off",
    "now": "the layout at 73bdbdf: the entry at the function's key and the trail's (650 B each), the snapshot at its own (1,800 B)",
    "two": "the snapshot inside the function's entry (2,450 B), the trail's value empty",
    "fn-only": "only the function's key, a 1-byte value",
    "one-ascending": "one key per write, ascending by revision (an append to its range), the entry with its snapshot (2,450 B)",
    "one-ascending-800": "the same, the value compressed to 800 B",
    "appended-2450": "no key: 2,450 B appended to a rowid table of its own",
    "appended-800": "no key: 800 B appended to a rowid table of its own",
    "built-eager": "as built at 1092ff1: 400 B appended to the append log, with three indexes of its own (revision, kept values)",
    "built-400": "the append log as built at 441ef80: the whole entry, 400 B, appended, every index built behind it every 1,024 rows",
    "built": "the append log as built now: the entry's own members, 150 B, appended, every index built behind it every 1,024 rows",
}


def adds(layout, revision, name):
    leaf = f"{10**19 - revision:019d}-1764900000000-1a2b3c4d"
    function = f"/metaservice/history/functions/{TENANT}/p/{name}/{leaf}".encode()
    trail = f"/metaservice/history/trail/{TENANT}/p/{10**19 - 1764900000000 - revision // 10:019d}/{name}/{leaf}".encode()
    snapshot = f"/metaservice/history/snapshots/{leaf}/{TENANT}/p/{name}".encode()
    ascending = f"/metaservice/history/log/{TENANT}/p/{revision:019d}/{name}".encode()
    return {
        "off": ([], 0),
        "now": ([(function, 650), (trail, 650), (snapshot, 1800)], 0),
        "two": ([(function, 2450), (trail, 0)], 0),
        "fn-only": ([(function, 1)], 0),
        "one-ascending": ([(ascending, 2450)], 0),
        "one-ascending-800": ([(ascending, 800)], 0),
        "appended-2450": ([], 2450),
        "appended-800": ([], 800),
        "built-eager": ([], 0),
        "built-400": ([], 0),
        "built": ([], 0),
    }[layout]


def frames_per_update(layout, path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.executescript(SCHEMA)
    state = {"revision": 0, "log": 0, "record_log": {}}
    if layout == "built-eager":
        db.executescript("CREATE INDEX history_rev ON history(rev); CREATE INDEX history_before ON history(before_log) WHERE before_log IS NOT NULL;"
                         " CREATE INDEX history_after ON history(after_log) WHERE after_log IS NOT NULL;")
    indexed = 0

    def put(key, size):
        row = db.execute("SELECT version FROM kv WHERE key = ?", (key,)).fetchone()
        state["log"] += 1
        db.execute("INSERT INTO log VALUES(?, ?, ?, ?, ?, 1)", (state["log"], state["revision"], key, os.urandom(size), state["revision"]))
        if row:
            db.execute("UPDATE kv SET mod_rev = ?, version = ?, log_id = ? WHERE key = ?", (state["revision"], row[0] + 1, state["log"], key))
        else:
            db.execute("INSERT INTO kv VALUES(?, ?, ?, 1, ?)", (key, state["revision"], state["revision"], state["log"]))

    random.seed(1)
    start = 0
    for commit in range(COMMITS):
        if commit == COMMITS // 4:
            start = os.path.getsize(path + "-wal")
        db.execute("BEGIN")
        for _ in range(PER_COMMIT):
            state["revision"] += 1
            name = random.choice(NAMES)
            put(f"/repo/FunctionVersion/business/yrk/tenant/{TENANT}/p/{name}/latest".encode(), 2000)
            put(f"/sn/functions/business/yrk/tenant/{TENANT}/function/{name}/version/latest".encode(), 1800)
            keys, appended = adds(layout, state["revision"], name)
            for key, size in keys:
                put(key, size)
            if appended:
                db.execute("INSERT INTO appended(value) VALUES(?)", (os.urandom(appended),))
            if layout.startswith("built"):
                record = state["record_log"].get(name)
                db.execute("INSERT INTO history(rev, time, key, grp, value, before_log, after_log) VALUES(?, ?, ?, ?, ?, ?, ?)",
                           (state["revision"], 1764900000000, f"{TENANT}/p/{name}".encode(), f"{TENANT}/p".encode(), os.urandom(150 if layout == "built" else 400), record, state["log"] - 1))
            state["record_log"][name] = state["log"] - 1
        last = db.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
        if layout in ("built", "built-400") and last - indexed >= 1024:
            db.execute("INSERT INTO history_keys SELECT key, id, rev FROM history WHERE id > ?", (indexed,))
            db.execute("INSERT INTO history_groups SELECT grp, id FROM history WHERE id > ?", (indexed,))
            db.execute("INSERT INTO history_refs SELECT before_log, id FROM history WHERE id > ? AND before_log IS NOT NULL"
                       " UNION ALL SELECT after_log, id FROM history WHERE id > ?", (indexed, indexed))
            indexed = last
        db.execute("UPDATE meta SET value = ? WHERE name = 'revision'", (state["revision"],))
        db.execute("COMMIT")
    frames = (os.path.getsize(path + "-wal") - start) / (4096 + 24)
    db.close()
    return frames / ((COMMITS - COMMITS // 4) * PER_COMMIT)


def main(layouts):
    unknown = [layout for layout in layouts if layout not in LAYOUTS]
    if unknown:
        print(f"unknown layout {', '.join(unknown)}; one of: {', '.join(LAYOUTS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "meta.db")
        off = frames_per_update("off", path)
        print("| layout | WAL frames per update | history off ÷ this |")
        print("| --- | ---: | ---: |")
        for layout in layouts or LAYOUTS:
            frames = frames_per_update(layout, path)
            print(f"| `{layout}`: {LAYOUTS[layout]} | {frames:.2f} | {off / frames:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
