"""Records Apache Spark's answers to the 22 TPC-H queries at scale factor 0.1
(see tpch.py), against the JVM Spark Connect server started as in
tests/differential/record.py:

  python tests/tpch/record.py --remote sc://127.0.0.1:15202
"""

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "differential"))

import tpch  # noqa: E402
from evaluate import run_sql  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--remote", required=True)
    ap.add_argument("--scale", default="0.1")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(args.remote).getOrCreate()
    tpch.register(spark, args.scale)
    gold = {"spark_version": spark.version, "scale": args.scale, "queries": {}}
    for n in range(1, 23):
        gold["queries"][str(n)] = run_sql(spark, tpch.query(n))
        print(f"q{n}: {json.dumps(gold['queries'][str(n)])[:150]}")
    (HERE / "gold").mkdir(exist_ok=True)
    (HERE / "gold" / f"sf{args.scale}.json").write_text(json.dumps(gold, indent=0, sort_keys=True) + "\n")
    spark.stop()


if __name__ == "__main__":
    main()
