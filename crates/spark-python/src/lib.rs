//! Python UDFs, run out of the server's process: a pool of Python worker
//! processes forked by `pyspark.daemon` and driven with Spark's own worker
//! protocol (`pyspark.worker`), so that results match Apache Spark's and a
//! UDF that crashes, hangs or exhausts its memory fails only its own query.
//!
//! A request's path: the resolver makes a [`scalar::PythonScalarUdf`] (or a
//! map-partitions plan) with the session's [`pool::PythonContext`]; when a
//! batch reaches it, [`task::run_task`] leases a worker from the
//! [`pool::WorkerPool`] (forked by the [`daemon`]), writes the task header
//! and the rows, and reads the worker's reply.

pub mod analyze;
pub mod daemon;
pub mod error;
pub mod eval_type;
pub mod from_python;
pub mod grouping;
pub mod relation;
pub mod pickle_opcodes;
pub mod pickle_rows;
pub mod pool;
pub mod scalar;
pub mod settings;
pub mod table_function;
pub mod task;
pub mod unpickle;
pub mod wire;

pub use error::{PythonError, PythonResult};
pub use eval_type::EvalType;
pub use pool::{PythonContext, WorkerPool};
pub use settings::WorkerSettings;
