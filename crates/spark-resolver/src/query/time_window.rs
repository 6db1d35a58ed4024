//! Time windows (`window(time, windowDuration[, slideDuration[,
//! startTime]])`), as Spark's TimeWindowing rule adds them: an operator
//! whose expressions call `window(...)` reads its input extended with a
//! `window` column, `struct<start, end>`, one row per window each row falls
//! in (several for sliding windows), rows without a time dropped; the call
//! itself then reads that column. One window expression per operator.

use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use spark_functions::time_window::{SparkTimeWindow, WindowSpec};
use spark_plan::{Expr, Literal, Relation};

use crate::expression::interval_literal::{IntervalValue, parse_interval};
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

fn is_window_call(e: &Expr) -> bool {
    matches!(e, Expr::Function { name, .. } if name.eq_ignore_ascii_case("window"))
}

/// The distinct `window(...)` calls in `exprs`.
fn window_calls(exprs: &[&Expr]) -> Vec<Expr> {
    let mut found: Vec<Expr> = Vec::new();
    let mut stack: Vec<&Expr> = exprs.to_vec();
    while let Some(e) = stack.pop() {
        if is_window_call(e) {
            if !found.contains(e) {
                found.push(e.clone());
            }
            continue;
        }
        stack.extend(e.children().0);
    }
    found
}

/// The expressions with the window call replaced by the `window` column.
pub(crate) fn reading_window(exprs: &[Expr], call: &Expr) -> Vec<Expr> {
    exprs
        .iter()
        .map(|e| e.clone().transform_up(&mut |x| if &x == call { Expr::Column { name: vec!["window".into()], plan_id: None } } else { x }))
        .collect()
}

fn mismatch(sql: &str, class: &str, detail: String) -> ResolveError {
    ResolveError::analysis(class, "42K09", format!("Cannot resolve \"{sql}\" due to data type mismatch: {detail}"), &[])
}

/// A duration argument (`'5 minutes'`) in microseconds.
fn duration(arg: Option<&Expr>) -> ResolveResult<Option<i64>> {
    let Some(arg) = arg else { return Ok(None) };
    let Expr::Literal(Literal::String(text)) = arg else {
        return Err(ResolveError::unsupported("window durations that are not string literals"));
    };
    match parse_interval(&format!("'{}'", text.replace('\'', "\\'")))? {
        IntervalValue::DayTime { micros, .. } => Ok(Some(micros)),
        IntervalValue::YearMonth { .. } => Err(ResolveError::IllegalArgument(format!("Intervals greater than a month is not supported ({text})."))),
    }
}

impl Resolver<'_> {
    /// When `exprs` call `window(...)`: the input with the window column
    /// added, and the call they should read it through.
    pub(crate) fn windowed_input(&mut self, input: &Relation, exprs: &[&Expr]) -> ResolveResult<Option<(ResolvedRelation, Expr)>> {
        let calls = window_calls(exprs);
        let Some(call) = calls.first().cloned() else { return Ok(None) };
        if calls.len() > 1 {
            return Err(ResolveError::analysis(
                "_LEGACY_ERROR_TEMP_1039",
                "",
                "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.",
                &[],
            ));
        }
        let Expr::Function { args, .. } = &call else { return Ok(None) };
        if !(2..=4).contains(&args.len()) {
            return Err(crate::functions::wrong_args("window", args.len(), "[2, 3, 4]"));
        }
        let r = self.resolve(input)?;
        let time = self.resolve_expr(&args[0], &r)?;
        let window = duration(args.get(1))?.unwrap_or(0);
        let slide = duration(args.get(2))?.unwrap_or(window);
        let start = duration(args.get(3))?.unwrap_or(0);
        let sql = format!("window({}, {window}, {slide}, {start})", time.name);
        if window <= 0 {
            return Err(mismatch(&sql, "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", format!("The `window_duration` must be between (0, 9223372036854775807] (current value = {window}L).")));
        }
        if slide <= 0 {
            return Err(mismatch(&sql, "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", format!("The `slide_duration` must be between (0, 9223372036854775807] (current value = {slide}L).")));
        }
        if slide > window {
            return Err(mismatch(&sql, "DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION", format!("The `slide_duration`({slide}L) must be <= the `window_duration`({window}L).")));
        }
        if start.abs() >= slide {
            return Err(mismatch(&sql, "DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION", format!("The abs `start_time`({start}L) must be < the `slide_duration`({slide}L).")));
        }
        let t = self.arrow_type(&time.expr, &r)?;
        let time_expr = match &t {
            ArrowType::Timestamp(TimeUnit::Microsecond, _) => time.expr,
            ArrowType::Utf8 | ArrowType::Utf8View | ArrowType::LargeUtf8 | ArrowType::Date32 => {
                let to = self.session_timestamp();
                self.spark_cast(time.expr, &t, &to)
            }
            other => {
                let actual = crate::types::from_arrow(other)?.sql();
                return Err(mismatch(
                    &sql,
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    format!("The first parameter requires the (\"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\" or \"STRUCT<start: TIMESTAMP, end: TIMESTAMP>\" or \"STRUCT<start: TIMESTAMP_NTZ, end: TIMESTAMP_NTZ>\") type, however \"{}\" has the type \"{actual}\".", time.name),
                ));
            }
        };
        let spec = WindowSpec { window, slide, start };
        let id = fresh_id();
        let windows: Vec<DfExpr> = (0..spec.overlapping()).map(|i| crate::functions::call_udf(SparkTimeWindow::udf(spec, i), vec![time_expr.clone()])).collect();
        let mut exprs: Vec<DfExpr> = r.columns.iter().map(|c| id_col(&c.id)).collect();
        let sliding = windows.len() > 1;
        let column = if sliding { crate::functions::call_udf(crate::functions::registry_udf("make_array")?, windows) } else { windows.into_iter().next().unwrap_or(time_expr) };
        exprs.push(column.alias(&id));
        let mut plan = LogicalPlanBuilder::from(r.plan.clone()).project(exprs)?;
        if sliding {
            plan = plan.unnest_column(datafusion::common::Column::from_name(id.clone()))?;
        }
        let plan = plan.filter(id_col(&id).is_not_null())?.build()?;
        let mut columns = r.columns.clone();
        // Spark's tumbling window is never NULL; the sliding form comes from an Expand, which may be.
        columns.push(ResolvedColumn { hidden: true, nullable: Some(sliding), ..ResolvedColumn::new(id, "window".into()) });
        Ok(Some((ResolvedRelation { plan, columns }, call)))
    }
}
