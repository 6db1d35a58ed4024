use datafusion::error::DataFusionError;
use thiserror::Error;

/// Errors from resolving a plan. Each carries what Spark reports: the
/// exception kind, the error class, the SQLSTATE and message parameters.
#[derive(Debug, Error)]
pub enum ResolveError {
    /// Spark's `AnalysisException`.
    #[error("[{error_class}] {message} SQLSTATE: {sql_state}")]
    Analysis {
        error_class: String,
        sql_state: String,
        message: String,
        params: Vec<(String, String)>,
    },
    /// Spark's `IllegalArgumentException` (no error class).
    #[error("{0}")]
    IllegalArgument(String),
    /// A plan the client should never have sent (Spark's `InvalidPlanInput`).
    #[error("{0}")]
    InvalidPlan(String),
    /// A feature this server does not support yet.
    #[error("[UNSUPPORTED_FEATURE] The feature is not supported: {0}. SQLSTATE: 0A000")]
    Unsupported(String),
    #[error(transparent)]
    DataFusion(DataFusionError),
    /// The operation was cancelled while resolving (see `cancel`).
    #[error("the operation was cancelled")]
    Cancelled,
}

pub type ResolveResult<T> = Result<T, ResolveError>;

/// DataFusion's error, or the resolver's own carried through a DataFusion
/// callback (a tree rewrite) as an external error.
impl From<DataFusionError> for ResolveError {
    fn from(e: DataFusionError) -> Self {
        match e {
            DataFusionError::External(inner) => match inner.downcast::<ResolveError>() {
                Ok(own) => *own,
                Err(other) => ResolveError::DataFusion(DataFusionError::External(other)),
            },
            other => ResolveError::DataFusion(other),
        }
    }
}

impl ResolveError {
    pub fn analysis(
        error_class: &str,
        sql_state: &str,
        message: impl Into<String>,
        params: &[(&str, String)],
    ) -> Self {
        ResolveError::Analysis {
            error_class: error_class.into(),
            sql_state: sql_state.into(),
            message: message.into(),
            params: params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }
    }

    /// Spark's `DATATYPE_MISMATCH.INVALID_ORDERING_TYPE`: `function` (`=`,
    /// `sortorder`, ...) over `data_type` (its SQL name), which has no order.
    pub fn invalid_ordering_type(sql_expr: &str, function: &str, data_type: &str) -> Self {
        Self::analysis(
            "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
            "42K09",
            format!("Cannot resolve \"{sql_expr}\" due to data type mismatch: The `{function}` does not support ordering on type \"{data_type}\"."),
            &[("sqlExpr", format!("\"{sql_expr}\"")), ("functionName", format!("`{function}`")), ("dataType", format!("\"{data_type}\""))],
        )
    }

    /// Spark's `DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES` for operands of the
    /// SQL types `left` and `right` (quoted, `"INT"`).
    pub fn binary_op_diff_types(sql_expr: &str, left: &str, right: &str) -> Self {
        Self::analysis(
            "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
            "42K09",
            format!("Cannot resolve \"{sql_expr}\" due to data type mismatch: the left and right operands of the binary operator have incompatible types ({left} and {right})."),
            &[("left", left.to_string()), ("right", right.to_string()), ("sqlExpr", format!("\"{sql_expr}\""))],
        )
    }

    pub fn unsupported(what: impl Into<String>) -> Self {
        ResolveError::Unsupported(what.into())
    }

    pub fn invalid(what: impl Into<String>) -> Self {
        ResolveError::InvalidPlan(what.into())
    }

    /// Whether this is a column (by name or by DataFrame reference) that
    /// did not resolve against its input.
    pub fn is_unresolved_column(&self) -> bool {
        matches!(self, Self::Analysis { error_class, .. }
            if error_class.starts_with("UNRESOLVED_COLUMN") || error_class == "CANNOT_RESOLVE_DATAFRAME_COLUMN")
    }

