//! An optimizer rule for correlated scalar subqueries that DataFusion does
//! not decorrelate: an aggregate over rows matched to the outer row by any
//! predicate, not only equalities (`(SELECT max(r.id) FROM r WHERE r.id <
//! t.id)`). As Spark's `DecorrelateInnerQuery` does, the aggregate runs
//! once per distinct value of the outer columns it reads (the domain):
//!
//! ```text
//! outer LEFT JOIN (SELECT d.*, agg(...) FROM (SELECT DISTINCT cols FROM outer) d
//!                  JOIN inner ON predicate(d) GROUP BY d.*)
//!       ON outer.cols <=> d.cols
//! ```
//!
//! A `count` over no rows is 0, not the NULL the outer join gives, so a
//! matched-row marker restores it. Shapes this rule does not know are left
//! for DataFusion, which reports them as unsupported.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Column, NullEquality, Result, ScalarValue};
use datafusion::logical_expr::{Aggregate, Case, Expr, Filter, JoinType, LogicalPlan, LogicalPlanBuilder, Projection, Subquery, lit};
use datafusion::common::config::ConfigOptions;
use datafusion::optimizer::AnalyzerRule;

#[derive(Debug, Default)]
pub struct DecorrelateScalarAggregates;

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn has_outer_refs(e: &Expr) -> bool {
    e.exists(|x| Ok(matches!(x, Expr::OuterReferenceColumn(..)))).unwrap_or(true)
}

