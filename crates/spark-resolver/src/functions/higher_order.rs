//! Higher-order functions, which take lambdas (`transform(xs, x -> x + 1)`).
//! `expression/lambda.rs` resolves and compiles the lambdas.

use spark_functions::lambda::LambdaKind;

use super::{Arity, CallSite, Table, unresolved};
use crate::expression::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn higher_order(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let kind = match call.name {
        "transform" => LambdaKind::Transform,
        "filter" => LambdaKind::Filter,
        "exists" => LambdaKind::Exists,
        "forall" => LambdaKind::Forall,
        "aggregate" | "reduce" => LambdaKind::Aggregate,
        "zip_with" => LambdaKind::ZipWith,
        "map_filter" => LambdaKind::MapFilter,
        "transform_keys" => LambdaKind::TransformKeys,
        "map_zip_with" => LambdaKind::MapZipWith,
        _ => LambdaKind::TransformValues,
    };
    if !call.args.iter().any(|a| matches!(a, spark_plan::Expr::Lambda { .. })) {
        return Err(ResolveError::analysis(
            "INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION",
            "42K0D",
            format!("Invalid lambda function call. `{}` expects a lambda function argument.", call.name),
            &[],
        ));
    }
    r.resolve_higher_order(call.name, kind, call.args, scope)
}

/// Spark's display of `array_sort`'s default comparator (ascending, NULLs last).
const DEFAULT_COMPARATOR: &str = "lambdafunction((IF(((namedlambdavariable() IS NULL) AND (namedlambdavariable() IS NULL)), 0, (IF((namedlambdavariable() IS NULL), 1, (IF((namedlambdavariable() IS NULL), -1, (IF((namedlambdavariable() < namedlambdavariable()), -1, (IF((namedlambdavariable() > namedlambdavariable()), 1, 0)))))))))), namedlambdavariable(), namedlambdavariable())";

/// `array_sort(array[, comparator])`: with a lambda, a stable sort by it;
/// without, ascending with NULLs last (unlike `sort_array`).
fn array_sort(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    if call.args.iter().any(|a| matches!(a, spark_plan::Expr::Lambda { .. })) {
        return r.resolve_higher_order("array_sort", LambdaKind::ArraySort, call.args, scope);
    }
    let [array] = call.args else {
        return Err(crate::functions::wrong_args("array_sort", call.args.len(), "[1, 2]"));
    };
    let array = r.resolve_expr(array, scope)?;
    let t = r.arrow_type(&array.expr, scope)?;
    if !matches!(t, datafusion::arrow::datatypes::DataType::List(_) | datafusion::arrow::datatypes::DataType::Null) {
        let sql = format!("array_sort({}, {DEFAULT_COMPARATOR})", array.name);
        let actual = crate::types::from_arrow(&t)?.sql();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: The first parameter requires the \"ARRAY\" type, however \"{}\" has the type \"{actual}\".", array.name),
            &[("sqlExpr", format!("\"{sql}\"")), ("paramIndex", "first".into()), ("requiredType", "\"ARRAY\"".into()), ("inputSql", format!("\"{}\"", array.name)), ("inputType", format!("\"{actual}\""))],
        ));
    }
    let sort = crate::functions::registry_udf("array_sort")?;
    let e = super::call_udf(sort, vec![array.expr, datafusion::logical_expr::lit("ASC"), datafusion::logical_expr::lit("NULLS LAST")]);
    let name = format!("array_sort({}, {DEFAULT_COMPARATOR})", array.name);
    Ok(ResolvedExpr { expr: e, name, nullable: array.nullable })
}

pub(super) fn functions() -> Table {
    use Arity::*;
    vec![
        ("transform", unresolved(Exactly(2), higher_order)),
        ("filter", unresolved(Exactly(2), higher_order)),
        ("exists", unresolved(Exactly(2), higher_order)),
        ("forall", unresolved(Exactly(2), higher_order)),
        ("aggregate", unresolved(Range(3, 4), higher_order)),
        ("reduce", unresolved(Range(3, 4), higher_order)),
        ("zip_with", unresolved(Exactly(3), higher_order)),
        ("map_filter", unresolved(Exactly(2), higher_order)),
        ("transform_keys", unresolved(Exactly(2), higher_order)),
        ("transform_values", unresolved(Exactly(2), higher_order)),
        ("map_zip_with", unresolved(Exactly(3), higher_order)),
        ("array_sort", unresolved(Range(1, 2), array_sort)),
    ]
}
