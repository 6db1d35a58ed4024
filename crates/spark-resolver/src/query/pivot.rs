//! `groupBy(...).pivot(col[, values]).agg(...)`, as Spark plans it: the
//! aggregates are computed per (grouping columns, pivot value), then one
//! output column per pivot value (and aggregate) takes the aggregate of its
//! value, NULL where a group has no rows with it. Without listed values the
//! distinct values of the pivot column are computed first, sorted, at most
//! `spark.sql.pivotMaxValues` (10 000) of them.

use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::first_last::first_value_udaf;
use datafusion::logical_expr::expr::{AggregateFunction, Sort};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder, lit};
use spark_plan::{AggregateKind, Expr, Relation, RelationKind};

use crate::expression::constant_value;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

const PIVOT_MAX_VALUES: usize = 10_000;

/// The column name Spark gives a pivot value (`value.toString`, `null`,
/// `{1, x}` for the struct of several pivot columns).
fn value_name(v: &ScalarValue) -> String {
    if v.is_null() {
        return "null".into();
    }
    if let ScalarValue::Struct(s) = v {
        let fields: Vec<String> =
            s.columns().iter().map(|c| ScalarValue::try_from_array(c, 0).map(|f| value_name(&f)).unwrap_or_default()).collect();
        return format!("{{{}}}", fields.join(", "));
    }
    match v.cast_to(&ArrowType::Utf8) {
        Ok(ScalarValue::Utf8(Some(s))) => s,
        _ => v.to_string(),
    }
}

impl Resolver<'_> {
    pub(crate) fn resolve_pivot(
        &mut self,
        input: &Relation,
        column: &Expr,
        values: &[Expr],
        grouping: &[Expr],
        aggregates: &[Expr],
    ) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let pivot = self.resolve_expr(column, &r)?;
        let pivot_type = self.arrow_type(&pivot.expr, &r)?;
        // `'a' AS x` names the pivot column x.
        let value_aliases: Vec<Option<String>> = values
            .iter()
            .map(|v| match v {
                Expr::Alias { names, .. } => names.first().cloned(),
                _ => None,
            })
            .collect();
        let values = if values.is_empty() {
            self.pivot_values(&r, pivot.expr.clone())?
        } else {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                let e = self.resolve_expr(v, &r)?;
                let Some(s) = constant_value(&e.expr) else {
                    return Err(ResolveError::analysis(
                        "NON_LITERAL_PIVOT_VALUES",
                        "42K08",
                        format!("Literal expressions required for pivot values, found \"{}\".", e.name),
                        &[],
                    ));
                };
                out.push(cast_value(&s, &pivot_type).map_err(|_| {
                    ResolveError::analysis(
                        "PIVOT_VALUE_DATA_TYPE_MISMATCH",
                        "42K09",
                        format!("Invalid pivot value '{}': value data type {} does not match pivot column data type {}.", e.name, spark_type(&s.data_type()), spark_type(&pivot_type)),
                        &[],
                    )
                })?);
            }
            out
        };
        // 1. The aggregates per group and pivot value.
        let pivot_alias = format!("__pivot{}", fresh_id());
        let mut first_items: Vec<Expr> = grouping.to_vec();
        first_items.push(Expr::Alias { expr: Box::new(column.clone()), names: vec![pivot_alias.clone()], metadata: None });
        let agg_names: Vec<String> = aggregates.iter().map(|a| self.resolve_expr(a, &r).map(|x| x.name)).collect::<ResolveResult<_>>()?;
        for (i, a) in aggregates.iter().enumerate() {
            first_items.push(Expr::Alias { expr: Box::new(strip_alias(a).clone()), names: vec![format!("__agg{i}")], metadata: None });
        }
        let mut first_grouping = grouping.to_vec();
        first_grouping.push(column.clone());
        let first = Relation::new(RelationKind::Aggregate {
            input: Box::new(input.clone()),
            kind: AggregateKind::GroupBy,
            grouping: first_grouping,
            aggregates: first_items,
            having: None,
        });
        let p1 = self.resolve(&first)?;
        let (group_cols, rest) = p1.columns.split_at(grouping.len());
        let pivot_id = rest[0].id.clone();
        let agg_ids: Vec<String> = rest[1..].iter().map(|c| c.id.clone()).collect();
        // 2. One column per pivot value and aggregate.
        let mut aggr = Vec::new();
        let mut columns: Vec<ResolvedColumn> = group_cols.iter().map(|c| ResolvedColumn { id: fresh_id(), ..c.clone() }).collect();
        for (k, v) in values.iter().enumerate() {
            let shown = value_aliases.get(k).cloned().flatten().unwrap_or_else(|| value_name(v));
            for (i, agg_id) in agg_ids.iter().enumerate() {
                let name = if agg_ids.len() == 1 { shown.clone() } else { format!("{shown}_{}", agg_names[i]) };
                let id = fresh_id();
                let filter = datafusion::logical_expr::binary_expr(id_col(&pivot_id), datafusion::logical_expr::Operator::IsNotDistinctFrom, lit(v.clone()));
                let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(first_value_udaf(), vec![id_col(agg_id)], false, Some(Box::new(filter)), vec![], None));
                aggr.push(e.alias(id.clone()));
                columns.push(ResolvedColumn { nullable: Some(true), ..ResolvedColumn::new(id, name) });
            }
        }
        let groups: Vec<DfExpr> = group_cols.iter().zip(&columns).map(|(c, out)| id_col(&c.id).alias(out.id.clone())).collect();
        let plan = LogicalPlanBuilder::from(p1.plan).aggregate(groups, aggr)?.build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// SQL's PIVOT groups by the input columns that neither the aggregates
    /// nor the pivot column refer to.
    pub(crate) fn pivot_implicit_grouping(&mut self, input: &Relation, column: &Expr, aggregates: &[Expr]) -> ResolveResult<Vec<Expr>> {
        let r = self.resolve(input)?;
        let mut used = std::collections::HashSet::new();
        for e in aggregates.iter().chain(std::iter::once(column)) {
            let resolved = self.resolve_expr(e, &r)?;
            for c in resolved.expr.column_refs() {
                used.insert(c.name.clone());
            }
        }
        Ok(r.visible().filter(|c| !used.contains(&c.id)).map(|c| Expr::column(&c.name)).collect())
    }

    /// The sorted distinct values of the pivot column.
    fn pivot_values(&mut self, r: &ResolvedRelation, pivot: DfExpr) -> ResolveResult<Vec<ScalarValue>> {
        let id = fresh_id();
        let plan = LogicalPlanBuilder::from(r.plan.clone())
            .project(vec![pivot.alias(id.clone())])?
            .distinct()?
            .sort(vec![Sort::new(id_col(&id), true, true)])?
            .limit(0, Some(PIVOT_MAX_VALUES + 1))?
            .build()?;
        let batches = self.run(plan, "pivot without values")?;
        let mut out = Vec::new();
        for b in &batches {
            let a = b.column(0);
            for i in 0..a.len() {
                out.push(ScalarValue::try_from_array(a, i)?);
            }
        }
        if out.len() > PIVOT_MAX_VALUES {
            return Err(ResolveError::analysis(
                "PIVOT_VALUE_LIMIT_EXCEEDED",
                "54001",
                format!("The pivot column has more than {PIVOT_MAX_VALUES} distinct values, this could indicate an error. If this was intended, set spark.sql.pivotMaxValues to at least the number of distinct values of the pivot column."),
                &[],
            ));
        }
        Ok(out)
    }
}

