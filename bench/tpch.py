"""The 22 TPC-H queries at a scale factor (1 by default): this server and
Apache Spark's JVM server side by side, on the same parquet data from
`tpchgen-cli` registered as temp views (tests/tpch/tpch.py).

  python bench/tpch.py --ours $CARGO_TARGET_DIR/release/spark-connect-server \
      --spark-home "$(python -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))')" \
      [--scale 1] [--runs 1] [--report docs/benchmarks.md]

A query's time is the median of `--runs` runs after one warm-up run, with
the whole result collected by the client. Both servers' answers are
compared (exactly, rows in order; floating-point values to 1e-9 relative).
A benchmark, not a test: nothing here asserts on time.
"""

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from servers import comparison_table, machine, measure_both, session, write_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "tpch"))
import tpch  # noqa: E402


def run(port, scale, runs):
    spark = session(port)
    tpch.register(spark, scale)
    out = {}
    for n in range(1, 23):
        sql = tpch.query(n)
        answer = [tuple(r) for r in spark.sql(sql).collect()]
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            spark.sql(sql).collect()
            times.append(time.perf_counter() - t)
        out[n] = (statistics.median(times), answer)
        print(f"  q{n:<2} {out[n][0]:8.3f} s  ({len(answer)} rows)", flush=True)
    spark.stop()
    return out


def same(a, b):
    def close(x, y):
        if isinstance(x, float) or isinstance(y, float):
            return x is not None and y is not None and math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-9)
        return x == y

    return len(a) == len(b) and all(len(r) == len(s) and all(close(x, y) for x, y in zip(r, s)) for r, s in zip(a, b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--spark-home")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--report")
    args = ap.parse_args()
    tpch.data_dir(args.scale)

    with tempfile.TemporaryDirectory() as work:
        results, peaks = measure_both(args.ours, args.spark_home, lambda port: run(port, args.scale, args.runs), work)

    table, memory = comparison_table(results, peaks, ["query"], lambda n: [f"q{n}"], same)
    print(table)
    print(f"peak RSS: {memory}")
    if args.report:
        write_section(args.report, f"tpch-sf{args.scale}", (
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}: TPC-H scale factor {args.scale} (parquet from "
            f"`tpchgen-cli`), median of {args.runs} run(s) after one warm-up run, the JVM with `local[2]` and an 8 GiB "
            f"driver heap. Peak resident memory during the run: {memory}.\n\n{table}"))


if __name__ == "__main__":
    sys.exit(main())
