//! The session's SQL functions: `CREATE TEMPORARY FUNCTION` checks the body
//! against its parameters and keeps the function; calls resolve through
//! the resolver's config; `DROP`, `SHOW FUNCTIONS` and `DESCRIBE FUNCTION`
//! see them.

use std::sync::Arc;

use spark_plan::{CreateSqlFunction, Expr, Relation, RelationKind};

use crate::command::empty;
use crate::error::ExceptionKind;
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

impl SparkSession {
    pub(crate) fn create_sql_function(&self, create: &CreateSqlFunction) -> EngineResult<CommandOutput> {
        let f = &create.function;
        let key = f.name.to_ascii_lowercase();
        if !create.temporary {
            return self.create_persistent_function(create, &key);
        }
        let python = self.python_functions.read().map(|m| m.contains_key(&key)).unwrap_or(false);
        if create.replace && (python || spark_functions::catalog::is_spark_function(&key)) {
            return Err(EngineError::spark(
                ExceptionKind::Analysis,
                "USER_DEFINED_FUNCTIONS.CANNOT_REPLACE_NON_SQL_UDF_WITH_SQL_UDF",
                "42601",
                format!("User defined function is invalid: Cannot replace the non-SQL function {} with a SQL function.", f.name),
                &[("name", f.name.clone())],
            ));
        }
        let exists = self.sql_functions.read().map(|m| m.contains_key(&key)).unwrap_or(false);
        if exists && !create.replace {
            return Err(routine_already_exists(format!("`{}`", f.name)));
        }
        // The body must resolve against the parameters alone.
        self.resolve(&body_check(f))?;
        if let Ok(mut functions) = self.sql_functions.write() {
            let mut updated = functions.as_ref().clone();
            updated.insert(key, f.clone());
            *functions = Arc::new(updated);
        }
        Ok(empty())
    }

    /// `CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] [db.]f ...`: kept in the
    /// catalog as its statement text.
    fn create_persistent_function(&self, create: &CreateSqlFunction, key: &str) -> EngineResult<CommandOutput> {
        let database = create.database.clone().unwrap_or_else(|| self.current_database()).to_ascii_lowercase();
        let exists = self.catalog().get_function(&database, key).map_err(crate::tables::catalog_error)?.is_some();
        if exists && create.if_not_exists {
            return Ok(empty());
        }
        if exists && !create.replace {
            return Err(routine_already_exists(format!("`{database}`.`{key}`")));
        }
        self.resolve(&body_check(&create.function))?;
        self.catalog().put_function(&database, key, &create.sql).map_err(crate::tables::catalog_error)?;
        Ok(empty())
    }

    pub(crate) fn drop_function(&self, name: &[String], temporary: bool, if_exists: bool) -> EngineResult<CommandOutput> {
        let key = name.last().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        let mut removed = false;
        if !temporary {
            let database = match name {
                [_] => self.current_database(),
                _ => name[name.len() - 2].clone(),
            }
            .to_ascii_lowercase();
            removed = self.catalog().drop_function(&database, &key).map_err(crate::tables::catalog_error)?;
            if !removed && !if_exists {
                return Err(routine_not_found(format!("`{database}`.`{key}`")));
            }
            return Ok(empty());
        }
        if name.len() == 1 {
            if let Ok(mut functions) = self.sql_functions.write() {
                if functions.contains_key(&key) {
                    let mut updated = functions.as_ref().clone();
                    updated.remove(&key);
                    *functions = Arc::new(updated);
                    removed = true;
                }
            }
        }
        if removed || if_exists {
            return Ok(empty());
        }
        Err(routine_not_found(name.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(".")))
    }

    /// The names of the user's functions: the session's (SQL and Python),
    /// then the current database's persistent ones (`spark_catalog.db.f`).
    pub(crate) fn user_function_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.sql_functions.read().map(|m| m.values().map(|f| f.name.clone()).collect()).unwrap_or_default();
        if let Ok(python) = self.python_functions.read() {
            names.extend(python.values().map(|f| f.name.clone()));
        }
        let database = self.current_database();
        if let Ok(persistent) = self.catalog().list_functions(&database) {
            names.extend(persistent.into_iter().map(|f| format!("spark_catalog.{database}.{f}")));
        }
        names
    }

    /// `DESCRIBE FUNCTION [EXTENDED]` of a SQL function, in Spark's layout.
    pub(crate) fn describe_sql_function(&self, name: &str, extended: bool) -> Option<Vec<String>> {
        let f = self.sql_functions.read().ok()?.get(&name.trim().to_ascii_lowercase())?.clone();
        let returns = match &f.returns {
            Some(t) => t.sql(),
            None => match self.schema(&body_check(&f)) {
                Ok(spark_plan::DataType::Struct(fields)) => fields.first().map(|c| c.data_type.sql()).unwrap_or_default(),
                _ => String::new(),
            },
        };
        let mut rows: Vec<(String, String)> = vec![("Function:".into(), f.name.clone()), ("Type:".into(), "SCALAR".into())];
        // Parameters line up as `name TYPE`, padded to the longest.
        let params: Vec<String> = f.params.iter().map(|p| format!("{} {}", p.name, p.data_type.sql())).collect();
        let param_width = params.iter().map(|t| t.len()).max().unwrap_or(0);
        for (i, (p, text)) in f.params.iter().zip(params).enumerate() {
            let label = if i == 0 { "Input:" } else { "" };
            let mut text = format!("{text:<param_width$}");
            if extended {
                if let Some(c) = &p.comment {
                    text.push_str(&format!(" '{c}'"));
                }
            }
            rows.push((label.into(), text));
        }
        rows.push(("Returns:".into(), returns));
        if extended {
            if let Some(c) = &f.comment {
                rows.push(("Comment:".into(), c.clone()));
            }
            rows.push(("Deterministic:".into(), f.deterministic.to_string()));
            rows.push(("Data Access:".into(), f.data_access.clone()));
        }
        let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 1;
        Some(rows.into_iter().map(|(l, v)| format!("{l:<width$}{v}")).collect())
    }
}

/// The body (cast to the declared type) over one row of typed NULL
/// parameters: what must resolve for the function to be created.
fn body_check(f: &spark_plan::SqlFunction) -> Relation {
    let body = match &f.returns {
        Some(t) => Expr::Cast { expr: Box::new(f.body.clone()), to: t.clone(), mode: spark_plan::CastMode::Default, explicit: false },
        None => f.body.clone(),
    };
    Relation::new(RelationKind::Project { input: Box::new(f.parameter_relation()), exprs: vec![body] })
}

fn routine_already_exists(quoted: String) -> EngineError {
    EngineError::spark(
        ExceptionKind::Analysis,
        "ROUTINE_ALREADY_EXISTS",
        "42723",
        format!("Cannot create the routine {quoted} because a routine of that name already exists."),
        &[("routineName", quoted), ("newRoutineType", "routine".into()), ("existingRoutineType", "routine".into())],
    )
}

fn routine_not_found(shown: String) -> EngineError {
    EngineError::spark(
        ExceptionKind::Analysis,
        "ROUTINE_NOT_FOUND",
        "42883",
        format!("The routine {shown} cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema and catalog, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP ... IF EXISTS."),
        &[("routineName", shown)],
    )
}
