//! Spark's check that aggregate functions read deterministic arguments:
//! `max(rand())` cannot be computed twice to the same answer, so Spark
//! refuses it with AGGREGATE_FUNCTION_WITH_NONDETERMINISTIC_EXPRESSION.

use datafusion::logical_expr::Expr as DfExpr;
use spark_plan::Expr;

use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// Spark's non-deterministic built-in functions.
const NON_DETERMINISTIC: [&str; 12] = [
    "rand",
    "randn",
    "random",
    "uniform",
    "randstr",
    "uuid",
    "shuffle",
    "monotonically_increasing_id",
    "spark_partition_id",
    "input_file_name",
    "input_file_block_start",
    "input_file_block_length",
];

/// Whether `e` itself (not its children) is non-deterministic.
fn is_non_deterministic(e: &Expr) -> bool {
    match e {
        Expr::Function { name, .. } => NON_DETERMINISTIC.iter().any(|f| name.eq_ignore_ascii_case(f)),
        Expr::PythonUdf { function, .. } => !function.deterministic,
        // `spark_partition_id()` may be a column by the time aggregates resolve.
        other => super::partition_id::is_partition_id(other),
    }
}

/// Whether anything in `exprs` is non-deterministic.
pub(crate) fn any_non_deterministic(exprs: &[&Expr]) -> bool {
    let mut stack: Vec<&Expr> = exprs.to_vec();
    while let Some(e) = stack.pop() {
        if is_non_deterministic(e) {
            return true;
        }
        stack.extend(e.children().0);
    }
    false
}

impl Resolver<'_> {
    /// Fails when an aggregate call among `exprs` reads a non-deterministic
    /// argument, naming the first such call as Spark does.
    pub(crate) fn check_deterministic_aggregates(&mut self, exprs: &[Expr], scope: &ResolvedRelation) -> ResolveResult<()> {
        if !any_non_deterministic(&exprs.iter().collect::<Vec<_>>()) {
            return Ok(());
        }
        // Left to right, outside in.
        let mut stack: Vec<&Expr> = exprs.iter().rev().collect();
        while let Some(e) = stack.pop() {
            if let Expr::Function { args, .. } = e
                && any_non_deterministic(&args.iter().collect::<Vec<_>>())
                && let Ok(r) = self.resolve_expr(e, scope)
                && matches!(r.expr.unalias(), DfExpr::AggregateFunction(_))
            {
                return Err(ResolveError::analysis(
                    "AGGREGATE_FUNCTION_WITH_NONDETERMINISTIC_EXPRESSION",
                    "42845",
                    format!("Non-deterministic expression \"{}\" should not appear in the arguments of an aggregate function.", r.name),
                    &[("sqlExpr", format!("\"{}\"", r.name))],
                ));
            }
            stack.extend(e.children().0.into_iter().rev());
        }
        Ok(())
    }
}
