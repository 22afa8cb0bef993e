#!/usr/bin/env python3
"""Which b-trees the embedded store's commits write: WAL frames per commit, by table, sampled from a running server.

Copies the live WAL file of DATA_DIR (the server's --data-dir) every --every seconds, --samples times, then reads the
frames of every copy (each frame once: a copy repeats the frames an earlier one had until a checkpoint restarts the
WAL) and names the b-tree each frame's page belongs to from the page itself, not from the file's schema: pages are freed
and reused by other tables as rows come and go, so a page number's owner at the end of a run is not its owner when it
was written. A leaf's first cell says the table: its column count and the type of its first column.

    python3 bench/wal-frames.py DATA_DIR [--samples 10] [--every 0.7]

Run it while `dotnet $L drive` loads that server (after the drive's warm-up). What it cannot tell apart: `log_rev` and
`appended_refs` (both two integers), and interior pages of rowid tables (keys only, no record), shown as one row each.
"""
import argparse
import collections
import glob
import os
import shutil
import struct
import sys
import tempfile
import time


def varint(page, i):
    value = 0
    for k in range(9):
        byte = page[i]
        i += 1
        if k == 8:
            return (value << 8) | byte, i
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i
    return value, i


def record_types(page, i):
    header, j = varint(page, i)
    end, types = i + header, []
    while j < end:
        serial, j = varint(page, j)
        types.append(serial)
    return types


def first_cell(page, header):
    return struct.unpack(">H", page[header + 8:header + 10])[0]


def owner(page, number):
    """The b-tree a page belongs to, by what its first cell holds (src/MetaService.Sqlite/StoreSchema.cs)."""
    header = 100 if number == 1 else 0
    kind = page[header]
    cells = struct.unpack(">H", page[header + 3:header + 5])[0]
    if kind == 5:
        return "interior page of a rowid table"
    if kind not in (2, 10, 13):
        return "file header" if number == 1 else "freelist or overflow"
    if cells == 0:
        return "empty leaf"
    if kind == 2:
        cell = struct.unpack(">H", page[header + 12:header + 14])[0]
        _, i = varint(page, cell + 4)
        return f"interior page of an index ({len(record_types(page, i))} columns)"
    _, i = varint(page, first_cell(page, header))
    if kind == 13:
        _, i = varint(page, i)
        columns = len(record_types(page, i))
        return {5: "sqlite_schema", 6: "log", 8: "appended"}.get(columns, f"rowid table of {columns} columns")
    types = record_types(page, i)
    if len(types) == 5:
        return "kv"
    if len(types) == 3:
        return "appended_keys"
    if len(types) == 2:
        first = types[0]
        if first >= 13 and first % 2 == 1:
            return "meta"
        if first >= 12 and first % 2 == 0:
            return "appended_groups"
        return "log_rev or appended_refs"
    return f"index of {len(types)} columns"


def frames(copies):
    """(page number, page, is a commit) of each frame of the copies, each frame once."""
    seen = set()
    for path in copies:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) < 32:
            continue
        _, _, page_size, _, salt1, salt2 = struct.unpack(">IIIIII", data[:24])
        offset, size = 32, 24 + page_size
        while offset + size <= len(data):
            number, commit, s1, s2 = struct.unpack(">IIII", data[offset:offset + 16])
            if (s1, s2) != (salt1, salt2):
                break
            if (salt1, salt2, offset) not in seen:
                seen.add((salt1, salt2, offset))
                yield number, data[offset + 24:offset + size], commit != 0
            offset += size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--every", type=float, default=0.7)
    args = parser.parse_args()
    wal = glob.glob(os.path.join(args.data_dir, "*-wal"))
    if not wal:
        sys.exit(f"no WAL file in {args.data_dir}: is a server writing there?")
    with tempfile.TemporaryDirectory() as copies:
        paths = []
        for n in range(args.samples):
            paths.append(shutil.copy(wal[0], os.path.join(copies, f"{n}.wal")))
            time.sleep(args.every)
        by_owner, total, commits = collections.Counter(), 0, 0
        for number, page, commit in frames(paths):
            total += 1
            commits += commit
            by_owner[owner(page, number)] += 1
    commits = max(commits, 1)
    print(f"{total} frames, {commits} commits: {total / commits:.1f} frames per commit")
    for name, count in by_owner.most_common():
        print(f"  {name:40} {count:7} {count / commits:7.2f} per commit")


if __name__ == "__main__":
    main()
