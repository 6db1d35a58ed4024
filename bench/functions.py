"""Speed of common Spark functions (string, datetime, hash, array) over a few
million rows: this server and Apache Spark's JVM server side by side.

  python bench/functions.py --ours $CARGO_TARGET_DIR/release/spark-connect-server \
      --spark-home "$(python -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))')" \
      [--rows 5000000] [--runs 3] [--report docs/benchmarks.md]

The data is a parquet file written here with pyarrow (ids, strings, date
strings, timestamps, dates, small int arrays), read by both servers as a
temp view. Each query aggregates one function's results (`max(upper(s))`,
...), so both servers evaluate the function on every row and send back one
row. A query's time is the median of `--runs` runs after one warm-up run;
both servers' answers are compared and a difference is reported. A
benchmark, not a test: nothing here asserts on time.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from servers import comparison_table, machine, measure_both, session, write_section

QUERIES = {
    "string": {
        "upper": "SELECT max(upper(s)) FROM t",
        "concat_ws / substring / lower": "SELECT max(concat_ws('-', substring(s, 2, 5), lower(s))) FROM t",
        "regexp_replace": "SELECT max(regexp_replace(s, '[0-9]+', '#')) FROM t",
        "like": "SELECT count_if(s LIKE '%42%') FROM t",
        "trim / lpad / length": "SELECT sum(length(trim(lpad(s, 20, ' ')))) FROM t",
    },
    "datetime": {
        "date_format": "SELECT max(date_format(ts, 'yyyy-MM-dd HH:mm')) FROM t",
        "year / month / dayofweek": "SELECT sum(year(ts) + month(ts) + dayofweek(ts)) FROM t",
        "date_add / datediff": "SELECT sum(datediff(date_add(d, 30), d)) FROM t",
        "to_date(string)": "SELECT max(to_date(ds)) FROM t",
        "unix_timestamp": "SELECT sum(unix_timestamp(ts)) FROM t",
        "date_trunc": "SELECT max(date_trunc('HOUR', ts)) FROM t",
    },
    "hash": {
        "md5": "SELECT max(md5(s)) FROM t",
        "sha2": "SELECT max(sha2(s, 256)) FROM t",
        "hash (murmur3)": "SELECT sum(hash(id, s)) FROM t",
        "xxhash64": "SELECT max(xxhash64(s)) FROM t",
        "crc32": "SELECT sum(crc32(s)) FROM t",
    },
    "array": {
        "size / array_contains": "SELECT sum(size(arr)), count_if(array_contains(arr, 3)) FROM t",
        "sort_array / element_at": "SELECT sum(element_at(sort_array(arr), 1)) FROM t",
        "transform / aggregate (lambdas)": "SELECT sum(aggregate(transform(arr, x -> x * 2), 0, (acc, x) -> acc + x)) FROM t",
        "array_distinct / array_max": "SELECT sum(array_max(array_distinct(arr))) FROM t",
        "explode": "SELECT count(*), sum(v) FROM (SELECT explode(arr) AS v FROM t)",
    },
}


def write_data(path, rows):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(42)
    ids = np.arange(rows, dtype=np.int64)
    words = np.array(["alpha", "Beta", "gamma", "DELTA", "epsilon", "zeta", "Eta", "theta"])
    s = pc.binary_join_element_wise(
        pa.array(words[rng.integers(0, len(words), rows)]), pa.array((rng.integers(0, 1_000_000, rows)).astype(str)), "_")
    seconds = rng.integers(1_500_000_000, 1_800_000_000, rows)
    ts = pa.array(seconds * 1_000_000, type=pa.timestamp("us", tz="UTC"))
    days = (seconds // 86400).astype(np.int32)
    d = pa.array(days, type=pa.date32())
    ds = pc.strftime(pa.array(days.astype("datetime64[D]")), format="%Y-%m-%d")
    lengths = rng.integers(1, 9, rows)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = pa.array(rng.integers(0, 10, int(offsets[-1])).astype(np.int32))
    arr = pa.ListArray.from_arrays(pa.array(offsets), values)
    table = pa.table({"id": ids, "s": s, "ds": ds, "ts": ts, "d": d, "arr": arr})
    pq.write_table(table, path, row_group_size=1 << 20)


def run(port, data, runs):
    """Median seconds and the answer of every query."""
    spark = session(port)
    spark.read.parquet(str(data)).createOrReplaceTempView("t")
    out = {}
    for group, queries in QUERIES.items():
        for name, sql in queries.items():
            answer = [tuple(r) for r in spark.sql(sql).collect()]
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                spark.sql(sql).collect()
                times.append(time.perf_counter() - t)
            out[(group, name)] = (statistics.median(times), answer)
            print(f"  {group:9} {name:34} {out[(group, name)][0]:8.3f} s", flush=True)
    spark.stop()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--spark-home")
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--report")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "functions.parquet"
        write_data(data, args.rows)
        results, peaks = measure_both(args.ours, args.spark_home, lambda port: run(port, data, args.runs), work)

    table, memory = comparison_table(results, peaks, ["group", "function(s)"], list, lambda a, b: a == b)
    print(table)
    print(f"peak RSS: {memory}")
    if args.report:
        write_section(args.report, "functions", (
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}: {args.rows:,} rows, median of {args.runs} runs after "
            f"one warm-up run, the JVM with `local[2]`. Peak resident memory during the run: {memory}.\n\n{table}"))


if __name__ == "__main__":
    sys.exit(main())
