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
    ]
}
