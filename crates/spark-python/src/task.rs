//! One task on one worker, as Spark's `PythonRunner` drives it (pyspark
//! 4.2's `worker.main`): the header (partition, Python version, task
//! context, files, broadcasts, eval type, runner and eval confs, the UDFs),
//! then the input (Arrow streams, or pickled frames of rows), then the
//! reply: Arrow streams or pickled frames, an
//! exception with its traceback, timing data and accumulators, and at the
//! end whether the worker can serve another task.
//!
//! Input is written on a thread of its own while the reply is read, as
//! the JVM does: a worker may answer before it has read all its input.

use std::io::{BufReader, BufWriter, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;

use crate::error::{PythonError, PythonResult};
use crate::pool::PythonContext;
use crate::wire::{read_exact_vec, read_int, read_long, read_utf8, special, write_bool, write_bytes, write_int, write_long, write_utf8};

/// How often a blocked read checks for an interrupt.
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// One UDF of a task: where its arguments are in the input, and its
/// pickled `(function, return type)` commands (several for chained UDFs).
#[derive(Debug, Clone)]
pub struct UdfCall {
    /// Input column of each argument, with its keyword name if it was
    /// passed by name.
    pub args: Vec<(usize, Option<String>)>,
    pub commands: Vec<Arc<Vec<u8>>>,
}

/// A Python UDTF call: its arguments' input columns (with keyword names),
/// its pickled handler class, its return type as Spark JSON and its name.
#[derive(Debug, Clone)]
pub struct TableFunctionCall {
    pub args: Vec<(usize, Option<String>)>,
    /// Input columns of `PARTITION BY` keys: the worker ends a partition
    /// (`terminate`, a new instance) where they change.
    pub partition_children: Vec<usize>,
    /// The pickled `AnalyzeResult` of the UDTF's `analyze`, for `__init__`.
    pub analyze_result: Option<Arc<Vec<u8>>>,
    pub command: Arc<Vec<u8>>,
    pub return_type_json: String,
    pub name: String,
}

/// The functions of a task: UDFs (`read_udfs`), or one UDTF (`read_udtf`).
#[derive(Debug, Clone)]
pub enum TaskFunctions {
    Udfs(Vec<UdfCall>),
    TableFunction(TableFunctionCall),
}

/// What a task runs.
#[derive(Debug, Clone)]
pub struct TaskSpec {
    pub eval_type: i32,
    /// The client's Python `major.minor`; the worker refuses another.
    pub python_ver: String,
    pub functions: TaskFunctions,
    /// `EvalConf` entries (`input_type`, ...).
    pub eval_conf: Vec<(String, String)>,
    pub partition: usize,
}

/// What a task sends: Arrow batches (one stream), or groups of batches
/// (one stream per group, for the grouped kinds).
pub enum TaskInput<'a> {
    Arrow { schema: SchemaRef, batches: Box<dyn Iterator<Item = PythonResult<RecordBatch>> + Send + 'a> },
    Groups { schema: SchemaRef, groups: Box<dyn Iterator<Item = PythonResult<Vec<RecordBatch>>> + Send + 'a> },
    /// Pairs of groups with equal keys, one from each input (cogroups).
    CoGroups { schemas: [SchemaRef; 2], groups: Box<dyn Iterator<Item = PythonResult<[Vec<RecordBatch>; 2]>> + Send + 'a> },
    /// Pickled frames of rows (the row-at-a-time `udf`).
    Pickled(Vec<Vec<u8>>),
}

impl TaskSpec {
    fn write_header(&self, ctx: &PythonContext, w: &mut impl Write) -> std::io::Result<()> {
        write_int(w, i32::try_from(self.partition).unwrap_or(i32::MAX))?;
        write_utf8(w, &self.python_ver)?;
        let task_context = serde_json::json!({
            "isBarrier": false,
            "stageId": 0,
            "partitionId": self.partition,
            "attemptNumber": 0,
            "taskAttemptId": 0,
            "cpus": 1,
            "resources": {},
            "localProperties": {},
        });
        write_utf8(w, &task_context.to_string())?;
        write_files_and_broadcasts(w, ctx)?;
        write_int(w, self.eval_type)?;
        write_confs(w, &ctx.runner_conf)?;
        write_confs(w, &self.eval_conf)?;
        match &self.functions {
            TaskFunctions::Udfs(udfs) => {
                write_int(w, udfs.len() as i32)?;
                for (i, udf) in udfs.iter().enumerate() {
                    write_args(w, &udf.args)?;
                    write_int(w, udf.commands.len() as i32)?;
                    for command in &udf.commands {
                        write_bytes(w, command)?;
                    }
                    write_long(w, i as i64)?;
                }
            }
            TaskFunctions::TableFunction(f) => {
                write_args(w, &f.args)?;
                write_int(w, f.partition_children.len() as i32)?;
                for c in &f.partition_children {
                    write_int(w, i32::try_from(*c).unwrap_or(i32::MAX))?;
                }
                write_bool(w, f.analyze_result.is_some())?;
                if let Some(pickled) = &f.analyze_result {
                    write_bytes(w, pickled)?;
                }
                write_bytes(w, &f.command)?;
                write_utf8(w, &f.return_type_json)?;
                write_utf8(w, &f.name)?;
            }
        }
        Ok(())
    }
}

/// The session's Python files directory and archives (`setup_spark_files`),
/// then no broadcasts (`setup_broadcasts`).
pub(crate) fn write_files_and_broadcasts(w: &mut impl Write, ctx: &PythonContext) -> std::io::Result<()> {
    write_utf8(w, &ctx.files_dir.to_string_lossy())?;
    write_int(w, ctx.includes.len() as i32)?;
    for include in &ctx.includes {
        write_utf8(w, include)?;
    }
    // No decryption server, no broadcast variables.
    write_bool(w, false)?;
    write_int(w, 0)
}

/// Argument offsets, each with its keyword name if passed by name.
fn write_args(w: &mut impl Write, args: &[(usize, Option<String>)]) -> std::io::Result<()> {
    write_int(w, args.len() as i32)?;
    for (offset, name) in args {
        write_int(w, i32::try_from(*offset).unwrap_or(i32::MAX))?;
        write_bool(w, name.is_some())?;
        if let Some(name) = name {
            write_utf8(w, name)?;
        }
    }
    Ok(())
}

pub(crate) fn write_confs(w: &mut impl Write, confs: &[(String, String)]) -> std::io::Result<()> {
    write_int(w, confs.len() as i32)?;
    for (k, v) in confs {
        write_utf8(w, k)?;
        write_utf8(w, v)?;
    }
    Ok(())
}

/// A socket read that wakes up to check for an interrupt.
struct CancellableRead<'a> {
    stream: &'a TcpStream,
    cancel: &'a AtomicBool,
}

impl Read for CancellableRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                // Not `Interrupted`: `read_exact` would retry that.
                return Err(std::io::Error::other(CancelledMarker));
            }
            match (&*self.stream).read(buf) {
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
                other => return other,
            }
        }
    }
}

