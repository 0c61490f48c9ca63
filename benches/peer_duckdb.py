#!/usr/bin/env python3
"""End-to-end benchmark (issue 5, benchmark 4): `hsq customers` against DuckDB
over the same NDJSON file, in one run, so the ratio is measured side by side.

    pip install duckdb
    cargo build --release
    python3 benches/peer_duckdb.py [--records 1000000] [--runs 3]

The file is made by `examples/customers_ndjson.rs` (about 1.2 KB a record)
unless it exists. Each contender runs `--runs` times; the best wall time and
the peak RSS of that process (from wait4) are reported. Two extra hsq runs
over a 100 000-record prefix show whether memory stays flat.

The query: (firstName:"John" OR firstName:"Johnny") AND email:"example.com",
sorted by createdAt descending, page 1. DuckDB's SQL is its equivalent on this
generated data: names there are single words, so a firstName token "john" is
lower(firstName) = 'john'; and an address's "example.com" token is its domain
(local parts hold no "example.com"), so the email clause is split_part on '@'.
Two DuckDB queries: one reads only the columns it needs (its best case), one
returns whole records as hsq does. hsq parses every record and prints the 50
records in full.
"""

import argparse
import os
import subprocess
import sys
import time

QUERY = 'query=(firstName:"John" OR firstName:"Johnny") AND email:"example.com"&sortField=createdAt&sortOrder=desc&page=1'

DUCKDB_SQL = """
SELECT id, firstName, lastName, createdAt
FROM read_json('{path}', format = 'newline_delimited',
    columns = {{id: 'BIGINT', firstName: 'VARCHAR', lastName: 'VARCHAR', createdAt: 'VARCHAR',
               _embedded: 'STRUCT(emails STRUCT(value VARCHAR)[])'}})
WHERE lower(firstName) IN ('john', 'johnny')
  AND len(list_filter(_embedded.emails, lambda e: split_part(e.value, '@', 2) = 'example.com')) > 0
ORDER BY createdAt DESC NULLS LAST, id DESC
LIMIT 50
"""

# The same filter and order returning whole records, as hsq does.
DUCKDB_SQL_FULL = """
SELECT *
FROM read_json('{path}', format = 'newline_delimited')
WHERE lower(firstName) IN ('john', 'johnny')
  AND len(list_filter(_embedded.emails, lambda e: split_part(e.value, '@', 2) = 'example.com')) > 0
ORDER BY createdAt DESC NULLS LAST, id DESC
LIMIT 50
"""

DUCKDB_SCRIPT = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET threads = {threads}")
con.execute("SET enable_progress_bar = false")
rows = con.execute(sys.stdin.read()).fetchall()
print(len(rows), rows[0][0] if rows else None)
"""


def timed(argv, stdin=None):
    """Wall time and peak RSS (MiB) of one run, via GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, input=stdin.encode() if stdin else None,
                          capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    rss_kib = int(proc.stderr.decode().strip().splitlines()[-1])
    return elapsed, rss_kib / 1024, proc.stdout.decode()


def best(label, argv, runs, size, stdin=None):
    results = [timed(argv, stdin) for _ in range(runs)]
    seconds, rss, out = min(results, key=lambda r: r[0])
    print(f"{label:<28} {seconds:7.2f} s  {size / seconds / 1e6:7.0f} MB/s  peak RSS {rss:6.1f} MiB", flush=True)
    return seconds, rss, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/tmp/hsq-bench")
    parser.add_argument("--hsq", default="target/release/hsq")
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    path = os.path.join(args.dir, f"customers_{args.records}.ndjson")
    if not os.path.exists(path):
        print(f"generating {path} ...", flush=True)
        subprocess.run(["cargo", "run", "-q", "--release", "--example", "customers_ndjson", "--",
                        str(args.records), path], check=True)
    small = os.path.join(args.dir, "customers_100000.ndjson")
    if not os.path.exists(small):
        subprocess.run(["cargo", "run", "-q", "--release", "--example", "customers_ndjson", "--",
                        "100000", small], check=True)
    size = os.path.getsize(path)
    cores = os.cpu_count() or 1
    print(f"file: {path}, {args.records} records, {size / 1e6:.0f} MB; {cores} cores; best of {args.runs}")

    # Warm the page cache so every contender reads from memory.
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass

    hsq = [args.hsq, "customers", "--data", path]
    all_cores, all_rss, out = best(f"hsq ({cores} threads)", hsq + ["--threads", str(cores), QUERY], args.runs, size)
    one, one_rss, _ = best("hsq (1 thread)", hsq + ["--threads", "1", QUERY], args.runs, size)
    _, small_rss, _ = best("hsq (1 thread, 100k records)", [args.hsq, "customers", "--data", small, "--threads", "1", QUERY], 1, os.path.getsize(small))

    try:
        import duckdb  # noqa: F401
    except ImportError:
        sys.exit("duckdb is not installed: pip install duckdb")
    duck = {}
    for name, template in (("columns", DUCKDB_SQL), ("records", DUCKDB_SQL_FULL)):
        sql = template.format(path=path)
        for threads in (cores, 1):
            script = DUCKDB_SCRIPT.format(threads=threads)
            label = f"duckdb {name} ({threads} threads)"
            duck[(name, threads)], _, duck_out = best(label, [sys.executable, "-c", script], args.runs, size, stdin=sql)

    import json
    page = json.loads(out)
    print(f"hsq matched {page['page']['totalElements']}; first id {page['_embedded']['customers'][0]['id']}; duckdb: {duck_out.strip()}")
    duck_best = min(duck.values())
    print()
    print(f"ratio hsq ({cores} threads) / duckdb best: {all_cores / duck_best:.2f} (below 1 is faster)")
    print(f"ratio hsq ({cores} threads) / duckdb returning records: "
          f"{all_cores / min(duck[('records', cores)], duck[('records', 1)]):.2f}")
    print(f"hsq single-thread throughput: {size / one / 1e6:.0f} MB/s (target >= 320)")
    print(f"hsq peak RSS: {one_rss:.1f} MiB (1 thread), {all_rss:.1f} MiB ({cores} threads), "
          f"{small_rss:.1f} MiB at 100k records (target <= 64, flat)")


if __name__ == "__main__":
    main()
