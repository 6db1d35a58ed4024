//! Expression resolution: unresolved `spark_plan::Expr` → DataFusion `Expr`,
//! together with the name Spark generates for it.

mod cast;
mod cast_rules;
mod coercion;
mod column;
mod datetime;
mod extract;
mod field;
pub(crate) mod float_normalize;
pub(crate) mod function;
pub(crate) mod interval_literal;
mod lambda;
mod like_quantified;
mod literal;
pub(crate) mod named_arguments;
mod python_udf;
mod python_udtf;
pub(crate) use python_udtf::{argument_for_analyze, udtf_eval_type};
pub(crate) mod sql_function;
mod subquery;
mod update_fields;
mod window;
mod window_frame;

pub(crate) use crate::functions::{constant_value, wrong_args};
pub(crate) use cast::force_nullable;
pub(crate) use coercion::{casts_string, narrows_integer_literal, wider_common_type, wider_decimal, wider_type};

/// A call of a scalar function implementation.
pub(crate) fn call_scalar(f: std::sync::Arc<datafusion::logical_expr::ScalarUDF>, args: Vec<DfExpr>) -> DfExpr {
    DfExpr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(f, args))
}

/// A call of the registry's scalar function `name` (DataFusion's or ours).
pub(crate) fn registry_scalar(name: &str, args: Vec<DfExpr>) -> ResolveResult<DfExpr> {
    match spark_functions::FunctionRegistry::global().get(name) {
        Some(spark_functions::FunctionKind::Scalar(f)) => {
            Ok(DfExpr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(f.clone(), args)))
        }
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}


use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::Expr as DfExpr;
use spark_plan::Expr;

use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// A resolved expression and the column name Spark gives it.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedExpr {
    pub expr: DfExpr,
    pub name: String,
    /// Spark's nullability where it differs from DataFusion's inference.
    pub nullable: Option<bool>,
}

impl ResolvedExpr {
    pub fn new(expr: DfExpr, name: impl Into<String>) -> Self {
        Self { expr, name: name.into(), nullable: None }
    }

    pub fn with_nullable(mut self, nullable: bool) -> Self {
        self.nullable = Some(nullable);
        self
    }
}

