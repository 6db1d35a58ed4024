//! Higher-order functions with lambda arguments (`transform(xs, x -> x + 1)`).
//! The body resolves in a scope of the lambda's parameters and the enclosing
//! columns; it is compiled to a physical expression that `SparkLambda`
//! evaluates over all elements at once. Spark prints lambda variables as
//! `namedlambdavariable()` and the lambda as `lambdafunction(body, vars...)`.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields, Schema};
use datafusion::common::DFSchema;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{EmptyRelation, Expr as DfExpr, LogicalPlan};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use datafusion::physical_expr::create_physical_expr;
use spark_functions::lambda::{CompiledLambda, LambdaKind, SparkLambda};
use spark_plan::Expr;

use super::ResolvedExpr;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

const VARIABLE: &str = "namedlambdavariable()";

fn element(t: &ArrowType) -> ArrowType {
    match t {
        ArrowType::List(f) | ArrowType::LargeList(f) | ArrowType::FixedSizeList(f, _) => f.data_type().clone(),
        _ => ArrowType::Null,
    }
}

fn map_kv(t: &ArrowType) -> (ArrowType, ArrowType) {
    match t {
        ArrowType::Map(f, _) => match f.data_type() {
            ArrowType::Struct(fs) if fs.len() == 2 => (fs[0].data_type().clone(), fs[1].data_type().clone()),
            _ => (ArrowType::Null, ArrowType::Null),
        },
        _ => (ArrowType::Null, ArrowType::Null),
    }
}

fn map_type(k: ArrowType, v: ArrowType) -> ArrowType {
    let entries = Fields::from(vec![Field::new("key", k, false), Field::new("value", v, true)]);
    ArrowType::Map(Arc::new(Field::new("entries", ArrowType::Struct(entries), false)), false)
}

/// A lambda resolved and compiled, with the enclosing columns it reads.
struct Lambda {
    compiled: CompiledLambda,
    outer: Vec<String>,
    body_type: ArrowType,
    /// Whether the body can be NULL, by Spark's rules.
    body_nullable: bool,
    name: String,
}

