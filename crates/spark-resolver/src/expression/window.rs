//! Window functions: `f(...) OVER (PARTITION BY ... ORDER BY ... frame)`.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{Sort, WindowFunction, WindowFunctionParams};
use datafusion::logical_expr::{
    Expr as DfExpr, WindowFrame as DfFrame, WindowFrameBound as DfBound, WindowFrameUnits,
    WindowFunctionDefinition,
};
use spark_functions::{FunctionKind, FunctionRegistry};
use spark_plan::{Expr, FrameType, Literal, SortOrder, WindowFrame, WindowFrameBound};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

const RANKING: &[&str] = &["row_number", "rank", "dense_rank", "percent_rank", "ntile", "lag", "lead"];

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
        Ok((r.expr.sort(so.ascending, nulls_first), name))
    }

    pub(crate) fn resolve_window(
        &mut self,
        function: &Expr,
        partition_by: &[Expr],
        order_by: &[SortOrder],
        frame: Option<&WindowFrame>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        // `OVER w` without a WINDOW clause defining w.
        if let [Expr::Column { name, .. }] = partition_by {
            if let Some(w) = name.first().and_then(|n| n.strip_prefix("__window_ref:")) {
                return Err(ResolveError::analysis(
                    "MISSING_WINDOW_SPECIFICATION",
                    "42P20",
                    format!("Window specification {w} is not defined in the WINDOW clause for {w}. For more information about WINDOW clauses, please refer to 'https://spark.apache.org/docs/latest/sql-ref-syntax-qry-select-window.html'."),
                    &[("windowName", w.to_string())],
                ));
            }
        }
        let Expr::Function { name, args, distinct } = function else {
            return Err(ResolveError::invalid("a window expression needs a function"));
        };
        let lower = name.to_ascii_lowercase();
        let args: Vec<Expr> = if lower == "count" && matches!(args.as_slice(), [Expr::Star { .. }]) {
            vec![Expr::Literal(Literal::Integer(1))]
        } else {
            args.clone()
        };
        let resolved = args.iter().map(|a| self.resolve_expr(a, scope)).collect::<ResolveResult<Vec<_>>>()?;
        let arg_nullable: Vec<bool> = resolved.iter().map(|r| self.is_nullable(r, scope)).collect();
        let mut arg_names: Vec<String> = resolved.iter().map(|r| r.name.clone()).collect();
        let mut arg_exprs: Vec<DfExpr> = resolved.into_iter().map(|r| r.expr).collect();
        // Spark accepts (and ignores) arguments to the rank functions.
        if matches!(lower.as_str(), "rank" | "dense_rank" | "percent_rank" | "cume_dist" | "row_number") {
            arg_exprs.clear();
        }
        // Spark prints these rank functions in capitals and without arguments.
        let shown_function = if matches!(lower.as_str(), "rank" | "dense_rank" | "percent_rank") {
            arg_names.clear();
            lower.to_uppercase()
        } else {
            lower.clone()
        };
        // nth_value's n is a BIGINT constant for DataFusion.
        if lower == "nth_value" {
            if let Some(DfExpr::Literal(v, _)) = arg_exprs.get(1) {
                if let Ok(n) = v.cast_to(&datafusion::arrow::datatypes::DataType::Int64) {
                    arg_exprs[1] = DfExpr::Literal(n, None);
                }
            }
        }
        // first/last(x, ignoreNulls): the flag is DataFusion's null treatment.
        let mut ignore_nulls = false;
        if matches!(lower.as_str(), "first" | "last" | "first_value" | "last_value" | "any_value") && arg_exprs.len() == 2 {
            match arg_exprs.pop() {
                Some(DfExpr::Literal(ScalarValue::Boolean(Some(b)), _)) => ignore_nulls = b,
                _ => return Err(ResolveError::unsupported(format!("{lower} with a non-constant ignoreNulls"))),
            }
            arg_names.truncate(1);
        }
        // lag/lead print their offset and default: `lag(b, 1, NULL)`.
        let mut offset_frame: Option<String> = None;
        if matches!(lower.as_str(), "lag" | "lead") {
            let offset = arg_names.get(1).cloned().unwrap_or_else(|| "1".into());
            if arg_names.len() < 2 {
                arg_names.push("1".into());
            }
            if arg_names.len() < 3 {
                arg_names.push("NULL".into());
            }
            let signed = if lower == "lag" {
                offset.strip_prefix('-').map(str::to_string).unwrap_or_else(|| format!("-{offset}"))
            } else {
                offset
            };
            offset_frame = Some(format!("ROWS BETWEEN {signed} FOLLOWING AND {signed} FOLLOWING"));
        }
        let fun: WindowFunctionDefinition = match FunctionRegistry::global().get(&lower) {
            Some(FunctionKind::Window(w)) => WindowFunctionDefinition::WindowUDF(w.clone()),
            Some(FunctionKind::Aggregate(a)) => WindowFunctionDefinition::AggregateUDF(a.clone()),
            Some(FunctionKind::Scalar(_)) | None => {
                return Err(ResolveError::analysis(
                    "UNSUPPORTED_EXPR_FOR_WINDOW",
                    "42P20",
                    format!("Expression \"{lower}\" not supported within a window function."),
                    &[("sqlExpr", format!("\"{lower}\""))],
                ));
            }
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
        let ranking = RANKING.contains(&lower.as_str());
        let (df_frame, frame_name) = match frame {
            Some(f) => {
                let order_type = match orders.first() {
                    Some(o) => Some(self.arrow_type(&o.expr, scope)?),
                    None => None,
                };
                (self.window_frame(f, order_type, scope)?, frame_sql(f))
            }
            None if orders.is_empty() => (
                DfFrame::new_bounds(WindowFrameUnits::Rows, DfBound::Preceding(ScalarValue::UInt64(None)), DfBound::Following(ScalarValue::UInt64(None))),
                "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING".to_string(),
            ),
            None if ranking => (
                DfFrame::new_bounds(WindowFrameUnits::Rows, DfBound::Preceding(ScalarValue::UInt64(None)), DfBound::CurrentRow),
                "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
            ),
            None => (
                DfFrame::new(Some(false)),
                "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
            ),
        };
        let params = WindowFunctionParams {
            args: arg_exprs,
            partition_by: partitions,
            order_by: orders,
            window_frame: df_frame,
            filter: None,
            null_treatment: ignore_nulls.then_some(datafusion::logical_expr::expr::NullTreatment::IgnoreNulls),
            distinct: *distinct,
        };
        let expr = DfExpr::WindowFunction(Box::new(WindowFunction { fun, params }));
        let mut spec = Vec::new();
        if !partition_names.is_empty() {
            spec.push(format!("PARTITION BY {}", partition_names.join(", ")));
        }
        if !order_names.is_empty() {
            spec.push(format!("ORDER BY {}", order_names.join(", ")));
        }
        spec.push(offset_frame.unwrap_or(frame_name));
        let name = format!("{shown_function}({}) OVER ({})", arg_names.join(", "), spec.join(" "));
        // Spark's ranks are INT; DataFusion's unsigned.
        let expr = match lower.as_str() {
            "row_number" | "rank" | "dense_rank" | "ntile" => DfExpr::Cast(datafusion::logical_expr::Cast::new(Box::new(expr), datafusion::arrow::datatypes::DataType::Int32)),
            _ => expr,
        };
        // lag/lead are NULL only for NULL input or a NULL (or missing) default.
        if matches!(lower.as_str(), "lag" | "lead") {
            let nullable = arg_nullable.first().copied().unwrap_or(true) || arg_nullable.get(2).copied().unwrap_or(true);
            return Ok(ResolvedExpr::new(expr, name).with_nullable(nullable));
        }
        Ok(ResolvedExpr::new(expr, name))
    }

    fn window_frame(&mut self, f: &WindowFrame, order_type: Option<datafusion::arrow::datatypes::DataType>, scope: &ResolvedRelation) -> ResolveResult<DfFrame> {
        let units = match f.frame_type {
            FrameType::Rows => WindowFrameUnits::Rows,
            FrameType::Range => WindowFrameUnits::Range,
        };
        let rows = f.frame_type == FrameType::Rows;
        let start = self.frame_bound(&f.lower, rows, scope)?;
        let end = self.frame_bound(&f.upper, rows, scope)?;
        // RANGE offsets take the ordering column's type.
        let typed = |b: DfBound| -> DfBound {
            let Some(t) = order_type.as_ref() else { return b };
            let cast = |v: ScalarValue| v.cast_to(t).unwrap_or(v);
            match b {
                DfBound::Preceding(v) if !rows && !v.is_null() => DfBound::Preceding(cast(v)),
                DfBound::Following(v) if !rows && !v.is_null() => DfBound::Following(cast(v)),
                other => other,
            }
        };
        Ok(DfFrame::new_bounds(units, typed(start), typed(end)))
    }

    fn frame_bound(&mut self, b: &WindowFrameBound, rows: bool, scope: &ResolvedRelation) -> ResolveResult<DfBound> {
        Ok(match b {
            WindowFrameBound::CurrentRow => DfBound::CurrentRow,
            WindowFrameBound::UnboundedPreceding => DfBound::Preceding(ScalarValue::UInt64(None)),
            WindowFrameBound::UnboundedFollowing => DfBound::Following(ScalarValue::UInt64(None)),
            WindowFrameBound::Value(e) => {
                let v = self.resolve_expr(e, scope)?;
                let DfExpr::Literal(value, _) = v.expr else {
                    return Err(ResolveError::unsupported("non-literal window frame boundaries"));
                };
                let n = match &value {
                    ScalarValue::Int32(Some(n)) => *n as i64,
                    ScalarValue::Int64(Some(n)) => *n,
                    _ if !rows => return Ok(DfBound::Preceding(value)),
                    _ => return Err(ResolveError::unsupported("this window frame boundary")),
                };
                if n == 0 {
                    DfBound::CurrentRow
                } else if !rows {
                    // RANGE offsets are values of the ordering column's type.
                    if n < 0 { DfBound::Preceding(ScalarValue::Int64(Some(-n))) } else { DfBound::Following(ScalarValue::Int64(Some(n))) }
                } else if n < 0 {
                    DfBound::Preceding(ScalarValue::UInt64(Some(n.unsigned_abs())))
                } else {
                    DfBound::Following(ScalarValue::UInt64(Some(n as u64)))
                }
            }
        })
    }
}

