"""Protocol behaviour with the real pyspark client: every RPC, sessions,
errors, reattach, interrupts, artifacts, deep plans and bad input."""

import subprocess
import sys
import threading
import time
import uuid

import grpc
import pandas as pd
import pyarrow as pa
import pytest
from pyspark.errors import (
    AnalysisException,
    ArithmeticException,
    IllegalArgumentException,
    ParseException,
    SparkNoSuchElementException,
)
from pyspark.sql import Row
from pyspark.sql import functions as F
from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc, relations_pb2

from conftest import new_session


def test_version_and_schema(spark):
    assert spark.version == "4.3.0"
    df = spark.range(3).withColumn("s", F.lit("x"))
    assert df.columns == ["id", "s"]
    assert df.schema.simpleString() == "struct<id:bigint,s:string>"
    assert df.dtypes == [("id", "bigint"), ("s", "string")]


def test_print_schema_tree_string(spark, capsys):
    spark.createDataFrame([(1, [1])], "a int, b array<int>").printSchema()
    out = capsys.readouterr().out
    assert out == "root\n |-- a: integer (nullable = true)\n |-- b: array (nullable = true)\n |    |-- element: integer (containsNull = true)\n\n"


def test_collect_topandas_toarrow_count(spark):
    df = spark.range(5).selectExpr("id", "id * 2 AS d")
    assert [r.d for r in df.collect()] == [0, 2, 4, 6, 8]
    pdf = df.toPandas()
    assert list(pdf["d"]) == [0, 2, 4, 6, 8]
    table = df.toArrow()
    assert table.schema.field("d").type == pa.int64()
    assert df.count() == 5
    assert spark.range(0).count() == 0
    assert spark.range(0).collect() == []
    assert spark.range(0).toPandas().shape == (0, 1)


def test_temp_views_and_table(spark):
    spark.range(4).createOrReplaceTempView("v_four")
    assert spark.table("v_four").count() == 4
    assert spark.sql("SELECT sum(id) AS s FROM v_four").collect()[0].s == 6
    spark.range(2).createOrReplaceTempView("v_four")
    assert spark.table("v_four").count() == 2
    with pytest.raises(AnalysisException):
        spark.range(1).createTempView("v_four")
    spark.range(3).createGlobalTempView("g_three")
    assert spark.table("global_temp.g_three").count() == 3
    names = [r.tableName for r in spark.sql("SHOW TABLES").collect()]
    assert "v_four" in names
    spark.sql("DROP VIEW v_four")
    with pytest.raises(AnalysisException) as e:
        spark.table("v_four").collect()
    assert e.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"


def test_sql_commands(spark):
    assert spark.sql("SET spark.sql.shuffle.partitions=7").collect()[0].value == "7"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "7"
    assert [r.catalog for r in spark.sql("SHOW CATALOGS").collect()] == ["spark_catalog"]
    assert [r.namespace for r in spark.sql("SHOW DATABASES").collect()] == ["default"]
    spark.sql("CREATE OR REPLACE TEMP VIEW sv AS SELECT 1 AS a, 'x' AS b")
    assert [r.col_name for r in spark.sql("DESCRIBE sv").collect()] == ["a", "b"]
    assert [r.col_name for r in spark.sql("SHOW COLUMNS IN sv").collect()] == ["a", "b"]
    assert "Physical Plan" in spark.sql("EXPLAIN SELECT 1").collect()[0].plan


def test_sql_command_as_root_relation(spark):
    """ADBC drivers send a command as the root `Sql` relation of ExecutePlan;
    Spark runs it (once, even after a schema request) and returns its rows."""
    from pyspark.sql.connect.dataframe import DataFrame
    from pyspark.sql.connect.plan import SQL

    df = DataFrame(SQL("SET spark.sql.shuffle.partitions=9"), spark)
    assert df.schema.simpleString() == "struct<key:string,value:string>"
    assert df.collect() == [Row(key="spark.sql.shuffle.partitions", value="9")]
    assert spark.conf.get("spark.sql.shuffle.partitions") == "9"
    spark.conf.unset("spark.sql.shuffle.partitions")
    create = DataFrame(SQL("CREATE OR REPLACE TEMP VIEW root_v AS SELECT 1 AS a"), spark)
    assert create.collect() == []
    assert DataFrame(SQL("SELECT * FROM root_v"), spark).collect() == [Row(a=1)]
    tables = DataFrame(SQL("SHOW TABLES"), spark)
    assert tables.columns == ["namespace", "tableName", "isTemporary"]
    assert "root_v" in [r.tableName for r in tables.collect()]
    drop = DataFrame(SQL("DROP VIEW root_v"), spark)
    assert drop.schema.simpleString() == "struct<>"
    assert drop.collect() == []
    with pytest.raises(AnalysisException) as e:
        DataFrame(SQL("DROP VIEW root_v"), spark).collect()
    assert e.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"
    assert spark.range(2).count() == 2


