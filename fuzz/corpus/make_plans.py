"""Writes seed ExecutePlan requests for the `execute_plan` fuzz target: the
plans the real pyspark client builds for common DataFrame operations.

  python fuzz/corpus/make_plans.py sc://127.0.0.1:15002
"""

import sys
import uuid
from pathlib import Path

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.connect.proto import base_pb2

spark = SparkSession.builder.remote(sys.argv[1]).create()
people = spark.createDataFrame([("a", 1, 2.5), ("b", None, 3.0)], "name string, age int, score double")
frames = {
    "range": spark.range(10),
    "project_filter": spark.range(10).select((F.col("id") + 1).alias("x")).filter("x > 3"),
    "aggregate": people.groupBy("name").agg(F.sum("age"), F.avg("score"), F.count("*")),
    "join": people.alias("l").join(people.alias("r"), on="name", how="left"),
    "window": people.withColumn("rank", F.rank().over(Window.partitionBy("name").orderBy(F.desc("score")))),
    "sql": spark.sql("SELECT name, upper(name) AS u, age * 2 AS a FROM VALUES ('x', 1) AS t(name, age) WHERE age > 0"),
    "functions": people.select(F.concat_ws("-", "name", "name"), F.when(F.col("age") > 1, "old").otherwise("young"), F.expr("transform(array(1, 2), x -> x + 1)")),
    "set_ops": spark.range(5).union(spark.range(3)).distinct().orderBy(F.col("id").desc()).limit(3),
    "pivot": people.groupBy("name").pivot("age").sum("score"),
    "na_stat": people.na.fill(0).describe(),
}
out = Path(__file__).resolve().parent / "plan"
out.mkdir(exist_ok=True)
for name, df in frames.items():
    plan = df._plan.to_proto(spark.client)
    req = base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="fuzz"), plan=plan)
    (out / f"{name}.bin").write_bytes(req.SerializeToString())
print(len(frames), "plans written to", out)
spark.stop()