impl Resolver<'_> {
    pub(crate) fn resolve_expr(&mut self, e: &Expr, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        if crate::cancel::is_cancelled() {
            return Err(ResolveError::Cancelled);
        }
        match e {
            Expr::Literal(l) => self.resolve_literal(l),
            Expr::TypedLiteral { data_type, text } => self.resolve_typed_literal(data_type, text),
            Expr::Column { name, plan_id } => self.resolve_column_expr(name, *plan_id, scope),
            Expr::Star { .. } => Err(ResolveError::analysis(
                "INVALID_USAGE_OF_STAR_OR_REGEX",
                "42000",
                "Invalid usage of '*' in expression.",
                &[("elem", "'*'".into()), ("prettyName", "expression".into())],
            )),
            Expr::Function { name, args, distinct, filter, within_group } => {
                let call = function::FunctionCall { name, args, distinct: *distinct, filter: filter.as_deref(), within_group };
                self.resolve_function(&call, scope)
            }
            Expr::LikeQuantified { value, patterns, quantifier, case_insensitive, negated } => {
                self.resolve_like_quantified(value, patterns, *quantifier, *case_insensitive, *negated, scope)
            }
            Expr::Ordinal(n) => self.resolve_ordinal(*n, scope),
            // Spark names a lateral column alias reference after the alias.
            Expr::LateralAlias { alias, expr } => {
                let r = self.resolve_expr(expr, scope)?;
                Ok(ResolvedExpr { name: format!("lateralAliasReference({alias})"), ..r })
            }
            Expr::NamedWindow { window, .. } => Err(ResolveError::analysis(
                "MISSING_WINDOW_SPECIFICATION",
                "42P20",
                format!("Window specification {window} is not defined in the WINDOW clause for {window}. For more information about WINDOW clauses, please refer to 'https://spark.apache.org/docs/latest/sql-ref-syntax-qry-select-window.html'."),
                &[("windowName", window.clone())],
            )),
            Expr::Alias { expr, names, metadata } => {
                let inner = self.resolve_expr(expr, scope)?;
                let name = names.first().cloned().unwrap_or(inner.name);
                // `alias(..., metadata=...)` / `withMetadata`: the column's
                // metadata rides on the Arrow field to the result schema.
                let expr = match metadata {
                    Some(json) => {
                        let mut m = std::collections::BTreeMap::new();
                        m.insert(crate::types::COLUMN_METADATA_KEY.to_string(), json.clone());
                        inner.expr.alias_with_metadata(name.clone(), Some(datafusion::common::metadata::FieldMetadata::new(m)))
                    }
                    None => inner.expr,
                };
                Ok(ResolvedExpr { expr, name, nullable: inner.nullable })
            }
            Expr::Cast { expr, to, mode, explicit } => self.resolve_cast(expr, to, *mode, *explicit, scope),
            Expr::SortOrder(_) => Err(ResolveError::invalid("a sort order is only valid in a sort")),
            Expr::Window { function, partition_by, order_by, frame } => {
                self.resolve_window(function, partition_by, order_by, frame.as_ref(), scope)
            }
            Expr::ExtractValue { child, extraction } => self.resolve_extract_value(child, extraction, scope),
            Expr::VariantExtract { child, path, name } => self.resolve_variant_extract(child, path, name, scope),
            Expr::ScalarSubquery(plan) => self.resolve_scalar_subquery(plan, scope),
            Expr::Exists { plan, negated } => self.resolve_exists(plan, *negated, scope),
            Expr::InSubquery { values, plan, negated } => self.resolve_in_subquery(values, plan, *negated, scope),
            Expr::UpdateField { struct_expr, field, value } => self.resolve_update_field(struct_expr, field, value.as_deref(), scope),
            Expr::LambdaVariable(name) => self.resolve_column_expr(std::slice::from_ref(name), None, scope),
            Expr::Lambda { .. } => Err(ResolveError::analysis(
                "INVALID_LAMBDA_FUNCTION_CALL",
                "42K0D",
                "A lambda function is only valid as an argument of a higher-order function.",
                &[],
            )),
            Expr::Regex { .. } => Err(ResolveError::unsupported("colRegex")),
            // Named arguments bind in the order written (`inline(input => x)`).
            Expr::NamedArgument { value, .. } => self.resolve_expr(value, scope),
            Expr::PythonUdf { function, args } => self.resolve_python_udf(function, args, scope),
            Expr::TableArgument(_) => Err(ResolveError::analysis(
                "UNSUPPORTED_FEATURE.TABLE_VALUED_FUNCTION_TOO_MANY_TABLE_ARGUMENTS",
                "0A000",
                "A TABLE argument is only valid as an argument of a table-valued function.",
                &[],
            )),
            // A UDTF inside an expression (it generates rows).
            Expr::PythonUdtf { function, args } => {
                let names: Vec<String> = self.resolve_arguments(args, scope)?.into_iter().map(|a| a.name).collect();
                Err(crate::functions::generators::nested_generator(&function.name, &names))
            }
            Expr::Unsupported(what) => Err(ResolveError::unsupported(what.clone())),
        }
    }

    /// `ORDER BY 2`: the second visible column of the scope.
    fn resolve_ordinal(&self, n: i64, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let visible: Vec<&crate::ResolvedColumn> = scope.visible().collect();
        let Some(c) = usize::try_from(n).ok().filter(|i| *i >= 1).and_then(|i| visible.get(i - 1)) else {
            return Err(ResolveError::analysis(
                "ORDER_BY_POS_OUT_OF_RANGE",
                "42805",
                format!("ORDER BY position {n} is not in select list (valid range is [1, {}]).", visible.len()),
                &[("index", n.to_string()), ("size", visible.len().to_string())],
            ));
        };
        Ok(ResolvedExpr { expr: crate::resolver::id_col(&c.id), name: c.name.clone(), nullable: c.nullable })
    }

    /// Whether a resolved expression can be NULL, by Spark's rules.
    pub(crate) fn is_nullable(&self, r: &ResolvedExpr, scope: &ResolvedRelation) -> bool {
        r.nullable.unwrap_or_else(|| field::expr_field(&r.expr, scope.plan.schema()).map(|f| f.is_nullable()).unwrap_or(true))
    }

    /// The Arrow type of a resolved expression over a scope.
    pub(crate) fn arrow_type(&self, e: &DfExpr, scope: &ResolvedRelation) -> ResolveResult<ArrowType> {
        Ok(field::expr_field(e, scope.plan.schema())?.data_type().clone())
    }

    /// The Spark type of `e`, with the fields of an ANSI interval where its
    /// Arrow field names them.
    pub(crate) fn spark_type(&self, e: &DfExpr, scope: &ResolvedRelation) -> ResolveResult<spark_plan::DataType> {
        use datafusion::logical_expr::ExprSchemable;
        let t = self.arrow_type(e, scope)?;
        if matches!(t, ArrowType::Duration(_) | ArrowType::Interval(_)) {
            if let Ok((_, f)) = e.to_field(scope.plan.schema()) {
                return crate::types::from_arrow_field(&f);
            }
        }
        crate::types::from_arrow(&t)
    }
}
