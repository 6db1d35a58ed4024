//! Window functions: ranking (`row_number`, `rank`, ...), distribution
//! (`cume_dist`, `percent_rank`, `ntile`) and offsets (`lag`, `lead`,
//! `nth_value`). Aggregates are window functions too; their entries live
//! with the other aggregates. `expression/window.rs` adds the `OVER` clause.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::WindowFunction;
use datafusion::logical_expr::{Expr as DfExpr, WindowFunctionDefinition};

use super::{Arity, Built, Call, Nullable, Table, cast, f};
use crate::{ResolveError, ResolveResult};

/// The frame of a function over a window with an ORDER BY and no frame of
/// its own, and how Spark prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DefaultFrame {
    /// Aggregates: `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.
    Aggregate,
    /// Ranking: `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.
    Ranking,
    /// `cume_dist`, `nth_value`: window functions with the aggregates'
    /// RANGE frame.
    Distribution,
    /// `lag` / `lead`: the ranking frame, printed as the offset row
    /// (`ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING` for `lag(x)`).
    Offset { lag: bool },
}

impl DefaultFrame {
    /// Whether the function needs an `OVER` clause.
    pub fn is_window_only(self) -> bool {
        !matches!(self, DefaultFrame::Aggregate)
    }

    /// Whether the default frame is row-based.
    pub fn is_ranking(self) -> bool {
        matches!(self, DefaultFrame::Ranking | DefaultFrame::Offset { .. })
    }
}

/// DataFusion's window function `name`, not yet over a window.
fn window_udf(name: &str, args: Vec<DfExpr>) -> ResolveResult<DfExpr> {
    match spark_functions::FunctionRegistry::global().datafusion(name) {
        Some(spark_functions::FunctionKind::Window(w)) => {
            Ok(DfExpr::WindowFunction(Box::new(WindowFunction::new(WindowFunctionDefinition::WindowUDF(w.clone()), args))))
        }
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}

/// A ranking function: Spark accepts (and ignores) arguments.
fn ranking(c: &Call<'_>, kernel: &str, int: bool) -> ResolveResult<Built> {
    let e = window_udf(kernel, vec![])?;
    // Spark's ranks are INT; DataFusion's unsigned.
    let e = if int { cast(e, ArrowType::Int32) } else { e };
    // Spark prints these in capitals and without arguments.
    let name = match c.name {
        "rank" | "dense_rank" | "percent_rank" => format!("{}()", c.name.to_uppercase()),
        _ => format!("{}()", c.name),
    };
    Ok(Built::new(e).named(name))
}

/// `lag` / `lead`, printed with their offset and default: `lag(b, 1, NULL)`;
/// a fourth argument `true` skips NULLs (`IGNORE NULLS`).
fn offset(c: &Call<'_>) -> ResolveResult<Built> {
    let mut names = c.names.clone();
    let mut args = c.args.clone();
    let ignore_nulls = match args.get(3) {
        None => false,
        Some(DfExpr::Literal(datafusion::common::ScalarValue::Boolean(Some(b)), _)) => *b,
        Some(_) => return Err(ResolveError::unsupported(format!("{} with a non-constant ignoreNulls", c.name))),
    };
    args.truncate(3);
    names.truncate(3);
    if names.len() < 2 {
        names.push("1".into());
    }
    if names.len() < 3 {
        names.push("NULL".into());
    }
    let mut e = window_udf(c.name, args)?;
    if let (true, DfExpr::WindowFunction(w)) = (ignore_nulls, &mut e) {
        w.params.null_treatment = Some(datafusion::logical_expr::expr::NullTreatment::IgnoreNulls);
    }
    Ok(Built::new(e).named(format!("{}({})", c.name, names.join(", "))))
}

/// A window function's constant count (`ntile`'s buckets, `nth_value`'s
/// offset): an integer literal of `want` type above zero, as Spark checks it.
fn positive_constant(c: &Call<'_>, index: usize, input: &str, want: ArrowType) -> ResolveResult<i64> {
    let t = &c.types[index];
    let want_sql = crate::types::from_arrow(&want).map(|d| d.sql()).unwrap_or_default();
    if !t.is_integer() {
        return Err(super::type_mismatch_sql(&c.default_name(), index, &c.names[index], t, &format!("\"{want_sql}\"")));
    }
    let value = match &c.args[index] {
        DfExpr::Literal(v, _) => v.cast_to(&ArrowType::Int64).ok().and_then(|v| match v {
            ScalarValue::Int64(n) => n,
            _ => None,
        }),
        _ => None,
    };
    let Some(value) = value else {
        let actual = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!(
                "Cannot resolve \"{}\" due to data type mismatch: the input `{input}` should be a foldable \"{actual}\" expression; however, got \"{}\".",
                c.default_name(),
                c.names[index]
            ),
            &[("inputName", format!("`{input}`")), ("inputType", format!("\"{actual}\"")), ("inputExpr", format!("\"{}\"", c.names[index])), ("sqlExpr", format!("\"{}\"", c.default_name()))],
        ));
    };
    if value <= 0 {
        let (max, suffix) = if want == ArrowType::Int64 { (i64::MAX.to_string(), "L") } else { (i32::MAX.to_string(), "") };
        let range = format!("(0, {max}]");
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: The {input} must be between {range} (current value = {value}{suffix}).", c.default_name()),
            &[("exprName", input.to_string()), ("valueRange", range.clone()), ("currentValue", format!("{value}{suffix}")), ("sqlExpr", format!("\"{}\"", c.default_name()))],
        ));
    }
    Ok(value)
}