#[derive(Debug)]
struct CancelledMarker;
impl std::fmt::Display for CancelledMarker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}
impl std::error::Error for CancelledMarker {}

fn read_error(e: std::io::Error) -> PythonError {
    if e.get_ref().is_some_and(|inner| inner.is::<CancelledMarker>()) {
        return PythonError::Cancelled;
    }
    PythonError::io(e)
}

fn arrow_read_error(e: datafusion::arrow::error::ArrowError) -> PythonError {
    match e {
        datafusion::arrow::error::ArrowError::IoError(_, io) => read_error(io),
        other => PythonError::Arrow(other),
    }
}

/// What a worker sends back, section by section.
pub enum Reply {
    Batch(RecordBatch),
    /// A pickled frame (the row-at-a-time kinds).
    Frame(Vec<u8>),
}

/// Runs one task: `on_reply` receives the worker's batches (or frames) as
/// they arrive. The worker goes back to the pool only after a clean end.
pub fn run_task(ctx: &PythonContext, spec: &TaskSpec, input: TaskInput<'_>, mut on_reply: impl FnMut(Reply) -> PythonResult<()>) -> PythonResult<()> {
    let lease = ctx.pool.acquire(&ctx.session_id, &ctx.cancel)?;
    let worker = lease.worker()?;
    let write_half = worker.stream.try_clone().map_err(PythonError::io)?;
    worker.stream.set_read_timeout(Some(CANCEL_POLL)).map_err(PythonError::io)?;
    let mut header = Vec::with_capacity(4096);
    spec.write_header(ctx, &mut header).map_err(PythonError::io)?;

    let outcome = std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_input(write_half, &header, input));
        let read = read_reply(CancellableRead { stream: &worker.stream, cancel: &ctx.cancel }, &mut on_reply);
        if read.is_err() {
            // The worker will read no more: unblock the writer.
            worker.kill();
        }
        let written = writer.join().unwrap_or_else(|_| Err(PythonError::Protocol("the input writer failed".into())));
        match (read, written) {
            // A failed input (the query below failed) is the task's error;
            // a writer cut off by the worker's end is not.
            (_, Err(e)) if !matches!(e, PythonError::Crashed) => Err(e),
            (Err(e), _) => Err(e),
            (Ok(reusable), _) => Ok(reusable),
        }
    });
    match outcome {
        Ok(true) => {
            if worker.stream.set_read_timeout(None).is_ok() {
                lease.give_back();
            }
            Ok(())
        }
        Ok(false) => Ok(()),
        Err(e) => Err(e),
    }
}

