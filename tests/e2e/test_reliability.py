"""The server under hostile or heavy use: deep and wide plans, huge
literals, time limits, interrupts, shutdown with queries running,
authentication, TLS and session ownership. Timings are reported in
docs/reliability.md by tests/reliability/run.py; these tests only check
outcomes (every hostile request is answered or refused, and the server and
its other sessions keep working)."""

import os
import subprocess
import sys
import threading
import time
import uuid

import grpc
import pytest
from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc, expressions_pb2, relations_pb2

from conftest import ROOT, Server, new_session

sys.path.insert(0, str(ROOT / "tests" / "reliability"))
from hostile import nested_expression_request, nested_relation_request  # noqa: E402


def _raw_execute(port, payload, timeout=120):
    channel = grpc.insecure_channel(
        f"127.0.0.1:{port}",
        options=[("grpc.max_send_message_length", 1 << 30), ("grpc.max_receive_message_length", 1 << 30)],
    )
    raw = channel.unary_stream(
        "/spark.connect.SparkConnectService/ExecutePlan", request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        list(raw(payload, timeout=timeout))
        return "ok"
    except grpc.RpcError as e:
        return e.details() or str(e.code())
    finally:
        channel.close()


@pytest.mark.parametrize("depth", [500, 2000, 10_000, 100_000])
def test_deep_expressions_are_refused_while_others_run(server, spark, depth):
    # Another session keeps answering while the hostile request is handled.
    answers = []

    def other_session():
        for _ in range(5):
            answers.append(spark.range(3).count())

    t = threading.Thread(target=other_session)
    t.start()
    outcome = _raw_execute(server.port, nested_expression_request(depth))
    t.join(timeout=60)
    assert "PLAN_TOO_DEEP" in outcome, outcome
    assert answers == [3] * 5
    assert server.alive()


def test_expressions_within_the_limit_run(server):
    assert _raw_execute(server.port, nested_expression_request(100)) == "ok"


@pytest.mark.parametrize("depth", [500, 2000, 10_000, 100_000])
def test_deep_relations_are_answered_or_refused(server, spark, depth):
    outcome = _raw_execute(server.port, nested_relation_request(depth))
    if depth <= 2000:
        assert outcome == "ok", outcome
    else:
        assert "PLAN_TOO_DEEP" in outcome, outcome
    assert spark.range(2).count() == 2


def test_wide_plans(spark):
    from pyspark.sql import functions as F

    n = 10_000
    row = spark.range(1).select(*[(F.col("id") + i).alias(f"c{i}") for i in range(n)]).collect()[0]
    assert len(row) == n and row[-1] == n - 1
    assert len(spark.range(1).withColumns({f"c{i}": F.lit(i) for i in range(n)}).columns) == n + 1
    case = "CASE " + " ".join(f"WHEN id = {i} THEN {i * 2}" for i in range(n)) + " END AS v"
    assert [r.v for r in spark.range(3).selectExpr(case).collect()] == [0, 2, 4]
    values = ", ".join(str(i) for i in range(0, 2 * n, 2))
    assert spark.sql(f"SELECT count(*) AS c FROM range(30000) WHERE id IN ({values})").collect()[0].c == n
    ors = " OR ".join(f"id = {i}" for i in range(2000))
    assert spark.sql(f"SELECT count(*) AS c FROM range(5000) WHERE {ors}").collect()[0].c == 2000


def test_long_sql_operator_chain_is_refused(spark):
    from pyspark.errors import ParseException

    with pytest.raises(ParseException) as e:
        spark.sql("SELECT " + " + ".join(["id"] * 1000) + " FROM range(1)").collect()
    assert e.value.getCondition() == "PARSE_STACK_OVERFLOW"


def test_huge_literal_is_refused(server, spark):
    from pyspark.sql import functions as F

    huge = "x" * (32 << 20)
    with pytest.raises(Exception) as e:
        spark.range(1).select(F.lit(huge)).collect()
    assert "LITERAL_TOO_LARGE" in str(e.value)
    assert spark.range(2).count() == 2


def test_query_time_limit():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_QUERY_TIMEOUT_SECS": "2"})
    try:
        spark = new_session(s)
        started = time.time()
        with pytest.raises(Exception) as e:
            spark.range(0, 10**12).selectExpr("sum(id * 7 % 13) AS s").collect()
        assert "OPERATION_CANCELED" in str(e.value) and "time limit" in str(e.value)
        assert time.time() - started < 30
        assert spark.range(3).count() == 3
        spark.stop()
    finally:
        s.stop()


def test_sigterm_with_running_queries_exits_within_grace():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_SHUTDOWN_GRACE_SECS": "3"})
    script = (
        "from pyspark.sql import SparkSession\n"
        f"spark = SparkSession.builder.remote('{s.url}').create()\n"
        "print('started', flush=True)\n"
        "try:\n"
        "    spark.range(0, 10**12).selectExpr('sum(id * 7 % 13)').collect()\n"
        "except Exception as e:\n"
        "    print('ended', getattr(e, 'getCondition', lambda: None)(), flush=True)\n"
    )
    path = s_tmp = ROOT / "tests" / ".logs" / f"sigterm-client-{s.port}.py"
    path.write_text(script)
    client = subprocess.Popen([sys.executable, str(s_tmp)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert client.stdout.readline().strip() == "started"
        time.sleep(1.5)
        s.proc.terminate()
        started = time.time()
        s.proc.wait(timeout=15)
        assert time.time() - started < 8
        # The client gets the cancellation (the server answers its follow-up
        # calls while draining) instead of retrying a closed port.
        assert client.wait(timeout=30) == 0
        assert client.stdout.readline().strip() == "ended OPERATION_CANCELED"
    finally:
        client.kill()
        client.wait()
        s.stop()


def test_second_signal_exits_at_once():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_SHUTDOWN_GRACE_SECS": "60"})
    try:
        # A reattachable stream kept open keeps a graceful shutdown waiting.
        channel = grpc.insecure_channel(f"127.0.0.1:{s.port}")
        stub = base_pb2_grpc.SparkConnectServiceStub(channel)
        rel = relations_pb2.Relation(range=relations_pb2.Range(start=0, end=10**12, step=1))
        agg = relations_pb2.Relation(
            project=relations_pb2.Project(
                input=rel,
                expressions=[expressions_pb2.Expression(expression_string=expressions_pb2.Expression.ExpressionString(expression="sum(id)"))],
            )
        )
        req = base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="t"), plan=base_pb2.Plan(root=agg))
        stream = stub.ExecutePlan(req)
        threading.Thread(target=lambda: list(stream), daemon=True).start()
        time.sleep(1)
        s.proc.terminate()
        time.sleep(0.5)
        started = time.time()
        s.proc.terminate()
        s.proc.wait(timeout=10)
        assert time.time() - started < 5
        channel.close()
    finally:
        s.stop()


def test_interrupt_stops_a_long_query(server):
    spark = new_session(server)
    result = {}

    def run():
        try:
            spark.range(0, 10**12).selectExpr("sum(id * 3 % 7) AS s").collect()
            result["outcome"] = "finished"
        except Exception as e:  # noqa: BLE001 - the interrupt's error is the outcome
            result["outcome"] = str(e)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(1.5)
    started = time.time()
    spark.interruptAll()
    t.join(timeout=30)
    assert not t.is_alive()
    assert "OPERATION_CANCELED" in result["outcome"] or "cancel" in result["outcome"].lower()
    assert time.time() - started < 10
    assert spark.range(4).count() == 4
    spark.stop()


def _client(url):
    """A client session in a fresh interpreter (gRPC credentials and the
    TLS roots file are read once per process)."""
    path = ROOT / "tests" / ".logs" / f"client-{uuid.uuid4().hex}.py"
    path.write_text(
        "from pyspark.sql import SparkSession\n"
        f"spark = SparkSession.builder.remote({url!r}).create()\n"
        "try:\n"
        "    print(spark.range(3).count())\n"
        "except Exception as e:\n"
        "    print('ERROR', e)\n"
    )
    return [sys.executable, str(path)]


def test_bearer_token_authentication():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_AUTH_TOKENS": "s3cret,other"})
    try:
        # pyspark sends the token over a local (plaintext) channel to `localhost`.
        ok = subprocess.run(_client(f"sc://localhost:{s.port}/;token=s3cret"), capture_output=True, text=True, timeout=120)
        assert ok.stdout.strip().splitlines()[-1] == "3", ok.stdout + ok.stderr
        wrong = subprocess.run(_client(f"sc://localhost:{s.port}/;token=nope"), capture_output=True, text=True, timeout=120)
        assert "ERROR" in wrong.stdout and ("UNAUTHENTICATED" in wrong.stdout or "not valid" in wrong.stdout), wrong.stdout
        missing = subprocess.run(_client(f"sc://127.0.0.1:{s.port}"), capture_output=True, text=True, timeout=120)
        assert "ERROR" in missing.stdout and "token" in missing.stdout, missing.stdout
        assert s.alive()
    finally:
        s.stop()


def test_tls(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    s = Server(extra_env={"SPARK_CONNECT_SERVER_TLS_CERT": str(cert), "SPARK_CONNECT_SERVER_TLS_KEY": str(key)})
    try:
        env = dict(os.environ, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=str(cert))
        ok = subprocess.run(_client(f"sc://localhost:{s.port}/;use_ssl=true"), capture_output=True, text=True, timeout=120, env=env)
        assert ok.stdout.strip().splitlines()[-1] == "3", ok.stdout + ok.stderr
        # A plaintext client gets no answer.
        channel = grpc.insecure_channel(f"127.0.0.1:{s.port}")
        stub = base_pb2_grpc.SparkConnectServiceStub(channel)
        req = base_pb2.ConfigRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="t"))
        with pytest.raises(grpc.RpcError):
            stub.Config(req, timeout=5)
        channel.close()
        assert s.alive()
    finally:
        s.stop()