/// `nth_value(x, n[, ignoreNulls])`: DataFusion wants n as a BIGINT
/// constant; skipping NULLs prints as `nth_value(x, n) ignore nulls`.
fn nth_value(c: &Call<'_>) -> ResolveResult<Built> {
    positive_constant(c, 1, "offset", ArrowType::Int64)?;
    let mut args = c.args.clone();
    if let Some(DfExpr::Literal(v, _)) = args.get(1) {
        if let Ok(n) = v.cast_to(&ArrowType::Int64) {
            args[1] = DfExpr::Literal(n, None);
        }
    }
    let ignore_nulls = match args.get(2) {
        None => false,
        Some(DfExpr::Literal(datafusion::common::ScalarValue::Boolean(Some(b)), _)) => *b,
        Some(_) => return Err(ResolveError::unsupported("nth_value with a non-constant ignoreNulls")),
    };
    args.truncate(2);
    let udaf = datafusion::functions_aggregate::nth_value::nth_value_udaf();
    let mut f = datafusion::logical_expr::expr::AggregateFunction::new_udf(udaf, args, false, None, vec![], None);
    let name = format!("nth_value({}, {})", c.names[0], c.names.get(1).cloned().unwrap_or_default());
    if ignore_nulls {
        f.params.null_treatment = Some(datafusion::logical_expr::expr::NullTreatment::IgnoreNulls);
        return Ok(Built::new(DfExpr::AggregateFunction(f)).named(format!("{name} ignore nulls")));
    }
    Ok(Built::new(DfExpr::AggregateFunction(f)).named(name))
}

/// `counter_diff(value[, start_time])`: a number, and a TIMESTAMP or
/// TIMESTAMP_NTZ (see `spark_functions::counter_diff`).
fn counter_diff(c: &Call<'_>) -> ResolveResult<Built> {
    let mismatch = |i: usize, wanted: &str| {
        let shown = crate::types::from_arrow(&c.types[i]).map(|d| d.sql()).unwrap_or_default();
        let ordinal = if i == 0 { "first" } else { "second" };
        ResolveError::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: The {ordinal} parameter requires the {wanted} type, however \"{}\" has the type \"{shown}\".", c.default_name(), c.names[i]),
            &[],
        )
    };
    if !(c.types[0].is_numeric() || c.types[0].is_null()) {
        return Err(mismatch(0, "\"NUMERIC\""));
    }
    if c.types.get(1).is_some_and(|t| !matches!(t, ArrowType::Timestamp(..) | ArrowType::Null)) {
        return Err(mismatch(1, "(\"TIMESTAMP\" or \"TIMESTAMP_NTZ\")"));
    }
    let f = WindowFunction::new(WindowFunctionDefinition::WindowUDF(spark_functions::counter_diff::CounterDiff::udwf()), c.args.clone());
    Ok(Built::new(DfExpr::WindowFunction(Box::new(f))))
}

/// The offset of a `lag` / `lead` as Spark prints it in the frame.
pub(crate) fn offset_frame(lag: bool, offset: Option<&str>) -> String {
    let offset = offset.unwrap_or("1").to_string();
    let signed = if lag { offset.strip_prefix('-').map(str::to_string).unwrap_or_else(|| format!("-{offset}")) } else { offset };
    format!("ROWS BETWEEN {signed} FOLLOWING AND {signed} FOLLOWING")
}

/// An unsigned 64-bit NULL, DataFusion's unbounded frame offset.
pub(crate) fn unbounded() -> ScalarValue {
    ScalarValue::UInt64(None)
}

pub(super) fn functions() -> Table {
    use Arity::*;
    let ranked = |build: super::Builder| f(AtLeast(0), &[], build).frame(DefaultFrame::Ranking).nullable(Nullable::Never);
    let lag_lead = |lag: bool| {
        f(Range(1, 4), &[], |_, c| offset(c))
            .frame(DefaultFrame::Offset { lag })
            .nullable(Nullable::Rule(|a| a.first().copied().unwrap_or(true) || a.get(2).copied().unwrap_or(true)))
    };
    vec![
        ("row_number", ranked(|_, c| ranking(c, "row_number", true))),
        ("counter_diff", f(Range(1, 2), &[], |_, c| counter_diff(c)).frame(DefaultFrame::Ranking).nullable(Nullable::Always)),
        ("rank", ranked(|_, c| ranking(c, "rank", true))),
        ("dense_rank", ranked(|_, c| ranking(c, "dense_rank", true))),
        ("percent_rank", ranked(|_, c| ranking(c, "percent_rank", false))),
        ("ntile", f(Range(0, 1), &[], |_, c| {
            if !c.args.is_empty() {
                positive_constant(c, 0, "buckets", ArrowType::Int32)?;
            }
            let e = cast(window_udf("ntile", c.args.clone())?, ArrowType::Int32);
            Ok(Built::new(e))
        })
        .frame(DefaultFrame::Ranking)
        .nullable(Nullable::Never)),
        ("cume_dist", f(AtLeast(0), &[], |_, c| ranking(c, "cume_dist", false)).frame(DefaultFrame::Distribution).nullable(Nullable::Never)),
        ("lag", lag_lead(true)),
        ("lead", lag_lead(false)),
        ("nth_value", f(Range(2, 3), &[], |_, c| nth_value(c)).frame(DefaultFrame::Distribution).nullable(Nullable::Always)),
    ]
}
