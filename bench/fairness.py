"""A small query's latency while other sessions run heavy ones: two sessions
loop CPU-heavy aggregations, and a third measures `spark.range(1).collect()`.
Run side by side against this server and, when given, Sail and Apache
Spark's JVM server.

  python bench/fairness.py --ours target/release/spark-connect-server \
      [--sail /path/to/venv/bin/sail] [--spark-home $SPARK_HOME] \
      [--iterations 200] [--report docs/benchmarks.md]

A benchmark, not a test: nothing here asserts on time.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from servers import machine, session, start_ours, start_sail, start_spark, stop, write_section  # noqa: E402

HEAVY = "SELECT sum(id * 7 % 13), count(DISTINCT id % 1000) FROM range(0, 30000000)"


def measure(port, iterations):
    stop_load = threading.Event()
    heavy_runs = []

    def load():
        spark = session(port)
        while not stop_load.is_set():
            t = time.perf_counter()
            spark.sql(HEAVY).collect()
            heavy_runs.append(time.perf_counter() - t)
        spark.stop()

    spark = session(port)
    for _ in range(20):
        spark.range(1).collect()
    idle = []
    for _ in range(iterations):
        t = time.perf_counter()
        spark.range(1).collect()
        idle.append(time.perf_counter() - t)
    loaders = [threading.Thread(target=load) for _ in range(2)]
    for t in loaders:
        t.start()
    time.sleep(3)  # both heavy queries under way
    loaded = []
    for _ in range(iterations):
        t = time.perf_counter()
        spark.range(1).collect()
        loaded.append(time.perf_counter() - t)
    stop_load.set()
    for t in loaders:
        t.join()
    spark.stop()

    def p(samples, q):
        return statistics.quantiles(samples, n=100)[q - 1] * 1000

    return {
        "idle p50": p(idle, 50),
        "loaded p50": p(loaded, 50),
        "loaded p95": p(loaded, 95),
        "heavy query (s)": statistics.median(heavy_runs) if heavy_runs else float("nan"),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--sail")
    ap.add_argument("--spark-home")
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--report")
    args = ap.parse_args()
    servers = [("spark-connect-server", lambda: start_ours(args.ours))]
    if args.sail:
        servers.append(("Sail 0.7.2", lambda: start_sail(args.sail)))
    workdir = tempfile.mkdtemp()
    if args.spark_home:
        servers.append(("Apache Spark 4.3.0 (JVM)", lambda: start_spark(args.spark_home, workdir)))
    rows = []
    for name, start in servers:
        proc, port, _ = start()
        try:
            r = measure(port, args.iterations)
        finally:
            stop(proc)
        print(name, r, flush=True)
        rows.append((name, r))
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {args.iterations} calls of `spark.range(1).collect()` from one "
        f"session, first alone, then while two other sessions loop `{HEAVY}`.",
        "",
        "| server | alone p50 (ms) | under load p50 (ms) | under load p95 (ms) | heavy query, median (s) |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['idle p50']:.1f} | {r['loaded p50']:.1f} | {r['loaded p95']:.1f} | {r['heavy query (s)']:.2f} |")
    table = "\n".join(lines)
    print(table)
    if args.report:
        write_section(args.report, "fairness", table)


if __name__ == "__main__":
    main()