/// A listed pivot value as the pivot column's type; a tuple of values for
/// several pivot columns matches their struct by position.
fn cast_value(v: &ScalarValue, to: &ArrowType) -> datafusion::common::Result<ScalarValue> {
    match (v, to) {
        (ScalarValue::Struct(s), ArrowType::Struct(fields)) => {
            if s.num_columns() != fields.len() {
                return datafusion::common::plan_err!("pivot value has {} fields, the pivot columns {}", s.num_columns(), fields.len());
            }
            let columns = s
                .columns()
                .iter()
                .zip(fields.iter())
                .map(|(c, f)| datafusion::arrow::compute::cast(c, f.data_type()))
                .collect::<Result<Vec<_>, _>>()?;
            let array = datafusion::arrow::array::StructArray::try_new(fields.clone(), columns, None)?;
            Ok(ScalarValue::Struct(std::sync::Arc::new(array)))
        }
        (ScalarValue::Struct(_), _) | (_, ArrowType::Struct(_)) => datafusion::common::plan_err!("pivot value type mismatch"),
        _ => v.cast_to(to),
    }
}

/// A type as Spark prints it in messages (`struct<a:int,b:string>`).
fn spark_type(t: &ArrowType) -> String {
    crate::types::from_arrow(t).map(|d| d.simple_string()).unwrap_or_else(|_| t.to_string())
}

fn strip_alias(e: &Expr) -> &Expr {
    match e {
        Expr::Alias { expr, .. } => expr,
        other => other,
    }
}
