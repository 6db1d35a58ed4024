//! Session variables and `EXECUTE IMMEDIATE`. A variable's value is
//! computed when it is declared or set (a one-row query, cast to the
//! variable's type) and kept as a scalar the resolver reads.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::ScalarValue;
use futures::TryStreamExt;
use spark_plan::{CastMode, DataType, DeclareVariable, ExecuteImmediate, Expr, Plan, Relation, RelationKind, VariableValues};
use spark_resolver::SessionVariable;
use spark_resolver::variable::unqualified_variable;

use crate::command::empty;
use crate::error::ExceptionKind;
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

const SEARCH_PATH: &str = "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]";

fn cast(e: Expr, to: &DataType) -> Expr {
    Expr::Cast { expr: Box::new(e), to: to.clone(), mode: CastMode::Default, explicit: false }
}

pub(crate) fn one_row(exprs: Vec<Expr>) -> Relation {
    Relation::new(RelationKind::Project { input: Box::new(Relation::new(RelationKind::OneRow)), exprs })
}

/// `system`.`session`.`name`, as Spark's messages print a variable.
fn qualified(name: &str) -> String {
    format!("`system`.`session`.`{name}`")
}

impl SparkSession {
    pub(crate) fn variable(&self, key: &str) -> Option<SessionVariable> {
        self.variables.read().ok()?.get(key).cloned()
    }

    pub(crate) fn store_variables(&self, values: Vec<SessionVariable>) {
        if let Ok(mut variables) = self.variables.write() {
            let mut updated: HashMap<String, SessionVariable> = variables.as_ref().clone();
            for v in values {
                updated.insert(v.name.to_ascii_lowercase(), v);
            }
            *variables = Arc::new(updated);
        }
    }

    /// The values and Spark types of a query's one row: `None` without a
    /// row, an error for more than one.
    pub(crate) fn single_row(&self, rel: &Relation) -> EngineResult<Option<Vec<(ScalarValue, DataType)>>> {
        let DataType::Struct(fields) = self.schema(rel)? else { return Ok(None) };
        let r = self.resolve(rel)?;
        let batches = crate::session::run_to_completion(&self.ctx, r.plan)?;
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        if rows > 1 {
            return Err(EngineError::spark(ExceptionKind::Spark, "ROW_SUBQUERY_TOO_MANY_ROWS", "21000", "More than one row returned by a subquery used as a row.", &[]));
        }
        let Some(batch) = batches.iter().find(|b| b.num_rows() == 1) else { return Ok(None) };
        let mut out = Vec::with_capacity(fields.len());
        for (column, field) in batch.columns().iter().zip(fields) {
            out.push((ScalarValue::try_from_array(column, 0)?, field.data_type));
        }
        Ok(Some(out))
    }

    pub(crate) fn declare_variable(&self, d: &DeclareVariable) -> EngineResult<CommandOutput> {
        let mut names = Vec::with_capacity(d.names.len());
        for parts in &d.names {
            let Some(name) = unqualified_variable(parts) else { return Err(unresolved_variable(parts)) };
            if !d.replace && self.variable(&name.to_ascii_lowercase()).is_some() {
                let shown = qualified(name);
                return Err(EngineError::spark(
                    ExceptionKind::Analysis,
                    "VARIABLE_ALREADY_EXISTS",
                    "42723",
                    format!("Cannot create the variable {shown} because it already exists.\nChoose a different name, or drop or replace the existing variable."),
                    &[("variableName", shown)],
                ));
            }
            names.push(name.to_string());
        }
        let value = match (&d.default, &d.data_type) {
            (Some(e), Some(t)) => cast(e.clone(), t),
            (Some(e), None) => e.clone(),
            (None, Some(t)) => cast(Expr::Literal(spark_plan::Literal::Null(DataType::Null)), t),
            (None, None) => return Err(EngineError::IllegalArgument("DECLARE needs a type or a default value".into())),
        };
        let Some(row) = self.single_row(&one_row(vec![value]))? else { return Ok(empty()) };
        let (value, data_type) = row.into_iter().next().ok_or_else(|| EngineError::IllegalArgument("DECLARE computed no value".into()))?;
        self.store_variables(names.into_iter().map(|name| SessionVariable { name, data_type: data_type.clone(), value: value.clone() }).collect());
        Ok(empty())
    }

    pub(crate) fn set_variables(&self, names: &[Vec<String>], values: &VariableValues) -> EngineResult<CommandOutput> {
        let mut targets = Vec::with_capacity(names.len());
        for parts in names {
            let found = unqualified_variable(parts).and_then(|n| self.variable(&n.to_ascii_lowercase()));
            targets.push(found.ok_or_else(|| unresolved_variable(parts))?);
        }
        let rel = match values {
            VariableValues::Exprs(exprs) => one_row(exprs.iter().zip(&targets).map(|(e, v)| cast(e.clone(), &v.data_type)).collect()),
            VariableValues::Query(query) => {
                let columns: Vec<String> = (0..targets.len()).map(|i| format!("c{i}")).collect();
                let DataType::Struct(fields) = self.schema(query)? else { return Ok(empty()) };
                if fields.len() != targets.len() {
                    return Err(EngineError::spark(
                        ExceptionKind::Analysis,
                        "ASSIGNMENT_ARITY_MISMATCH",
                        "42802",
                        format!("The number of columns or variables assigned or aliased: {} does not match the number of source expressions: {}.", targets.len(), fields.len()),
                        &[("numTarget", targets.len().to_string()), ("numExpr", fields.len().to_string())],
                    ));
                }
                let named = Relation::new(RelationKind::ToDf { input: query.clone(), names: columns.clone() });
                let exprs = columns.iter().zip(&targets).map(|(c, v)| cast(Expr::column(c), &v.data_type)).collect();
                Relation::new(RelationKind::Project { input: Box::new(named), exprs })
            }
        };
        let row = self.single_row(&rel)?;
        let updated = targets
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let value = match &row {
                    Some(values) => values.get(i).map(|(s, _)| s.clone()),
                    None => None,
                };
                let value = match value {
                    Some(s) => Ok(s),
                    None => ScalarValue::try_from(&datafusion::arrow::datatypes::DataType::from(v.value.data_type())),
                };
                value.map(|value| SessionVariable { value, ..v })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.store_variables(updated);
        Ok(empty())
    }

