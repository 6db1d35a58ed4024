"""Python UDFs and the rest of the server: a small query's latency while
four sessions run CPU-heavy Python UDFs, the heavy UDF query's own time,
and whether the server survives a UDF that calls `os._exit`. Run side by
side against this server and, when given, Sail and Apache Spark's JVM
server.

  python bench/udf_isolation.py --ours target/release/spark-connect-server \
      [--sail /path/to/venv/bin/sail] [--spark-home $SPARK_HOME] \
      [--seconds 20] [--report docs/benchmarks.md]

The client (and this server's UDF workers) run with this script's Python.
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

ROWS = 200_000


def heavy(spark):
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType

    work = F.udf(lambda v: sum(i * i for i in range(v % 50 + 150)), LongType())
    return spark.range(ROWS).select(work("id").alias("w")).agg(F.sum("w"))


def measure(port, seconds):
    stop_load = threading.Event()
    heavy_runs = []

    def load():
        spark = session(port)
        while not stop_load.is_set():
            t = time.perf_counter()
            heavy(spark).collect()
            heavy_runs.append(time.perf_counter() - t)

    probe = session(port)
    for _ in range(20):
        probe.sql("SELECT 1").collect()
    loaders = [threading.Thread(target=load) for _ in range(4)]
    for t in loaders:
        t.start()
    time.sleep(3)  # the four heavy queries under way
    loaded = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        t = time.perf_counter()
        probe.sql("SELECT 1").collect()
        loaded.append(time.perf_counter() - t)
        time.sleep(0.02)
    stop_load.set()
    for t in loaders:
        t.join()
    q = statistics.quantiles(loaded, n=100)
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "heavy": statistics.median(heavy_runs) if heavy_runs else float("nan")}


def survives_os_exit(port, proc):
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType

    spark = session(port)
    try:
        spark.range(1).select(F.udf(lambda v: os._exit(3), LongType())("id")).collect()
    except Exception:  # noqa: BLE001 - the query is meant to fail
        pass
    time.sleep(1)
    if proc.poll() is not None:
        return "no: the server exited"
    try:
        return "yes" if session(port).range(3).count() == 3 else "no"
    except Exception as e:  # noqa: BLE001
        return f"no: {type(e).__name__}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--sail")
    ap.add_argument("--spark-home")
    ap.add_argument("--spark-python", help="the Python of the JVM server's workers (its own pyspark's)")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--report")
    args = ap.parse_args()
    env = {"SPARK_CONNECT_SERVER_PYTHON": sys.executable}
    if args.spark_python:
        os.environ["PYSPARK_PYTHON"] = args.spark_python
    servers = [("spark-connect-server", lambda: start_ours(args.ours, env))]
    if args.sail:
        servers.append(("Sail 0.7.2", lambda: start_sail(args.sail)))
    workdir = tempfile.mkdtemp()
    if args.spark_home:
        servers.append(("Apache Spark 4.3.0 (JVM)", lambda: start_spark(args.spark_home, workdir)))
    rows = []
    for name, start in servers:
        proc, port, _ = start()
        outcome = {}
        try:
            # A server whose UDF queries hang is reported, not waited for.
            t = threading.Thread(target=lambda: outcome.update(measure(port, args.seconds)), daemon=True)
            t.start()
            t.join(args.seconds + 300)
            if t.is_alive():
                r = {"p50": float("nan"), "p95": float("nan"), "heavy": float("nan"), "survives": "not measured: the UDF queries did not finish in 5 minutes"}
            else:
                r = dict(outcome)
                r["survives"] = survives_os_exit(port, proc)
        finally:
            stop(proc)
        print(name, r, flush=True)
        rows.append((name, r))
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; `SELECT 1` from one session every 20 ms for {args.seconds} s while "
        f"four other sessions loop a Python UDF over {ROWS:,} rows (`sum(i * i for i in range(v % 50 + 150))`, summed); then a UDF "
        "calling `os._exit(3)`, and whether the server still answers.",
        "",
        "| server | `SELECT 1` p50 (ms) | p95 (ms) | heavy UDF query, median (s) | survives `os._exit` in a UDF |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows:
        lines.append(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['heavy']:.2f} | {r['survives']} |")
    table = "\n".join(lines)
    print(table)
    if args.report:
        write_section(args.report, "udf isolation", table)


if __name__ == "__main__":
    main()