def test_config_rpc(spark):
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    assert spark.conf.get("spark.sql.session.timeZone") == "America/New_York"
    spark.conf.unset("spark.sql.session.timeZone")
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert spark.conf.get("no.such.key", "fallback") == "fallback"
    assert spark.conf.isModifiable("spark.sql.ansi.enabled") is True
    assert spark.conf.isModifiable("spark.sql.warehouse.dir") is False
    with pytest.raises(SparkNoSuchElementException) as e:
        spark.conf.get("no.such.key")
    assert e.value.getCondition() == "SQL_CONF_NOT_FOUND"
    spark.conf.set("my.custom.key", "v")
    assert spark.conf.getAll["my.custom.key"] == "v"
    with pytest.raises(IllegalArgumentException):
        spark.conf.set("spark.sql.session.timeZone", "Not/AZone")


def test_errors_have_spark_classes(spark):
    with pytest.raises(AnalysisException) as e:
        spark.range(1).select("boom").collect()
    assert e.value.getCondition() == "UNRESOLVED_COLUMN.WITH_SUGGESTION"
    assert e.value.getSqlState() == "42703"
    assert e.value.getMessageParameters()["objectName"] == "`boom`"
    with pytest.raises(ParseException) as e:
        spark.sql("selec 1")
    assert e.value.getCondition() == "PARSE_SYNTAX_ERROR"
    with pytest.raises(ArithmeticException) as e:
        spark.sql("SELECT 1 / 0").collect()
    assert e.value.getCondition() == "DIVIDE_BY_ZERO"
    with pytest.raises(IllegalArgumentException):
        spark.range(10).sample(fraction=-0.5).collect()
    # The session still works after errors.
    assert spark.range(2).count() == 2


def test_ansi_off_gives_null(spark):
    spark.conf.set("spark.sql.ansi.enabled", "false")
    try:
        assert spark.sql("SELECT 1 / 0 AS r").collect()[0].r is None
        assert spark.sql("SELECT CAST('abc' AS INT) AS r").collect()[0].r is None
    finally:
        spark.conf.unset("spark.sql.ansi.enabled")


def test_analyze_plan_rpcs(spark):
    df = spark.range(3)
    assert "Physical Plan" in df._explain_string() if hasattr(df, "_explain_string") else True
    df.explain()
    df.explain(True)
    assert spark.createDataFrame([(1,)], "a int").isLocal()
    assert not df.isStreaming
    assert df.inputFiles() == []
    assert df.sameSemantics(spark.range(3))
    assert not df.sameSemantics(spark.range(4))
    assert df.semanticHash() == spark.range(3).semanticHash()
    df.persist()
    assert df.storageLevel.useMemory
    df.unpersist()
    t = spark.createDataFrame([], "a int, b string").schema
    assert t.simpleString() == "struct<a:int,b:string>"


def test_large_create_dataframe_inline_and_artifacts(spark):
    pdf = pd.DataFrame({"x": range(200_000), "s": ["row-%d" % i for i in range(200_000)]})
    df = spark.createDataFrame(pdf)
    assert df.count() == 200_000
    assert df.agg(F.sum("x")).collect()[0][0] == sum(range(200_000))
    # Force the cached-artifact path (uploads with AddArtifacts).
    spark.conf.set("spark.sql.session.localRelationCacheThreshold", "1048576")
    try:
        df2 = spark.createDataFrame(pdf)
        assert df2.count() == 200_000
        assert df2.filter("x = 199999").collect()[0].s == "row-199999"
    finally:
        spark.conf.unset("spark.sql.session.localRelationCacheThreshold")


def test_streams_large_results(spark):
    n = 1_000_000
    rows = sum(1 for _ in spark.range(n).toLocalIterator())
    assert rows == n
    table = spark.range(n).selectExpr("id", "id * 2 AS d").toArrow()
    assert table.num_rows == n
    assert table.column("d")[n - 1].as_py() == 2 * (n - 1)


