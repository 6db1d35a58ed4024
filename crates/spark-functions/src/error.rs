//! Runtime errors raised while a query runs, carrying what Spark reports:
//! the exception family, error class, SQLSTATE and message parameters. They
//! travel inside `DataFusionError::External`, and the engine turns them
//! back into Spark exceptions without looking at message text.

use datafusion::error::DataFusionError;

/// The JVM exception family of a runtime error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeKind {
    Arithmetic,
    NumberFormat,
    DateTime,
    ArrayIndexOutOfBounds,
    IllegalArgument,
    UnsupportedOperation,
    NoSuchElement,
    /// `SparkRuntimeException`.
    Runtime,
    /// `SparkUpgradeException`: behaviour that changed with Spark 3.0.
    Upgrade,
    /// `SparkException` (errors of query execution itself).
    Spark,
    /// `PythonException`: a Python UDF raised.
    Python,
    /// A plain `java.lang.RuntimeException` (no Spark error class), as
    /// Spark's Hive-derived functions raise.
    Java,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("[{error_class}] {message} SQLSTATE: {sql_state}")]
pub struct SparkRuntimeError {
    pub kind: RuntimeKind,
    pub error_class: String,
    pub sql_state: String,
    pub message: String,
    pub params: Vec<(String, String)>,
}

impl SparkRuntimeError {
    pub fn new(kind: RuntimeKind, error_class: &str, sql_state: &str, message: impl Into<String>) -> Self {
        Self { kind, error_class: error_class.into(), sql_state: sql_state.into(), message: message.into(), params: vec![] }
    }

    /// A JVM exception without an error class (`require(...)` failures).
    pub fn plain(kind: RuntimeKind, message: impl Into<String>) -> Self {
        Self { kind, error_class: String::new(), sql_state: String::new(), message: message.into(), params: vec![] }
    }

    pub fn param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.push((key.into(), value.into()));
        self
    }

    pub fn into_df(self) -> DataFusionError {
        DataFusionError::External(Box::new(self))
    }

    /// Finds a Spark runtime error inside a DataFusion error, however wrapped.
    pub fn find(e: &DataFusionError) -> Option<&SparkRuntimeError> {
        let mut current: &(dyn std::error::Error + 'static) = e;
        loop {
            if let Some(s) = current.downcast_ref::<SparkRuntimeError>() {
                return Some(s);
            }
            if let Some(DataFusionError::External(inner)) = current.downcast_ref::<DataFusionError>() {
                current = inner.as_ref();
                continue;
            }
            if let Some(DataFusionError::Context(_, inner)) = current.downcast_ref::<DataFusionError>() {
                current = inner.as_ref();
                continue;
            }
            if let Some(DataFusionError::Shared(inner)) = current.downcast_ref::<DataFusionError>() {
                current = inner.as_ref();
                continue;
            }
            if let Some(DataFusionError::ArrowError(a, _)) = current.downcast_ref::<DataFusionError>() {
                if let datafusion::arrow::error::ArrowError::ExternalError(inner) = a.as_ref() {
                    current = inner.as_ref();
                    continue;
                }
            }
            current = current.source()?;
        }
    }
}

/// `DIVIDE_BY_ZERO` (ANSI mode).
pub fn divide_by_zero() -> DataFusionError {
    divide_by_zero_error().into_df()
}

/// `DIVIDE_BY_ZERO`, for where an Arrow kernel reports the division.
pub fn divide_by_zero_error() -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "DIVIDE_BY_ZERO",
        "22012",
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
    .param("config", "\"spark.sql.ansi.enabled\"")
}

/// `REMAINDER_BY_ZERO` (ANSI mode), for `%` and `mod`.
pub fn remainder_by_zero() -> DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "REMAINDER_BY_ZERO",
        "22012",
        "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
    .param("config", "\"spark.sql.ansi.enabled\"")
    .into_df()
}
