#!/usr/bin/env python3
"""CPU time of hsq binaries on one request, interleaved (issue 14, fourth
round: each step of the scan was timed against the previous binary so).

    python3 benches/cpu.py RUNS PARAMS BINARY...
    FILE=/tmp/hsq-bench/customers-1000000.ndjson THREADS=1 (the defaults)

Each round runs every binary once, in turn, so a busy machine weighs on all
alike; prints the minimum and median CPU time (user + system of the
process, all threads) and wall time of each, with the load average.
"""
import os
import resource
import subprocess
import sys
import time


def main():
    runs, params, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    path = os.environ.get("FILE", "/tmp/hsq-bench/customers-1000000.ndjson")
    threads = os.environ.get("THREADS", "1")
    results = {b: [] for b in binaries}
    load = os.getloadavg()[0]
    for _ in range(runs):
        for binary in binaries:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([binary, "customers", "--data", path, "--threads", threads, params],
                           stdout=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            results[binary].append((cpu, wall))
    print(f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}; {params}; {threads} thread(s)")
    for binary in binaries:
        cpu = sorted(c for c, _ in results[binary])
        wall = sorted(w for _, w in results[binary])
        print(f"{binary:<40} CPU min {cpu[0]:.3f} median {cpu[len(cpu) // 2]:.3f}   "
              f"wall min {wall[0]:.3f} median {wall[len(wall) // 2]:.3f}")


if __name__ == "__main__":
    main()