def test_execution_info_has_operator_metrics_and_observations(spark):
    df = spark.range(10).filter("id > 3").observe("o", F.count(F.lit(1)).alias("c"))
    assert df.executionInfo is None
    assert len(df.collect()) == 6
    info = df.executionInfo
    assert info.flows == [("o", {"c": 6})]
    root, graph = info.metrics.extract_graph()
    assert {m.name: m.value for m in graph[root].metrics}["numOutputRows"] == 6
    assert len(graph) >= 3 and all(n.name for n in graph.values())
    # The scan under the filter produced all ten rows.
    assert "numOutputRows: 10 (sum)" in info.metrics.toText()
    # toPandas carries them too.
    assert "metrics" in df.toPandas().attrs


def test_checkpoint_and_cache_keep_the_rows(spark):
    from pyspark.sql import functions as F

    # SQL rand() draws a new seed on every run, so equal reads mean kept rows.
    fresh = spark.range(50).withColumn("r", F.expr("rand()"))
    assert fresh.collect() != fresh.collect()

    checkpointed = spark.range(50).withColumn("r", F.expr("rand()")).localCheckpoint()
    first = checkpointed.collect()
    assert checkpointed.collect() == first
    assert checkpointed.filter("id < 10").count() == 10
    assert [r.r for r in checkpointed.filter("id = 3").collect()] == [first[3].r]

    eager = spark.range(20).withColumn("r", F.expr("rand()")).checkpoint()
    assert eager.collect() == eager.collect()

    cached = spark.range(50).withColumn("r", F.expr("rand()")).cache()
    assert cached.storageLevel.useMemory
    rows = cached.collect()
    assert cached.collect() == rows
    assert abs(cached.agg(F.sum("r")).collect()[0][0] - sum(r.r for r in rows)) < 1e-9
    cached.unpersist()
    assert cached.collect() != rows

    # Checkpoints do not show up as tables.
    assert spark.sql("SHOW TABLES").count() == 0 or all(not r.tableName.startswith("__") for r in spark.sql("SHOW TABLES").collect())


def test_sessions_are_isolated(server, spark):
    other = new_session(server)
    try:
        spark.range(1).createOrReplaceTempView("only_in_first")
        with pytest.raises(AnalysisException):
            other.table("only_in_first").collect()
        other.conf.set("spark.sql.shuffle.partitions", "3")
        assert spark.conf.get("spark.sql.shuffle.partitions") != "3"
    finally:
        other.stop()


def test_clone_session_copies_views_and_confs(server):
    s = new_session(server)
    try:
        s.conf.set("spark.sql.shuffle.partitions", "7")
        s.createDataFrame([(1, "a")], "id int, v string").createOrReplaceTempView("cloned_view")
        # (Cloned sessions are not stopped: pyspark-client 4.2's stop() fails on them.)
        clone = s.cloneSession()
        assert clone.session_id != s.session_id
        assert clone.table("cloned_view").collect() == [(1, "a")]
        assert clone.conf.get("spark.sql.shuffle.partitions") == "7"
        # Later changes stay in their own session.
        clone.conf.set("spark.sql.shuffle.partitions", "9")
        clone.range(1).createOrReplaceTempView("only_in_clone")
        assert s.conf.get("spark.sql.shuffle.partitions") == "7"
        with pytest.raises(AnalysisException):
            s.table("only_in_clone").collect()
        fixed = str(uuid.uuid4())
        assert s.cloneSession(fixed).session_id == fixed
        # An id already in use is refused (the client raises the raw gRPC error, as with Spark).
        with pytest.raises(grpc.RpcError):
            s.cloneSession(fixed)
    finally:
        s.stop()


def test_interrupt_all_cancels_running_query(server):
    s = new_session(server)
    errors = []

    def run():
        try:
            s.range(0, 10**12).selectExpr("sum(id * 3 % 7)").collect()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(1.0)
    ids = s.interruptAll()
    t.join(timeout=30)
    assert not t.is_alive(), "the interrupted query kept running"
    assert ids, "interruptAll reported no operation"
    assert errors
    assert s.range(3).count() == 3
    s.stop()


def test_release_session_closes_it(server):
    s = new_session(server)
    assert s.range(1).count() == 1
    s.stop()
    fresh = new_session(server)
    assert fresh.range(2).count() == 2
    fresh.stop()


def _stub(server):
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    return channel, base_pb2_grpc.SparkConnectServiceStub(channel)


def _range_plan(n):
    rel = relations_pb2.Relation(range=relations_pb2.Range(start=0, end=n, step=1))
    return base_pb2.Plan(root=rel)


def _exec_request(session_id, plan, op_id=None, reattachable=True):
    req = base_pb2.ExecutePlanRequest(
        session_id=session_id,
        user_context=base_pb2.UserContext(user_id="test"),
        operation_id=op_id or str(uuid.uuid4()),
        plan=plan,
    )
    if reattachable:
        opt = base_pb2.ExecutePlanRequest.RequestOption()
        opt.reattach_options.reattachable = True
        req.request_options.append(opt)
    return req


