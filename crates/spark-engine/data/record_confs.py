"""Records which configuration keys Apache Spark registers, for the
modifiability rules of `SET` and the Config RPC (see `src/conf.rs`).

Run with the full `pip install pyspark==4.3.0` (it starts a local JVM):

    python crates/spark-engine/data/record_confs.py > crates/spark-engine/data/spark_confs.json
"""

import json

from pyspark.sql import SparkSession

spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
jvm = spark._jvm
internal = jvm.org.apache.spark.sql.internal
sql_conf = getattr(getattr(internal, "SQLConf$"), "MODULE$")
getattr(getattr(internal, "StaticSQLConf$"), "MODULE$")  # registers the static SQL confs
spark.sql("SELECT 1").collect()
known = getattr(getattr(jvm.org.apache.spark.internal.config, "ConfigEntry$"), "MODULE$").knownConfigs()
keys = sorted(known.keySet().toArray())
print(json.dumps({
    "spark_version": spark.version,
    # Static SQL confs: CANNOT_MODIFY_STATIC_CONFIG.
    "static_sql": [k for k in keys if sql_conf.isStaticConfigKey(k)],
    # Runtime SQL confs: the only keys `isModifiable` answers true for.
    "runtime_sql": [k for k in keys if sql_conf.containsConfigKey(k) and not sql_conf.isStaticConfigKey(k)],
    # Spark core confs: CANNOT_MODIFY_CONFIG.
    "core": [k for k in keys if not sql_conf.containsConfigKey(k)],
}, indent=0))
spark.stop()
