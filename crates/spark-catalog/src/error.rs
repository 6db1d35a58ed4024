use thiserror::Error;

#[derive(Debug, Error)]
pub enum CatalogError {
    /// Spark's SCHEMA_NOT_FOUND.
    #[error("database {0} not found")]
    DatabaseNotFound(String),
    /// Spark's SCHEMA_ALREADY_EXISTS.
    #[error("database {0} already exists")]
    DatabaseExists(String),
    /// Spark's SCHEMA_NOT_EMPTY (a drop without CASCADE).
    #[error("database {0} is not empty")]
    DatabaseNotEmpty(String),
    /// Spark's TABLE_OR_VIEW_NOT_FOUND.
    #[error("table {database}.{name} not found")]
    TableNotFound { database: String, name: String },
    /// Spark's TABLE_OR_VIEW_ALREADY_EXISTS.
    #[error("table {database}.{name} already exists")]
    TableExists { database: String, name: String },
    #[error("catalog store: {0}")]
    Store(String),
}

impl From<rusqlite::Error> for CatalogError {
    fn from(e: rusqlite::Error) -> Self {
        CatalogError::Store(e.to_string())
    }
}

impl From<serde_json::Error> for CatalogError {
    fn from(e: serde_json::Error) -> Self {
        CatalogError::Store(format!("metadata: {e}"))
    }
}

pub type CatalogResult<T> = Result<T, CatalogError>;
