"""Records the gold answers of the differential cases from real Apache Spark.

Start the JVM Spark Connect server shipped in `pip install pyspark==4.3.0`
(Java 17), for example:

  $SPARK_HOME/bin/spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer \\
      --master 'local[2]' --conf spark.connect.grpc.binding.port=15202 \\
      --conf spark.connect.grpc.binding.address=127.0.0.1 --conf spark.ui.enabled=false \\
      --conf spark.sql.session.timeZone=UTC spark-internal

then run:  python tests/differential/record.py --remote sc://127.0.0.1:15202 [--group NAME]
"""

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import GROUPS  # noqa: E402
from evaluate import evaluate  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--remote", required=True)
    ap.add_argument("--group", action="append")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(args.remote).getOrCreate()
    version = spark.version
    for group in args.group or sorted(GROUPS):
        gold = {"spark_version": version, "cases": {}}
        for case in GROUPS[group]:
            gold["cases"][case.name] = {"code": case.code, "outcome": evaluate(spark, case.code)}
            print(f"{group}/{case.name}: {json.dumps(gold['cases'][case.name]['outcome'])[:160]}")
        (HERE / "gold" / f"{group}.json").write_text(json.dumps(gold, indent=1, sort_keys=True) + "\n")
    spark.stop()


if __name__ == "__main__":
    main()
