//! Engine errors and how each maps to the exception Spark would raise.

use datafusion::arrow::error::ArrowError;
use datafusion::error::DataFusionError;
use spark_resolver::ResolveError;
use spark_sql_parser::ParseError;
use spark_functions::error::{RuntimeKind, SparkRuntimeError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum EngineError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
    /// An error Spark raises with an error class (e.g. `SQL_CONF_NOT_FOUND`).
    #[error("[{error_class}] {message} SQLSTATE: {sql_state}")]
    Spark {
        kind: ExceptionKind,
        error_class: String,
        sql_state: String,
        message: String,
        params: Vec<(String, String)>,
    },
    #[error("{0}")]
    IllegalArgument(String),
}

pub type EngineResult<T> = Result<T, EngineError>;

impl From<ArrowError> for EngineError {
    fn from(e: ArrowError) -> Self {
        EngineError::DataFusion(DataFusionError::ArrowError(Box::new(e), None))
    }
}

/// The JVM exception families pyspark maps to its own exception classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionKind {
    Parse,
    Analysis,
    Arithmetic,
    NumberFormat,
    IllegalArgument,
    Runtime,
    NoSuchElement,
    DateTime,
    UnsupportedOperation,
    ArrayIndexOutOfBounds,
    InvalidPlanInput,
    /// `SparkClassNotFoundException` (an unknown data source).
    ClassNotFound,
    Spark,
    /// `PythonException`: a Python UDF raised (pyspark shows the traceback).
    Python,
    /// A plain `java.lang.RuntimeException`.
    JavaRuntime,
    /// `SparkUpgradeException`.
    Upgrade,
}