    /// `name` and each candidate are name parts, quoted one by one as Spark
    /// does (`` `t`.`a` ``; a backticked `a.b` is one part).
    pub fn unresolved_column(name: &[String], candidates: &[Vec<String>]) -> Self {
        let quoted = quote_parts(name);
        if candidates.is_empty() {
            return Self::analysis(
                "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
                "42703",
                format!("A column, variable, or function parameter with name {quoted} cannot be resolved."),
                &[("objectName", quoted.clone())],
            );
        }
        let suggestion = candidates.iter().map(|c| quote_parts(c)).collect::<Vec<_>>().join(", ");
        Self::analysis(
            "UNRESOLVED_COLUMN.WITH_SUGGESTION",
            "42703",
            format!(
                "A column, variable, or function parameter with name {quoted} cannot be resolved. Did you mean one of the following? [{suggestion}]."
            ),
            &[("objectName", quoted), ("proposal", suggestion)],
        )
    }

    /// `df["c"]` where `df` was joined with a DataFrame derived from it.
    pub fn ambiguous_dataframe_column(name: &str) -> Self {
        let quoted = format!("\"{name}\"");
        Self::analysis(
            "AMBIGUOUS_COLUMN_REFERENCE",
            "42702",
            format!(
                "Column {quoted} is ambiguous. It's because you joined several DataFrame together, and some of these DataFrames are the same.\nThis column points to one of the DataFrames but Spark is unable to figure out which one.\nPlease alias the DataFrames with different names via `DataFrame.alias` before joining them,\nand specify the column using qualified name, e.g. `df.alias(\"a\").join(df.alias(\"b\"), col(\"a.id\") > col(\"b.id\"))`."
            ),
            &[("name", quoted)],
        )
    }

    pub fn ambiguous(name: &str, candidates: &[String]) -> Self {
        let quoted = quote_name(name);
        let refs = candidates.join(", ");
        Self::analysis(
            "AMBIGUOUS_REFERENCE",
            "42704",
            format!("Reference {quoted} is ambiguous, could be: [{refs}]."),
            &[("name", quoted), ("referenceNames", format!("[{refs}]"))],
        )
    }

    /// `name` is the table's name parts (a backticked `a.b` is one part).
    pub fn table_not_found(name: &[String]) -> Self {
        let quoted = quote_parts(name);
        Self::analysis(
            "TABLE_OR_VIEW_NOT_FOUND",
            "42P01",
            format!("The table or view {quoted} cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS."),
            &[("relationName", quoted)],
        )
    }

    pub fn unresolved_routine(name: &str) -> Self {
        Self::unresolved_routine_parts(&[name.to_string()])
    }

    /// `UNRESOLVED_ROUTINE` of a qualified name (`spark_catalog`.`default`.`f`).
    pub fn unresolved_routine_parts(name: &[String]) -> Self {
        let quoted = quote_parts(name);
        Self::analysis(
            "UNRESOLVED_ROUTINE",
            "42883",
            format!("Cannot resolve routine {quoted} on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."),
            &[("routineName", quoted), ("searchPath", "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]".into())],
        )
    }
}

pub(crate) fn quote_parts(parts: &[String]) -> String {
    parts.iter().map(|p| quote_part(p)).collect::<Vec<_>>().join(".")
}

fn quote_part(p: &str) -> String {
    format!("`{}`", p.replace('`', "``"))
}

/// Spark quotes each part of a multi-part name: `` `a`.`b` ``.
pub fn quote_name(name: &str) -> String {
    quote_part(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_quoted_part_by_part() {
        let message = |e: ResolveError| match e {
            ResolveError::Analysis { message, .. } => message,
            other => other.to_string(),
        };
        let m = message(ResolveError::table_not_found(&["db".to_string(), "t".to_string()]));
        assert!(m.starts_with("The table or view `db`.`t` cannot be found."), "{m}");
        // A backticked `a.b` is one part.
        let m = message(ResolveError::table_not_found(&["a.b".to_string()]));
        assert!(m.starts_with("The table or view `a.b` cannot be found."), "{m}");
    }

    #[test]
    fn unresolved_columns_quote_each_part() {
        let s = |v: &[&str]| v.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let e = ResolveError::unresolved_column(&s(&["_metadata", "file_name"]), &[s(&["pv", "n"]), s(&["a.b"])]);
        let ResolveError::Analysis { message, .. } = e else { panic!("an analysis error") };
        assert!(message.contains("with name `_metadata`.`file_name` cannot"), "{message}");
        assert!(message.ends_with("[`pv`.`n`, `a.b`]."), "{message}");
    }
}
