//! A UDTF's `analyze` static method, for UDTFs registered without a return
//! type: `python -m pyspark.sql.worker.analyze_udtf` is started for the
//! call, connects back to a one-off socket of ours, receives the arguments
//! (types, constant values, which one is a table) and answers the result
//! schema, the pickled `AnalyzeResult` (later handed to `__init__`) and the
//! partitioning, ordering and column selection it requests for its table
//! argument — as Spark's `UserDefinedPythonTableFunctionAnalyzeRunner`
//! drives it.

use std::io::{BufReader, BufWriter, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{PythonError, PythonResult};
use crate::pool::PythonContext;
use crate::wire::{read_exact_vec, read_int, read_utf8, special, write_bool, write_bytes, write_int, write_utf8};

/// How long the analyzer may take to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// One argument as `analyze` sees it.
#[derive(Debug, Clone)]
pub struct AnalyzeArgument {
    /// Its Spark type as JSON.
    pub data_type_json: String,
    /// Its value pickled, when it is a constant.
    pub constant: Option<Vec<u8>>,
    pub is_table: bool,
    pub name: Option<String>,
}

/// A requested ordering column: name, ascending, NULLs first (when set).
pub type OrderColumn = (String, bool, Option<bool>);

#[derive(Debug, Clone)]
pub struct AnalyzeResult {
    /// The rows' struct type as Spark JSON.
    pub schema_json: String,
    /// The pickled `AnalyzeResult`, handed to the UDTF's `__init__`.
    pub pickled: Arc<Vec<u8>>,
    pub with_single_partition: bool,
    pub partition_by: Vec<String>,
    pub order_by: Vec<OrderColumn>,
    /// Selected table columns: name and alias.
    pub select: Vec<(String, String)>,
}

/// Runs the UDTF's `analyze` for these arguments.
pub fn analyze(ctx: &PythonContext, python_ver: &str, name: &str, command: &[u8], args: &[AnalyzeArgument]) -> PythonResult<AnalyzeResult> {
    crate::scalar::blocking(|| run(ctx, python_ver, name, command, args))
}

fn run(ctx: &PythonContext, python_ver: &str, name: &str, command: &[u8], args: &[AnalyzeArgument]) -> PythonResult<AnalyzeResult> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(PythonError::io)?;
    let port = listener.local_addr().map_err(PythonError::io)?.port();
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let python = &ctx.pool.settings().python;
    let mut child = Command::new(python)
        .args(["-m", "pyspark.sql.worker.analyze_udtf"])
        .env("PYTHON_WORKER_FACTORY_PORT", port.to_string())
        .env("PYTHON_WORKER_FACTORY_SECRET", &secret)
        .env("SPARK_SIMPLIFIED_TRACEBACK", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| PythonError::Unavailable(format!("Cannot start `{python} -m pyspark.sql.worker.analyze_udtf`: {e}. Set python.executable in the server's configuration.")))?;
    let result = (|| {
        listener.set_nonblocking(true).map_err(PythonError::io)?;
        let started = Instant::now();
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if ctx.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                        return Err(PythonError::Cancelled);
                    }
                    if started.elapsed() > CONNECT_TIMEOUT || matches!(child.try_wait(), Ok(Some(_))) {
                        return Err(PythonError::Unavailable(format!("The UDTF analyzer (`{python} -m pyspark.sql.worker.analyze_udtf`) did not start")));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(PythonError::io(e)),
            }
        };
        stream.set_nonblocking(false).map_err(PythonError::io)?;
        stream.set_read_timeout(Some(Duration::from_secs(600))).map_err(PythonError::io)?;
        let mut r = BufReader::new(stream.try_clone().map_err(PythonError::io)?);
        let mut w = BufWriter::new(stream);
        // The analyzer authenticates to us, then says its pid.
        if read_utf8(&mut r).map_err(PythonError::io)? != secret {
            return Err(PythonError::Protocol("the UDTF analyzer sent a wrong secret".into()));
        }
        write_utf8(&mut w, "ok").map_err(PythonError::io)?;
        w.flush().map_err(PythonError::io)?;
        read_int(&mut r).map_err(PythonError::io)?;
        write_request(&mut w, ctx, python_ver, name, command, args).map_err(PythonError::io)?;
        read_result(&mut r)
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn write_request(w: &mut impl Write, ctx: &PythonContext, python_ver: &str, name: &str, command: &[u8], args: &[AnalyzeArgument]) -> std::io::Result<()> {
    write_utf8(w, python_ver)?;
    crate::task::write_files_and_broadcasts(w, ctx)?;
    crate::task::write_confs(w, &ctx.runner_conf)?;
    write_utf8(w, name)?;
    write_bytes(w, command)?;
    write_int(w, args.len() as i32)?;
    for a in args {
        write_utf8(w, &a.data_type_json)?;
        write_bool(w, a.constant.is_some())?;
        if let Some(value) = &a.constant {
            write_bytes(w, value)?;
        }
        write_bool(w, a.is_table)?;
        write_bool(w, a.name.is_some())?;
        if let Some(n) = &a.name {
            write_utf8(w, n)?;
        }
    }
    // The end up front: the analyzer flushes its answer only once it has
    // read it.
    write_int(w, special::END_OF_STREAM)?;
    w.flush()
}

fn read_result(r: &mut impl std::io::Read) -> PythonResult<AnalyzeResult> {
    let io = PythonError::io;
    let first = read_int(r).map_err(io)?;
    if first == special::PYTHON_EXCEPTION_THROWN {
        return Err(PythonError::Exception(read_utf8(r).map_err(io)?));
    }
    let schema_json = String::from_utf8_lossy(&read_exact_vec(r, first).map_err(io)?).into_owned();
    let len = read_int(r).map_err(io)?;
    let pickled = Arc::new(read_exact_vec(r, len).map_err(io)?);
    let with_single_partition = read_int(r).map_err(io)? == 1;
    let mut partition_by = vec![];
    for _ in 0..read_int(r).map_err(io)?.max(0) {
        partition_by.push(read_utf8(r).map_err(io)?);
    }
    let mut order_by = vec![];
    for _ in 0..read_int(r).map_err(io)?.max(0) {
        let column = read_utf8(r).map_err(io)?;
        let ascending = read_int(r).map_err(io)? == 1;
        let nulls_first = match read_int(r).map_err(io)? {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        };
        order_by.push((column, ascending, nulls_first));
    }
    let mut select = vec![];
    for _ in 0..read_int(r).map_err(io)?.max(0) {
        let column = read_utf8(r).map_err(io)?;
        let alias = read_utf8(r).map_err(io)?;
        select.push((column, alias));
    }
    Ok(AnalyzeResult { schema_json, pickled, with_single_partition, partition_by, order_by, select })
}