impl Resolver<'_> {
    /// A higher-order function called with lambdas (`kind` of `lower`).
    pub(crate) fn resolve_higher_order(&mut self, lower: &str, kind: LambdaKind, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let first_lambda = args.iter().position(|a| matches!(a, Expr::Lambda { .. })).unwrap_or(args.len());
        let values = args[..first_lambda].iter().map(|a| self.resolve_expr(a, scope)).collect::<ResolveResult<Vec<_>>>()?;
        let types = values.iter().map(|v| self.arrow_type(&v.expr, scope)).collect::<ResolveResult<Vec<_>>>()?;
        let lambdas = &args[first_lambda..];
        let wrong = || crate::functions::wrong_args(lower, args.len(), "2");
        let t0 = types.first().cloned().ok_or_else(wrong)?;
        let param_types: Vec<ArrowType> = match kind {
            LambdaKind::Transform | LambdaKind::Filter => vec![element(&t0), ArrowType::Int32],
            // exists and forall take the element only.
            LambdaKind::Exists | LambdaKind::Forall => vec![element(&t0)],
            LambdaKind::Aggregate => vec![types.get(1).cloned().ok_or_else(wrong)?, element(&t0)],
            LambdaKind::ZipWith => vec![element(&t0), element(types.get(1).ok_or_else(wrong)?)],
            LambdaKind::ArraySort => vec![element(&t0), element(&t0)],
            LambdaKind::MapZipWith => {
                let (k, v1) = map_kv(&t0);
                let (k2, v2) = map_kv(types.get(1).ok_or_else(wrong)?);
                if k != k2 && !k.is_null() && !k2.is_null() {
                    let show = |t: &ArrowType| crate::types::from_arrow(t).map(|t| t.sql()).unwrap_or_else(|_| t.to_string());
                    return Err(ResolveError::analysis(
                        "DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES",
                        "42K09",
                        format!("Cannot resolve \"{lower}\" due to data type mismatch: Input to the `map_zip_with` should have been two maps with compatible key types, but it's [\"{}\", \"{}\"].", show(&t0), show(&types[1])),
                        &[],
                    ));
                }
                vec![if k.is_null() { k2 } else { k }, v1, v2]
            }
            _ => {
                let (k, v) = map_kv(&t0);
                vec![k, v]
            }
        };
        // A higher-order function reads an array (a map), never a bare NULL.
        if t0.is_null() {
            let wanted = if matches!(kind, LambdaKind::MapFilter | LambdaKind::MapZipWith | LambdaKind::TransformKeys | LambdaKind::TransformValues) { "\"MAP\"" } else { "\"ARRAY\"" };
            let mut names: Vec<String> = values.iter().map(|v| v.name.clone()).collect();
            for l in lambdas {
                let nullable = vec![true; param_types.len()];
                names.push(self.compile_lambda(l, &param_types, &nullable, scope).map(|c| c.name).unwrap_or_else(|_| "lambdafunction()".into()));
            }
            let sql = format!("{lower}({})", names.join(", "));
            return Err(crate::functions::type_mismatch_sql(&sql, 0, &values[0].name, &t0, wanted));
        }
        // What merge returns must be the zero's type, as Spark checks.
        if kind == LambdaKind::Aggregate {
            let merge = self.compile_lambda(lambdas.first().ok_or_else(wrong)?, &param_types, &vec![true; param_types.len()], scope)?;
            if merge.body_type != param_types[0] {
                let mut names: Vec<String> = values.iter().map(|v| v.name.clone()).collect();
                names.push(merge.name.clone());
                let finish = match lambdas.get(1) {
                    Some(l) => self.compile_lambda(l, std::slice::from_ref(&merge.body_type), &[true], scope)?.name,
                    None => format!("lambdafunction({VARIABLE}, {VARIABLE})"),
                };
                names.push(finish);
                let sql = format!("{lower}({})", names.join(", "));
                let required = format!("\"{}\"", crate::types::from_arrow(&param_types[0])?.sql());
                return Err(crate::functions::type_mismatch_sql(&sql, 2, &merge.name, &merge.body_type, &required));
            }
        }
        if lambdas.is_empty() {
            return Err(wrong());
        }
        self.finish_higher_order(lower, kind, values, &t0, lambdas, &param_types, scope)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_higher_order(
        &mut self,
        lower: &str,
        kind: LambdaKind,
        values: Vec<ResolvedExpr>,
        t0: &ArrowType,
        lambdas: &[Expr],
        param_types: &[ArrowType],
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        // Spark knows an element of `array(1, 2)` is never NULL; an index never is.
        let element_nullable = match values.first().and_then(|v| crate::nested_nullability::spark_type(&v.expr, &scope.plan)) {
            Some(ArrowType::List(f)) => f.is_nullable(),
            _ => true,
        };
        let param_nullable = match kind {
            LambdaKind::Transform | LambdaKind::Filter => vec![element_nullable, false],
            LambdaKind::Exists | LambdaKind::Forall => vec![element_nullable],
            _ => vec![true; param_types.len()],
        };
        let main = self.compile_lambda(&lambdas[0], param_types, &param_nullable, scope)?;
        if kind == LambdaKind::ArraySort && main.body_type != ArrowType::Int32 {
            let mut names: Vec<String> = values.iter().map(|v| v.name.clone()).collect();
            names.push(main.name.clone());
            let sql = format!("{lower}({})", names.join(", "));
            let actual = crate::types::from_arrow(&main.body_type)?.sql();
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_RETURN_TYPE",
                "42K09",
                format!("Cannot resolve \"{sql}\" due to data type mismatch: The `lambdafunction` requires return \"INT\" type, but the actual is \"{actual}\" type."),
                &[("sqlExpr", format!("\"{sql}\"")), ("functionName", "`lambdafunction`".into()), ("expectedType", "\"INT\"".into()), ("actualType", format!("\"{actual}\""))],
            ));
        }
        let finish = match (kind, lambdas.get(1)) {
            (LambdaKind::Aggregate, Some(f)) => Some(self.compile_lambda(f, &[main.body_type.clone()], &[true], scope)?),
            _ => None,
        };
        let return_type = match kind {
            LambdaKind::Transform | LambdaKind::ZipWith => ArrowType::List(Arc::new(Field::new("element", main.body_type.clone(), true))),
            LambdaKind::Filter | LambdaKind::MapFilter | LambdaKind::ArraySort => t0.clone(),
            LambdaKind::Exists | LambdaKind::Forall => ArrowType::Boolean,
            LambdaKind::Aggregate => finish.as_ref().map(|f| f.body_type.clone()).unwrap_or(main.body_type.clone()),
            LambdaKind::TransformKeys => map_type(main.body_type.clone(), map_kv(t0).1),
            LambdaKind::TransformValues | LambdaKind::MapZipWith => map_type(map_kv(t0).0, main.body_type.clone()),
        };
        let mut names: Vec<String> = values.iter().map(|v| v.name.clone()).collect();
        names.push(main.name.clone());
        if kind == LambdaKind::Aggregate {
            names.push(finish.as_ref().map(|f| f.name.clone()).unwrap_or_else(|| format!("lambdafunction({VARIABLE}, {VARIABLE})")));
        }
        let name = format!("{lower}({})", names.join(", "));
        let collections = values.len();
        let nullable = match kind {
            LambdaKind::Exists | LambdaKind::Forall => main.body_nullable || values.iter().any(|v| self.is_nullable(v, scope)),
            LambdaKind::Aggregate => true,
            _ => values.iter().any(|v| self.is_nullable(v, scope)),
        };
        let mut call_args: Vec<DfExpr> = values.into_iter().map(|v| v.expr).collect();
        // Every enclosing column either body reads, passed after the collections.
        let mut outer: Vec<String> = main.outer.clone();
        if let Some(f) = &finish {
            for o in &f.outer {
                if !outer.contains(o) {
                    outer.push(o.clone());
                }
            }
        }
        if finish.as_ref().is_some_and(|f| f.outer != outer) || main.outer != outer {
            return Err(ResolveError::unsupported("an aggregate whose merge and finish read different columns"));
        }
        call_args.extend(outer.iter().map(|id| id_col(id)));
        let udf = SparkLambda::udf(kind, &name, main.compiled, finish.map(|f| f.compiled), return_type, collections);
        Ok(ResolvedExpr::new(DfExpr::ScalarFunction(ScalarFunction::new_udf(udf, call_args)), name).with_nullable(nullable))
    }

    fn compile_lambda(&mut self, lambda: &Expr, param_types: &[ArrowType], param_nullable: &[bool], scope: &ResolvedRelation) -> ResolveResult<Lambda> {
        let Expr::Lambda { params, body } = lambda else {
            return Err(ResolveError::invalid("expected a lambda function"));
        };
        if params.len() > param_types.len() || params.is_empty() {
            return Err(ResolveError::analysis(
                "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH",
                "42K0D",
                // Spark's wording: the lambda's parameter count is "expected".
                format!("Invalid lambda function call. A higher order function expects {} arguments, but got {}.", params.len(), param_types.len()),
                &[],
            ));
        }
        // The scope: parameters, then the enclosing columns they do not shadow.
        let ids: Vec<String> = params.iter().map(|_| fresh_id()).collect();
        let mut fields: Vec<Field> = ids.iter().zip(param_types).map(|(id, t)| Field::new(id, t.clone(), true)).collect();
        let mut columns: Vec<ResolvedColumn> = ids
            .iter()
            .zip(params)
            .enumerate()
            .map(|(i, (id, p))| ResolvedColumn { nullable: Some(param_nullable.get(i).copied().unwrap_or(true)), ..ResolvedColumn::new(id.clone(), p.clone()) })
            .collect();
        for c in &scope.columns {
            if params.iter().any(|p| self.config.name_eq(p, &c.name)) {
                continue;
            }
            if let Ok(f) = scope.plan.schema().field_with_unqualified_name(&c.id) {
                fields.push(f.as_ref().clone().with_name(c.id.clone()));
                columns.push(c.clone());
            }
        }
        let arrow_schema = Arc::new(Schema::new(fields));
        let df_schema = Arc::new(DFSchema::try_from(arrow_schema.as_ref().clone())?);
        let plan = LogicalPlan::EmptyRelation(EmptyRelation { produce_one_row: false, schema: df_schema.clone() });
        let lambda_scope = ResolvedRelation { plan, columns };
        self.lambda_ids.extend(ids.iter().cloned());
        let resolved = self.resolve_expr(body, &lambda_scope);
        let resolved = resolved?;
        // The enclosing columns the body reads.
        let mut outer: Vec<String> = Vec::new();
        let _ = resolved.expr.apply(|e| {
            if let DfExpr::Column(c) = e {
                if !ids.contains(&c.name) && !outer.contains(&c.name) {
                    outer.push(c.name.clone());
                }
            }
            Ok(TreeNodeRecursion::Continue)
        });
        // The batch the body sees: parameters, then those columns.
        let mut batch_fields: Vec<Field> = ids.iter().zip(param_types).map(|(id, t)| Field::new(id, t.clone(), true)).collect();
        for o in &outer {
            let f = arrow_schema.field_with_name(o).map_err(|e| ResolveError::invalid(e.to_string()))?;
            batch_fields.push(f.clone());
        }
        let batch_schema = Arc::new(Schema::new(batch_fields));
        let batch_df = DFSchema::try_from(batch_schema.as_ref().clone())?;
        let props = datafusion::execution::context::ExecutionProps::new();
        let context = datafusion::logical_expr::simplify::SimplifyContext::builder().with_schema(Arc::new(batch_df.clone())).build();
        let simplifier = ExprSimplifier::new(context);
        // Simplified as the optimizer simplifies query expressions: some
        // functions (`coalesce`, `nvl`, ...) exist only until rewritten.
        let coerced = simplifier.simplify(simplifier.coerce(resolved.expr.clone(), &batch_df)?)?;
        let body_type = self.arrow_type(&resolved.expr, &lambda_scope)?;
        let body_nullable = self.is_nullable(&resolved, &lambda_scope);
        let physical = create_physical_expr(&coerced, &batch_df, &props, &datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext::default())?;
        let name = format!("lambdafunction({}, {})", resolved.name, vec![VARIABLE; params.len()].join(", "));
        Ok(Lambda { compiled: CompiledLambda { body: physical, schema: batch_schema, params: params.len() }, outer, body_type, body_nullable, name })
    }
}
