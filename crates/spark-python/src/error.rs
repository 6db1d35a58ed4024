//! What can go wrong when a Python worker runs a UDF, and the Spark
//! exception each becomes.

use datafusion::error::DataFusionError;
use spark_functions::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, thiserror::Error)]
pub enum PythonError {
    /// The UDF (or pyspark's worker code around it) raised: the worker sent
    /// its traceback.
    #[error("Python worker raised: {0}")]
    Exception(String),
    /// The worker process ended without finishing its reply (`os._exit`, a
    /// signal, the OOM killer, the memory limit).
    #[error("Python worker exited unexpectedly (crashed)")]
    Crashed,
    /// The worker Python could not be started, or lacks pyspark.
    #[error("{0}")]
    Unavailable(String),
    /// The operation was interrupted; the worker was killed.
    #[error("the operation was cancelled")]
    Cancelled,
    /// The worker sent something that is not Spark's worker protocol.
    #[error("Python worker protocol error: {0}")]
    Protocol(String),
    #[error(transparent)]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    /// An error Spark raises itself while converting results.
    #[error(transparent)]
    Spark(SparkRuntimeError),
}

pub type PythonResult<T> = Result<T, PythonError>;

impl PythonError {
    /// An I/O failure on the worker's socket: the worker is gone.
    pub(crate) fn io(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset => PythonError::Crashed,
            _ => PythonError::Protocol(e.to_string()),
        }
    }

    /// The Spark exception a client receives.
    pub fn to_spark(&self) -> SparkRuntimeError {
        match self {
            PythonError::Exception(traceback) => SparkRuntimeError::new(
                RuntimeKind::Python,
                "PYTHON_EXCEPTION",
                "38000",
                format!("An exception was thrown from the Python worker: {traceback}"),
            )
            .param("msg", traceback.clone()),
            PythonError::Crashed => SparkRuntimeError::plain(
                RuntimeKind::Spark,
                "Python worker exited unexpectedly (crashed). The UDF's process ended (os._exit, a signal, or its memory limit); \
                 other queries and sessions are unaffected.",
            ),
            PythonError::Cancelled => SparkRuntimeError::new(RuntimeKind::Spark, "OPERATION_CANCELED", "HY008", "Operation has been canceled."),
            PythonError::Unavailable(m) => SparkRuntimeError::plain(RuntimeKind::Spark, m.clone()),
            PythonError::Protocol(m) => SparkRuntimeError::plain(RuntimeKind::Spark, format!("Python worker protocol error: {m}")),
            PythonError::Spark(e) => e.clone(),
            PythonError::Arrow(e) => SparkRuntimeError::plain(RuntimeKind::Spark, format!("Python worker returned data that cannot be read: {e}")),
        }
    }

    pub fn into_df(self) -> DataFusionError {
        self.to_spark().into_df()
    }
}
