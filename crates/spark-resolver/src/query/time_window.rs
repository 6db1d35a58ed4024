//! Time windows (`window(time, windowDuration[, slideDuration[,
//! startTime]])`), as Spark's TimeWindowing rule adds them: an operator
//! whose expressions call `window(...)` reads its input extended with a
//! `window` column, `struct<start, end>`, one row per window each row falls
//! in (several for sliding windows), rows without a time dropped; the call
//! itself then reads that column. One window expression per operator.

use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use spark_functions::time_window::{SparkTimeWindow, WindowSpec};
use spark_plan::{DataType, Expr, Literal, Relation};

use crate::expression::interval_literal::{IntervalValue, parse_interval};
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

fn is_call_of(e: &Expr, function: &str) -> bool {
    matches!(e, Expr::Function { name, .. } if name.eq_ignore_ascii_case(function))
}

/// The distinct calls of `function` (`window`, `session_window`) in `exprs`.
fn calls_of(exprs: &[&Expr], function: &str) -> Vec<Expr> {
    let mut found: Vec<Expr> = Vec::new();
    let mut stack: Vec<&Expr> = exprs.to_vec();
    while let Some(e) = stack.pop() {
        if is_call_of(e, function) {
            if !found.contains(e) {
                found.push(e.clone());
            }
            continue;
        }
        stack.extend(e.children().0);
    }
    found
}

/// The expressions with the window call replaced by the column `column`
/// (`window` or `session_window`) that holds it.
pub(crate) fn reading_window(exprs: &[Expr], call: &Expr, column: &str) -> Vec<Expr> {
    exprs
        .iter()
        .map(|e| e.clone().transform_up(&mut |x| if &x == call { Expr::Column { name: vec![column.into()], plan_id: None } } else { x }))
        .collect()
}

fn several_windows() -> ResolveError {
    ResolveError::analysis(
        "_LEGACY_ERROR_TEMP_1039",
        "",
        "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.",
        &[],
    )
}

fn mismatch(sql: &str, class: &str, detail: String) -> ResolveError {
    ResolveError::analysis(class, "42K09", format!("Cannot resolve \"{sql}\" due to data type mismatch: {detail}"), &[])
}

/// A duration argument (`'5 minutes'`) in microseconds.
fn duration(arg: Option<&Expr>) -> ResolveResult<Option<i64>> {
    let Some(arg) = arg else { return Ok(None) };
    let Expr::Literal(Literal::String(text)) = arg else {
        return Err(ResolveError::unsupported("window durations and session gaps that are not string literals"));
    };
    match parse_interval(&format!("'{}'", text.replace('\'', "\\'")))? {
        IntervalValue::DayTime { micros, .. } => Ok(Some(micros)),
        IntervalValue::YearMonth { .. } => Err(ResolveError::IllegalArgument(format!("Intervals greater than a month is not supported ({text})."))),
    }
}

