//! Errors as Spark Connect reports them: gRPC INTERNAL with a
//! `google.rpc.ErrorInfo` naming the JVM exception class chain, error class,
//! SQLSTATE and message parameters, so pyspark raises the matching exception
//! (see `ErrorUtils.buildStatusFromThrowable` in Spark).

use std::collections::HashMap;

use spark_engine::error::ExceptionKind;
use spark_engine::{EngineError, SparkException};
use thiserror::Error;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// gRPC metadata is limited (about 8 KiB in grpc-core) and the message is
/// carried twice, so long messages are cut.
const MAX_MESSAGE_BYTES: usize = 2000;

#[derive(Debug, Error)]
pub enum ServerError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A malformed or unsupported plan (`InvalidPlanInput` in Spark).
    #[error("{0}")]
    InvalidPlan(String),
    /// A Spark error with its own class (session and operation handles, ...).
    #[error("[{error_class}] {message}")]
    Spark { kind: ExceptionKind, error_class: String, sql_state: String, message: String },
    /// A request for something that belongs to another user.
    #[error("{0}")]
    PermissionDenied(String),
}

pub type ServerResult<T> = Result<T, ServerError>;

impl ServerError {
    pub fn invalid_plan(msg: impl Into<String>) -> Self {
        ServerError::InvalidPlan(msg.into())
    }

    pub fn missing(field: &str) -> Self {
        ServerError::InvalidPlan(format!("Invalid plan: the required field '{field}' is missing."))
    }

    pub fn unsupported(what: impl Into<String>) -> Self {
        ServerError::Spark {
            kind: ExceptionKind::UnsupportedOperation,
            error_class: "UNSUPPORTED_FEATURE".into(),
            sql_state: "0A000".into(),
            message: format!("The feature is not supported: {}.", what.into()),
        }
    }

    /// A bug of ours that surfaced as a panic while running an operation:
    /// the operation fails with `INTERNAL_ERROR`, the server goes on.
    pub fn internal(message: impl Into<String>) -> Self {
        ServerError::Spark {
            kind: ExceptionKind::Spark,
            error_class: "INTERNAL_ERROR".into(),
            sql_state: "XX000".into(),
            message: message.into(),
        }
    }

    pub fn handle(error_class: &str, message: impl Into<String>) -> Self {
        ServerError::Spark {
            kind: ExceptionKind::Spark,
            error_class: error_class.into(),
            sql_state: "08003".into(),
            message: message.into(),
        }
    }

    fn exception(&self) -> SparkException {
        match self {
            ServerError::Engine(e) => e.to_spark(),
            ServerError::InvalidPlan(m) => SparkException {
                kind: ExceptionKind::InvalidPlanInput,
                error_class: None,
                sql_state: None,
                message: m.clone(),
                params: vec![],
            },
            ServerError::PermissionDenied(m) => SparkException { kind: ExceptionKind::Spark, error_class: None, sql_state: None, message: m.clone(), params: vec![] },
            ServerError::Spark { kind, error_class, sql_state, message } => SparkException {
                kind: *kind,
                error_class: Some(error_class.clone()),
                sql_state: Some(sql_state.clone()),
                message: format!("[{error_class}] {message} SQLSTATE: {sql_state}"),
                params: vec![],
            },
        }
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= MAX_MESSAGE_BYTES {
        return s.to_string();
    }
    let mut end = MAX_MESSAGE_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Builds the status Spark's JVM server would send for an exception.
pub fn exception_status(e: &SparkException) -> Status {
    let classes = e.kind.classes();
    let mut metadata: HashMap<String, String> = HashMap::new();
    metadata.insert(
        "classes".into(),
        format!("[{}]", classes.iter().map(|c| json_string(c)).collect::<Vec<_>>().join(",")),
    );
    if let Some(ec) = &e.error_class {
        let params = format!(
            "{{{}}}",
            e.params.iter().map(|(k, v)| format!("{}:{}", json_string(k), json_string(v))).collect::<Vec<_>>().join(",")
        );
        if params.len() <= 1024 {
            metadata.insert("errorClass".into(), ec.clone());
            metadata.insert("messageParameters".into(), params);
        }
    }
    if let Some(state) = &e.sql_state {
        metadata.insert("sqlState".into(), state.clone());
    }
    let reason = classes.first().copied().unwrap_or("java.lang.Exception");
    let details = ErrorDetails::with_error_info(reason, "org.apache.spark", metadata);
    Status::with_error_details(Code::Internal, truncate(&e.message), details)
}

impl From<ServerError> for Status {
    fn from(e: ServerError) -> Status {
        match e {
            ServerError::PermissionDenied(m) => Status::permission_denied(m),
            e => exception_status(&e.exception()),
        }
    }
}

/// The error for plans nested beyond `spark_plan::limits`.
pub fn plan_too_deep_error(what: spark_plan::limits::TooDeep) -> ServerError {
    ServerError::Spark {
        kind: ExceptionKind::InvalidPlanInput,
        error_class: "CONNECT_INVALID_PLAN.PLAN_TOO_DEEP".into(),
        sql_state: "54001".into(),
        message: what.message(),
    }
}
