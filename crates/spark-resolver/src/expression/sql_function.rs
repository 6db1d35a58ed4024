//! Calls of SQL functions (`CREATE TEMPORARY FUNCTION f(x INT) RETURN ...`):
//! the arguments, bound to the parameters by position or by name (with the
//! parameters' defaults) and cast to their types, replace the parameters in
//! the body; the result is cast to the declared return type. Spark names
//! the call `f(arg, ...)` after the arguments supplied.

use spark_plan::{CastMode, Expr, RelationKind, SqlFunction};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// How deep SQL functions may call one another.
const MAX_ROUTINE_NESTING: u32 = 32;

impl Resolver<'_> {
    /// The SQL function a call names, with the name Spark shows for it: a
    /// temporary one of this session (`f`), else a persistent one of the
    /// current database (`spark_catalog.default.f`, also called as
    /// `default.f`).
    pub(crate) fn sql_function(&self, name: &str) -> ResolveResult<Option<(SqlFunction, String)>> {
        let lower = name.to_ascii_lowercase();
        if let Some(f) = self.config.sql_functions.get(&lower) {
            return Ok(Some((f.clone(), f.name.clone())));
        }
        let parts: Vec<&str> = lower.split('.').collect();
        let (database, function) = match parts.as_slice() {
            [f] => (self.config.current_database.clone(), *f),
            [db, f] | ["spark_catalog", db, f] => (db.to_string(), *f),
            _ => return Ok(None),
        };
        let Some(catalog) = self.tables else { return Ok(None) };
        let Some(sql) = catalog.get_function(&database, function).map_err(|e| ResolveError::invalid(e.to_string()))? else { return Ok(None) };
        match spark_sql_parser::parse_statement(&sql) {
            Ok(spark_plan::Plan::Command(spark_plan::Command::CreateSqlFunction(c))) => {
                let shown = format!("spark_catalog.{database}.{}", c.function.name);
                Ok(Some((c.function, shown)))
            }
            _ => Err(ResolveError::invalid(format!("the stored function {database}.{function} cannot be read"))),
        }
    }

    pub(crate) fn resolve_sql_function(&mut self, f: &SqlFunction, shown_name: &str, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        if self.routine_depth >= MAX_ROUTINE_NESTING {
            return Err(ResolveError::analysis(
                "ROUTINE_EXCEEDS_MAX_NESTED_DEPTH",
                "54K00",
                format!("The depth of routine `{}` exceeds the maximum routine resolution depth ({MAX_ROUTINE_NESTING}).", f.name),
                &[("routineName", format!("`{}`", f.name)), ("maxNestedDepth", MAX_ROUTINE_NESTING.to_string())],
            ));
        }
        let bound = bind_arguments(f, args)?;
        let mut shown = Vec::new();
        for supplied in bound.iter().flatten() {
            shown.push(self.resolve_expr(supplied, scope)?.name);
        }
        let values: Vec<Expr> = f
            .params
            .iter()
            .zip(bound)
            .map(|(p, arg)| {
                let value = arg.or_else(|| p.default.clone()).unwrap_or(Expr::Literal(spark_plan::Literal::Null(p.data_type.clone())));
                Expr::Cast { expr: Box::new(value), to: p.data_type.clone(), mode: CastMode::Default, explicit: false }
            })
            .collect();
        let body = substitute_params(f, &values);
        let body = match &f.returns {
            Some(t) => Expr::Cast { expr: Box::new(body), to: t.clone(), mode: CastMode::Default, explicit: false },
            None => body,
        };
        self.routine_depth += 1;
        let resolved = self.resolve_expr(&body, scope);
        self.routine_depth -= 1;
        let resolved = resolved?;
        Ok(ResolvedExpr { name: format!("{shown_name}({})", shown.join(", ")), ..resolved })
    }
}