impl Resolver<'_> {
    /// A window's time argument as a timestamp (strings and dates cast).
    fn window_time_column(&self, time: crate::expression::ResolvedExpr, r: &ResolvedRelation, sql: &str) -> ResolveResult<DfExpr> {
        let t = self.arrow_type(&time.expr, r)?;
        Ok(match &t {
            ArrowType::Timestamp(TimeUnit::Microsecond, _) => time.expr,
            ArrowType::Utf8 | ArrowType::Utf8View | ArrowType::LargeUtf8 | ArrowType::Date32 => {
                let to = self.session_timestamp();
                self.spark_cast(time.expr, &t, &to)
            }
            other => {
                let actual = crate::types::from_arrow(other)?.sql();
                return Err(mismatch(
                    sql,
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    format!("The first parameter requires the (\"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\" or \"STRUCT<start: TIMESTAMP, end: TIMESTAMP>\" or \"STRUCT<start: TIMESTAMP_NTZ, end: TIMESTAMP_NTZ>\") type, however \"{}\" has the type \"{actual}\".", time.name),
                ));
            }
        })
    }

    /// The gap of `session_window(time, gap)` as a value to add to the time,
    /// and its text in the window's name: a string literal of days to
    /// seconds read once, any other string read per row as an interval (NULL
    /// when it does not read as one, as Spark's cast), an interval as it is.
    fn session_gap(&mut self, gap: &Expr, r: &ResolvedRelation) -> ResolveResult<(DfExpr, String)> {
        use datafusion::common::ScalarValue;
        if let Expr::Literal(Literal::String(text)) = gap
            && let Ok(IntervalValue::DayTime { micros, .. }) = parse_interval(&format!("'{}'", text.replace('\'', "\\'")))
        {
            return Ok((DfExpr::Literal(ScalarValue::DurationMicrosecond(Some(micros)), None), micros.to_string()));
        }
        let g = self.resolve_expr(gap, r)?;
        let value = match self.spark_type(&g.expr, r)? {
            t if t.is_string() => crate::functions::call_udf(spark_functions::interval_parse::StringToInterval::udf(), vec![g.expr]),
            DataType::CalendarInterval => g.expr,
            DataType::Null => DfExpr::Literal(ScalarValue::IntervalMonthDayNano(None), None),
            other => {
                return Err(ResolveError::analysis(
                    "_LEGACY_ERROR_TEMP_1040",
                    "",
                    format!("Gap duration expression used in session window must be CalendarIntervalType, but got {}.", other.scala_string()),
                    &[],
                ));
            }
        };
        Ok((value, g.name))
    }

    /// When `exprs` call `session_window(time, gap)`: the input with a
    /// `session_window` column and the call to read it through. Each row
    /// opens `[time, time + gap)`; rows without a time or with an empty
    /// window are dropped. Under an aggregation (`grouping` given) the rows
    /// of each group of the other grouping keys, ordered by time, merge into
    /// sessions while each starts before the end of the ones before it
    /// (Spark's MergingSessions); elsewhere each row keeps its own window.
    pub(crate) fn sessionized_input(&mut self, input: &Relation, grouping: Option<&[Expr]>, exprs: &[&Expr]) -> ResolveResult<Option<(ResolvedRelation, Expr)>> {
        use datafusion::logical_expr::expr::WindowFunction;
        use datafusion::logical_expr::{ExprFunctionExt, WindowFrame, WindowFrameBound, WindowFrameUnits, WindowFunctionDefinition, lit, when};
        let over = |udaf: std::sync::Arc<datafusion::logical_expr::AggregateUDF>, arg: DfExpr| {
            DfExpr::from(WindowFunction::new(WindowFunctionDefinition::AggregateUDF(udaf), vec![arg]))
        };
        let max = |e: DfExpr| over(datafusion::functions_aggregate::min_max::max_udaf(), e);
        let min = |e: DfExpr| over(datafusion::functions_aggregate::min_max::min_udaf(), e);
        let sum = |e: DfExpr| over(datafusion::functions_aggregate::sum::sum_udaf(), e);
        let calls = calls_of(exprs, "session_window");
        let Some(call) = calls.first().cloned() else { return Ok(None) };
        if calls.len() > 1 {
            return Err(several_windows());
        }
        let Expr::Function { args, .. } = &call else { return Ok(None) };
        let [time_arg, gap_arg] = args.as_slice() else {
            return Err(crate::functions::wrong_args("session_window", args.len(), "2"));
        };
        let r = self.resolve(input)?;
        let time = self.resolve_expr(time_arg, &r)?;
        let (gap, gap_name) = self.session_gap(gap_arg, &r)?;
        let sql = format!("session_window({}, {gap_name})", time.name);
        let time_expr = self.window_time_column(time, &r, &sql)?;
        let keys = grouping
            .unwrap_or_default()
            .iter()
            .filter(|g| !is_call_of(g, "session_window"))
            .map(|g| self.resolve_expr(g, &r).map(|e| e.expr))
            .collect::<ResolveResult<Vec<_>>>()?;
        let (ts, end, prev, opens, session, start_id, end_id, id) = (fresh_id(), fresh_id(), fresh_id(), fresh_id(), fresh_id(), fresh_id(), fresh_id(), fresh_id());
        let base: Vec<DfExpr> = r.columns.iter().map(|c| id_col(&c.id)).collect();
        let with = |mut v: Vec<DfExpr>, more: &[&str]| {
            v.extend(more.iter().map(|c| id_col(c)));
            v
        };
        let mut first = base.clone();
        first.push(time_expr.clone().alias(&ts));
        first.push(DfExpr::BinaryExpr(datafusion::logical_expr::BinaryExpr::new(Box::new(time_expr), datafusion::logical_expr::Operator::Plus, Box::new(gap))).alias(&end));
        let by_time = vec![id_col(&ts).sort(true, true)];
        let before = WindowFrame::new_bounds(WindowFrameUnits::Rows, WindowFrameBound::Preceding(datafusion::common::ScalarValue::UInt64(None)), WindowFrameBound::Preceding(datafusion::common::ScalarValue::UInt64(Some(1))));
        let so_far = WindowFrame::new_bounds(WindowFrameUnits::Rows, WindowFrameBound::Preceding(datafusion::common::ScalarValue::UInt64(None)), WindowFrameBound::CurrentRow);
        let previous_end = max(id_col(&end)).partition_by(keys.clone()).order_by(by_time.clone()).window_frame(before).build()?.alias(&prev);
        let opening = when(id_col(&prev).is_null().or(id_col(&ts).gt_eq(id_col(&prev))), lit(1i64)).otherwise(lit(0i64))?.alias(&opens);
        let numbered = sum(id_col(&opens)).partition_by(keys.clone()).order_by(by_time).window_frame(so_far).build()?.alias(&session);
        let mut in_session = keys.clone();
        in_session.push(id_col(&session));
        let session_start = min(id_col(&ts)).partition_by(in_session.clone()).build()?.alias(&start_id);
        let session_end = max(id_col(&end)).partition_by(in_session).build()?.alias(&end_id);
        let window = crate::functions::call_udf(crate::functions::registry_udf("named_struct")?, vec![lit("start"), id_col(&start_id), lit("end"), id_col(&end_id)]).alias(&id);
        let mut last = base.clone();
        last.push(window);
        let rows = LogicalPlanBuilder::from(r.plan.clone())
            .project(first)?
            // Spark drops rows without a time, and rows whose gap is NULL,
            // unreadable or not positive (their session would be empty).
            .filter(id_col(&ts).is_not_null().and(id_col(&end).gt(id_col(&ts))))?;
        let mut columns = r.columns.clone();
        columns.push(ResolvedColumn { hidden: true, nullable: Some(false), ..ResolvedColumn::new(id.clone(), "session_window".into()) });
        if grouping.is_none() {
            let own = crate::functions::call_udf(crate::functions::registry_udf("named_struct")?, vec![lit("start"), id_col(&ts), lit("end"), id_col(&end)]).alias(&id);
            let plan = rows.project(base.into_iter().chain([own]).collect::<Vec<_>>())?.build()?;
            return Ok(Some((ResolvedRelation { plan, columns }, call)));
        }
        let plan = rows
            .window(vec![previous_end])?
            .project(with(base.clone(), &[&ts, &end, &prev]).into_iter().chain([opening]).collect::<Vec<_>>())?
            .window(vec![numbered])?
            .window(vec![session_start, session_end])?
            .project(last)?
            .build()?;
        Ok(Some((ResolvedRelation { plan, columns }, call)))
    }

    /// When `exprs` call `window(...)`: the input with the window column
    /// added, and the call they should read it through.
    pub(crate) fn windowed_input(&mut self, input: &Relation, exprs: &[&Expr]) -> ResolveResult<Option<(ResolvedRelation, Expr)>> {
        let calls = calls_of(exprs, "window");
        let Some(call) = calls.first().cloned() else { return Ok(None) };
        if calls.len() > 1 || !calls_of(exprs, "session_window").is_empty() {
            return Err(several_windows());
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
        let time_expr = self.window_time_column(time, &r, &sql)?;
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
