"""Persistent tables beyond Apache Spark's default in-memory catalog: they
survive a restart, and writes are atomic (a server killed mid-overwrite
keeps the old rows whole; an interrupted write leaves no partial files).
Spark's own behaviour for the statements is checked by the `tables` and
`writers` gold groups."""

import os
import signal
import tempfile
import threading
import time

from conftest import Server, new_session

BIG = 30_000_000


def data_files(path):
    found = []
    for folder, dirs, names in os.walk(path):
        found.extend(os.path.join(folder, n) for n in names if not n.startswith((".", "_")) and "_temporary" not in folder)
    return sorted(found)


def wait_for(predicate, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_tables_and_databases_survive_a_restart():
    warehouse = tempfile.mkdtemp(prefix="scs-restart-")
    env = {"SPARK_CONNECT_SERVER_WAREHOUSE_DIR": warehouse}
    first = Server(extra_env=env)
    try:
        spark = new_session(first)
        spark.sql("CREATE DATABASE kept_db COMMENT 'kept'").collect()
        spark.sql("CREATE TABLE kept_db.events (id BIGINT, kind STRING) USING parquet PARTITIONED BY (kind)").collect()
        spark.sql("INSERT INTO kept_db.events VALUES (1, 'a'), (2, 'b'), (3, NULL)").collect()
        spark.range(5).write.saveAsTable("numbers")
        spark.sql("CREATE TEMP VIEW forgotten AS SELECT 1 AS a").collect()
        spark.stop()
    finally:
        first.stop()
    second = Server(extra_env=env)
    try:
        spark = new_session(second)
        assert sorted(r.namespace for r in spark.sql("SHOW DATABASES").collect()) == ["default", "kept_db"]
        rows = sorted((r.id, r.kind) for r in spark.table("kept_db.events").collect())
        assert rows == [(1, "a"), (2, "b"), (3, None)]
        assert spark.sql("SELECT sum(id) FROM numbers").collect()[0][0] == 10
        assert [t.name for t in spark.catalog.listTables("kept_db")] == ["events"]
        assert not spark.catalog.tableExists("forgotten")
        # The restarted server keeps writing to the same tables.
        spark.sql("INSERT INTO numbers VALUES (100)").collect()
        assert spark.table("numbers").count() == 6
        spark.sql("DROP TABLE numbers").collect()
        assert not os.path.exists(os.path.join(warehouse, "numbers"))
        spark.stop()
    finally:
        second.stop()


def test_sigkill_during_an_overwrite_keeps_the_old_rows():
    warehouse = tempfile.mkdtemp(prefix="scs-kill-")
    env = {"SPARK_CONNECT_SERVER_WAREHOUSE_DIR": warehouse}
    first = Server(extra_env=env)
    table_dir = os.path.join(warehouse, "precious")
    spark = None
    try:
        spark = new_session(first)
        spark.sql("CREATE TABLE precious (id BIGINT, note STRING) USING parquet").collect()
        spark.sql("INSERT INTO precious SELECT id, CAST(id AS STRING) FROM range(1000)").collect()
        before = data_files(table_dir)

        def overwrite():
            try:
                spark.sql(f"INSERT OVERWRITE precious SELECT id, repeat('x', 50) FROM range({BIG})").collect()
            except Exception:  # noqa: BLE001 - the server dies under it
                pass

        threading.Thread(target=overwrite, daemon=True).start()
        staging = os.path.join(table_dir, "_temporary")
        assert wait_for(lambda: os.path.isdir(staging) and any(files for _, _, files in os.walk(staging)))
        os.kill(first.proc.pid, signal.SIGKILL)
        first.proc.wait(timeout=10)
        # Before any recovery, the table's visible files are the old ones.
        assert data_files(table_dir) == before
    finally:
        # The client of the killed server stops retrying now, not at exit
        # (its exit-time cleanup would retry for minutes).
        if spark is not None:
            spark.client.close()
        first.log.close()
    second = Server(extra_env=env)
    try:
        spark = new_session(second)
        row = spark.sql("SELECT count(*), sum(id), min(note) FROM precious").collect()[0]
        assert tuple(row) == (1000, 499500, "0")
        # Start-up recovery removed the abandoned staging area.
        assert not os.path.exists(os.path.join(table_dir, "_temporary"))
        spark.stop()
    finally:
        second.stop()


def test_an_interrupted_write_leaves_no_partial_files(server, tmp_path):
    spark = new_session(server)
    target = str(tmp_path / "out")
    outcome = {}

    def write():
        try:
            spark.range(BIG).selectExpr("id", "repeat('y', 40) AS pad").write.parquet(target)
            outcome["result"] = "finished"
        except Exception as e:  # noqa: BLE001 - the interrupt is the outcome
            outcome["result"] = str(e)

    t = threading.Thread(target=write)
    t.start()
    assert wait_for(lambda: os.path.isdir(os.path.join(target, "_temporary")))
    spark.interruptAll()
    t.join(timeout=60)
    assert not t.is_alive()
    assert "OPERATION_CANCELED" in outcome["result"] or "cancel" in outcome["result"].lower()
    assert wait_for(lambda: not os.path.exists(os.path.join(target, "_temporary")), timeout=10)
    assert data_files(target) == []
    assert not os.path.exists(os.path.join(target, "_SUCCESS"))
    # The same path can be written afterwards.
    spark.range(3).write.mode("overwrite").parquet(target)
    assert spark.read.parquet(target).count() == 3
    spark.stop()


def test_a_failed_write_leaves_the_path_as_it_was(server, tmp_path):
    spark = new_session(server)
    target = str(tmp_path / "kept")
    spark.range(10).write.parquet(target)
    before = data_files(target)
    try:
        spark.range(100).selectExpr("CAST(IF(id = 99, 'boom', '1') AS INT) AS v").write.mode("overwrite").parquet(target)
        raise AssertionError("the write should have failed")
    except Exception as e:  # noqa: BLE001
        assert "CAST_INVALID_INPUT" in str(e)
    assert data_files(target) == before
    assert spark.read.parquet(target).count() == 10
    spark.stop()