def test_sessions_belong_to_their_user(server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = base_pb2_grpc.SparkConnectServiceStub(channel)
    session_id = str(uuid.uuid4())
    plan = base_pb2.Plan(root=relations_pb2.Relation(range=relations_pb2.Range(start=0, end=1, step=1)))

    def execute(user):
        req = base_pb2.ExecutePlanRequest(session_id=session_id, user_context=base_pb2.UserContext(user_id=user), plan=plan)
        return list(stub.ExecutePlan(req))

    assert execute("alice")
    with pytest.raises(grpc.RpcError) as e:
        execute("mallory")
    assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as e:
        stub.ReleaseSession(base_pb2.ReleaseSessionRequest(session_id=session_id, user_context=base_pb2.UserContext(user_id="mallory")))
    assert e.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert execute("alice")
    channel.close()


def test_progress_reports_reach_the_client(server):
    spark = new_session(server)
    seen = []
    spark.registerProgressHandler(lambda stages, inflight_tasks, operation_id, done: seen.append((list(stages), inflight_tasks, done)))
    spark.conf.set("spark.connect.progress.reportInterval", "100ms")
    try:
        rows = spark.range(0, 60_000_000, numPartitions=4).selectExpr("sum(id % 7) AS s").collect()
        assert rows[0].s == sum(i % 7 for i in range(7)) * (60_000_000 // 7) + sum(range(60_000_000 % 7))
        reports = [s for s, _, _ in seen if s]
        assert reports, "no progress report arrived"
        assert all(st.num_tasks >= 1 and 0 <= st.num_completed_tasks <= st.num_tasks for stages in reports for st in stages)
    finally:
        spark.conf.unset("spark.connect.progress.reportInterval")
        spark.clearProgressHandlers()
        spark.stop()


def test_metrics_endpoint():
    import urllib.request

    from conftest import free_port

    port = free_port()
    s = Server(extra_env={"SPARK_CONNECT_SERVER_METRICS_PORT": str(port)})
    try:
        spark = new_session(s)
        assert spark.range(5).count() == 5
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        assert "scs_sessions 1" in text
        assert 'scs_rpc_duration_seconds_count{method="ExecutePlan"}' in text
        assert 'scs_operations{state="succeeded"}' in text
        assert "scs_rows_returned_total" in text and "scs_memory_pool_limit_bytes" in text
        spark.stop()
    finally:
        s.stop()


def test_query_over_the_memory_limit_spills_or_fails_cleanly():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_MEMORY_LIMIT_MB": "48"})
    try:
        big = new_session(s)
        other = new_session(s)
        outcome = {}

        def run():
            try:
                # A full sort of ~150 MB under a 48 MB limit (the window
                # keeps the optimizer from dropping the sort).
                ranked = big.range(0, 3_000_000).selectExpr("uuid() AS u").selectExpr("row_number() OVER (ORDER BY u) AS n")
                outcome["rows"] = ranked.selectExpr("max(n) AS c").collect()[0].c
                outcome["distinct"] = big.range(0, 2_000_000).selectExpr("id % 1000003 AS k", "repeat('x', 40) AS p").groupBy("k").count().count()
            except Exception as e:  # noqa: BLE001 - a clean memory error is an accepted outcome
                outcome["error"] = str(e)

        t = threading.Thread(target=run)
        t.start()
        answers = [other.range(10).count() for _ in range(5)]
        t.join(timeout=300)
        assert not t.is_alive()
        assert answers == [10] * 5
        if "error" in outcome:
            assert "UNABLE_TO_ACQUIRE_MEMORY" in outcome["error"], outcome["error"]
        else:
            assert outcome == {"rows": 3_000_000, "distinct": 1_000_003}
        assert s.alive()
        big.stop()
        other.stop()
    finally:
        s.stop()


def test_client_killed_mid_stream_then_reattaches(server):
    """A client reading a large result disappears; a new connection
    reattaches to the operation and gets the rest, without repeats."""
    session_id, op_id = str(uuid.uuid4()), str(uuid.uuid4())
    user = base_pb2.UserContext(user_id="t")
    rel = relations_pb2.Relation(range=relations_pb2.Range(start=0, end=3_000_000, step=1))
    req = base_pb2.ExecutePlanRequest(
        session_id=session_id,
        user_context=user,
        operation_id=op_id,
        plan=base_pb2.Plan(root=rel),
        request_options=[base_pb2.ExecutePlanRequest.RequestOption(reattach_options=base_pb2.ReattachOptions(reattachable=True))],
    )
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = base_pb2_grpc.SparkConnectServiceStub(channel)
    first = []
    stream = stub.ExecutePlan(req)
    for r in stream:
        first.append(r)
        if sum(1 for x in first if x.HasField("arrow_batch")) >= 2:
            break
    stream.cancel()
    channel.close()  # the client is gone
    rows = sum(r.arrow_batch.row_count for r in first if r.HasField("arrow_batch"))
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = base_pb2_grpc.SparkConnectServiceStub(channel)
    rest = list(stub.ReattachExecute(base_pb2.ReattachExecuteRequest(session_id=session_id, user_context=user, operation_id=op_id, last_response_id=first[-1].response_id)))
    rows += sum(r.arrow_batch.row_count for r in rest if r.HasField("arrow_batch"))
    assert rows == 3_000_000
    assert rest[-1].HasField("result_complete")
    stub.ReleaseExecute(base_pb2.ReleaseExecuteRequest(session_id=session_id, user_context=user, operation_id=op_id, release_all=base_pb2.ReleaseExecuteRequest.ReleaseAll()))
    channel.close()
