"""The binary itself: flags, configuration layering, readiness and shutdown."""

import os
import signal
import subprocess
import sys
import time

from conftest import Server, binary_path, new_session


def test_help_lists_flags():
    out = subprocess.run([str(binary_path()), "--help"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0
    for flag in ("--host", "--port", "--config"):
        assert flag in out.stdout


def test_sigterm_shuts_down_gracefully():
    s = Server()
    session = new_session(s)
    assert session.range(3).count() == 3
    # Stopped first: a session left active on a dead server would make the
    # client retry against it from later tests.
    session.stop()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=15) == 0
    s.log.close()


def test_config_file_and_environment(tmp_path):
    conf = tmp_path / "conf.toml"
    conf.write_text('[spark_conf]\n"spark.sql.shuffle.partitions" = "11"\n"spark.sql.session.timeZone" = "Asia/Tokyo"\n')
    # The environment overrides the file for server settings; the file sets session defaults.
    s = Server(extra_args=["--config", str(conf)], extra_env={"SPARK_CONNECT_SERVER_SESSION_IDLE_TIMEOUT_SECS": "120"})
    try:
        spark = new_session(s)
        assert spark.conf.get("spark.sql.shuffle.partitions") == "11"
        assert spark.conf.get("spark.sql.session.timeZone") == "Asia/Tokyo"
        spark.stop()
    finally:
        s.stop()


def test_bad_config_is_reported():
    env = dict(os.environ, SPARK_CONNECT_SERVER_PORT="not-a-port")
    out = subprocess.run([str(binary_path())], capture_output=True, text=True, timeout=30, env=env)
    assert out.returncode == 2
    assert "SPARK_CONNECT_SERVER_PORT" in out.stderr


def test_ready_quickly():
    start = time.perf_counter()
    s = Server()
    elapsed = time.perf_counter() - start
    s.stop()
    # Not a timing assertion on speed: only that it serves at all soon after launch.
    assert elapsed < 30


def test_sigterm_during_a_long_query_still_exits():
    # The client runs in its own process so that nothing of it outlives the
    # test: a client thread left behind would retry the query against the next
    # server that happens to get the same port.
    s = Server()
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pyspark.sql import SparkSession; "
            "spark = SparkSession.builder.remote(sys.argv[1]).create(); "
            "spark.range(0, 10**12).selectExpr('sum(id % 7)').collect()",
            s.url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3.0)
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(timeout=60) == 0
    finally:
        client.kill()
        client.wait(timeout=30)
        s.log.close()
