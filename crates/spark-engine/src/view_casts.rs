//! An optimizer rule for string views read from files: a scan yields
//! strings as views and the plan casts them to plain strings above it; once
//! filters are pushed below that cast, `CAST(view AS STRING) LIKE 'p'` and
//! `CAST(view AS STRING) IN ('a', 'b')` would copy every string only to
//! compare it. The rule compares the views directly (against the literals
//! as views), which gives the same answer without the copies; the same for
//! `=`, `<` and the other comparisons with a literal or another such cast
//! (views compare byte-wise, as plain strings do).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::{InList, Like};
use datafusion::logical_expr::{BinaryExpr, Operator};
use datafusion::logical_expr::{Cast, Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

#[derive(Debug, Default)]
pub struct CompareStringViews;

/// The view `e` is a cast of, when `e` is `CAST(view AS STRING)`.
fn cast_view<'a>(e: &'a Expr, schema: &DFSchema) -> Option<&'a Expr> {
    let Expr::Cast(Cast { expr, field }) = e else { return None };
    (field.data_type() == &DataType::Utf8 && matches!(expr.get_type(schema), Ok(DataType::Utf8View))).then_some(expr.as_ref())
}

/// A string literal as a view literal.
fn view_literal(e: &Expr) -> Option<Expr> {
    match e {
        Expr::Literal(ScalarValue::Utf8(v), m) => Some(Expr::Literal(ScalarValue::Utf8View(v.clone()), m.clone())),
        _ => None,
    }
}

fn is_comparison(op: Operator) -> bool {
    use Operator::*;
    matches!(op, Eq | NotEq | Lt | LtEq | Gt | GtEq | IsDistinctFrom | IsNotDistinctFrom)
}

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    e.transform_up(|e| {
        Ok(match &e {
            Expr::Like(like) => match (cast_view(&like.expr, schema), view_literal(&like.pattern)) {
                (Some(view), Some(pattern)) => Transformed::yes(Expr::Like(Like {
                    expr: Box::new(view.clone()),
                    pattern: Box::new(pattern),
                    ..like.clone()
                })),
                _ => Transformed::no(e),
            },
            Expr::BinaryExpr(BinaryExpr { left, op, right }) if is_comparison(*op) => {
                // Comparisons: DataFusion's simplifier turns short IN lists
                // into such ORs before this rule sees them.
                let view_side = |e: &Expr| cast_view(e, schema).cloned().or_else(|| view_literal(e));
                let either_cast = cast_view(left, schema).is_some() || cast_view(right, schema).is_some();
                match (view_side(left), view_side(right)) {
                    (Some(l), Some(r)) if either_cast => Transformed::yes(Expr::BinaryExpr(BinaryExpr { left: Box::new(l), op: *op, right: Box::new(r) })),
                    _ => Transformed::no(e),
                }
            }
            Expr::InList(InList { expr, list, negated }) => {
                let literals: Option<Vec<Expr>> = list.iter().map(view_literal).collect();
                match (cast_view(expr, schema), literals) {
                    (Some(view), Some(list)) => Transformed::yes(Expr::InList(InList { expr: Box::new(view.clone()), list, negated: *negated })),
                    _ => Transformed::no(e),
                }
            }
            _ => Transformed::no(e),
        })
    })
}

impl OptimizerRule for CompareStringViews {
    fn name(&self) -> &str {
        "compare_string_views"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        // Only plans that read one input, whose schema types the casts.
        let schema = match plan.inputs().as_slice() {
            [input] => Arc::clone(input.schema()),
            _ => return Ok(Transformed::no(plan)),
        };
        if !matches!(plan, LogicalPlan::Filter(_) | LogicalPlan::Projection(_)) {
            return Ok(Transformed::no(plan));
        }
        plan.map_expressions(|e| rewrite(e, &schema))
    }
}
