"""Bare DataFusion on the TPC-H queries: the limit this server is measured
against. DataFusion's Python binding (`pip install datafusion==55.0.0`,
the DataFusion release this server is built on) with its default settings
and the same number of target partitions, over the same parquet files; no
Spark semantics, no protocol. Prints one JSON line per query:
{"query": n, "seconds": best, "rows": [...]}.

  python bench/tpch_datafusion.py --data DIR [--partitions 2] [--runs 2]

Run by bench/tpch_engines.py in the virtual environment that has the
binding; a benchmark helper, not a test.
"""

import argparse
import json
import time
from pathlib import Path

from datafusion import SessionConfig, SessionContext

TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]
QUERIES = Path(__file__).resolve().parents[1] / "tests" / "tpch" / "queries"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--partitions", type=int, default=2)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    ctx = SessionContext(SessionConfig().with_target_partitions(args.partitions))
    for t in TABLES:
        ctx.register_parquet(t, str(Path(args.data) / f"{t}.parquet"))
    for n in range(1, 23):
        sql = (QUERIES / f"q{n}.sql").read_text()
        rows = ctx.sql(sql).to_arrow_table().to_pylist()
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            ctx.sql(sql).collect()
            times.append(time.perf_counter() - t)
        print(json.dumps({"query": n, "seconds": min(times), "rows": [list(r.values()) for r in rows]}, default=str), flush=True)


if __name__ == "__main__":
    main()
