"""Times every hostile input of the reliability suite against one server and
writes the table to docs/reliability.md (section "hostile").

  python tests/reliability/run.py --binary target/release/spark-connect-server \
      [--report docs/reliability.md]

For each input it records the outcome (answered, or the error condition it
was refused with), how long the answer took, and the slowest
`spark.range(1).collect()` another session saw meanwhile. The pass/fail
checks of the same inputs are tests/e2e/test_reliability.py; this script
only measures.
"""

import argparse
import re
import signal
import sys
import threading
import time
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile import nested_expression_request, nested_relation_request  # noqa: E402
from servers import machine, start_ours, stop, write_section  # noqa: E402


def raw_execute(port, payload):
    channel = grpc.insecure_channel(
        f"127.0.0.1:{port}",
        options=[("grpc.max_send_message_length", 1 << 30), ("grpc.max_receive_message_length", 1 << 30)],
    )
    call = channel.unary_stream(
        "/spark.connect.SparkConnectService/ExecutePlan", request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        list(call(payload, timeout=300))
        return "answered"
    except grpc.RpcError as e:
        return condition(e.details() or str(e.code()))
    finally:
        channel.close()


def condition(text):
    found = re.search(r"\[([A-Z_]+(?:\.[A-Z_]+)?)\]", text)
    return found.group(1) if found else text[:60]


def client_call(fn):
    try:
        fn()
        return "answered"
    except Exception as e:  # noqa: BLE001 - the condition is the outcome
        get = getattr(e, "getCondition", None)
        return (get() if get else None) or condition(str(e))


class Probe:
    """Another session calling range(1).collect() in a loop; `.worst` is its
    slowest answer in seconds."""

    def __init__(self, spark):
        self.spark, self.worst, self.calls = spark, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            started = time.perf_counter()
            self.spark.range(1).collect()
            self.worst = max(self.worst, time.perf_counter() - started)
            self.calls += 1
            time.sleep(0.02)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.worst


def hostile_cases(spark, port):
    from pyspark.sql import functions as F

    n = 10_000
    cases = []
    for depth in (500, 2_000, 10_000, 100_000):
        payload = nested_expression_request(depth)
        cases.append((f"expression nested {depth:,} deep (raw gRPC)", lambda p=payload: raw_execute(port, p)))
    for depth in (500, 2_000, 10_000, 100_000):
        payload = nested_relation_request(depth)
        cases.append((f"relation nested {depth:,} deep (raw gRPC)", lambda p=payload: raw_execute(port, p)))
    cases += [
        (f"{n:,} columns in one select", lambda: spark.range(1).select(*[(F.col("id") + i).alias(f"c{i}") for i in range(n)]).collect()),
        (f"withColumns of {n:,} columns", lambda: spark.range(1).withColumns({f"c{i}": F.lit(i) for i in range(n)}).collect()),
        (f"{n:,} chained withColumn calls", lambda: _chained_with_column(spark, n)),
        (f"CASE with {n:,} branches", lambda: spark.range(3).selectExpr("CASE " + " ".join(f"WHEN id = {i} THEN {i}" for i in range(n)) + " END").collect()),
        (f"IN list of {n:,} values", lambda: spark.sql(f"SELECT count(*) FROM range(30000) WHERE id IN ({', '.join(map(str, range(n)))})").collect()),
        ("SQL `id + id + ...` 1,000 terms", lambda: spark.sql("SELECT " + " + ".join(["id"] * 1000) + " FROM range(1)").collect()),
        ("SQL `(((...)))` 10,000 parentheses", lambda: spark.sql("SELECT " + "(" * n + "1" + ")" * n).collect()),
        ("32 MiB string literal", lambda: spark.range(1).select(F.lit("x" * (32 << 20))).collect()),
    ]
    return cases


def _chained_with_column(spark, n):
    """The pyspark client builds and serialises the plan recursively; give it
    the stack and recursion limit it needs for `n` levels."""
    from pyspark.sql import functions as F

    result = {}

    def build_and_run():
        try:
            df = spark.range(1)
            for i in range(n):
                df = df.withColumn(f"c{i}", F.lit(i))
            df.collect()
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller
            result["error"] = e

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 50 * n))
    threading.stack_size(1 << 30)
    try:
        t = threading.Thread(target=build_and_run)
        t.start()
        t.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    if "error" in result:
        raise result["error"]