fn plan_has_outer_refs(plan: &LogicalPlan) -> bool {
    let mut found = false;
    let _ = plan.apply(|p| {
        found |= p.expressions().iter().any(has_outer_refs);
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found
}

/// The first correlated scalar subquery among `exprs`.
fn first_correlated(exprs: &[Expr]) -> Option<Subquery> {
    let mut found = None;
    for e in exprs {
        let _ = e.apply(|x| {
            if let Expr::ScalarSubquery(sq) = x
                && !sq.outer_ref_columns.is_empty()
            {
                found = Some(sq.clone());
                return Ok(TreeNodeRecursion::Stop);
            }
            Ok(TreeNodeRecursion::Continue)
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// Whether an aggregate answers non-NULL over no rows (`count` is 0).
fn counts(e: &Expr) -> bool {
    e.exists(|x| Ok(matches!(x, Expr::AggregateFunction(f) if f.func.name().contains("count")))).unwrap_or(true)
}

/// The subquery's parts: projections above an ungrouped aggregate,
/// projections between it and the correlated filter, and the filter.
struct Shape<'a> {
    tops: Vec<&'a Projection>,
    aggregate: &'a Aggregate,
    mids: Vec<&'a Projection>,
    filter: &'a Filter,
}

fn shape(plan: &LogicalPlan) -> Option<Shape<'_>> {
    let mut node = plan;
    let mut tops = Vec::new();
    while let LogicalPlan::Projection(p) = node {
        tops.push(p);
        node = p.input.as_ref();
    }
    let LogicalPlan::Aggregate(aggregate) = node else { return None };
    if !aggregate.group_expr.is_empty() || aggregate.aggr_expr.iter().any(has_outer_refs) || tops.iter().any(|p| p.expr.iter().any(has_outer_refs)) {
        return None;
    }
    let mut mids = Vec::new();
    node = aggregate.input.as_ref();
    while let LogicalPlan::Projection(p) = node {
        if p.expr.iter().any(has_outer_refs) {
            return None;
        }
        mids.push(p);
        node = p.input.as_ref();
    }
    let LogicalPlan::Filter(filter) = node else { return None };
    if plan_has_outer_refs(filter.input.as_ref()) {
        return None;
    }
    Some(Shape { tops, aggregate, mids, filter })
}

/// Whether every correlated conjunct is `outer = inner`, which DataFusion
/// decorrelates itself with a plain join.
fn equalities_only(predicate: &Expr) -> bool {
    use datafusion::logical_expr::{BinaryExpr, Operator, utils::split_conjunction};
    split_conjunction(predicate).into_iter().filter(|c| has_outer_refs(c)).all(|c| match c {
        Expr::BinaryExpr(BinaryExpr { left, op: Operator::Eq, right }) => {
            matches!((left.as_ref(), right.as_ref()), (Expr::OuterReferenceColumn(..), e) | (e, Expr::OuterReferenceColumn(..)) if !has_outer_refs(e))
        }
        _ => false,
    })
}

/// The outer columns the predicate reads, in order of appearance.
fn outer_columns(predicate: &Expr) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    let _ = predicate.apply(|x| {
        if let Expr::OuterReferenceColumn(_, c) = x
            && !out.contains(c)
        {
            out.push(c.clone());
        }
        Ok(TreeNodeRecursion::Continue)
    });
    out
}

/// `input` joined with the subquery's value per domain row, and the
/// expression that reads that value; `None` for shapes left alone.
fn decorrelate(input: &LogicalPlan, sq: &Subquery) -> Result<Option<(LogicalPlan, Expr)>> {
    let Some(s) = shape(sq.subquery.as_ref()) else { return Ok(None) };
    let outer = outer_columns(&s.filter.predicate);
    if outer.is_empty() || equalities_only(&s.filter.predicate) {
        return Ok(None);
    }
    let k = NEXT.fetch_add(1, Ordering::Relaxed);
    let names: Vec<String> = (0..outer.len()).map(|i| format!("__domain{k}_{i}")).collect();
    let (value, matched) = (format!("__domain{k}_value"), format!("__domain{k}_matched"));
    let carry = |names: &[String]| names.iter().map(|n| Expr::Column(Column::from_name(n))).collect::<Vec<_>>();
    // The distinct outer values.
    let domain = LogicalPlanBuilder::from(input.clone())
        .project(outer.iter().zip(&names).map(|(c, n)| Expr::Column(c.clone()).alias(n)))?
        .distinct()?
        .build()?;
    // The inner rows matched to each, then the projections and aggregate per domain row.
    let predicate = s.filter.predicate.clone().transform(|x| {
        Ok(match &x {
            Expr::OuterReferenceColumn(_, c) => match outer.iter().position(|o| o == c) {
                Some(i) => Transformed::yes(Expr::Column(Column::from_name(&names[i]))),
                None => Transformed::no(x),
            },
            _ => Transformed::no(x),
        })
    })?;
    let mut plan = LogicalPlanBuilder::from(s.filter.input.as_ref().clone()).join_on(domain, JoinType::Inner, [predicate.data])?;
    for p in s.mids.iter().rev() {
        plan = plan.project(p.expr.iter().cloned().chain(carry(&names)))?;
    }
    plan = plan.aggregate(carry(&names), s.aggregate.aggr_expr.clone())?;
    let mut top_value: Option<Expr> = None;
    for (i, p) in s.tops.iter().rev().enumerate() {
        let last = i + 1 == s.tops.len();
        if last {
            let [e] = p.expr.as_slice() else { return Ok(None) };
            top_value = Some(e.clone());
        }
        plan = plan.project(p.expr.iter().cloned().chain(carry(&names)))?;
    }
    // The value column: the top projection's one expression, or the aggregate's.
    let value_expr = match (&top_value, s.aggregate.aggr_expr.as_slice()) {
        (Some(_), _) => {
            let field = plan.schema().field(0).clone();
            Expr::Column(Column::from_name(field.name()))
        }
        (None, [a]) => Expr::Column(Column::from_name(a.schema_name().to_string())),
        _ => return Ok(None),
    };
    // A count over no rows: the empty aggregate's value must be restored.
    let counted = s.aggregate.aggr_expr.iter().any(counts);
    let empty_value = match (&top_value, counted) {
        (_, false) => None,
        (None, true) => Some(lit(ScalarValue::Int64(Some(0)))),
        // The top expression over the aggregates' values on no rows: 0 for
        // a count, NULL for the others.
        (Some(e), true) if s.tops.len() == 1 => {
            let schema = s.aggregate.schema.clone();
            let replaced = e.clone().unalias().transform(|x| {
                Ok(match &x {
                    Expr::Column(c) => match s.aggregate.aggr_expr.iter().find(|a| a.schema_name().to_string() == c.name) {
                        Some(a) if counts(a) => Transformed::yes(lit(ScalarValue::Int64(Some(0)))),
                        Some(_) => {
                            let t = schema.field_with_unqualified_name(&c.name)?.data_type().clone();
                            Transformed::yes(Expr::Literal(ScalarValue::try_from(&t)?, None))
                        }
                        None => Transformed::no(x),
                    },
                    _ => Transformed::no(x),
                })
            })?;
            Some(replaced.data)
        }
        (Some(_), true) => return Ok(None),
    };
    let right = plan
        .project([value_expr.alias(&value)].into_iter().chain(carry(&names)).chain([lit(true).alias(&matched)]))?
        .build()?;
    let keys: Vec<Column> = names.iter().map(Column::from_name).collect();
    let joined = LogicalPlanBuilder::from(input.clone())
        .join_detailed(right, JoinType::Left, (outer.clone(), keys), None, NullEquality::NullEqualsNull)?
        .build()?;
    let read = Expr::Column(Column::from_name(&value));
    let replacement = match empty_value {
        None => read,
        Some(zero) => Expr::Case(Case::new(
            None,
            vec![(Box::new(Expr::Column(Column::from_name(&matched)).is_null()), Box::new(Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(zero), joined.schema().field_with_unqualified_name(&value)?.data_type().clone()))))],
            Some(Box::new(read)),
        )),
    };
    Ok(Some((joined, replacement)))
}

fn replace(exprs: Vec<Expr>, sq: &Subquery, with: &Expr) -> Result<Vec<Expr>> {
    exprs
        .into_iter()
        .map(|e| {
            e.transform(|x| {
                Ok(match &x {
                    Expr::ScalarSubquery(s) if s == sq => Transformed::yes(with.clone()),
                    _ => Transformed::no(x),
                })
            })
            .map(|t| t.data)
        })
        .collect()
}

impl DecorrelateScalarAggregates {
    fn rewrite_node(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
        // Most nodes hold no correlated subquery: look before copying anything.
        let found = match &plan {
            LogicalPlan::Projection(p) => first_correlated(&p.expr),
            LogicalPlan::Filter(f) => first_correlated(std::slice::from_ref(&f.predicate)),
            _ => None,
        };
        let Some(sq) = found else { return Ok(Transformed::no(plan)) };
        let (input, exprs) = match &plan {
            LogicalPlan::Projection(p) => (p.input.clone(), p.expr.clone()),
            LogicalPlan::Filter(f) => (f.input.clone(), vec![f.predicate.clone()]),
            _ => return Ok(Transformed::no(plan)),
        };
        let Some((joined, read)) = decorrelate(input.as_ref(), &sq)? else { return Ok(Transformed::no(plan)) };
        let exprs = replace(exprs, &sq, &read)?;
        let rebuilt = match &plan {
            LogicalPlan::Projection(_) => LogicalPlan::Projection(Projection::try_new(exprs, Arc::new(joined))?),
            _ => {
                let Some(predicate) = exprs.into_iter().next() else { return Ok(Transformed::no(plan)) };
                let kept: Vec<Expr> = input.schema().columns().into_iter().map(Expr::Column).collect();
                LogicalPlanBuilder::from(joined).filter(predicate)?.project(kept)?.build()?
            }
        };
        // Another correlated subquery in the same node is taken next.
        Ok(Transformed::yes(Self::rewrite_node(rebuilt)?.data))
    }
}

/// An analyzer rule: it runs before DataFusion's optimizer renames the
/// columns the subquery's outer references name.
impl AnalyzerRule for DecorrelateScalarAggregates {
    fn name(&self) -> &str {
        "decorrelate_scalar_aggregates"
    }

    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        Ok(plan.transform_up_with_subqueries(Self::rewrite_node)?.data)
    }
}
