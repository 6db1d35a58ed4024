"""Starting, measuring and stopping the two servers every benchmark compares:
this server's binary and Apache Spark's JVM Spark Connect server (from a
`pip install pyspark==4.3.0` SPARK_HOME), each on a free loopback port."""

import os
import platform
import socket
import subprocess
import time
from pathlib import Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout):
    """Seconds until the port accepts connections."""
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


class PeakRss:
    """Samples a server's resident memory in the background; `.peak` in MiB."""

    def __init__(self, pid, every=0.1):
        import threading

        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            self._stop.wait(self.every)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def start_ours(binary, extra_env=None):
    """Returns (process, port, start-up seconds)."""
    port = free_port()
    env = dict(os.environ, RUST_LOG="warn", **(extra_env or {}))
    proc = subprocess.Popen([binary, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    return proc, port, wait_port(port, proc, 30)


def start_sail(sail):
    """Sail's Spark Connect server (`pip install pysail==0.7.2`): (process, port, start-up seconds)."""
    port = free_port()
    proc = subprocess.Popen([sail, "spark", "server", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    return proc, port, wait_port(port, proc, 60)


def start_spark(spark_home, workdir, driver_memory="8g"):
    """Returns (process, port, start-up seconds) of the JVM server, local[2]."""
    port = free_port()
    cmd = [
        f"{spark_home}/bin/spark-submit", "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--master", "local[2]",
        "--driver-memory", driver_memory,
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
    return proc, port, wait_port(port, proc, 180)


def stop(proc):
    try:
        os.killpg(proc.pid, 15)
    except OSError:
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def session(port):
    from pyspark.sql import SparkSession

    return SparkSession.builder.remote(f"sc://127.0.0.1:{port}").create()


def machine():
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(report, name, block):
    """Replaces the `<!-- name:begin -->` ... `<!-- name:end -->` block of the
    report (appending it when absent)."""
    report = Path(report)
    text = report.read_text() if report.exists() else "# Benchmarks\n"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    report.write_text(text)


def measure_both(ours_binary, spark_home, run, workdir):
    """Runs `run(port)` against our server, then (with `spark_home`) against
    the JVM server; returns the results and peak RSS (MiB) of each, keyed
    "ours" and "spark"."""
    results, peaks = {}, {}
    servers = [("ours", "spark-connect-server", lambda: start_ours(ours_binary))]
    if spark_home:
        servers.append(("spark", "Apache Spark (JVM)", lambda: start_spark(spark_home, workdir)))
    for key, title, start in servers:
        print(title)
        proc, port, _ = start()
        rss = PeakRss(proc.pid)
        results[key] = run(port)
        peaks[key] = rss.stop()
        stop(proc)
    return results, peaks


def comparison_table(results, peaks, header, label, same):
    """The side-by-side Markdown table of per-item times: `header` names the
    item columns, `label(key)` gives an item's cells and `same(a, b)` whether
    two answers agree. Returns the table and the peak-memory sentence."""
    pad = [""] * (len(header) - 1)
    lines = ["| " + " | ".join(header + ["spark-connect-server (s)", "Apache Spark 4.3.0 JVM (s)", "speed-up", "same answer"]) + " |",
             "|" + "---|" * (len(header) + 4)]
    ours_total = spark_total = 0.0
    for key, (t, answer) in results["ours"].items():
        ours_total += t
        cells = label(key) + [f"{t:.3f}"]
        if "spark" in results:
            st, sa = results["spark"][key]
            spark_total += st
            cells += [f"{st:.3f}", f"{st / t:.1f}x", "yes" if same(answer, sa) else "NO"]
        else:
            cells += ["", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
    if "spark" in results:
        total = ["**total**"] + pad + [f"**{ours_total:.2f}**", f"**{spark_total:.2f}**", f"**{spark_total / ours_total:.1f}x**", ""]
        lines.append("| " + " | ".join(total) + " |")
    memory = ", ".join(f"{'spark-connect-server' if k == 'ours' else 'Apache Spark (JVM)'} {v:.0f} MiB" for k, v in peaks.items())
    return "\n".join(lines), memory
