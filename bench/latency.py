"""Start-up time, idle memory and round-trip latency of spark-connect-server
and Apache Spark's JVM Spark Connect server, measured side by side in one run.

  python bench/latency.py --ours target/release/spark-connect-server \
      --spark-home $(python -c "import pyspark,os;print(os.path.dirname(pyspark.__file__))") \
      [--iterations 500] [--report docs/benchmarks.md]

The client is the pyspark client of the running Python (pyspark-client or
pyspark). A benchmark, not a test: nothing here asserts on time.
"""

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.05):
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.002)
    raise RuntimeError("server did not start")


def rss_mib(pid):
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def start_ours(binary):
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, RUST_LOG="warn"))
    startup = wait_port(port, proc, 30)
    del t0
    return proc, port, startup


def start_spark(spark_home, workdir):
    port = free_port()
    cmd = [
        f"{spark_home}/bin/spark-submit", "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--master", "local[2]",
        "--conf", f"spark.connect.grpc.binding.port={port}",
        "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", f"spark.sql.warehouse.dir={workdir}/warehouse",
        "--conf", f"spark.local.dir={workdir}/local",
        "spark-internal",
    ]
    env = dict(os.environ, SPARK_HOME=spark_home)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=workdir,
                            start_new_session=True)
    startup = wait_port(port, proc, 180)
    return proc, port, startup


def measure(port, iterations, warmup):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
    df = spark.range(10)
    raw = raw_execute_plan(port)
    probes = {
        "ExecutePlan range(1), raw gRPC": raw,
        "spark.range(1).collect()": lambda: spark.range(1).collect(),
        'spark.sql("select 1").collect()': lambda: spark.sql("select 1").collect(),
        "df.schema": lambda: df.select("id").schema,
    }
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


def stop(proc):
    try:
        os.killpg(proc.pid, 15)
    except OSError:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--spark-home")
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

    if args.spark_home:
        with tempfile.TemporaryDirectory() as work:
            proc, port, startup = start_spark(args.spark_home, work)
            time.sleep(5)
            idle = rss_mib(proc.pid)
            lat = measure(port, args.iterations, args.warmup)
            stop(proc)
            rows["Apache Spark 4.3.0 (JVM)"] = (startup, idle, lat)

    probes = list(next(iter(rows.values()))[2].keys())
    lines = [
        "| server | start-up (s) | idle RSS (MiB) | " + " | ".join(f"{p} p50 / p95 (ms)" for p in probes) + " |",
        "|---|---|---|" + "---|" * len(probes),
    ]
    for name, (startup, idle, lat) in rows.items():
        cells = " | ".join(f"{lat[p][0]:.2f} / {lat[p][1]:.2f}" for p in probes)
        lines.append(f"| {name} | {startup:.3f} | {idle:.0f} | {cells} |")
    table = "\n".join(lines)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(table)
    if args.report:
        report = Path(args.report)
        text = report.read_text() if report.exists() else "# Benchmarks\n"
        begin, end = "<!-- latency:begin -->", "<!-- latency:end -->"
        block = (f"{begin}\nMeasured {time.strftime('%Y-%m-%d')} on {machine}; {args.iterations} iterations after "
                 f"{args.warmup} warm-up calls, one client on loopback. Start-up is process launch until the port "
                 f"accepts connections.\n\n{table}\n{end}")
        if begin in text:
            text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text += "\n" + block + "\n"
        report.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
