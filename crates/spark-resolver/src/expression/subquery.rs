//! Subquery expressions: scalar, EXISTS and IN.

use std::sync::Arc;

use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::{Expr as DfExpr, Subquery};
use spark_plan::{Expr, Relation};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// The one column of `plan` as a single row: its only value, NULL for no
/// row, an error for more.
fn single_row(plan: &datafusion::logical_expr::LogicalPlan) -> ResolveResult<datafusion::logical_expr::LogicalPlan> {
    use datafusion::logical_expr::expr::AggregateFunction;
    let (qualifier, field) = plan.schema().qualified_field(0);
    let column = DfExpr::Column(datafusion::common::Column::from((qualifier, field)));
    let value = AggregateFunction::new_udf(spark_functions::single_value::SingleValue::udaf(), vec![column], false, None, vec![], None);
    Ok(datafusion::logical_expr::LogicalPlanBuilder::from(plan.clone())
        .aggregate(Vec::<DfExpr>::new(), vec![DfExpr::AggregateFunction(value).alias(field.name())])?
        .build()?)
}

/// The outer columns a correlated subquery reads, as Spark lists them in
/// its name (`scalarsubquery(a, b)`, `exists(a)`, `listquery(a)`).
fn outer_names(sub: &Subquery, scope: &ResolvedRelation) -> String {
    let mut names: Vec<String> = Vec::new();
    for e in &sub.outer_ref_columns {
        if let DfExpr::OuterReferenceColumn(_, c) = e {
            if let Some(col) = scope.columns.iter().find(|sc| sc.id == c.name) {
                if !names.contains(&col.name) {
                    names.push(col.name.clone());
                }
            }
        }
    }
    names.join(", ")
}

impl Resolver<'_> {
    /// Resolves a subquery with the enclosing scope visible for correlation.
    fn resolve_subquery_plan(&mut self, plan: &Relation, scope: &ResolvedRelation) -> ResolveResult<(Subquery, ResolvedRelation)> {
        self.outer.push(scope.clone());
        let r = self.resolve_query(plan);
        self.outer.pop();
        let r = r?;
        let outer_ref_columns = r.plan.all_out_ref_exprs();
        let sub = Subquery { subquery: Arc::new(r.plan.clone()), outer_ref_columns, spans: Default::default() };
        Ok((sub, r))
    }

    pub(crate) fn resolve_scalar_subquery(&mut self, plan: &Relation, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let (sub, r) = self.resolve_subquery_plan(plan, scope)?;
        if r.columns.len() != 1 {
            return Err(ResolveError::analysis(
                "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
                "42823",
                format!("Invalid subquery: Scalar subquery must return only one column, but got {}.", r.columns.len()),
                &[("number", r.columns.len().to_string())],
            ));
        }
        let name = format!("scalarsubquery({})", outer_names(&sub, scope));
        // No row gives NULL, whatever the subquery's own nullability.
        // No row gives NULL: an uncorrelated subquery runs as its own plan,
        // whose column may be typed non-nullable; a correlated one becomes
        // an outer join (which DataFusion only finds at the top of an
        // expression) and is nullable there already.
        let correlated = !sub.outer_ref_columns.is_empty();
        let expr = if correlated {
            DfExpr::ScalarSubquery(sub)
        } else {
            // More than one row is Spark's SCALAR_SUBQUERY_TOO_MANY_ROWS.
            let sub = Subquery { subquery: Arc::new(single_row(&sub.subquery)?), ..sub };
            crate::functions::call_udf(spark_functions::maybe_null::MaybeNull::udf(), vec![DfExpr::ScalarSubquery(sub)])
        };
        Ok(ResolvedExpr { expr, name, nullable: Some(true) })
    }

    pub(crate) fn resolve_exists(&mut self, plan: &Relation, negated: bool, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let (sub, _) = self.resolve_subquery_plan(plan, scope)?;
        let name = format!("exists({})", outer_names(&sub, scope));
        let e = DfExpr::Exists(Exists::new(sub, negated));
        Ok(ResolvedExpr::new(e, if negated { format!("(NOT {name})") } else { name }))
    }

    pub(crate) fn resolve_in_subquery(
        &mut self,
        values: &[Expr],
        plan: &Relation,
        negated: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let [value] = values else {
            return Err(ResolveError::unsupported("IN with several values and a subquery"));
        };
        let v = self.resolve_expr(value, scope)?;
        let (mut sub, r) = self.resolve_subquery_plan(plan, scope)?;
        // `(a, b) IN (SELECT x, y ...)`: the row against each row of the
        // subquery, as one struct against a struct of its columns.
        if let Expr::Function { name, args, .. } = value
            && name == "named_struct"
            && args.len() > 2
        {
            let datafusion::arrow::datatypes::DataType::Struct(fields) = self.arrow_type(&v.expr, scope)? else {
                return Err(ResolveError::invalid("a row constructor that is not a struct"));
            };
            if fields.len() != r.columns.len() {
                return Err(ResolveError::analysis(
                    "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH",
                    "42K09",
                    format!(
                        "Cannot resolve \"{}\" due to data type mismatch: The number of columns in the left hand side of an IN subquery does not match the number of columns in the output of subquery. Left hand side columns(length: {}), right hand side columns(length: {}).",
                        v.name,
                        fields.len(),
                        r.columns.len()
                    ),
                    &[],
                ));
            }
            let mut parts = Vec::with_capacity(fields.len() * 2);
            for (f, c) in fields.iter().zip(&r.columns) {
                parts.push(datafusion::logical_expr::lit(f.name().as_str()));
                parts.push(crate::functions::cast(crate::resolver::id_col(&c.id), f.data_type().clone()));
            }
            let row = crate::functions::call_udf(crate::functions::registry_udf("named_struct")?, parts).alias("row");
            // A row with a NULL field never matches (Spark compares field by field).
            let complete = r.columns.iter().map(|c| crate::resolver::id_col(&c.id).is_not_null()).reduce(DfExpr::and);
            let mut builder = datafusion::logical_expr::LogicalPlanBuilder::from(r.plan.clone());
            if let Some(complete) = complete {
                builder = builder.filter(complete)?;
            }
            let plan = builder.project(vec![row])?.build()?;
            sub = Subquery { subquery: Arc::new(plan), outer_ref_columns: sub.outer_ref_columns, spans: Default::default() };
        }
        let n = format!("({} IN (listquery({})))", v.name, outer_names(&sub, scope));
        // Nullable as its value and the subquery's column are.
        let nullable = self.is_nullable(&v, scope) || sub.subquery.schema().fields().iter().any(|f| f.is_nullable());
        let e = DfExpr::InSubquery(InSubquery::new(Box::new(v.expr), sub, negated));
        let mut r = ResolvedExpr::new(e, if negated { format!("(NOT {n})") } else { n });
        r.nullable = Some(nullable);
        Ok(r)
    }
}
