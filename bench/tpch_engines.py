"""TPC-H against the other engines: this server, Sail (the other Rust Spark
Connect server, `pip install pysail==0.7.2`) and bare DataFusion (its
Python binding at the DataFusion release this server is built on, default
settings, same target partitions; see tpch_datafusion.py), side by side in
one run on the same parquet files from `tpchgen-cli`.

  python bench/tpch_engines.py --ours $CARGO_TARGET_DIR/release/spark-connect-server \
      --sail /path/to/venv/bin/sail --datafusion-python /path/to/venv/bin/python \
      [--scale 1] [--runs 2] [--report docs/benchmarks.md]

A query's time is the best of `--runs` runs after one warm-up run, the
whole result collected by the client (pyspark for the two servers, Arrow
for DataFusion). Answers are compared with this server's by value, numbers
to 1e-5 relative: the engines type and round averages differently (Spark's
DECIMAL(p+4, s+4) against DataFusion's wider scales). Correctness against Apache Spark itself is the test
suite's job (tests/e2e/test_tpch.py). A benchmark, not a test: nothing here
asserts on time.
"""

import argparse
import datetime
import decimal
import json
import math
import subprocess
import sys
import time
from pathlib import Path

from servers import PeakRss, machine, session, start_ours, start_sail, stop, write_section

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "tpch"))
import tpch  # noqa: E402

HERE = Path(__file__).resolve().parent


def run_servers(ports, scale, runs):
    """The 22 queries on every server, interleaved: for each query, each
    server's warm-up run and then its timed runs in turn, so that the
    machine's drift over the minutes of a run weighs on all servers alike."""
    sessions = {}
    for key, port in ports.items():
        sessions[key] = session(port)
        tpch.register(sessions[key], scale)
    out = {key: {} for key in ports}
    for n in range(1, 23):
        sql = tpch.query(n)
        answers = {key: [list(r) for r in spark.sql(sql).collect()] for key, spark in sessions.items()}
        times = {key: [] for key in ports}
        for _ in range(runs):
            for key, spark in sessions.items():
                t = time.perf_counter()
                spark.sql(sql).collect()
                times[key].append(time.perf_counter() - t)
        for key in ports:
            out[key][n] = (min(times[key]), answers[key])
        print(f"  q{n:<2} " + "  ".join(f"{key} {out[key][n][0]:8.3f} s" for key in ports), flush=True)
    for spark in sessions.values():
        spark.stop()
    return out


def run_datafusion(python, scale, runs):
    data = tpch.data_dir(scale)
    proc = subprocess.run([python, str(HERE / "tpch_datafusion.py"), "--data", str(data), "--runs", str(runs)],
                          check=True, capture_output=True, text=True)
    out = {}
    for line in proc.stdout.splitlines():
        r = json.loads(line)
        out[r["query"]] = (r["seconds"], r["rows"])
        print(f"  q{r['query']:<2} {r['seconds']:8.3f} s", flush=True)
    return out


def number(x):
    if isinstance(x, (int, float, decimal.Decimal)) and not isinstance(x, bool):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return None
    return None


def same(a, b):
    def close(x, y):
        if isinstance(x, (datetime.date, datetime.datetime)):
            x = str(x)
        if isinstance(y, (datetime.date, datetime.datetime)):
            y = str(y)
        nx, ny = number(x), number(y)
        if nx is not None and ny is not None:
            return math.isclose(nx, ny, rel_tol=1e-5, abs_tol=1e-6)
        return str(x) == str(y)

    return len(a) == len(b) and all(len(r) == len(s) and all(close(x, y) for x, y in zip(r, s)) for r, s in zip(a, b))


def table(results):
    names = {"ours": "spark-connect-server", "sail": "Sail 0.7.2", "datafusion": "DataFusion 55 (bare)"}
    keys = [k for k in ("ours", "sail", "datafusion") if k in results]
    head = ["query"] + [f"{names[k]} (s)" for k in keys]
    if "sail" in results:
        head.append("ours / Sail")
    if "datafusion" in results:
        head.append("ours / DataFusion")
    head.append("same answers")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    totals = {k: 0.0 for k in keys}
    for n in range(1, 23):
        t = {k: results[k][n][0] for k in keys}
        for k in keys:
            totals[k] += t[k]
        cells = [f"q{n}"] + [f"{t[k]:.3f}" for k in keys]
        if "sail" in t:
            cells.append(f"{t['ours'] / t['sail']:.2f}")
        if "datafusion" in t:
            cells.append(f"{t['ours'] / t['datafusion']:.2f}")
        agree = all(same(results["ours"][n][1], results[k][n][1]) for k in keys if k != "ours")
        cells.append("yes" if agree else "NO")
        lines.append("| " + " | ".join(cells) + " |")
    cells = ["**total**"] + [f"**{totals[k]:.2f}**" for k in keys]
    if "sail" in totals:
        cells.append(f"**{totals['ours'] / totals['sail']:.2f}**")
    if "datafusion" in totals:
        cells.append(f"**{totals['ours'] / totals['datafusion']:.2f}**")
    cells.append("")
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--sail")
    ap.add_argument("--datafusion-python")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--report")
    args = ap.parse_args()
    tpch.data_dir(args.scale)
    results, peaks = {}, {}
    servers = [("ours", "spark-connect-server", lambda: start_ours(args.ours))]
    if args.sail:
        servers.append(("sail", "Sail 0.7.2", lambda: start_sail(args.sail)))
    running = {}
    for key, title, start in servers:
        proc, port, _ = start()
        running[key] = (proc, port, PeakRss(proc.pid))
    print(" and ".join(title for _, title, _ in servers) + ", interleaved", flush=True)
    results.update(run_servers({key: port for key, (_, port, _) in running.items()}, args.scale, args.runs))
    for key, (proc, _, rss) in running.items():
        peaks[key] = rss.stop()
        stop(proc)
    if args.datafusion_python:
        print("DataFusion (bare)", flush=True)
        results["datafusion"] = run_datafusion(args.datafusion_python, args.scale, args.runs)
    text = table(results)
    print(text)
    memory = ", ".join(f"{'spark-connect-server' if k == 'ours' else 'Sail'} {v:.0f} MiB" for k, v in peaks.items())
    print(f"peak RSS: {memory}")
    if args.report:
        write_section(args.report, f"tpch-engines-sf{args.scale}", (
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}: TPC-H scale factor {args.scale} (parquet from "
            f"`tpchgen-cli`), best of {args.runs} run(s) after one warm-up run, the servers interleaved query by query, "
            f"2 target partitions everywhere. "
            f"Peak resident memory during the run: {memory}.\n\n{text}"))


if __name__ == "__main__":
    sys.exit(main())
