//! ANSI intervals in arithmetic and numeric functions, computed on their
//! counts of units (months or microseconds) as Spark does: `interval *
//! number`, `interval / number`, `try_multiply` / `try_divide`, `div` of two
//! intervals, `abs`, `sign`, averages and percentiles.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::Expr as DfExpr;
use spark_functions::interval_math::{ScaleOp, SparkIntervalFields, SparkIntervalScale, SparkIntervalUnits};

pub(crate) use spark_functions::interval_math::IntervalKind;

use super::{call_udf, cast};

pub(crate) fn kind(t: &ArrowType) -> Option<IntervalKind> {
    IntervalKind::of(t)
}

/// The interval's count of months (INT) or microseconds (BIGINT).
pub(crate) fn units(e: DfExpr) -> DfExpr {
    call_udf(SparkIntervalUnits::udf(), vec![e])
}

/// An interval of `kind` from a number of its units.
pub(crate) fn from_units(e: DfExpr, kind: IntervalKind) -> DfExpr {
    cast(cast(e, kind.units_type()), kind.arrow_type())
}

/// `interval * factor` or `interval / factor`: exact for integral factors,
/// rounded for fractional ones; overflow and division by zero fail, or give
/// NULL when `null_on_error`.
pub(crate) fn scale(op: ScaleOp, interval: DfExpr, factor: DfExpr, factor_type: &ArrowType, null_on_error: bool) -> DfExpr {
    let factor = if factor_type.is_integer() { cast(factor, ArrowType::Int64) } else { cast(factor, ArrowType::Float64) };
    call_udf(SparkIntervalScale::udf(op, null_on_error), vec![interval, factor])
}

/// The interval operand and the numeric factor of `a * b` (either order) or
/// `a / b` (interval first), if the operands are those.
pub(crate) fn scaled_operands(op: ScaleOp, args: &[DfExpr], types: &[ArrowType]) -> Option<(DfExpr, DfExpr, ArrowType)> {
    let numeric = |t: &ArrowType| t.is_numeric() || t.is_null();
    match (args, types) {
        ([a, b], [ta, tb]) if kind(ta).is_some() && numeric(tb) => Some((a.clone(), b.clone(), tb.clone())),
        ([a, b], [ta, tb]) if op == ScaleOp::Multiply && numeric(ta) && kind(tb).is_some() => Some((b.clone(), a.clone(), ta.clone())),
        _ => None,
    }
}

/// `avg` / `try_avg` of an interval: the sum of its units (overflow fails,
/// or gives NULL for `try_avg`) divided by the count, rounded half away from
/// zero, as an interval of the same kind.
pub(crate) fn average(x: DfExpr, kind: IntervalKind, overflow: spark_functions::sum::Overflow) -> DfExpr {
    use datafusion::functions_aggregate::expr_fn::count;
    use datafusion::logical_expr::expr::AggregateFunction;
    use spark_functions::sum::{SparkSum, SumType};
    let units = cast(units(x.clone()), ArrowType::Int64);
    let sum_type = SumType::Interval { months: kind == IntervalKind::YearMonth };
    let sum = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkSum::udaf(sum_type, overflow), vec![units], false, None, vec![], None));
    let null_on_error = overflow == spark_functions::sum::Overflow::Null;
    scale(ScaleOp::Divide, from_units(sum, kind), count(x), &ArrowType::Int64, null_on_error)
}

/// A percentile's argument: an interval counts its units as a DOUBLE.
pub(crate) fn percentile_input(x: DfExpr, t: &ArrowType) -> DfExpr {
    match kind(t) {
        Some(_) => cast(units(x), ArrowType::Float64),
        None => x,
    }
}

/// A percentile of an interval's units (a DOUBLE, or an array of them for
/// several percentages) back as an interval, truncated to whole units as
/// Spark does.
pub(crate) fn percentile_output(result: DfExpr, t: &ArrowType, array: bool) -> DfExpr {
    let Some(kind) = kind(t) else { return result };
    if !array {
        return from_units(cast(result, ArrowType::Int64), kind);
    }
    let list = |t: ArrowType| ArrowType::List(std::sync::Arc::new(datafusion::arrow::datatypes::Field::new("element", t, true)));
    let units = cast(cast(result, list(ArrowType::Int64)), list(kind.units_type()));
    cast(units, list(kind.arrow_type()))
}

/// `e` typed with the fields of the interval type `source` (`sum` and `abs`
/// keep their input's fields: `interval second` stays `interval second`).
pub(crate) fn keep_fields(e: DfExpr, source: &spark_plan::DataType) -> DfExpr {
    match source {
        spark_plan::DataType::DayTimeInterval { start, end } | spark_plan::DataType::YearMonthInterval { start, end } => {
            call_udf(SparkIntervalFields::udf(*start, *end), vec![e])
        }
        _ => e,
    }
}

/// `sum` / `try_sum` of an interval: its units summed (overflow fails, or
/// gives NULL for `try_sum`), as an interval of the input's type.
pub(crate) fn sum(x: DfExpr, kind: IntervalKind, source: &spark_plan::DataType, overflow: spark_functions::sum::Overflow) -> DfExpr {
    use datafusion::logical_expr::expr::AggregateFunction;
    use spark_functions::sum::{SparkSum, SumType};
    let units = cast(units(x), ArrowType::Int64);
    let sum_type = SumType::Interval { months: kind == IntervalKind::YearMonth };
    let total = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkSum::udaf(sum_type, overflow), vec![units], false, None, vec![], None));
    keep_fields(from_units(total, kind), source)
}