def shutdown_case(binary):
    """Seconds from SIGTERM to exit with two long queries running."""
    from pyspark.sql import SparkSession

    proc, port, _ = start_ours(binary)
    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
    outcomes = []

    def heavy():
        outcomes.append(client_call(lambda: spark.range(0, 10**12).selectExpr("sum(id * 7 % 13)").collect()))

    threads = [threading.Thread(target=heavy) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(2)
    started = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    seconds = time.perf_counter() - started
    for t in threads:
        t.join(timeout=30)
    return seconds, outcomes


def interrupt_case(spark, spark2):
    """Seconds from interruptAll to the running query's error, with a second
    session also running a heavy query."""
    outcomes, done = [], threading.Event()

    def heavy(s, record):
        out = client_call(lambda: s.range(0, 10**12).selectExpr("sum(id * 7 % 13)").collect())
        if record:
            outcomes.append(out)
            done.set()

    load = threading.Thread(target=heavy, args=(spark2, False), daemon=True)
    load.start()
    target = threading.Thread(target=heavy, args=(spark, True))
    target.start()
    time.sleep(2)
    started = time.perf_counter()
    spark.interruptAll()
    done.wait(60)
    seconds = time.perf_counter() - started
    spark2.interruptAll()
    return seconds, outcomes[0] if outcomes else "no answer"


def memory_case(binary):
    from pyspark.sql import SparkSession

    proc, port, _ = start_ours(binary, {"SPARK_CONNECT_SERVER_MEMORY_LIMIT_MB": "64"})
    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
    started = time.perf_counter()
    # A window over all rows needs every row sorted: the sort must spill.
    sort = client_call(lambda: spark.range(0, 5_000_000).selectExpr("uuid() AS u").selectExpr("row_number() OVER (ORDER BY u) AS r").selectExpr("max(r)").collect())
    sort_s = time.perf_counter() - started
    started = time.perf_counter()
    collect = client_call(lambda: spark.range(0, 3_000_000).selectExpr("collect_list(uuid()) AS l").collect())
    collect_s = time.perf_counter() - started
    other = client_call(lambda: spark.range(3).collect())
    spark.stop()
    stop(proc)
    return [("sort of 5,000,000 random strings, 64 MiB limit", sort, sort_s),
            ("collect_list of 3,000,000 strings, 64 MiB limit", collect, collect_s),
            ("another query afterwards", other, 0.0)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--report")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    proc, port, _ = start_ours(args.binary)
    spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
    other = SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()
    rows = []
    for name, run in hostile_cases(spark, port):
        probe = Probe(other)
        started = time.perf_counter()
        outcome = client_call(run) if not name.endswith("(raw gRPC)") else run()
        seconds = time.perf_counter() - started
        worst = probe.stop()
        rows.append((name, outcome, seconds, worst))
        print(rows[-1], flush=True)
    interrupt_s, interrupt_outcome = interrupt_case(spark, other)
    rows.append(("interruptAll while two sessions run heavy queries", interrupt_outcome, interrupt_s, None))
    alive = proc.poll() is None
    spark.stop()
    other.stop()
    stop(proc)
    memory = memory_case(args.binary)
    shutdown_s, shutdown_outcomes = shutdown_case(args.binary)

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()} against the {Path(args.binary).resolve().parent.name} build. "
        "\"Other session, slowest\" is the slowest `spark.range(1).collect()` another session saw while the input was handled.",
        "",
        "| input | outcome | answered in (s) | other session, slowest (s) |",
        "|---|---|---|---|",
    ]
    for name, outcome, seconds, worst in rows:
        lines.append(f"| {name} | {outcome} | {seconds:.2f} | {'' if worst is None else f'{worst:.3f}'} |")
    for name, outcome, seconds in memory:
        lines.append(f"| {name} | {outcome} | {seconds:.2f} | |")
    lines.append(f"| SIGTERM with two heavy queries running (grace 10 s) | exited; clients got {', '.join(sorted(set(shutdown_outcomes)))} | {shutdown_s:.2f} | |")
    lines.append("")
    lines.append(f"The server was {'alive' if alive else 'DEAD'} after all inputs.")
    table = "\n".join(lines)
    print(table)
    if args.report:
        write_section(args.report, "hostile", table)


if __name__ == "__main__":
    main()