    /// Puts back what a name held before a script block declared it
    /// (`None`: nothing).
    pub(crate) fn restore_variable(&self, key: &str, previous: Option<SessionVariable>) {
        if let Ok(mut variables) = self.variables.write() {
            let mut updated: HashMap<String, SessionVariable> = variables.as_ref().clone();
            match previous {
                Some(v) => updated.insert(key.to_string(), v),
                None => updated.remove(key),
            };
            *variables = Arc::new(updated);
        }
    }

    pub(crate) fn drop_variable(&self, parts: &[String], if_exists: bool) -> EngineResult<CommandOutput> {
        let key = unqualified_variable(parts).map(|n| n.to_ascii_lowercase());
        let mut removed = false;
        if let (Some(key), Ok(mut variables)) = (&key, self.variables.write()) {
            if variables.contains_key(key) {
                let mut updated = variables.as_ref().clone();
                updated.remove(key);
                *variables = Arc::new(updated);
                removed = true;
            }
        }
        if removed || if_exists {
            return Ok(empty());
        }
        let shown = qualified(parts.last().map(String::as_str).unwrap_or_default());
        Err(EngineError::spark(
            ExceptionKind::Analysis,
            "VARIABLE_NOT_FOUND",
            "42883",
            format!("The variable {shown} cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema and catalog, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VARIABLE IF EXISTS."),
            &[("variableName", shown)],
        ))
    }

    /// Runs the statement its text names: a query's rows are the result
    /// (or go `INTO` variables), a command runs.
    pub(crate) async fn execute_immediate(&self, e: &ExecuteImmediate) -> EngineResult<CommandOutput> {
        let text = self.statement_text(&e.statement)?;
        let (named, positional) = spark_sql_parser::split_arguments(&e.using);
        let plan = spark_sql_parser::parse_statement_with_args(&text, named, positional, &self.parse_options())?;
        match plan {
            Plan::Query(query) if !e.into.is_empty() => self.set_variables(&e.into, &VariableValues::Query(Box::new(query))),
            Plan::Query(query) => {
                let stream = self.execute(&query).await?;
                let schema = stream.schema.clone();
                let batches = stream.try_collect().await?;
                Ok(CommandOutput { schema, batches })
            }
            Plan::Command(_) if !e.into.is_empty() => Err(EngineError::spark(
                ExceptionKind::Analysis,
                "INVALID_STATEMENT_FOR_EXECUTE_INTO",
                "07501",
                format!("The INTO clause of EXECUTE IMMEDIATE is only valid for queries but the given statement is not a query: {text}."),
                &[("sqlString", text.clone())],
            )),
            Plan::Command(c) => Box::pin(self.run_command(&c)).await,
        }
    }

    /// The SQL text of `EXECUTE IMMEDIATE`: a string literal, or a string
    /// expression over variables.
    fn statement_text(&self, statement: &Expr) -> EngineResult<String> {
        if let Expr::Literal(spark_plan::Literal::String(s)) = statement {
            return Ok(s.clone());
        }
        let row = self.single_row(&one_row(vec![statement.clone()]))?;
        match row.as_deref() {
            Some([(value, DataType::String)]) => match value {
                ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => Ok(s.clone()),
                _ => Err(EngineError::spark(ExceptionKind::Analysis, "NULL_QUERY_STRING_EXECUTE_IMMEDIATE", "22004", "Execute immediate requires a non-null variable as the query string, but the provided variable is null.", &[])),
            },
            Some([(_, t)]) => Err(EngineError::spark(
                ExceptionKind::Analysis,
                "INVALID_VARIABLE_TYPE_FOR_QUERY_EXECUTE_IMMEDIATE",
                "42K09",
                format!("Variable type must be string type but got \"{}\".", t.sql()),
                &[("varType", format!("\"{}\"", t.sql()))],
            )),
            _ => Err(EngineError::IllegalArgument("EXECUTE IMMEDIATE needs a statement".into())),
        }
    }
}

fn unresolved_variable(parts: &[String]) -> EngineError {
    let shown = parts.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(".");
    EngineError::spark(
        ExceptionKind::Analysis,
        "UNRESOLVED_VARIABLE",
        "42883",
        format!("Cannot resolve variable {shown} on search path {SEARCH_PATH}."),
        &[("variableName", shown), ("searchPath", SEARCH_PATH.to_string())],
    )
}
