"""Records Apache Spark's built-in function library and the answers of every
function's documented examples, as gold files for the function tests.

Two steps, both against the real Apache Spark shipped in `pip install pyspark==4.3.0`:

1. catalog: the function registry, read through py4j from a local classic
   Spark session (name, class, group, since, usage, documented examples):

     python tests/functions/record.py catalog

2. gold: each example query run through Spark Connect on the JVM server
   (started as in tests/differential/record.py), outcome recorded:

     python tests/functions/record.py gold --remote sc://127.0.0.1:15202

3. describe: `SHOW FUNCTIONS` and `DESCRIBE FUNCTION EXTENDED` of every
   function, through Spark Connect, which the server answers from:

     python tests/functions/record.py describe --remote sc://127.0.0.1:15202

Outputs: tests/functions/catalog.json, tests/functions/gold/examples.json and
crates/spark-functions/data/functions.json.
"""

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "differential"))

from examples import parse_examples  # noqa: E402


def record_catalog():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    registry = spark._jsparkSession.sessionState().functionRegistry()
    table_registry = spark._jsparkSession.sessionState().tableFunctionRegistry()
    functions = []
    for kind, reg in (("scalar", registry), ("table", table_registry)):
        it = reg.listFunction().iterator()
        while it.hasNext():
            fid = it.next()
            info = reg.lookupFunction(fid)
            if info.isEmpty():
                continue
            info = info.get()
            examples = info.getExamples() or ""
            functions.append(
                {
                    "name": fid.funcName(),
                    "kind": kind,
                    "class": info.getClassName(),
                    "group": info.getGroup() or "",
                    "since": info.getSince() or "",
                    "usage": (info.getUsage() or "").strip(),
                    "examples": [e["query"] for e in parse_examples(examples)],
                }
            )
    functions.sort(key=lambda f: (f["kind"], f["name"]))
    out = {"spark_version": spark.version, "functions": functions}
    (HERE / "catalog.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"{len(functions)} functions, {sum(len(f['examples']) for f in functions)} examples")
    spark.stop()


def record_describe(remote):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(remote).getOrCreate()
    names = [r[0] for r in spark.sql("SHOW FUNCTIONS").collect()]
    described = {}
    for name in names:
        quoted = "`" + name.replace("`", "``") + "`"
        rows = [r[0] for r in spark.sql(f"DESCRIBE FUNCTION EXTENDED {quoted}").collect()]
        described[name] = rows
    out = {"spark_version": spark.version, "show_functions": names, "describe_extended": described}
    target = HERE.parents[1] / "crates" / "spark-functions" / "data" / "functions.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print(f"{len(names)} functions described")
    spark.stop()


def record_gold(remote):
    from pyspark.sql import SparkSession

    from examples import run_example

    catalog = json.loads((HERE / "catalog.json").read_text())
    spark = SparkSession.builder.remote(remote).getOrCreate()
    gold = {"spark_version": spark.version, "functions": {}}
    for f in catalog["functions"]:
        if not f["examples"]:
            continue
        results = []
        for q in f["examples"]:
            first = run_example(spark, q)
            again = run_example(spark, q)
            results.append({"query": q, "outcome": first, "deterministic": first == again})
        gold["functions"][f["name"]] = results
        print(f"{f['name']}: {len(results)} examples")
    (HERE / "gold").mkdir(exist_ok=True)
    (HERE / "gold" / "examples.json").write_text(json.dumps(gold, indent=0, sort_keys=True) + "\n")
    spark.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["catalog", "gold", "describe"])
    ap.add_argument("--remote")
    args = ap.parse_args()
    if args.step == "catalog":
        record_catalog()
    elif args.step == "describe":
        record_describe(args.remote)
    else:
        record_gold(args.remote)


if __name__ == "__main__":
    main()
