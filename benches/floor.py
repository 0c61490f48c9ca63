#!/usr/bin/env python3
"""The floor of the scan (issue 14, fourth round): how long just reading the
file takes, without mmap, beside the end-to-end request of
benches/peer_duckdb.py in hsq and in DuckDB, in one interleaved run.

    pip install duckdb
    cargo build --release --example read_floor && cargo build --release
    python3 benches/floor.py [--file F] [--runs 5] [--hsq target/release/hsq]

Contenders: `dd bs=4M`, `cat`, examples/read_floor.rs (4 MiB blocks read as
hsq reads them, on 1 and 2 threads, with and without a newline count over
every byte), hsq and DuckDB (needed columns) on the end-to-end request with
2 threads. Best wall and CPU time (user + system) of each, and the load
average before and after.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_duckdb  # noqa: E402
from peer_grep import run  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", default="/tmp/hsq-bench/customers-1000000.ndjson")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hsq", default="target/release/hsq")
    parser.add_argument("--floor", default="target/release/examples/read_floor")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    path, size = args.file, os.path.getsize(args.file)
    with open(path, "rb") as f:  # warm the page cache
        while f.read(1 << 24):
            pass
    t = str(args.threads)
    sql = peer_duckdb.DUCKDB_SQL.format(path=path)
    script = peer_duckdb.DUCKDB_SCRIPT.format(threads=args.threads)
    contenders = [
        ("dd bs=4M of=/dev/null", ["dd", f"if={path}", "of=/dev/null", "bs=4M", "status=none"], None),
        ("cat > /dev/null", ["sh", "-c", f"cat {path} > /dev/null"], None),
        ("read_floor, 1 thread", [args.floor, path, "1"], None),
        (f"read_floor, {t} threads", [args.floor, path, t], None),
        ("read_floor + newlines, 1 thread", [args.floor, path, "1", "touch"], None),
        (f"read_floor + newlines, {t} threads", [args.floor, path, t, "touch"], None),
        (f"hsq end to end, {t} threads",
         [args.hsq, "customers", "--data", path, "--threads", t, peer_duckdb.QUERY], None),
        (f"duckdb columns, {t} threads", [sys.executable, "-c", script], sql),
    ]
    load_before = os.getloadavg()
    best, best_cpu = {}, {}
    for _ in range(args.runs):
        for label, argv, stdin in contenders:
            elapsed, cpu, _ = run(argv, stdin)
            best[label] = min(best.get(label, float("inf")), elapsed)
            best_cpu[label] = min(best_cpu.get(label, float("inf")), cpu)
    load_after = os.getloadavg()
    print(f"file: {path}, {size / 1e6:.0f} MB; best of {args.runs}, interleaved; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    for label, _, _ in contenders:
        print(f"{label:<36} {best[label]:7.3f} s  {size / best[label] / 1e6:7.0f} MB/s  CPU {best_cpu[label]:6.3f} s")
    duck = best[f"duckdb columns, {t} threads"]
    print(f"\n4x DuckDB means {duck / 4:.3f} s wall; hsq now {best[f'hsq end to end, {t} threads']:.3f} s "
          f"({duck / best[f'hsq end to end, {t} threads']:.2f}x)")


if __name__ == "__main__":
    main()
