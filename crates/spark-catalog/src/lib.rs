//! The persistent catalog of `spark_catalog`: databases (namespaces) and
//! their tables and views, behind the [`Catalog`] trait, so that another
//! store (a Hive Metastore, an Iceberg REST catalog) can stand in for the
//! default one without touching the resolver or the engine.
//!
//! The default store, [`SqliteCatalog`], keeps the metadata in an embedded
//! SQLite database inside the warehouse directory: every change is one
//! transaction, so a `kill -9` at any moment leaves the catalog as it was
//! before or after the change, never in between.

mod error;
mod metadata;
mod sqlite;

pub use error::{CatalogError, CatalogResult};
pub use metadata::{BucketSpec, DatabaseMeta, TableKind, TableMeta};
pub use sqlite::SqliteCatalog;

/// The database every catalog starts with.
pub const DEFAULT_DATABASE: &str = "default";

/// Databases and tables. Names are compared case-insensitively (Spark's
/// session catalog lower-cases them); every method is one atomic change.
pub trait Catalog: Send + Sync + std::fmt::Debug {
    fn create_database(&self, database: &DatabaseMeta) -> CatalogResult<()>;
    fn get_database(&self, name: &str) -> CatalogResult<Option<DatabaseMeta>>;
    fn list_databases(&self) -> CatalogResult<Vec<DatabaseMeta>>;
    /// Replaces a database's metadata (same name).
    fn alter_database(&self, database: &DatabaseMeta) -> CatalogResult<()>;
    /// Drops a database; with `cascade`, its tables too (their metadata:
    /// the caller removes managed data).
    fn drop_database(&self, name: &str, cascade: bool) -> CatalogResult<()>;

    fn create_table(&self, table: &TableMeta) -> CatalogResult<()>;
    fn get_table(&self, database: &str, name: &str) -> CatalogResult<Option<TableMeta>>;
    fn list_tables(&self, database: &str) -> CatalogResult<Vec<TableMeta>>;
    /// Replaces a table's metadata (same database and name).
    fn alter_table(&self, table: &TableMeta) -> CatalogResult<()>;
    fn drop_table(&self, database: &str, name: &str) -> CatalogResult<()>;
    fn rename_table(&self, database: &str, from: &str, to: &TableMeta) -> CatalogResult<()>;

    /// Persistent SQL functions, kept as the text of their CREATE FUNCTION
    /// statement (read again when called); `put` replaces.
    fn put_function(&self, database: &str, name: &str, sql: &str) -> CatalogResult<()>;
    fn get_function(&self, database: &str, name: &str) -> CatalogResult<Option<String>>;
    fn list_functions(&self, database: &str) -> CatalogResult<Vec<String>>;
    /// Whether there was such a function.
    fn drop_function(&self, database: &str, name: &str) -> CatalogResult<bool>;
}