/// The argument given for each of `f`'s parameters (`None`: not supplied).
fn bind_arguments(f: &SqlFunction, args: &[Expr]) -> ResolveResult<Vec<Option<Expr>>> {
    let params: Vec<(&str, bool)> = f.params.iter().map(|p| (p.name.as_str(), p.default.is_some())).collect();
    super::named_arguments::bind(&f.name, &params, args)
}

/// The body with each parameter reference (`x` or `f.x`) replaced by its
/// value. A body `SELECT expr` without FROM is that expression.
fn substitute_params(f: &SqlFunction, values: &[Expr]) -> Expr {
    let body = match &f.body {
        Expr::ScalarSubquery(q) => match &q.kind {
            RelationKind::Project { input, exprs } if matches!(input.kind, RelationKind::OneRow) && exprs.len() == 1 => unaliased(&exprs[0]),
            _ => f.body.clone(),
        },
        other => other.clone(),
    };
    let param_of = |name: &[String]| -> Option<usize> {
        let last = match name {
            [one] => one,
            [qualifier, one] if qualifier.eq_ignore_ascii_case(&f.name) => one,
            _ => return None,
        };
        f.params.iter().position(|p| p.name.eq_ignore_ascii_case(last))
    };
    body.map_columns(&mut |name, plan_id| match (plan_id, param_of(&name)) {
        (None, Some(i)) => values[i].clone(),
        _ => Expr::Column { name, plan_id },
    })
}

fn unaliased(e: &Expr) -> Expr {
    match e {
        Expr::Alias { expr, .. } => expr.as_ref().clone(),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use spark_plan::{DataType, Expr, Literal, SqlFunction, SqlFunctionParam};

    use super::bind_arguments;

    fn area() -> SqlFunction {
        let param = |name: &str, default: Option<Expr>| SqlFunctionParam { name: name.into(), data_type: DataType::Double, default, comment: None };
        SqlFunction {
            name: "area".into(),
            params: vec![param("w", None), param("h", Some(Expr::Literal(Literal::Integer(2))))],
            returns: None,
            body: Expr::column("w"),
            comment: None,
            deterministic: true,
            data_access: "CONTAINS SQL".into(),
        }
    }

    fn int(n: i32) -> Expr {
        Expr::Literal(Literal::Integer(n))
    }

    fn named(name: &str, n: i32) -> Expr {
        Expr::NamedArgument { name: name.into(), value: Box::new(int(n)) }
    }

    fn class(r: crate::ResolveResult<Vec<Option<Expr>>>) -> String {
        match r {
            Err(crate::ResolveError::Analysis { error_class, .. }) => error_class,
            _ => String::new(),
        }
    }

    #[test]
    fn binds_by_position_then_name() {
        let f = area();
        assert_eq!(bind_arguments(&f, &[int(3)]).ok(), Some(vec![Some(int(3)), None]));
        assert_eq!(bind_arguments(&f, &[named("H", 4), named("w", 1)]).ok(), Some(vec![Some(int(1)), Some(int(4))]));
        assert_eq!(bind_arguments(&f, &[int(1), named("h", 4)]).ok(), Some(vec![Some(int(1)), Some(int(4))]));
    }

    #[test]
    fn refuses_bad_calls() {
        let f = area();
        assert_eq!(class(bind_arguments(&f, &[int(1), int(2), int(3)])), "WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
        assert_eq!(class(bind_arguments(&f, &[])), "WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
        assert_eq!(class(bind_arguments(&f, &[named("h", 1)])), "REQUIRED_PARAMETER_NOT_FOUND");
        assert_eq!(class(bind_arguments(&f, &[named("d", 1)])), "UNRECOGNIZED_PARAMETER_NAME");
        assert_eq!(class(bind_arguments(&f, &[int(1), named("w", 1)])), "DUPLICATE_ROUTINE_PARAMETER_ASSIGNMENT.BOTH_POSITIONAL_AND_NAMED");
    }
}
