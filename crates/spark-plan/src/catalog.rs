//! The `spark.catalog` API (`Catalog` relations of the protocol): each call
//! is a command whose small result table the client reads.

/// A table, database or function name as `spark.catalog` calls give it: a
/// possibly qualified name, and the database it is looked up in.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogName {
    pub name: String,
    pub database: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CatalogCommand {
    CurrentCatalog,
    SetCurrentCatalog(String),
    ListCatalogs { pattern: Option<String> },
    CurrentDatabase,
    SetCurrentDatabase(String),
    ListDatabases { pattern: Option<String> },
    GetDatabase(String),
    DatabaseExists(String),
    ListTables { database: Option<String>, pattern: Option<String> },
    GetTable(CatalogName),
    TableExists(CatalogName),
    ListColumns(CatalogName),
    ListFunctions { database: Option<String>, pattern: Option<String> },
    GetFunction(CatalogName),
    FunctionExists(CatalogName),
    DropTempView(String),
    DropGlobalTempView(String),
    IsCached(String),
    CacheTable(String),
    UncacheTable(String),
    ClearCache,
    RefreshTable(String),
    RefreshByPath(String),
    RecoverPartitions(String),
    /// `spark.catalog.dropView` / `dropTable` of a temporary view.
    DropView { name: Vec<String>, if_exists: bool },
    /// `createTable` / `createExternalTable`: answers with the table's rows.
    CreateTable {
        name: String,
        path: Option<String>,
        source: Option<String>,
        description: Option<String>,
        schema: Option<crate::DataType>,
        options: std::collections::BTreeMap<String, String>,
    },
    /// A call this server does not answer: its name.
    NotSupported(&'static str),
}
