//! Ordered-set aggregates: `agg(...) WITHIN GROUP (ORDER BY x [DESC])` for
//! `percentile_cont`, `percentile_disc`, `listagg` / `string_agg` and
//! `mode`, named as Spark names them.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{AggregateFunction, Sort};
use datafusion::logical_expr::Expr as DfExpr;
use spark_functions::mode::{SparkMode, Ties};
use spark_functions::percentile::{Method, SparkPercentile};
use spark_plan::{Expr, SortOrder};

use super::ResolvedExpr;
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

fn one_order<'a>(function: &str, orders: &'a [&'a SortOrder]) -> ResolveResult<&'a SortOrder> {
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

impl Resolver<'_> {
    pub(crate) fn resolve_within_group(&mut self, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let Some((Expr::Function { name, args: fargs, distinct }, rest)) = args.split_first() else {
            return Err(ResolveError::invalid("WITHIN GROUP needs a function"));
        };
        let orders: Vec<&SortOrder> = rest.iter().filter_map(|o| if let Expr::SortOrder(s) = o { Some(s.as_ref()) } else { None }).collect();
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "percentile_cont" | "percentile_disc" => {
                let order = one_order(&lower, &orders)?;
                let [p] = fargs.as_slice() else { return Err(super::function::wrong_args(&lower, fargs.len(), "1")) };
                let p = self.resolve_expr(p, scope)?;
                let key = self.resolve_expr(&order.expr, scope)?;
                let fraction = fraction(super::builtin::constant_value(&p.expr), &lower)?;
                let method = if lower == "percentile_cont" { Method::Linear } else { Method::Discrete };
                let udaf = SparkPercentile::with_method(&[fraction], false, 1, method, !order.ascending, 1);
                let desc = if order.ascending { "" } else { " DESC" };
                let name = format!("{lower}({}) WITHIN GROUP (ORDER BY {}{desc})", p.name, key.name);
                Ok(ResolvedExpr { expr: aggregate(udaf, vec![key.expr]), name, nullable: Some(true) })
            }
            "listagg" | "string_agg" => {
                let call = Expr::Function { name: "listagg".into(), args: fargs.clone(), distinct: *distinct };
                let r = self.resolve_expr(&call, scope)?;
                let DfExpr::AggregateFunction(mut f) = r.expr else {
                    return Err(unsupported(&lower));
                };
                let mut shown = Vec::new();
                for o in &orders {
                    let key = self.resolve_expr(&o.expr, scope)?;
                    let nulls_first = o.nulls_first();
                    shown.push(format!(
                        "{} {} NULLS {}",
                        key.name,
                        if o.ascending { "ASC" } else { "DESC" },
                        if nulls_first { "FIRST" } else { "LAST" }
                    ));
                    f.params.order_by.push(Sort::new(key.expr, o.ascending, nulls_first));
                }
                let name = format!("{} WITHIN GROUP (ORDER BY {})", r.name, shown.join(", "));
                if f.params.distinct {
                    let joined = distinct_string_agg(f).ok_or_else(|| unsupported(&lower))?;
                    return Ok(ResolvedExpr { expr: joined, name, nullable: Some(true) });
                }
                Ok(ResolvedExpr { expr: DfExpr::AggregateFunction(f), name, nullable: Some(true) })
            }
            "mode" => {
                let order = one_order(&lower, &orders)?;
                if !fargs.is_empty() {
                    return Err(super::function::wrong_args(&lower, fargs.len(), "0"));
                }
                let key = self.resolve_expr(&order.expr, scope)?;
                let ties = if order.ascending { Ties::Smallest } else { Ties::Largest };
                // Spark prints the ordering reversed.
                let shown = if order.ascending { " DESC" } else { "" };
                let name = format!("mode() WITHIN GROUP (ORDER BY {}{shown})", key.name);
                Ok(ResolvedExpr { expr: aggregate(SparkMode::udaf(ties), vec![key.expr]), name, nullable: Some(true) })
            }
            _ => Err(unsupported(&lower)),
        }
    }
}
