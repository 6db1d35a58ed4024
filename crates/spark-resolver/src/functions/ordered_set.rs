//! Ordered-set aggregates, the WITHIN GROUP forms of their entries: `agg(...) WITHIN GROUP (ORDER BY x [DESC])` for
//! `percentile_cont`, `percentile_disc`, `listagg` / `string_agg` and
//! `mode`, named as Spark names them.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{AggregateFunction, Sort};
use datafusion::logical_expr::Expr as DfExpr;
use spark_functions::mode::{SparkMode, Ties};
use spark_functions::percentile::{Method, SparkPercentile};
use spark_plan::{Expr, SortOrder};

use super::CallSite;
use crate::expression::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn unsupported(function: &str) -> ResolveError {
    ResolveError::analysis(
        "INVALID_WITHIN_GROUP_EXPRESSION.UNSUPPORTED_FUNCTION",
        "42K0K",
        format!("Invalid function `{function}` with WITHIN GROUP. The function is not supported with WITHIN GROUP."),
        &[("funcName", format!("`{function}`"))],
    )
}

/// `f(DISTINCT ...) WITHIN GROUP (...)` of a function where duplicates
/// matter to the ordering (`mode`, `percentile_cont`, `percentile_disc`).
pub(crate) fn distinct_unsupported(function: &str) -> ResolveError {
    ResolveError::analysis(
        "INVALID_WITHIN_GROUP_EXPRESSION.DISTINCT_UNSUPPORTED",
        "42K0K",
        format!("Invalid function `{function}` with WITHIN GROUP. The function does not support DISTINCT with WITHIN GROUP."),
        &[("funcName", format!("`{function}`"))],
    )
}

fn one_order<'a>(function: &str, orders: &'a [SortOrder]) -> ResolveResult<&'a SortOrder> {
    match orders {
        [o] => Ok(o),
        _ => Err(ResolveError::analysis(
            "INVALID_WITHIN_GROUP_EXPRESSION.WRONG_NUM_ORDERINGS",
            "42K0K",
            format!("Invalid function `{function}` with WITHIN GROUP. The function requires 1 orderings in WITHIN GROUP but got {}.", orders.len()),
            &[("funcName", format!("`{function}`"))],
        )),
    }
}

/// A constant fraction in 0..=1.
fn fraction(v: Option<ScalarValue>, function: &str) -> ResolveResult<f64> {
    match v.map(|v| v.cast_to(&ArrowType::Float64)) {
        Some(Ok(ScalarValue::Float64(Some(p)))) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
            "42K09",
            format!("Cannot resolve \"{function}\" due to data type mismatch: The percentage must be between [0.0, 1.0]."),
            &[],
        )),
    }
}

fn aggregate(udaf: std::sync::Arc<datafusion::logical_expr::AggregateUDF>, args: Vec<DfExpr>) -> DfExpr {
    DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, args, false, None, vec![], None))
}

/// `listagg(DISTINCT v, d) [WITHIN GROUP (ORDER BY ...)]`: DataFusion's
/// distinct string_agg does not keep an order, so the distinct non-null
/// values are gathered in order (by value when no order is given) and
/// joined. `None` when `f` is not a two-argument string_agg.
pub(crate) fn distinct_string_agg(f: AggregateFunction) -> Option<DfExpr> {
    let [value, delimiter] = f.params.args.as_slice() else { return None };
    let mut order = f.params.order_by.clone();
    if order.is_empty() {
        order.push(Sort::new(value.clone(), true, false));
    }
    let udaf = datafusion::functions_aggregate::array_agg::array_agg_udaf();
    let present = Box::new(DfExpr::IsNotNull(Box::new(value.clone())));
    let values = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![value.clone()], true, Some(present), order, None));
    Some(datafusion::functions_nested::expr_fn::array_to_string(values, delimiter.clone()))
}

/// `f(...) WITHIN GROUP (...)` of a function without that form.
pub(crate) fn not_within_group(function: &str) -> ResolveError {
    ResolveError::analysis(
        "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
        "42000",
        format!("Invalid SQL syntax: The function `{function}` does not support WITHIN GROUP (ORDER BY ...)."),
        &[("prettyName", format!("`{function}`")), ("syntax", "WITHIN GROUP (ORDER BY ...)".into())],
    )
}

/// `percentile_cont(p)` without its WITHIN GROUP.
pub(crate) fn within_group_missing(r: &mut Resolver<'_>, call: &CallSite<'_>, _: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let _ = r;
    Err(ResolveError::analysis(
        "INVALID_WITHIN_GROUP_EXPRESSION.WITHIN_GROUP_MISSING",
        "42K0K",
        format!("Invalid function `{}` with WITHIN GROUP. WITHIN GROUP is required for the function.", call.name),
        &[("funcName", format!("`{}`", call.name))],
    ))
}

