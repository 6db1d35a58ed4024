"""Runs one differential case against a Spark Connect server and returns a
JSON-friendly outcome. Shared by the recorder (real Spark) and the tests."""

from pathlib import Path
import datetime
import decimal
import math

from pyspark.sql import Row
from pyspark.sql import functions as F
from pyspark.sql import types as T


def normalize(v):
    """A JSON-friendly, type-tagged form of a collected value."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return {"float": "NaN"}
        if math.isinf(v):
            return {"float": "Infinity" if v > 0 else "-Infinity"}
        return {"float": repr(v)}
    if isinstance(v, decimal.Decimal):
        return {"decimal": str(v)}
    if isinstance(v, datetime.datetime):
        return {"timestamp": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"date": v.isoformat()}
    if isinstance(v, datetime.timedelta):
        return {"interval": v.total_seconds()}
    if isinstance(v, (bytes, bytearray)):
        return {"binary": bytes(v).hex()}
    if isinstance(v, Row):
        return {"row": [[k, normalize(x)] for k, x in zip(v.__fields__, v)]}
    if isinstance(v, dict):
        return {"map": sorted([[normalize(k), normalize(x)] for k, x in v.items()], key=repr)}
    if isinstance(v, (list, tuple)):
        return [normalize(x) for x in v]
    return {"repr": repr(v)}


def error_outcome(e):
    get = lambda name: getattr(e, name)() if hasattr(e, name) else None
    return {
        "error": {
            "class": type(e).__name__,
            "errorClass": get("getCondition") or get("getErrorClass"),
            "sqlState": get("getSqlState"),
        }
    }


# Test data files read by the data source cases (the same files on both servers).
DATA = str(Path(__file__).resolve().parents[1] / "data")


def frames(spark):
    """Small DataFrames the DataFrame API cases share (built client-side)."""
    people = spark.createDataFrame(
        [("Alice", 34, "eng", 100.0), ("Bob", 45, "eng", 80.5), ("Cara", None, "ops", 60.0),
         ("Dan", 29, "ops", None), ("Eve", 41, None, 75.25)],
        "name string, age int, dept string, salary double",
    )
    emp = spark.createDataFrame([(1, "Ann", 10), (2, "Ben", 20), (3, "Cy", 30), (4, "Di", None)], "id int, name string, dept_id int")
    dept = spark.createDataFrame([(10, "Sales"), (20, "R&D"), (40, "Ops")], "dept_id int, dept_name string")
    nested = spark.createDataFrame(
        [(1, {"a": 1, "b": "x"}, [1, 2, 3], {"k": 1}), (2, {"a": 2, "b": None}, [], {}), (3, None, None, None)],
        "id int, s struct<a:int,b:string>, arr array<int>, m map<string,int>",
    )
    sales = spark.createDataFrame(
        [(2023, "Q1", "A", 10), (2023, "Q2", "A", 20), (2023, "Q1", "B", 5), (2024, "Q1", "A", 7), (2024, "Q2", "B", 9), (2024, "Q2", "B", 1)],
        "year int, quarter string, product string, amount int",
    )
    return {"people": people, "emp": emp, "dept": dept, "nested": nested, "sales": sales}


def written(spark):
    """`written(write, read=None)`: runs `write(path)` into a fresh directory
    and describes what is there: the files (part numbers and job UUIDs
    masked; Hadoop's hidden .crc files skipped), the sorted lines of the
    uncompressed text files, and the rows `read(path)` reads back."""
    import bz2
    import gzip
    import os
    import re
    import tempfile
    import zlib

    def run(write, read=None):
        with tempfile.TemporaryDirectory(prefix="scs-write-") as root:
            path = os.path.join(root, "out")
            write(path)
            files, lines = set(), []
            for folder, _, names in os.walk(path):
                for name in names:
                    if name.startswith("."):
                        continue
                    full = os.path.join(folder, name)
                    rel = os.path.relpath(full, path)
                    files.add(re.sub(r"part-\d{5}-[0-9a-f-]{36}", "part-N-UUID", rel))
                    if name.endswith((".csv", ".json", ".txt")):
                        with open(full, encoding="utf-8") as f:
                            lines.extend(f.read().splitlines())
                    elif name.endswith((".csv.gz", ".json.gz", ".txt.gz")):
                        with gzip.open(full, "rt", encoding="utf-8") as f:
                            lines.extend(f.read().splitlines())
                    elif name.endswith(".bz2"):
                        with bz2.open(full, "rt", encoding="utf-8") as f:
                            lines.extend(f.read().splitlines())
                    elif name.endswith(".deflate"):
                        with open(full, "rb") as f:
                            lines.extend(zlib.decompress(f.read()).decode("utf-8").splitlines())
            out = {"files": sorted(files), "lines": sorted(lines)}
            if read is not None:
                df = read(path)
                out["schema"] = df.schema.simpleString()
                out["rows"] = sorted((normalize(list(r)) for r in df.collect()), key=repr)
            return out

    return run


def evaluate(spark, code):
    scope = {"spark": spark, "F": F, "T": T, "Row": Row, "DATA": DATA, "written": written(spark)}
    if "people" in code or "emp" in code or "dept" in code or "nested" in code or "sales" in code:
        scope.update(frames(spark))
    from pyspark.sql import Window

    scope["W"] = Window
    # script("SET ...", "SELECT ..."): runs statements in order, the last
    # one's result; the session's confs are RESET once it has been read.
    cleanups = []

    def script(*statements):
        cleanups.append(lambda: spark.sql("RESET").collect())
        return [spark.sql(s) for s in statements][-1]

    scope["script"] = script

    def drop_after(*names):
        """Drops these tables (`db:name` for databases) once the case is read."""
        for name in names:
            if name.startswith("db:"):
                cleanups.append(lambda n=name[3:]: (spark.sql("USE default").collect(), spark.sql(f"DROP DATABASE IF EXISTS {n} CASCADE").collect()))
            else:
                cleanups.append(lambda n=name: spark.sql(f"DROP TABLE IF EXISTS {n}").collect())

    scope["drop_after"] = drop_after
    mode = "df"
    for prefix in ("show_vertical:", "show:"):
        if code.startswith(prefix):
            mode = prefix[:-1]
            code = code[len(prefix):].strip()
    run = eval
    if code.startswith("exec:"):
        # Statements (UDF definitions); the case's answer is `result`.
        code = code[len("exec:"):]

        def run(source, scope):
            exec(source, scope)
            return scope["result"]

    try:
        return _outcome(run, code, scope, mode)
    finally:
        for cleanup in cleanups:
            cleanup()


def _outcome(eval, code, scope, mode):
    try:
        df = eval(code, scope)
        if not hasattr(df, "schema"):
            # count(), tail(), corr(), approxQuantile() ... answer plain values.
            return {"value": normalize(df)}
        if mode == "show":
            return {"show": df._show_string(20, 20, False)}
        if mode == "show_vertical":
            return {"show": df._show_string(20, 20, True)}
        schema = df.schema
        rows = df.collect()
        return {
            "columns": df.columns,
            "schema": schema.simpleString(),
            "nullable": [f.nullable for f in schema.fields],
            "rows": [[normalize(x) for x in r] for r in rows],
        }
    except Exception as e:  # noqa: BLE001 - any failure is an outcome to compare
        return error_outcome(e)


def run_sql(spark, query):
    """The outcome of one SQL query: columns, schema and rows, or the error."""
    try:
        df = spark.sql(query)
        schema = df.schema
        rows = df.collect()
        return {
            "columns": df.columns,
            "schema": schema.simpleString(),
            "rows": [[normalize(x) for x in r] for r in rows],
        }
    except Exception as e:  # noqa: BLE001 - an error is an outcome to compare
        return error_outcome(e)