fn frame_sql(f: &WindowFrame) -> String {
    let b = |x: &WindowFrameBound, lower: bool| match x {
        WindowFrameBound::CurrentRow => "CURRENT ROW".to_string(),
        WindowFrameBound::UnboundedPreceding => "UNBOUNDED PRECEDING".to_string(),
        WindowFrameBound::UnboundedFollowing => "UNBOUNDED FOLLOWING".to_string(),
        WindowFrameBound::Value(e) => match e.as_ref() {
            Expr::Literal(Literal::Integer(n)) if *n < 0 => format!("{} PRECEDING", -n),
            Expr::Literal(Literal::Long(n)) if *n < 0 => format!("{} PRECEDING", -n),
            Expr::Literal(Literal::Integer(0)) | Expr::Literal(Literal::Long(0)) => "CURRENT ROW".to_string(),
            Expr::Literal(Literal::Integer(n)) => format!("{n} FOLLOWING"),
            Expr::Literal(Literal::Long(n)) => format!("{n} FOLLOWING"),
            _ => if lower { "PRECEDING".into() } else { "FOLLOWING".into() },
        },
    };
    let kind = match f.frame_type {
        FrameType::Rows => "ROWS",
        FrameType::Range => "RANGE",
    };
    format!("{kind} BETWEEN {} AND {}", b(&f.lower, true), b(&f.upper, false))
}