/// `percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])` and `percentile_disc`.
pub(crate) fn percentile(r: &mut Resolver<'_>, lower: &str, args: &[Expr], distinct: bool, orders: &[SortOrder], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    if distinct {
        return Err(distinct_unsupported(lower));
    }
    let order = one_order(lower, orders)?;
    let [p] = args else { return Err(super::wrong_args(lower, args.len(), "1")) };
    let p = r.resolve_expr(p, scope)?;
    let key = r.resolve_expr(&order.expr, scope)?;
    let fraction = fraction(super::constant_value(&p.expr), lower)?;
    let method = if lower == "percentile_cont" { Method::Linear } else { Method::Discrete };
    let udaf = SparkPercentile::with_method(&[fraction], false, 1, method, !order.ascending, 1);
    let desc = if order.ascending { "" } else { " DESC" };
    let name = format!("{lower}({}) WITHIN GROUP (ORDER BY {}{desc})", p.name, key.name);
    // An interval's percentile is computed on its units and is an interval.
    let t = r.arrow_type(&key.expr, scope)?;
    let input = super::interval_math::percentile_input(key.expr, &t);
    let expr = super::interval_math::percentile_output(aggregate(udaf, vec![input]), &t, false);
    Ok(ResolvedExpr { expr, name, nullable: Some(true) })
}

/// `listagg(v [, d]) WITHIN GROUP (ORDER BY ...)` and `string_agg`.
pub(crate) fn listagg(r: &mut Resolver<'_>, lower: &str, args: &[Expr], distinct: bool, orders: &[SortOrder], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let call = Expr::Function { name: "listagg".into(), args: args.to_vec(), distinct: false, filter: None, within_group: vec![] };
    let resolved = r.resolve_expr(&call, scope)?;
    let DfExpr::AggregateFunction(mut f) = resolved.expr else {
        return Err(unsupported(lower));
    };
    let value = args.first().map(|v| r.resolve_expr(v, scope)).transpose()?;
    let mut shown = Vec::new();
    for o in orders {
        let key = r.resolve_expr(&o.expr, scope)?;
        if let Some(value) = value.as_ref().filter(|v| distinct && v.expr != key.expr) {
            return Err(ResolveError::analysis(
                "INVALID_WITHIN_GROUP_EXPRESSION.MISMATCH_WITH_DISTINCT_INPUT",
                "42K0K",
                format!(
                    "Invalid function `{lower}` with WITHIN GROUP. The function is invoked with DISTINCT and WITHIN GROUP but expressions \"{}\" and \"{}\" do not match. The WITHIN GROUP ordering expression must be picked from the function inputs.",
                    value.name, key.name
                ),
                &[("funcName", format!("`{lower}`")), ("funcArg", format!("\"{}\"", value.name)), ("orderingExpr", format!("\"{}\"", key.name))],
            ));
        }
        let nulls_first = o.nulls_first();
        shown.push(format!(
            "{} {} NULLS {}",
            key.name,
            if o.ascending { "ASC" } else { "DESC" },
            if nulls_first { "FIRST" } else { "LAST" }
        ));
        f.params.order_by.push(Sort::new(key.expr, o.ascending, nulls_first));
    }
    let name = format!("{} WITHIN GROUP (ORDER BY {})", resolved.name, shown.join(", "));
    let name = if distinct { name.replacen('(', "(DISTINCT ", 1) } else { name };
    if distinct {
        f.params.distinct = true;
        let joined = distinct_string_agg(f).ok_or_else(|| unsupported(lower))?;
        return Ok(ResolvedExpr { expr: joined, name, nullable: Some(true) });
    }
    Ok(ResolvedExpr { expr: DfExpr::AggregateFunction(f), name, nullable: Some(true) })
}

/// `mode() WITHIN GROUP (ORDER BY x)`: ties go to the smallest value (the
/// largest with DESC).
pub(crate) fn mode(r: &mut Resolver<'_>, lower: &str, args: &[Expr], distinct: bool, orders: &[SortOrder], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    if distinct {
        return Err(distinct_unsupported(lower));
    }
    let order = one_order(lower, orders)?;
    if !args.is_empty() {
        return Err(super::wrong_args(lower, args.len(), "0"));
    }
    let key = r.resolve_expr(&order.expr, scope)?;
    let ties = if order.ascending { Ties::Smallest } else { Ties::Largest };
    // Spark prints the ordering reversed.
    let shown = if order.ascending { " DESC" } else { "" };
    let name = format!("mode() WITHIN GROUP (ORDER BY {}{shown})", key.name);
    Ok(ResolvedExpr { expr: aggregate(SparkMode::udaf(ties), vec![key.expr]), name, nullable: Some(true) })
}
