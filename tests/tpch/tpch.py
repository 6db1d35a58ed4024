"""TPC-H at a small scale factor: data from `tpchgen-cli` (parquet), one temp
view per table over `spark.read.parquet`, and the 22 queries in queries/.
Shared by the recorder (real Spark) and the end-to-end test."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]


def data_dir(scale):
    base = Path(os.environ.get("SCS_TPCH_DIR", Path.home() / ".cache" / "spark-connect-server" / "tpch"))
    out = base / f"sf{scale}"
    if not all((out / f"{t}.parquet").exists() for t in TABLES):
        out.mkdir(parents=True, exist_ok=True)
        cli = Path(sys.executable).parent / "tpchgen-cli"
        subprocess.run([str(cli), "parquet", "-s", str(scale), "--output-dir", str(out)], check=True)
    return out


def register(spark, scale):
    d = data_dir(scale)
    for t in TABLES:
        spark.read.parquet(str(d / f"{t}.parquet")).createOrReplaceTempView(t)


def query(n):
    return (HERE / "queries" / f"q{n}.sql").read_text()
