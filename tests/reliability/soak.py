"""Soak test: many sessions running mixed queries against one server for a
long time, every result checked, the server's resident memory sampled.

  python tests/reliability/soak.py --binary target/release/spark-connect-server \
      [--sessions 16] [--minutes 10] [--report docs/reliability.md]

The long parts of the reliability suite run here (the fast parts are
tests/e2e/test_reliability.py). It exits non-zero when a result is wrong, a
query fails unexpectedly or the server dies.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from servers import PeakRss, machine, rss_mib, start_ours, stop, write_section  # noqa: E402


def workload(spark):
    """(name, run, check) triples; each run returns a value `check` accepts."""
    from pyspark.sql import functions as F

    people = spark.createDataFrame([(i, f"n{i % 17}", i * 1.5) for i in range(2000)], "id int, name string, score double")
    return [
        ("range count", lambda: spark.range(100_000).count(), lambda v: v == 100_000),
        ("sql aggregate", lambda: spark.sql("SELECT sum(id) AS s FROM range(1000000)").collect()[0].s, lambda v: v == 499999500000),
        ("group by", lambda: len(people.groupBy("name").agg(F.sum("score")).collect()), lambda v: v == 17),
        ("join", lambda: people.alias("a").join(people.alias("b"), "id").count(), lambda v: v == 2000),
        ("window", lambda: people.selectExpr("rank() OVER (PARTITION BY name ORDER BY score) AS r").agg(F.max("r")).collect()[0][0], lambda v: v == 118),
        ("sort limit", lambda: [r.id for r in spark.range(50_000).orderBy(F.col("id").desc()).limit(3).collect()], lambda v: v == [49999, 49998, 49997]),
        ("string functions", lambda: spark.sql("SELECT upper(concat('a', 'b')) AS u").collect()[0].u, lambda v: v == "AB"),
        ("to pandas", lambda: len(spark.range(20_000).toPandas()), lambda v: v == 20_000),
        ("large result", lambda: len(spark.range(300_000).selectExpr("id", "id * 2 AS d").collect()), lambda v: v == 300_000),
        ("error", lambda: _error(spark), lambda v: v == "UNRESOLVED_COLUMN.WITH_SUGGESTION"),
        ("temp view", lambda: _view(spark), lambda v: v == 10),
    ]


def _error(spark):
    try:
        spark.sql("SELECT nope FROM range(1)").collect()
    except Exception as e:  # noqa: BLE001 - the error class is the result
        return e.getCondition()
    return None


def _view(spark):
    name = f"v{random.randrange(1 << 30)}"
    spark.range(10).createOrReplaceTempView(name)
    n = spark.table(name).count()
    spark.sql(f"DROP VIEW {name}")
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--sessions", type=int, default=16)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--report")
    ap.add_argument("--max-rss-mib", type=float, default=1024, help="fail when the server's peak RSS exceeds this")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    proc, port, _ = start_ours(args.binary)
    rss = PeakRss(proc.pid, every=1.0)
    samples = []
    deadline = time.time() + args.minutes * 60
    failures, counts, latencies = [], {}, []
    lock = threading.Lock()

    def client(i):
        spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
        rng = random.Random(i)
        items = workload(spark)
        while time.time() < deadline:
            name, run, check = rng.choice(items)
            started = time.perf_counter()
            try:
                value = run()
                ok = check(value)
            except Exception as e:  # noqa: BLE001 - recorded as a failure
                value, ok = repr(e)[:200], False
            with lock:
                latencies.append(time.perf_counter() - started)
                counts[name] = counts.get(name, 0) + 1
                if not ok:
                    failures.append((name, value))
        spark.stop()

    def sample_rss():
        while time.time() < deadline:
            samples.append(rss_mib(proc.pid))
            time.sleep(5)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.sessions)] + [threading.Thread(target=sample_rss, daemon=True)]
    for t in threads:
        t.start()
    for t in threads[:-1]:
        t.join()
    alive = proc.poll() is None
    peak = rss.stop()
    stop(proc)
    total = sum(counts.values())
    first_minute = [s for s in samples[:12]] or [0]
    last_minute = [s for s in samples[-12:]] or [0]
    lines = [
        f"Soak run {time.strftime('%Y-%m-%d')} on {machine()}: {args.sessions} sessions for {args.minutes:g} minutes of mixed queries "
        f"against the {Path(args.binary).resolve().parent.name} build of the server.",
        "",
        "| queries | wrong or failed | server alive | p50 / p95 latency (s) | RSS first minute / last minute / peak (MiB) |",
        "|---|---|---|---|---|",
        f"| {total} | {len(failures)} | {'yes' if alive else 'NO'} | "
        f"{statistics.median(latencies):.3f} / {statistics.quantiles(latencies, n=20)[18]:.3f} | "
        f"{statistics.mean(first_minute):.0f} / {statistics.mean(last_minute):.0f} / {peak:.0f} |",
    ]
    if failures:
        lines.append("")
        lines.append("Failures: " + "; ".join(f"{n}: {v}" for n, v in failures[:10]))
    table = "\n".join(lines)
    print(table)
    print("per query:", counts)
    if args.report:
        write_section(args.report, "soak", table)
    bounded = peak <= args.max_rss_mib
    if not bounded:
        print(f"peak RSS {peak:.0f} MiB exceeds --max-rss-mib {args.max_rss_mib:g}")
    sys.exit(0 if alive and bounded and not failures else 1)


if __name__ == "__main__":
    main()
