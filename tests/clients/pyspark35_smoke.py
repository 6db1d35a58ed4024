"""A smoke run of the pyspark 3.5 Spark Connect client against a server:

  python pyspark35_smoke.py sc://127.0.0.1:PORT

Run with a venv holding `pyspark[connect]==3.5.*` (tests/run.sh makes one).
Each check asserts Spark's answer; the script prints `ok <check>` per check
and exits non-zero at the first failure.
"""

import datetime
import sys

from pyspark.errors import AnalysisException
from pyspark.sql import Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window


def ok(name):
    print("ok", name, flush=True)


def main(url):
    spark = SparkSession.builder.remote(url).appName("pyspark-3.5-smoke").getOrCreate()
    assert spark.version.startswith("4."), spark.version
    ok("connect")

    df = spark.range(5).withColumn("sq", F.col("id") * F.col("id")).filter("id > 1")
    assert df.collect() == [Row(id=2, sq=4), Row(id=3, sq=9), Row(id=4, sq=16)]
    assert df.schema.simpleString() == "struct<id:bigint,sq:bigint>"
    ok("dataframe")

    row = spark.sql("SELECT 1 AS a, 'x' AS b, array(1, 2) AS arr, map('k', 1) AS m, DATE'2024-01-02' AS d, 1.50BD AS dec").collect()[0]
    assert row == Row(a=1, b="x", arr=[1, 2], m={"k": 1}, d=datetime.date(2024, 1, 2), dec=row.dec)
    assert str(row.dec) == "1.50"
    ok("sql types")

    pdf = spark.createDataFrame([(1, "a"), (2, None)], "id INT, s STRING").toPandas()
    assert pdf["id"].tolist() == [1, 2] and pdf["s"].tolist()[0] == "a" and pdf["s"].isna().tolist() == [False, True]
    ok("pandas")

    agg = spark.createDataFrame([Row(a=1, b=2.5), Row(a=1, b=0.5), Row(a=2, b=1.0)]).groupBy("a").agg(F.sum("b").alias("s")).orderBy("a")
    assert agg.collect() == [Row(a=1, s=3.0), Row(a=2, s=1.0)]
    ok("aggregate")

    w = Window.orderBy(F.desc("id"))
    assert [r.r for r in spark.range(4).withColumn("r", F.row_number().over(w)).orderBy("id").collect()] == [4, 3, 2, 1]
    ok("window")

    spark.range(3).createOrReplaceTempView("smoke35")
    assert spark.table("smoke35").count() == 3
    ok("temp view")

    assert spark.catalog.currentDatabase() == "default"
    assert "smoke35" in [t.name for t in spark.catalog.listTables()]
    assert [c.name for c in spark.catalog.listColumns("smoke35")] == ["id"]
    assert bool(spark.catalog.dropTempView("smoke35"))
    ok("catalog")

    spark.conf.set("spark.sql.shuffle.partitions", "3")
    assert spark.conf.get("spark.sql.shuffle.partitions") == "3"
    ok("conf")

    for query, condition in [("SELECT * FROM no_such_table", "TABLE_OR_VIEW_NOT_FOUND"), ("SELECT no_such_column FROM range(1)", "UNRESOLVED_COLUMN")]:
        try:
            spark.sql(query).collect()
            raise AssertionError(f"{query} did not fail")
        except AnalysisException as e:
            assert condition in str(e), str(e)
    ok("errors")

    # Python UDFs pickled by the 3.5 client run in the server's workers.
    plus = F.udf(lambda v: v + 1, "long")
    assert [r[0] for r in spark.range(3).select(plus("id")).collect()] == [1, 2, 3]
    assert spark.range(4).mapInPandas(lambda it: (p[p.id % 2 == 0] for p in it), "id long").count() == 2
    ok("python udfs")

    text = df._show_string(n=2) if hasattr(df, "_show_string") else None
    if text is not None:
        assert "only showing top 2 rows" in text, text
    ok("show")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
