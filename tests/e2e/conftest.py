"""Starts the real spark-connect-server binary on a free port and connects the
real pyspark client to it. The binary is $SCS_BINARY, else the debug build."""

import os
import socket
import sys
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    # Records which PySpark API methods each test exercises (docs/compatibility.md).
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "compat"))
    from api_trace import ApiTracer

    tracer = ApiTracer()
    tracer.install()
    config.pluginmanager.register(tracer, "api-trace")


def binary_path() -> Path:
    if os.environ.get("SCS_BINARY"):
        return Path(os.environ["SCS_BINARY"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "spark-connect-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, extra_env=None, extra_args=None):
        self.port = free_port()
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        # Python UDF workers run with the tests' own Python (pyspark-client,
        # pandas and pyarrow).
        env.setdefault("SPARK_CONNECT_SERVER_PYTHON", sys.executable)
        # Each server keeps its tables in a warehouse of its own.
        env.setdefault("SPARK_CONNECT_SERVER_WAREHOUSE_DIR", tempfile.mkdtemp(prefix="scs-warehouse-"))
        # The gold answers come from Spark with local[2]: two partitions,
        # as Spark splits `spark.range` for seeded random draws, whatever
        # this machine's core count.
        env.setdefault("SPARK_CONNECT_SERVER_TARGET_PARTITIONS", "2")
        env.update(extra_env or {})
        self.warehouse = env["SPARK_CONNECT_SERVER_WAREHOUSE_DIR"]
        logs = ROOT / "tests" / ".logs"
        logs.mkdir(exist_ok=True)
        self.log = open(logs / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [str(binary_path()), "--host", "127.0.0.1", "--port", str(self.port), *(extra_args or [])],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not start")

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


def new_session(server):
    from pyspark.sql import SparkSession

    session = SparkSession.builder.remote(server.url).create()
    # The client consults the active session (for example whether DataFrame
    # debugging is on) on every function call; make it this live one, not
    # one a previous test left behind.
    cls = type(session)
    cls._active_session.session = session
    cls._default_session = session
    return session


@pytest.fixture(scope="session")
def spark(server):
    session = new_session(server)
    yield session
    session.stop()
