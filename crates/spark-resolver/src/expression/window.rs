//! Window functions: `f(...) OVER (PARTITION BY ... ORDER BY ... frame)`.

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::expr::{Sort, WindowFunction, WindowFunctionParams};
use datafusion::logical_expr::{
    Expr as DfExpr, WindowFrame as DfFrame, WindowFrameBound as DfBound, WindowFrameUnits,
    WindowFunctionDefinition,
};
use spark_plan::{Expr, SortOrder, WindowFrame};

use super::ResolvedExpr;
use super::function::FunctionCall;
use crate::functions::{self, DefaultFrame};
use crate::functions::window::unbounded;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn not_for_window(lower: &str) -> ResolveError {
    ResolveError::analysis(
        "UNSUPPORTED_EXPR_FOR_WINDOW",
        "42P20",
        format!("Expression \"{lower}\" not supported within a window function."),
        &[("sqlExpr", format!("\"{lower}\""))],
    )
}

impl Resolver<'_> {
    pub(crate) fn resolve_sort_order(&mut self, so: &SortOrder, scope: &ResolvedRelation) -> ResolveResult<(Sort, String)> {
        let r = self.resolve_expr(&so.expr, scope)?;
        let nulls_first = so.nulls_first();
        let name = format!(
            "{} {} {}",
            r.name,
            if so.ascending { "ASC" } else { "DESC" },
            if nulls_first { "NULLS FIRST" } else { "NULLS LAST" }
        );
        let key_type = self.arrow_type(&r.expr, scope)?;
        if spark_functions::variant::is_variant_type(&key_type) || crate::types::contains_map(&key_type) {
            let type_sql = if crate::types::contains_map(&key_type) { crate::types::from_arrow(&key_type).map(|d| d.sql()).unwrap_or_default() } else { "VARIANT".into() };
            return Err(ResolveError::invalid_ordering_type(&name, "sortorder", &type_sql));
        }
        Ok((r.expr.sort(so.ascending, nulls_first), name))
    }

    /// Spark's checks of ranking and offset functions: they need an ORDER BY
    /// (WINDOW_FUNCTION_FRAME_NOT_ORDERED), `lag`/`lead` take no frame, and
    /// the others only their own.
    fn check_required_frame(
        &mut self,
        lower: &str,
        kind: DefaultFrame,
        shown: &str,
        ordered: bool,
        frame: Option<&WindowFrame>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<()> {
        use spark_plan::{FrameType, WindowFrameBound as B};
        let required = match (kind, lower) {
            (DefaultFrame::Offset { .. }, _) => None,
            (DefaultFrame::Ranking, "counter_diff") => return Ok(()),
            (DefaultFrame::Ranking, _) => Some(FrameType::Rows),
            (DefaultFrame::Distribution, "cume_dist") => Some(FrameType::Range),
            _ => return Ok(()),
        };
        if !ordered {
            return Err(ResolveError::analysis(
                "WINDOW_FUNCTION_FRAME_NOT_ORDERED",
                "42601",
                format!("Window function {lower} requires the window to be ordered. You need to add an ORDER BY clause. For example: SELECT {shown} OVER (PARTITION BY window_partition ORDER BY window_ordering) FROM table."),
                &[("wf_name", lower.to_string()), ("wf_expr", shown.to_string())],
            ));
        }
        let Some(f) = frame else { return Ok(()) };
        let Some(required) = required else {
            return Err(ResolveError::analysis("_LEGACY_ERROR_TEMP_1035", "", format!("Cannot specify window frame for {lower} function."), &[("prettyName", lower.to_string())]));
        };
        if f.frame_type == required && f.lower == B::UnboundedPreceding && f.upper == B::CurrentRow {
            return Ok(());
        }
        let mut bound = |b: &B| -> ResolveResult<String> {
            Ok(match b {
                B::CurrentRow => "currentrow$()".into(),
                B::UnboundedPreceding => "unboundedpreceding$()".into(),
                B::UnboundedFollowing => "unboundedfollowing$()".into(),
                B::Value(e) => {
                    let r = self.resolve_expr(e, scope)?;
                    match crate::expression::constant_value(&r.expr) {
                        Some(v) if !v.is_null() => v.to_string(),
                        _ => r.name,
                    }
                }
            })
        };
        let unit = |t: FrameType| if t == FrameType::Rows { "RowFrame" } else { "RangeFrame" };
        let wf = format!("specifiedwindowframe({}, {}, {})", unit(f.frame_type), bound(&f.lower)?, bound(&f.upper)?);
        let required = format!("specifiedwindowframe({}, unboundedpreceding$(), currentrow$())", unit(required));
        Err(ResolveError::analysis(
            "_LEGACY_ERROR_TEMP_1036",
            "",
            format!("Window Frame {wf} must match the required frame {required}."),
            &[("wf", wf.clone()), ("required", required.clone())],
        ))
    }

    pub(crate) fn resolve_window(
        &mut self,
        function: &Expr,
        partition_by: &[Expr],
        order_by: &[SortOrder],
        frame: Option<&WindowFrame>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let (resolved, frame_kind, args, distinct, lower) = match function {
            Expr::Function { name, args, distinct, filter, within_group } => {
                let lower = name.to_ascii_lowercase();
                let entry = functions::lookup(&lower).ok_or_else(|| functions::unknown(name))?;
                if entry.is_generator() {
                    return Err(not_for_window(&lower));
                }
                let call = FunctionCall { name, args, distinct: *distinct, filter: filter.as_deref(), within_group };
                (self.resolve_call(entry, &lower, &call, scope)?, entry.frame, args.as_slice(), *distinct, lower)
            }
            // A grouped-aggregate pandas_udf over a window: its values are
            // gathered over the frame, one group per row.
            Expr::PythonUdf { function, args } => {
                if !spark_python::EvalType::from_code(function.eval_type).is_grouped_aggregate() {
                    return Err(not_for_window(&function.name));
                }
                (self.resolve_python_udf(function, args, scope)?, DefaultFrame::Aggregate, args.as_slice(), false, function.name.clone())
            }
            _ => return Err(ResolveError::invalid("a window expression needs a function")),
        };
        let mut partitions = Vec::new();
        let mut partition_names = Vec::new();
        for p in partition_by {
            let r = self.resolve_expr(p, scope)?;
            partitions.push(r.expr);
            partition_names.push(r.name);
        }
        let mut orders = Vec::new();
        let mut order_names = Vec::new();
        for o in order_by {
            let (s, n) = self.resolve_sort_order(o, scope)?;
            orders.push(s);
            order_names.push(n);
        }
        self.check_required_frame(&lower, frame_kind, &resolved.name, !orders.is_empty(), frame, scope)?;
        let full = || DfFrame::new_bounds(WindowFrameUnits::Rows, DfBound::Preceding(unbounded()), DfBound::Following(unbounded()));
        let (df_frame, frame_name) = match frame {
            Some(f) => self.window_frame(f, &orders, &order_names, scope)?,
            None if orders.is_empty() => (full(), "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING".to_string()),
            None if frame_kind.is_ranking() => (
                DfFrame::new_bounds(WindowFrameUnits::Rows, DfBound::Preceding(unbounded()), DfBound::CurrentRow),
                "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
            ),
            None => (DfFrame::new(Some(false)), "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string()),
        };
        let frame_name = match frame_kind {
            DefaultFrame::Offset { lag } => {
                let offset = match args.get(1) {
                    Some(a) => Some(self.resolve_expr(a, scope)?.name),
                    None => None,
                };
                functions::window::offset_frame(lag, offset.as_deref())
            }
            _ => frame_name,
        };
        // The call's outermost aggregate or window functions compute over the
        // window; an aggregate in their arguments (`sum(sum(x)) OVER ()`)
        // stays a grouping aggregate.
        let mut windowed = false;
        let expr = resolved
            .expr
            .transform_down(|e| {
                let over = |fun, args, filter, null_treatment, distinct| {
                    let params = WindowFunctionParams {
                        args,
                        partition_by: partitions.clone(),
                        order_by: orders.clone(),
                        window_frame: df_frame.clone(),
                        filter,
                        null_treatment,
                        distinct,
                    };
                    DfExpr::WindowFunction(Box::new(WindowFunction { fun, params }))
                };
                Ok(match e {
                    DfExpr::AggregateFunction(a) => {
                        windowed = true;
                        let p = a.params;
                        // first_value, last_value and nth_value over a window are the window
                        // functions, which any frame can slide (the aggregates cannot retract).
                        let fun = match a.func.name() {
                            "first_value" => WindowFunctionDefinition::WindowUDF(datafusion::functions_window::nth_value::first_value_udwf()),
                            "last_value" => WindowFunctionDefinition::WindowUDF(datafusion::functions_window::nth_value::last_value_udwf()),
                            "nth_value" => WindowFunctionDefinition::WindowUDF(datafusion::functions_window::nth_value::nth_value_udwf()),
                            _ => WindowFunctionDefinition::AggregateUDF(a.func),
                        };
                        let w = over(fun, p.args, p.filter, p.null_treatment, p.distinct);
                        Transformed::new(w, true, TreeNodeRecursion::Jump)
                    }
                    DfExpr::WindowFunction(w) => {
                        windowed = true;
                        let p = w.params;
                        Transformed::new(over(w.fun, p.args, p.filter, p.null_treatment, p.distinct), true, TreeNodeRecursion::Jump)
                    }
                    other => Transformed::no(other),
                })
            })?
            .data;
        if !windowed {
            return Err(not_for_window(&lower));
        }
        let mut spec = Vec::new();
        if !partition_names.is_empty() {
            spec.push(format!("PARTITION BY {}", partition_names.join(", ")));
        }
        if !order_names.is_empty() {
            spec.push(format!("ORDER BY {}", order_names.join(", ")));
        }
        spec.push(frame_name);
        let name = format!("{} OVER ({})", resolved.name, spec.join(" "));
        if distinct {
            return Err(ResolveError::analysis(
                "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED",
                "0A000",
                format!("Distinct window functions are not supported: \"{name}\"."),
                &[("windowExpr", format!("\"{name}\""))],
            ));
        }
        Ok(ResolvedExpr { expr, name, nullable: resolved.nullable })
    }
}
