//! Session variables (`DECLARE v INT DEFAULT 5`, `SET VAR v = ...`) and
//! `EXECUTE IMMEDIATE`, whose statement text is only known when it runs.

use crate::{DataType, Expr, Relation};

/// `DECLARE [OR REPLACE] [VARIABLE] name [, ...] [type] [DEFAULT expr]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclareVariable {
    /// As written: `v`, `session.v` or `system.session.v`.
    pub names: Vec<Vec<String>>,
    /// Without a type, the default's type.
    pub data_type: Option<DataType>,
    /// Without a default, NULL.
    pub default: Option<Expr>,
    pub replace: bool,
}

/// What `SET VAR` assigns: one expression per variable, or the one row of
/// a query (`SET VAR (a, b) = (SELECT ...)`).
#[derive(Debug, Clone, PartialEq)]
pub enum VariableValues {
    Exprs(Vec<Expr>),
    Query(Box<Relation>),
}

/// `EXECUTE IMMEDIATE statement [INTO v, ...] [USING arg [AS name], ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecuteImmediate {
    /// A string literal or a variable holding the SQL text.
    pub statement: Expr,
    /// Variables that receive the one row of a query.
    pub into: Vec<Vec<String>>,
    /// Values of the statement's parameter markers: positional, or named
    /// by an alias (`21 AS p` for `:p`).
    pub using: Vec<Expr>,
}