def test_get_status_reports_operations(server):
    channel, stub = _stub(server)
    session_id, op_id = str(uuid.uuid4()), str(uuid.uuid4())
    user = base_pb2.UserContext(user_id="test")
    list(stub.ExecutePlan(_exec_request(session_id, _range_plan(5), op_id)))

    def status(**kw):
        return stub.GetStatus(base_pb2.GetStatusRequest(session_id=session_id, user_context=user, **kw))

    State = base_pb2.GetStatusResponse.OperationStatus.OperationState
    asked = base_pb2.GetStatusRequest.OperationStatusRequest(operation_ids=[op_id, str(uuid.uuid4())])
    got = {s.operation_id: s.state for s in status(operation_status=asked).operation_statuses}
    # Every response sent, not yet released: terminating, as Spark reports it.
    assert got[op_id] == State.OPERATION_STATE_TERMINATING
    assert sorted(got.values()).count(State.OPERATION_STATE_UNKNOWN) == 1
    every = status(operation_status=base_pb2.GetStatusRequest.OperationStatusRequest())
    assert [s.operation_id for s in every.operation_statuses] == [op_id] and every.server_side_session_id
    assert not status().operation_statuses
    channel.close()


def test_reattach_resumes_after_last_response(server):
    channel, stub = _stub(server)
    session_id = str(uuid.uuid4())
    op_id = str(uuid.uuid4())
    # range(0, 10, 1) with 3 partitions gives several batches, so responses
    # remain after the first one.
    plan = base_pb2.Plan(root=relations_pb2.Relation(range=relations_pb2.Range(start=0, end=10, step=1, num_partitions=3)))
    stream = stub.ExecutePlan(_exec_request(session_id, plan, op_id))
    first = next(stream)
    stream.cancel()
    rest = list(
        stub.ReattachExecute(
            base_pb2.ReattachExecuteRequest(
                session_id=session_id,
                user_context=base_pb2.UserContext(user_id="test"),
                operation_id=op_id,
                last_response_id=first.response_id,
            )
        )
    )
    assert rest[-1].HasField("result_complete")
    assert all(r.response_id != first.response_id for r in rest)
    rows = sum(r.arrow_batch.row_count for r in [first] + rest if r.HasField("arrow_batch"))
    assert rows == 10
    ids = {first.server_side_session_id} | {r.server_side_session_id for r in rest}
    assert len(ids) == 1 and "" not in ids
    with pytest.raises(grpc.RpcError) as e:
        list(stub.ReattachExecute(base_pb2.ReattachExecuteRequest(
            session_id=session_id, user_context=base_pb2.UserContext(user_id="test"), operation_id=str(uuid.uuid4()))))
    assert "INVALID_HANDLE.OPERATION_NOT_FOUND" in e.value.details()
    channel.close()


