use thiserror::Error;

/// Errors raised while building or inspecting an unresolved plan.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PlanError {
    /// The input was not well formed (bad JSON schema, bad DDL, ...).
    #[error("{0}")]
    Invalid(String),
}

pub type PlanResult<T> = Result<T, PlanError>;

impl PlanError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::Invalid(msg.into())
    }
}
