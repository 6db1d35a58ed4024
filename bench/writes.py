"""Write benchmark: this server against Apache Spark's JVM Spark Connect
server, side by side in one run — 10M rows to parquet (plain and
partitioned) and to ORC, 1M rows to CSV (plain and bzip2), a CTAS of TPC-H Q1, and saveAsTable of 10M
rows read back. Each answer is what reads back (row count and sums), so
both servers must have written the same data.

  python bench/writes.py --ours target/release/spark-connect-server \\
      --spark-home $SPARK_HOME --report docs/benchmarks.md
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from servers import comparison_table, machine, measure_both, session, write_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "tpch"))
import tpch  # noqa: E402

ROWS = 10_000_000


def rows(spark, n):
    return spark.range(n).selectExpr("id", "id % 100 AS k", "CAST(id AS STRING) AS s", "id * 1.5 AS d")


def summary(df):
    r = df.selectExpr("count(*)", "sum(id)", "sum(d)").collect()[0]
    return (r[0], r[1], round(float(r[2]), 3))


def run(port, work, scale):
    spark = session(port)
    tpch.register(spark, scale)
    out = {}
    base = Path(work) / f"out-{port}"

    def timed(name, action, answer):
        t = time.perf_counter()
        action()
        elapsed = time.perf_counter() - t
        out[name] = (elapsed, answer())
        print(f"  {name:<28} {elapsed:8.3f} s  {out[name][1]}", flush=True)

    p1 = str(base / "plain")
    timed("parquet, 10M rows", lambda: rows(spark, ROWS).write.parquet(p1), lambda: summary(spark.read.parquet(p1)))
    p2 = str(base / "partitioned")
    timed("parquet, 10M rows, 100 partitions", lambda: rows(spark, ROWS).write.partitionBy("k").parquet(p2), lambda: summary(spark.read.parquet(p2)))
    p4 = str(base / "orc")
    timed("orc, 10M rows", lambda: rows(spark, ROWS).write.orc(p4), lambda: summary(spark.read.orc(p4)))
    p5 = str(base / "csv-bzip2")
    timed("csv bzip2, 1M rows", lambda: rows(spark, ROWS // 10).write.csv(p5, compression="bzip2"), lambda: spark.read.csv(p5).count())
    p3 = str(base / "csv")
    timed("csv, 1M rows", lambda: rows(spark, ROWS // 10).write.csv(p3), lambda: spark.read.csv(p3).count())
    timed("CTAS of TPC-H Q1", lambda: spark.sql(f"CREATE TABLE q1 USING parquet AS {tpch.query(1)}").collect(),
          lambda: [tuple(r)[:4] for r in spark.sql("SELECT * FROM q1 ORDER BY l_returnflag, l_linestatus").collect()])
    timed("saveAsTable 10M rows + read", lambda: (rows(spark, ROWS).write.saveAsTable("big"), summary(spark.table("big"))),
          lambda: summary(spark.table("big")))
    spark.sql("DROP TABLE IF EXISTS q1").collect()
    spark.sql("DROP TABLE IF EXISTS big").collect()
    spark.stop()
    return out


def same(a, b):
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--spark-home")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--report")
    args = ap.parse_args()
    tpch.data_dir(args.scale)
    with tempfile.TemporaryDirectory() as work:
        results, peaks = measure_both(args.ours, args.spark_home, lambda port: run(port, work, args.scale), work)
    table, memory = comparison_table(results, peaks, ["write"], lambda n: [n], same)
    print(table)
    print(f"peak RSS: {memory}")
    if args.report:
        write_section(args.report, "writes", (
            f"### Writes\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine()}: each write once into a fresh directory "
            f"(TPC-H SF{args.scale} from `tpchgen-cli` for the CTAS), the JVM with `local[2]` and an 8 GiB driver heap; "
            f"the answer is what reads back. Peak resident memory during the run: {memory}.\n\n{table}"))


if __name__ == "__main__":
    sys.exit(main())