impl ExceptionKind {
    /// The class chain Spark reports in `ErrorInfo.metadata.classes`.
    pub fn classes(self) -> &'static [&'static str] {
        match self {
            ExceptionKind::Parse => &[
                "org.apache.spark.sql.catalyst.parser.ParseException",
                "org.apache.spark.sql.AnalysisException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::Analysis => &[
                "org.apache.spark.sql.catalyst.ExtendedAnalysisException",
                "org.apache.spark.sql.AnalysisException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::Arithmetic => &[
                "org.apache.spark.SparkArithmeticException",
                "java.lang.ArithmeticException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::NumberFormat => &[
                "org.apache.spark.SparkNumberFormatException",
                "java.lang.NumberFormatException",
                "java.lang.IllegalArgumentException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::IllegalArgument => &[
                "java.lang.IllegalArgumentException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::Upgrade => &[
                "org.apache.spark.SparkUpgradeException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::Runtime => &[
                "org.apache.spark.SparkRuntimeException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::NoSuchElement => &[
                "org.apache.spark.SparkNoSuchElementException",
                "java.util.NoSuchElementException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::DateTime => &[
                "org.apache.spark.SparkDateTimeException",
                "java.time.DateTimeException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::UnsupportedOperation => &[
                "org.apache.spark.SparkUnsupportedOperationException",
                "java.lang.UnsupportedOperationException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::ArrayIndexOutOfBounds => &[
                "org.apache.spark.SparkArrayIndexOutOfBoundsException",
                "java.lang.ArrayIndexOutOfBoundsException",
                "java.lang.IndexOutOfBoundsException",
                "java.lang.RuntimeException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::InvalidPlanInput => &[
                "org.apache.spark.sql.connect.common.InvalidPlanInput",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::ClassNotFound => &[
                "org.apache.spark.SparkClassNotFoundException",
                "java.lang.ClassNotFoundException",
                "java.lang.ReflectiveOperationException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
            ExceptionKind::Spark => &["org.apache.spark.SparkException", "java.lang.Exception", "java.lang.Throwable"],
            ExceptionKind::JavaRuntime => &["java.lang.RuntimeException", "java.lang.Exception", "java.lang.Throwable"],
            ExceptionKind::Python => &[
                "org.apache.spark.api.python.PythonException",
                "org.apache.spark.SparkException",
                "java.lang.Exception",
                "java.lang.Throwable",
            ],
        }
    }
}

/// An error as Spark reports it to a client.
#[derive(Debug, Clone)]
pub struct SparkException {
    pub kind: ExceptionKind,
    pub error_class: Option<String>,
    pub sql_state: Option<String>,
    pub message: String,
    pub params: Vec<(String, String)>,
}

impl SparkException {
    fn new(kind: ExceptionKind, error_class: &str, sql_state: &str, message: String) -> Self {
        Self { kind, error_class: Some(error_class.into()), sql_state: Some(sql_state.into()), message, params: vec![] }
    }

    fn plain(kind: ExceptionKind, message: String) -> Self {
        Self { kind, error_class: None, sql_state: None, message, params: vec![] }
    }
}

impl EngineError {
    pub fn spark(kind: ExceptionKind, error_class: &str, sql_state: &str, message: impl Into<String>, params: &[(&str, String)]) -> Self {
        EngineError::Spark {
            kind,
            error_class: error_class.into(),
            sql_state: sql_state.into(),
            message: message.into(),
            params: params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }
    }

    /// Spark's OPERATION_CANCELED: an interrupt, a released session or the
    /// query time limit stopped the operation.
    pub fn operation_cancelled() -> Self {
        EngineError::spark(ExceptionKind::Spark, "OPERATION_CANCELED", "HY008", "Operation has been canceled.", &[])
    }

    /// What Spark would raise for this error.
    pub fn to_spark(&self) -> SparkException {
        match self {
            EngineError::Parse(p) => SparkException {
                kind: ExceptionKind::Parse,
                error_class: Some(p.error_class().into()),
                sql_state: Some(p.sql_state().to_string()).filter(|s| !s.is_empty()),
                message: format!("\n{p}\n"),
                params: p.message_parameters(),
            },
            EngineError::Resolve(r) => resolve_to_spark(r),
            EngineError::DataFusion(e) => datafusion_to_spark(e),
            // Spark's legacy error classes have no SQLSTATE and print bare messages.
            EngineError::Spark { kind, error_class, sql_state, message, params } if sql_state.is_empty() => SparkException {
                kind: *kind,
                error_class: Some(error_class.clone()),
                sql_state: None,
                message: message.clone(),
                params: params.clone(),
            },
            EngineError::Spark { kind, error_class, sql_state, message, params } => SparkException {
                kind: *kind,
                error_class: Some(error_class.clone()),
                sql_state: Some(sql_state.clone()),
                message: format!("[{error_class}] {message} SQLSTATE: {sql_state}"),
                params: params.clone(),
            },
            EngineError::IllegalArgument(m) => SparkException::plain(ExceptionKind::IllegalArgument, m.clone()),
        }
    }
}

fn resolve_to_spark(r: &ResolveError) -> SparkException {
    match r {
        ResolveError::Analysis { error_class, sql_state, message, params } => SparkException {
            kind: ExceptionKind::Analysis,
            error_class: Some(error_class.clone()),
            // Spark's legacy error classes carry no SQLSTATE and print bare messages.
            sql_state: Some(sql_state.clone()).filter(|s| !s.is_empty()),
            message: if sql_state.is_empty() { message.clone() } else { r.to_string() },
            params: params.clone(),
        },
        ResolveError::IllegalArgument(m) => SparkException::plain(ExceptionKind::IllegalArgument, m.clone()),
        ResolveError::InvalidPlan(m) => SparkException::plain(ExceptionKind::InvalidPlanInput, m.clone()),
        ResolveError::Unsupported(_) => {
            SparkException::new(ExceptionKind::UnsupportedOperation, "UNSUPPORTED_FEATURE", "0A000", r.to_string())
        }
        ResolveError::DataFusion(e) => datafusion_to_spark(e),
        ResolveError::Cancelled => operation_cancelled(),
    }
}

/// DataFusion and Arrow errors that correspond to Spark runtime errors.
fn datafusion_to_spark(e: &DataFusionError) -> SparkException {
    if let Some(r) = SparkRuntimeError::find(e) {
        return SparkException {
            kind: match r.kind {
                RuntimeKind::Arithmetic => ExceptionKind::Arithmetic,
                RuntimeKind::NumberFormat => ExceptionKind::NumberFormat,
                RuntimeKind::DateTime => ExceptionKind::DateTime,
                RuntimeKind::ArrayIndexOutOfBounds => ExceptionKind::ArrayIndexOutOfBounds,
                RuntimeKind::IllegalArgument => ExceptionKind::IllegalArgument,
                RuntimeKind::UnsupportedOperation => ExceptionKind::UnsupportedOperation,
                RuntimeKind::NoSuchElement => ExceptionKind::NoSuchElement,
                RuntimeKind::Runtime => ExceptionKind::Runtime,
                RuntimeKind::Upgrade => ExceptionKind::Upgrade,
                RuntimeKind::Spark => ExceptionKind::Spark,
                RuntimeKind::Python => ExceptionKind::Python,
                RuntimeKind::Java => ExceptionKind::JavaRuntime,
            },
            error_class: Some(r.error_class.clone()).filter(|c| !c.is_empty()),
            sql_state: Some(r.sql_state.clone()).filter(|s| !s.is_empty()),
            message: if r.error_class.is_empty() { r.message.clone() } else { r.to_string() },
            params: r.params.clone(),
        };
    }
    // DataFusion's and Arrow's own errors, by variant.
    let root = e.find_root();
    if let DataFusionError::ArrowError(a, _) = root {
        match a.as_ref() {
            ArrowError::DivideByZero => return divide_by_zero(),
            ArrowError::ArithmeticOverflow(m) => return overflow(m),
            ArrowError::CastError(m) | ArrowError::ParseError(m) => return cast_error(m),
            _ => {}
        }
    }
    let msg = root.to_string();
    match root {
        DataFusionError::Plan(_) | DataFusionError::SchemaError(_, _) => {
            SparkException::new(ExceptionKind::Analysis, "INTERNAL_ERROR", "XX000", format!("[INTERNAL_ERROR] {msg} SQLSTATE: XX000"))
        }
        // Execution memory is exhausted and the operator cannot spill.
        DataFusionError::ResourcesExhausted(_) => SparkException {
            kind: ExceptionKind::Spark,
            error_class: Some("UNABLE_TO_ACQUIRE_MEMORY".into()),
            sql_state: Some("53200".into()),
            message: format!("[UNABLE_TO_ACQUIRE_MEMORY] Unable to acquire memory for the query: {msg} SQLSTATE: 53200"),
            params: vec![],
        },
        DataFusionError::NotImplemented(_) => {
            SparkException::new(ExceptionKind::UnsupportedOperation, "UNSUPPORTED_FEATURE", "0A000", format!("[UNSUPPORTED_FEATURE] The feature is not supported: {msg} SQLSTATE: 0A000"))
        }
        _ => SparkException::plain(ExceptionKind::Spark, msg),
    }
}

/// Spark's OPERATION_CANCELED, for work stopped by an interrupt.
fn operation_cancelled() -> SparkException {
    EngineError::operation_cancelled().to_spark()
}

fn divide_by_zero() -> SparkException {
    let e = spark_functions::error::divide_by_zero_error();
    SparkException { kind: ExceptionKind::Arithmetic, error_class: Some(e.error_class.clone()), sql_state: Some(e.sql_state.clone()), message: e.to_string(), params: e.params }
}

fn overflow(m: &str) -> SparkException {
    SparkException::new(
        ExceptionKind::Arithmetic,
        "ARITHMETIC_OVERFLOW",
        "22003",
        format!("[ARITHMETIC_OVERFLOW] {m}. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22003"),
    )
}

fn cast_error(m: &str) -> SparkException {
    SparkException::new(
        ExceptionKind::NumberFormat,
        "CAST_INVALID_INPUT",
        "22018",
        format!("[CAST_INVALID_INPUT] {m}. Use `try_cast` to tolerate malformed input and return NULL instead. SQLSTATE: 22018"),
    )
}


