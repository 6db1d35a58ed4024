//! DDL and DML on persistent tables: `CREATE DATABASE`, `CREATE TABLE`
//! (and CTAS), `INSERT`, as the SQL parser and the writer API give them.

use std::collections::BTreeMap;

use crate::{Expr, Relation, StructField};

/// `CREATE {DATABASE | SCHEMA} [IF NOT EXISTS] name [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (...)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateDatabase {
    pub name: Vec<String>,
    pub if_not_exists: bool,
    pub comment: Option<String>,
    pub location: Option<String>,
    pub properties: BTreeMap<String, String>,
}

/// `CREATE [OR REPLACE] [EXTERNAL] TABLE [IF NOT EXISTS] name [(columns)]
/// USING format [OPTIONS (...)] [PARTITIONED BY (...)] [LOCATION path]
/// [COMMENT c] [TBLPROPERTIES (...)] [AS query]`, and `REPLACE TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    pub name: Vec<String>,
    pub if_not_exists: bool,
    pub replace: bool,
    pub columns: Vec<StructField>,
    pub provider: Option<String>,
    /// Partition column names; a `PARTITIONED BY (c type)` column is also in `columns`.
    pub partition_by: Vec<String>,
    pub location: Option<String>,
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
    pub properties: BTreeMap<String, String>,
    /// `AS query` (CTAS).
    pub query: Option<Box<Relation>>,
    /// `CREATE TABLE t LIKE source`.
    pub like: Option<Vec<String>>,
}

/// `INSERT {INTO | OVERWRITE} [TABLE] t [PARTITION (p [= v], ...)] [(cols) | BY NAME] query`.
#[derive(Debug, Clone, PartialEq)]
pub struct InsertInto {
    pub table: Vec<String>,
    pub query: Box<Relation>,
    pub overwrite: bool,
    /// The PARTITION clause: each column with its static value, if any.
    pub partition: Vec<(String, Option<Expr>)>,
    /// An explicit column list.
    pub columns: Vec<String>,
    pub by_name: bool,
}

/// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT c] AS query`: a persistent view.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePersistentView {
    pub name: Vec<String>,
    pub replace: bool,
    pub if_not_exists: bool,
    pub query: Box<Relation>,
    /// The query's SQL text, kept and resolved again at read time.
    pub sql: String,
    pub comment: Option<String>,
    pub column_names: Vec<String>,
}

/// `ALTER TABLE name <action>`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTableAction {
    RenameTo(Vec<String>),
    AddColumns(Vec<StructField>),
    SetProperties(BTreeMap<String, String>),
    UnsetProperties { keys: Vec<String>, if_exists: bool },
    /// `ADD [IF NOT EXISTS] PARTITION (p = v, ...) [LOCATION ...]`, several at once.
    AddPartitions { partitions: Vec<Vec<(String, Expr)>>, if_not_exists: bool },
    DropPartitions { partitions: Vec<Vec<(String, Expr)>>, if_exists: bool },
    /// `RENAME COLUMN a TO b`: refused by file tables, as in Spark.
    RenameColumn { from: Vec<String>, to: String },
    /// `ALTER COLUMN c COMMENT '...'`.
    CommentColumn { column: Vec<String>, comment: String },
    /// `DROP COLUMN[S] [IF EXISTS] a, b`: refused by file tables, as in
    /// Spark, once the columns are known.
    DropColumns { columns: Vec<Vec<String>>, if_exists: bool },
    /// `COMMENT ON TABLE t IS 'text' | NULL` (NULL leaves an empty comment).
    SetComment(String),
}

/// `ALTER DATABASE d ...` and `COMMENT ON DATABASE d IS ...`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterDatabaseAction {
    SetComment(String),
    SetProperties(BTreeMap<String, String>),
}
