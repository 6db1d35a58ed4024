"""Start-up time, idle memory and round-trip latency of spark-connect-server,
Sail (the other Rust server, `pip install pysail==0.7.2`) and Apache Spark's
JVM Spark Connect server, measured side by side in one run.

  python bench/latency.py --ours target/release/spark-connect-server \
      [--sail /path/to/venv/bin/sail] \
      [--spark-home $(python -c "import pyspark,os;print(os.path.dirname(pyspark.__file__))")] \
      [--iterations 500] [--report docs/benchmarks.md]

The client is the pyspark client of the running Python (pyspark-client or
pyspark). A benchmark, not a test: nothing here asserts on time.
"""

import argparse
import statistics
import sys
import tempfile
import time

from servers import machine, rss_mib, start_ours, start_sail, start_spark, stop, write_section


def measure(port, iterations, warmup):
    from servers import session

    spark = session(port)
    df = spark.range(10)
    raw = raw_execute_plan(port)
    probes = {
        "ExecutePlan range(1), raw gRPC": raw,
        "spark.range(1).collect()": lambda: spark.range(1).collect(),
        'spark.sql("select 1").collect()': lambda: spark.sql("select 1").collect(),
        "df.schema": lambda: df.select("id").schema,
    }
    # A local relation; a server that cannot take one (Sail 0.7.2 refuses the
    # client's `spark.sql.session.localRelationSizeLimit` lookup) gets no number.
    try:
        small = spark.createDataFrame([(i, i % 7) for i in range(100)], "a long, b long")
        small.filter(small.b > 2).count()
        probes["filter + count of a 100-row local DataFrame"] = lambda: small.filter(small.b > 2).count()
    except Exception as e:  # noqa: BLE001 - reported, not raised
        print(f"  local DataFrame probe skipped: {str(e).splitlines()[0][:120]}")
    results = {}
    for name, fn in probes.items():
        for _ in range(warmup):
            fn()
        samples = []
        for _ in range(iterations):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        results[name] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    spark.stop()
    return results


def raw_execute_plan(port):
    """One reattachable ExecutePlan of range(1) read to the end with a bare
    gRPC stub: the server's round trip without the pyspark client's own work
    (its release threads, Arrow-to-Row conversion, config lookups)."""
    import uuid

    import grpc
    from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc, relations_pb2

    stub = base_pb2_grpc.SparkConnectServiceStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    session_id = str(uuid.uuid4())
    plan = base_pb2.Plan(root=relations_pb2.Relation(range=relations_pb2.Range(start=0, end=1, step=1)))

    def call():
        req = base_pb2.ExecutePlanRequest(
            session_id=session_id,
            user_context=base_pb2.UserContext(user_id="bench"),
            operation_id=str(uuid.uuid4()),
            plan=plan,
        )
        opt = base_pb2.ExecutePlanRequest.RequestOption()
        opt.reattach_options.reattachable = True
        req.request_options.append(opt)
        for _ in stub.ExecutePlan(req):
            pass

    return call


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--spark-home")
    ap.add_argument("--sail")
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--report")
    args = ap.parse_args()

    rows = {}
    proc, port, startup = start_ours(args.ours)
    time.sleep(1)
    idle = rss_mib(proc.pid)
    lat = measure(port, args.iterations, args.warmup)
    stop(proc)
    rows["spark-connect-server"] = (startup, idle, lat)

    if args.sail:
        proc, port, startup = start_sail(args.sail)
        time.sleep(1)
        idle = rss_mib(proc.pid)
        lat = measure(port, args.iterations, args.warmup)
        stop(proc)
        rows["Sail 0.7.2"] = (startup, idle, lat)

    if args.spark_home:
        with tempfile.TemporaryDirectory() as work:
            proc, port, startup = start_spark(args.spark_home, work)
            time.sleep(5)
            idle = rss_mib(proc.pid)
            lat = measure(port, args.iterations, args.warmup)
            stop(proc)
            rows["Apache Spark 4.3.0 (JVM)"] = (startup, idle, lat)

    probes = list(dict.fromkeys(p for r in rows.values() for p in r[2]))
    lines = [
        "| server | start-up (s) | idle RSS (MiB) | " + " | ".join(f"{p} p50 / p95 (ms)" for p in probes) + " |",
        "|---|---|---|" + "---|" * len(probes),
    ]
    for name, (startup, idle, lat) in rows.items():
        cells = " | ".join(f"{lat[p][0]:.2f} / {lat[p][1]:.2f}" if p in lat else "n/a" for p in probes)
        lines.append(f"| {name} | {startup:.3f} | {idle:.0f} | {cells} |")
    table = "\n".join(lines)
    print(table)
    if args.report:
        write_section(args.report, "latency", (
            f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {args.iterations} iterations after "
            f"{args.warmup} warm-up calls, one client on loopback. Start-up is process launch until the port "
            f"accepts connections.\n\n{table}"))


if __name__ == "__main__":
    sys.exit(main())
