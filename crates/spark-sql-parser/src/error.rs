use thiserror::Error;

/// A syntax error, reported as Spark's `ParseException`.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ParseError {
    /// `PARSE_SYNTAX_ERROR`: Spark reports the offending token.
    #[error("[PARSE_SYNTAX_ERROR] Syntax error at or near {token}. SQLSTATE: 42601")]
    Syntax { token: String, position: usize },
    /// Any other error with a Spark error class.
    #[error("[{error_class}] {message}")]
    Other { error_class: String, sql_state: String, message: String },
}

impl ParseError {
    pub fn other(error_class: &str, sql_state: &str, message: impl Into<String>) -> Self {
        ParseError::Other {
            error_class: error_class.into(),
            sql_state: sql_state.into(),
            message: message.into(),
        }
    }

    pub fn error_class(&self) -> &str {
        match self {
            ParseError::Syntax { .. } => "PARSE_SYNTAX_ERROR",
            ParseError::Other { error_class, .. } => error_class,
        }
    }

    pub fn sql_state(&self) -> &str {
        match self {
            ParseError::Syntax { .. } => "42601",
            ParseError::Other { sql_state, .. } => sql_state,
        }
    }

    /// Spark's `messageParameters` for this error.
    pub fn message_parameters(&self) -> Vec<(String, String)> {
        match self {
            ParseError::Syntax { token, .. } => {
                vec![("error".into(), token.clone()), ("hint".into(), String::new())]
            }
            ParseError::Other { .. } => vec![],
        }
    }
}

pub type ParseResult<T> = Result<T, ParseError>;
