//! The worker factory: one `python -m pyspark.daemon` process, as Spark's
//! `PythonWorkerFactory` starts it. The daemon imports pyspark once and
//! forks a worker for every connection; a worker authenticates with the
//! factory's secret and then serves tasks on its socket until told to stop.
//!
//! The daemon leads its own process group, so stopping it stops every
//! worker it forked.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::{PythonError, PythonResult};
use crate::settings::WorkerSettings;
use crate::wire::{read_int, read_utf8, write_utf8};

/// The pyspark release whose worker protocol this server speaks.
pub const SUPPORTED_PYSPARK: &str = "4.2";

/// How many lines of the daemon's stderr are kept for error messages.
const STDERR_LINES: usize = 40;

pub(crate) struct Daemon {
    child: Child,
    port: u16,
    secret: String,
    stderr: Arc<Mutex<VecDeque<String>>>,
}

/// A forked worker, connected and authenticated.
pub struct Worker {
    pub(crate) pid: i32,
    pub(crate) stream: TcpStream,
}

impl Worker {
    /// Ends the worker at once (an interrupt, a crash of its task, or a
    /// worker that cannot be reused).
    pub fn kill(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        if self.pid > 0 {
            // SAFETY: kill(2) with a pid the daemon reported for its own child.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
    }
}

/// Checks that `python` can run pyspark's worker, with a message saying
/// what to install when it cannot.
fn check_python(settings: &WorkerSettings) -> PythonResult<()> {
    let probe = "import sys\ntry:\n    import pyspark\n    print(pyspark.__version__)\nexcept Exception as e:\n    print('missing', e)\n";
    let out = Command::new(&settings.python)
        .args(["-c", probe])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| PythonError::Unavailable(format!("Cannot start the Python that runs UDF workers (`{}`): {e}. Set python.executable in the server's configuration, or PYSPARK_PYTHON.", settings.python)))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if text.starts_with("missing") || !out.status.success() {
        return Err(PythonError::Unavailable(format!(
            "The Python that runs UDF workers (`{}`) cannot import pyspark ({}). Install pyspark-client=={SUPPORTED_PYSPARK}.* (with pandas and pyarrow for pandas and Arrow UDFs) into it, or point python.executable at a Python that has it.",
            settings.python,
            text.trim_start_matches("missing ").trim()
        )));
    }
    let major_minor: String = text.split('.').take(2).collect::<Vec<_>>().join(".");
    if major_minor != SUPPORTED_PYSPARK {
        return Err(PythonError::Unavailable(format!(
            "The Python that runs UDF workers (`{}`) has pyspark {text}; this server speaks the worker protocol of pyspark {SUPPORTED_PYSPARK}. Install pyspark-client=={SUPPORTED_PYSPARK}.* into it, or point python.executable at a Python that has it.",
            settings.python
        )));
    }
    Ok(())
}

impl Daemon {
    pub(crate) fn start(settings: &WorkerSettings) -> PythonResult<Self> {
        check_python(settings)?;
        let secret = uuid::Uuid::new_v4().simple().to_string();
        let mut cmd = Command::new(&settings.python);
        cmd.args(["-m", "pyspark.daemon"])
            .env("PYTHON_WORKER_FACTORY_SECRET", &secret)
            .env("SPARK_REUSE_WORKER", "1")
            .env("SPARK_SIMPLIFIED_TRACEBACK", "1")
            .env("SPARK_BUFFER_SIZE", "65536")
            .env("PYTHONHASHSEED", "0")
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(mb) = settings.memory_limit_mb {
            cmd.env("PYSPARK_EXECUTOR_MEMORY_MB", mb.to_string());
        }
        let nice = settings.nice;
        if nice != 0 {
            use std::os::unix::process::CommandExt;
            // SAFETY: nice(2) is async-signal-safe, as pre_exec requires.
            unsafe {
                cmd.pre_exec(move || {
                    libc::nice(nice);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().map_err(|e| PythonError::Unavailable(format!("Cannot start `{} -m pyspark.daemon`: {e}", settings.python)))?;
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        if let Some(err) = child.stderr.take() {
            let lines = stderr.clone();
            std::thread::Builder::new()
                .name("python-daemon-stderr".into())
                .spawn(move || forward_stderr(err, &lines))
                .map_err(|e| PythonError::Unavailable(e.to_string()))?;
        }
        let port = match child.stdout.as_mut().map(read_int) {
            Some(Ok(p)) => u16::try_from(p).map_err(|_| PythonError::Protocol(format!("the daemon reported port {p}")))?,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                // Give the stderr thread a moment to collect the reason.
                std::thread::sleep(Duration::from_millis(100));
                let why = stderr.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default();
                return Err(PythonError::Unavailable(format!("The Python UDF worker daemon (`{} -m pyspark.daemon`) did not start:\n{why}", settings.python)));
            }
        };
        tracing::info!(python = %settings.python, port, "started the Python worker daemon");
        Ok(Self { child, port, secret, stderr })
    }

    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// A new worker: the daemon forks on connection, the child reports its
    /// pid and checks the secret.
    pub(crate) fn fork(&self) -> PythonResult<Worker> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(|e| PythonError::Unavailable(format!("Cannot reach the Python worker daemon: {e}")))?;
        stream.set_nodelay(true).map_err(PythonError::io)?;
        stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(PythonError::io)?;
        let pid = read_int(&mut stream).map_err(PythonError::io)?;
        write_utf8(&mut stream, &self.secret).map_err(PythonError::io)?;
        let reply = read_utf8(&mut stream).map_err(PythonError::io)?;
        if reply != "ok" {
            return Err(PythonError::Protocol(format!("the worker refused the factory secret ({reply})")));
        }
        stream.set_read_timeout(None).map_err(PythonError::io)?;
        Ok(Worker { pid, stream })
    }

    /// The daemon's last words, for errors.
    pub(crate) fn recent_stderr(&self) -> String {
        self.stderr.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default()
    }
}

fn forward_stderr(err: impl Read, lines: &Mutex<VecDeque<String>>) {
    for line in BufReader::new(err).lines() {
        let Ok(line) = line else { break };
        tracing::debug!(target: "python_worker", "{line}");
        if let Ok(mut l) = lines.lock() {
            if l.len() == STDERR_LINES {
                l.pop_front();
            }
            l.push_back(line);
        }
    }
}

impl Drop for Daemon {
    /// Stops the daemon and every worker in its process group.
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) of the process group the daemon leads.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