fn write_input(stream: TcpStream, header: &[u8], input: TaskInput<'_>) -> PythonResult<()> {
    let mut w = BufWriter::with_capacity(1 << 16, stream);
    let result = (|| {
        w.write_all(header).map_err(PythonError::io)?;
        match input {
            TaskInput::Arrow { schema, batches } => write_stream(&mut w, &schema, batches)?,
            TaskInput::Groups { schema, groups } => {
                for group in groups {
                    write_int(&mut w, 1).map_err(PythonError::io)?;
                    write_stream(&mut w, &schema, group?.into_iter().map(Ok))?;
                }
                write_int(&mut w, 0).map_err(PythonError::io)?;
            }
            TaskInput::CoGroups { schemas, groups } => {
                for pair in groups {
                    write_int(&mut w, 2).map_err(PythonError::io)?;
                    for (schema, batches) in schemas.iter().zip(pair?) {
                        write_stream(&mut w, schema, batches.into_iter().map(Ok))?;
                    }
                }
                write_int(&mut w, 0).map_err(PythonError::io)?;
            }
            TaskInput::Pickled(frames) => {
                for frame in &frames {
                    write_bytes(&mut w, frame).map_err(PythonError::io)?;
                }
                write_int(&mut w, special::END_OF_DATA_SECTION).map_err(PythonError::io)?;
            }
        }
        write_int(&mut w, special::END_OF_STREAM).map_err(PythonError::io)?;
        w.flush().map_err(PythonError::io)
    })();
    if result.is_err() {
        // The reader must not wait for a reply to input that never came.
        if let Ok(s) = w.into_inner() {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
    result
}

fn write_stream(w: &mut impl Write, schema: &SchemaRef, batches: impl Iterator<Item = PythonResult<RecordBatch>>) -> PythonResult<()> {
    let mut writer = StreamWriter::try_new(w, schema)?;
    for batch in batches {
        writer.write(&batch?)?;
    }
    writer.finish()?;
    Ok(())
}

/// Reads the reply to its end; true when the worker can be reused.
fn read_reply(stream: CancellableRead<'_>, on_reply: &mut impl FnMut(Reply) -> PythonResult<()>) -> PythonResult<bool> {
    let mut r = BufReader::with_capacity(1 << 16, stream);
    loop {
        let marker = read_int(&mut r).map_err(read_error)?;
        match marker {
            special::START_ARROW_STREAM => {
                let reader = StreamReader::try_new(&mut r, None).map_err(arrow_read_error)?;
                for batch in reader {
                    on_reply(Reply::Batch(batch.map_err(arrow_read_error)?))?;
                }
            }
            special::PYTHON_EXCEPTION_THROWN => {
                let traceback = read_utf8(&mut r).map_err(read_error)?;
                return Err(PythonError::Exception(traceback));
            }
            special::TIMING_DATA => {
                // boot, init, finish, processing time, then memory and disk
                // bytes spilled.
                for _ in 0..6 {
                    read_long(&mut r).map_err(read_error)?;
                }
            }
            special::END_OF_DATA_SECTION => {
                let accumulators = read_int(&mut r).map_err(read_error)?;
                for _ in 0..accumulators.max(0) {
                    let len = read_int(&mut r).map_err(read_error)?;
                    read_exact_vec(&mut r, len).map_err(read_error)?;
                }
                return Ok(read_int(&mut r).map_err(read_error)? == special::END_OF_STREAM);
            }
            len if len >= 0 => {
                let frame = read_exact_vec(&mut r, len).map_err(read_error)?;
                on_reply(Reply::Frame(frame))?;
            }
            special::NULL => on_reply(Reply::Frame(vec![]))?,
            other => return Err(PythonError::Protocol(format!("unexpected marker {other}"))),
        }
    }
}
