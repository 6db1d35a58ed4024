"""Python UDFs run in worker processes, never in the server: a UDF that
crashes, hangs or runs out of memory fails only its own query; interrupts
kill the worker; sessions never share a worker's state; a missing Python
is a clear error. Results themselves are checked against Spark by the `udf`
differential group."""

import os
import threading
import time
from pathlib import Path

import pytest
from pyspark.errors import PythonException
from pyspark.sql.functions import udf
from pyspark.sql.types import IntegerType, LongType, StringType

from conftest import Server, new_session


def _children(pid):
    """Pids of the processes whose parent is `pid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                out.append(int(entry.name))
    return out


def _cpu_ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


def _busy_workers(server_pid):
    """Worker processes (children of the daemon, itself a child of the
    server) that used CPU during half a second."""
    workers = [w for d in _children(server_pid) for w in _children(d)]
    before = {w: _cpu_ticks(w) for w in workers}
    time.sleep(0.5)
    return [w for w in workers if _cpu_ticks(w) - before[w] > 10]


def test_a_crashing_udf_fails_only_its_query(server, spark):
    crash = udf(lambda v: os._exit(3), LongType())
    other = new_session(server)
    answers = []
    t = threading.Thread(target=lambda: answers.extend(other.range(5).select(udf(lambda v: v * 2, LongType())("id")).collect()))
    t.start()
    with pytest.raises(Exception) as e:
        spark.range(3).select(crash("id")).collect()
    t.join(timeout=120)
    assert "exited unexpectedly" in str(e.value)
    assert sorted(r[0] for r in answers) == [0, 2, 4, 6, 8]
    # The next query gets a fresh worker.
    assert spark.range(3).select(udf(lambda v: v + 1, LongType())("id")).collect()[2][0] == 3
    assert server.alive()


def test_interrupt_kills_a_udf_stuck_in_a_loop(server):
    session = new_session(server)

    def spin(v):
        while True:
            pass

    stuck = udf(spin, LongType())
    errors = []

    def run():
        try:
            session.range(1).select(stuck("id")).collect()
        except Exception as e:  # noqa: BLE001 - the outcome is checked below
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(3)
    session.interruptAll()
    t.join(timeout=30)
    assert not t.is_alive()
    assert errors and "OPERATION_CANCELED" in str(errors[0])
    deadline = time.time() + 10
    while _busy_workers(server.proc.pid) and time.time() < deadline:
        time.sleep(0.2)
    assert _busy_workers(server.proc.pid) == []
    assert session.range(2).select(udf(lambda v: v, LongType())("id")).count() == 2
    session.stop()


def test_sessions_never_share_a_worker(server):
    a, b = new_session(server), new_session(server)

    def mark(v):
        import builtins

        builtins.scs_marker = "session a"
        return 1

    def look(v):
        import builtins

        return getattr(builtins, "scs_marker", "clean")

    assert a.range(1).select(udf(mark, IntegerType())("id")).collect()[0][0] == 1
    assert b.range(1).select(udf(look, StringType())("id")).collect()[0][0] == "clean"
    # The same session reuses its worker, state and all.
    assert a.range(1).select(udf(look, StringType())("id")).collect()[0][0] == "session a"
    a.stop()
    b.stop()


def test_udf_exceptions_carry_the_python_traceback(spark):
    def bad(v):
        raise ValueError(f"bad value {v}")

    with pytest.raises(PythonException) as e:
        spark.range(1).select(udf(bad, LongType())("id")).collect()
    assert "ValueError: bad value 0" in str(e.value)
    assert "PYTHON_EXCEPTION" in str(e.value)


def test_worker_memory_limit_fails_the_query_not_the_server():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_PYTHON_MEMORY_LIMIT_MB": "400"})
    try:
        session = new_session(s)

        def hog(v):
            return len(bytearray(2 << 30))

        with pytest.raises(Exception) as e:
            session.range(1).select(udf(hog, LongType())("id")).collect()
        assert "MemoryError" in str(e.value) or "exited unexpectedly" in str(e.value)
        assert session.range(3).select(udf(lambda v: v, LongType())("id")).count() == 3
        assert s.alive()
        session.stop()
    finally:
        s.stop()


def test_a_missing_python_is_a_clear_error_and_the_rest_works():
    s = Server(extra_env={"SPARK_CONNECT_SERVER_PYTHON": "/nonexistent/python3"})
    try:
        session = new_session(s)
        with pytest.raises(Exception) as e:
            session.range(1).select(udf(lambda v: v, LongType())("id")).collect()
        assert "python.executable" in str(e.value)
        assert session.range(3).count() == 3
        session.stop()
    finally:
        s.stop()


def test_java_udfs_are_refused_clearly(spark):
    with pytest.raises(Exception) as e:
        spark.udf.registerJavaFunction("f", "com.example.F")
    assert "JVM" in str(e.value) or "not" in str(e.value).lower()


def test_python_files_are_importable_by_their_session_only(server, tmp_path):
    import zipfile

    (tmp_path / "scs_e2e_helper.py").write_text("def helper(x):\n    return x * 100\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("VALUE = 7\n")
    with zipfile.ZipFile(tmp_path / "scs_e2e_zipped.zip", "w") as z:
        z.write(tmp_path / "pkg" / "__init__.py", "scs_e2e_pkg/__init__.py")
    owner, other = new_session(server), new_session(server)
    owner.addArtifact(str(tmp_path / "scs_e2e_helper.py"), pyfile=True)
    owner.addArtifact(str(tmp_path / "scs_e2e_zipped.zip"), pyfile=True)

    def use(v):
        import scs_e2e_helper
        import scs_e2e_pkg

        return scs_e2e_helper.helper(v) + scs_e2e_pkg.VALUE

    def look(v):
        try:
            import scs_e2e_helper  # noqa: F401

            return "visible"
        except ImportError:
            return "hidden"

    assert [r[0] for r in owner.range(3).select(udf(use, LongType())("id")).collect()] == [7, 107, 207]
    assert other.range(1).select(udf(look, StringType())("id")).collect()[0][0] == "hidden"


def test_a_client_python_version_the_workers_lack_is_refused(spark, monkeypatch):
    from pyspark.sql.connect import expressions

    original = expressions.PythonUDF.__init__

    def claim_another_version(self, output_type, eval_type, func, python_ver):
        original(self, output_type, eval_type, func, "3.99")

    monkeypatch.setattr(expressions.PythonUDF, "__init__", claim_another_version)
    with pytest.raises(PythonException) as e:
        spark.range(1).select(udf(lambda v: v, LongType())("id")).collect()
    assert "PYTHON_VERSION_MISMATCH" in str(e.value)