def test_malformed_and_unsupported_input_keeps_server_alive(server, spark):
    channel, stub = _stub(server)
    session_id = str(uuid.uuid4())
    raw = channel.unary_stream(
        "/spark.connect.SparkConnectService/ExecutePlan",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    with pytest.raises(grpc.RpcError) as e:
        list(raw(b"\xff\xff\xff\xff\x0f garbage"))
    assert e.value.code() in (grpc.StatusCode.INTERNAL, grpc.StatusCode.INVALID_ARGUMENT)
    # An unknown relation kind.
    unknown = base_pb2.Plan(root=relations_pb2.Relation(unknown=relations_pb2.Unknown()))
    with pytest.raises(grpc.RpcError) as e:
        list(stub.ExecutePlan(_exec_request(session_id, unknown)))
    assert "not supported" in e.value.details()
    # A required field missing.
    missing = base_pb2.Plan(root=relations_pb2.Relation(filter=relations_pb2.Filter()))
    with pytest.raises(grpc.RpcError) as e:
        list(stub.ExecutePlan(_exec_request(session_id, missing)))
    assert "missing" in e.value.details()
    # A plan with no relation kind at all.
    with pytest.raises(grpc.RpcError):
        list(stub.ExecutePlan(_exec_request(session_id, base_pb2.Plan(root=relations_pb2.Relation()))))
    # A bad session id.
    with pytest.raises(grpc.RpcError) as e:
        list(stub.ExecutePlan(_exec_request("not-a-uuid", _range_plan(1))))
    assert "INVALID_HANDLE.FORMAT" in e.value.details()
    channel.close()
    assert server.alive()
    assert spark.range(3).count() == 3


def test_streaming_reads_are_refused_clearly(spark):
    from pyspark.errors import PySparkException

    for load in (lambda: spark.readStream.format("rate").load(), lambda: spark.readStream.schema("a int").parquet("/nonexistent")):
        with pytest.raises(PySparkException) as e:
            load().schema
        assert e.value.getCondition() == "UNSUPPORTED_FEATURE"
        assert "Structured Streaming is not supported" in str(e.value)
    assert spark.range(2).count() == 2


def _nested_bytes(levels):
    """A Relation nested `levels` deep through Filter.input (hostile input)."""
    msg = relations_pb2.Relation(range=relations_pb2.Range(end=1, step=1)).SerializeToString()
    for _ in range(levels):
        # Relation{filter=4: Filter{input=1: <msg>}}
        inner = b"\x0a" + _varint(len(msg)) + msg
        msg = b"\x22" + _varint(len(inner)) + inner
    return msg


def _varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def test_hostile_deep_plan_gets_clean_error(server, spark):
    channel, _ = _stub(server)
    raw = channel.unary_stream(
        "/spark.connect.SparkConnectService/ExecutePlan",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    rel = _nested_bytes(100_000)
    req = base_pb2.ExecutePlanRequest(session_id=str(uuid.uuid4()), user_context=base_pb2.UserContext(user_id="t"))
    # ExecutePlanRequest.plan (3) = Plan{root (1) = rel}
    plan = b"\x0a" + _varint(len(rel)) + rel
    payload = req.SerializeToString() + b"\x1a" + _varint(len(plan)) + plan
    with pytest.raises(grpc.RpcError) as e:
        list(raw(payload))
    assert "PLAN_TOO_DEEP" in e.value.details()
    channel.close()
    assert server.alive()
    assert spark.range(2).count() == 2


@pytest.mark.parametrize("depth", [500, 2000, 10000])
def test_deep_dataframe_chains(server, spark, depth):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, depth * 20))
    try:
        df = spark.range(3)
        for _ in range(depth):
            df = df.select((F.col("id") + 1).alias("id"))
        try:
            rows = sorted(r.id for r in df.collect())
        except RecursionError:
            rows = None  # the client itself cannot build the plan
        except Exception as e:  # noqa: BLE001 - a clean Spark-style error is acceptable
            assert depth > 2000, f"depth {depth} should run: {e}"
            assert "PLAN_TOO_DEEP" in str(e) or "too deep" in str(e).lower()
            rows = None
        if depth <= 2000:
            assert rows == [depth, depth + 1, depth + 2]
    finally:
        sys.setrecursionlimit(old)
    assert server.alive()
    assert spark.range(1).count() == 1


def test_script_without_stop_exits(server, tmp_path):
    # At exit the client cleans its ML cache with an ExecutePlan of its own;
    # an answer the client does not expect used to leave the process hanging.
    script = (
        "from pyspark.sql import SparkSession\n"
        f"spark = SparkSession.builder.remote('{server.url}').getOrCreate()\n"
        "spark.range(3).createOrReplaceTempView('v')\n"
        "assert spark.sql('SELECT count(*) FROM v').collect()[0][0] == 3\n"
        "try:\n"
        "    spark.sql('SELECT * FROM no_such_table')\n"
        "except Exception:\n"
        "    pass\n"
    )
    path = tmp_path / "no_stop.py"
    path.write_text(script)
    # The hang was a race at interpreter exit: a few runs catch it.
    for _ in range(3):
        done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]


def test_ml_cache_commands_and_unsupported_ml(server):
    from pyspark.sql.connect.proto import commands_pb2, ml_common_pb2

    channel, stub = _stub(server)
    session_id = str(uuid.uuid4())

    def run(fill):
        cmd = commands_pb2.Command()
        fill(cmd.ml_command)
        return list(stub.ExecutePlan(_exec_request(session_id, base_pb2.Plan(command=cmd))))

    [clean] = [r for r in run(lambda m: m.clean_cache.SetInParent()) if r.HasField("ml_command_result")]
    assert clean.ml_command_result.param.integer == 0
    [info] = [r for r in run(lambda m: m.get_cache_info.SetInParent()) if r.HasField("ml_command_result")]
    assert list(info.ml_command_result.param.array.elements) == []
    with pytest.raises(grpc.RpcError) as e:
        run(lambda m: m.fit.estimator.CopyFrom(ml_common_pb2.MlOperator(name="org.apache.spark.ml.classification.LogisticRegression")))
    assert e.value.code() == grpc.StatusCode.INTERNAL or "UNSUPPORTED_FEATURE" in str(e.value.details())
    assert "Spark ML" in e.value.details()
    channel.close()
