//! Window frames (`ROWS` / `RANGE BETWEEN lower AND upper`) with Spark's
//! checks and display.
//!
//! A `ROWS` offset is an integer count of rows. A `RANGE` offset is a
//! distance in the value of the single ORDER BY expression: a number for a
//! numeric ordering, a number of days or an interval for a date, an
//! interval for a timestamp. Offsets are constants, negative for PRECEDING.

use datafusion::arrow::datatypes::{DataType as ArrowType, IntervalMonthDayNano, TimeUnit};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::Sort;
use datafusion::logical_expr::{WindowFrame as DfFrame, WindowFrameBound as DfBound, WindowFrameUnits};
use spark_plan::{Expr, FrameType, WindowFrame, WindowFrameBound};

use crate::functions::window::unbounded;
use crate::resolver::Resolver;
use crate::types::from_arrow;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// One resolved bound: unbounded, the current row, or a signed constant
/// offset with its text (`1 PRECEDING`, `INTERVAL '1' DAY FOLLOWING`).
enum Bound {
    Unbounded { preceding: bool },
    CurrentRow,
    /// `text` is the offset as written: after `-` for `n PRECEDING`
    /// (`preceding_syntax`), signed for a value given as it is.
    Offset { value: ScalarValue, negative: bool, text: String, preceding_syntax: bool },
}

impl Bound {
    /// Spark's text of the bound: `n PRECEDING` as written, a value given
    /// as it is (the DataFrame API's `-1`) as `-1 FOLLOWING`, and a written
    /// `n PRECEDING` that a RANGE frame casts to another number type as
    /// `(- n) FOLLOWING`.
    fn sql(&self, range_order: Option<&ArrowType>) -> String {
        match self {
            Bound::Unbounded { preceding: true } => "UNBOUNDED PRECEDING".into(),
            Bound::Unbounded { preceding: false } => "UNBOUNDED FOLLOWING".into(),
            Bound::CurrentRow => "CURRENT ROW".into(),
            Bound::Offset { preceding_syntax: true, text, value, .. } => {
                let t = value.data_type();
                match range_order {
                    Some(order) if order.is_numeric() && t.is_numeric() && *order != t => format!("(- {text}) FOLLOWING"),
                    _ => format!("{text} PRECEDING"),
                }
            }
            Bound::Offset { text, .. } => format!("{text} FOLLOWING"),
        }
    }

    /// Where the bound sits, for comparing lower and upper: `None` when
    /// unbounded or not comparable.
    fn position(&self) -> Option<f64> {
        match self {
            Bound::Unbounded { .. } => None,
            Bound::CurrentRow => Some(0.0),
            Bound::Offset { value, negative, .. } => magnitude(value).map(|m| if *negative { -m } else { m }),
        }
    }
}

/// The absolute size of an offset, as a number to compare bounds by.
fn magnitude(v: &ScalarValue) -> Option<f64> {
    match v {
        ScalarValue::IntervalYearMonth(Some(m)) => Some(m.unsigned_abs() as f64 * 30.0 * 86_400e6),
        ScalarValue::DurationMicrosecond(Some(d)) => Some(d.unsigned_abs() as f64),
        v => match v.cast_to(&ArrowType::Float64).ok()? {
            ScalarValue::Float64(Some(x)) => Some(x.abs()),
            _ => None,
        },
    }
}

/// The sign of a constant offset; `None` for a type that is not an offset.
fn sign(v: &ScalarValue) -> Option<std::cmp::Ordering> {
    let zero_cmp = |x: f64| x.partial_cmp(&0.0);
    match v {
        ScalarValue::Int8(Some(x)) => Some(x.cmp(&0)),
        ScalarValue::Int16(Some(x)) => Some(x.cmp(&0)),
        ScalarValue::Int32(Some(x)) => Some(x.cmp(&0)),
        ScalarValue::Int64(Some(x)) => Some(x.cmp(&0)),
        ScalarValue::Float32(Some(x)) => zero_cmp(*x as f64),
        ScalarValue::Float64(Some(x)) => zero_cmp(*x),
        ScalarValue::Decimal128(Some(x), _, _) => Some(x.cmp(&0)),
        ScalarValue::DurationMicrosecond(Some(x)) => Some(x.cmp(&0)),
        ScalarValue::IntervalYearMonth(Some(x)) => Some(x.cmp(&0)),
        _ => None,
    }
}

/// `v` without its sign.
fn absolute(v: ScalarValue) -> ScalarValue {
    match v {
        ScalarValue::Int8(Some(x)) => ScalarValue::Int8(Some(x.wrapping_abs())),
        ScalarValue::Int16(Some(x)) => ScalarValue::Int16(Some(x.wrapping_abs())),
        ScalarValue::Int32(Some(x)) => ScalarValue::Int32(Some(x.wrapping_abs())),
        ScalarValue::Int64(Some(x)) => ScalarValue::Int64(Some(x.wrapping_abs())),
        ScalarValue::Float32(Some(x)) => ScalarValue::Float32(Some(x.abs())),
        ScalarValue::Float64(Some(x)) => ScalarValue::Float64(Some(x.abs())),
        ScalarValue::Decimal128(Some(x), p, s) => ScalarValue::Decimal128(Some(x.wrapping_abs()), p, s),
        ScalarValue::DurationMicrosecond(Some(x)) => ScalarValue::DurationMicrosecond(Some(x.wrapping_abs())),
        ScalarValue::IntervalYearMonth(Some(x)) => ScalarValue::IntervalYearMonth(Some(x.wrapping_abs())),
        v => v,
    }
}

fn sql_type(t: &ArrowType) -> String {
    format!("\"{}\"", from_arrow(t).map(|t| t.sql()).unwrap_or_else(|_| t.to_string()))
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// `offset` (unsigned) as a distance in values of `order` type, or `None`
/// when Spark does not accept that pairing.
fn range_offset(offset: &ScalarValue, order: &ArrowType) -> Option<ScalarValue> {
    let interval = |months: i32, days: i32, nanos: i64| ScalarValue::IntervalMonthDayNano(Some(IntervalMonthDayNano::new(months, days, nanos)));
    match (order, offset) {
        (o, v) if o.is_numeric() && (v.data_type().is_numeric()) => v.cast_to(o).ok(),
        (ArrowType::Date32, v) if v.data_type().is_integer() => match v.cast_to(&ArrowType::Int32).ok()? {
            ScalarValue::Int32(Some(days)) => Some(interval(0, days, 0)),
            _ => None,
        },
        (ArrowType::Date32, ScalarValue::DurationMicrosecond(Some(d))) if d % MICROS_PER_DAY == 0 => {
            Some(interval(0, i32::try_from(d / MICROS_PER_DAY).ok()?, 0))
        }
        (ArrowType::Date32 | ArrowType::Timestamp(..), ScalarValue::IntervalYearMonth(Some(m))) => Some(interval(*m, 0, 0)),
        (ArrowType::Timestamp(..), ScalarValue::DurationMicrosecond(Some(d))) => Some(interval(0, 0, d.checked_mul(1000)?)),
        (ArrowType::Duration(TimeUnit::Microsecond), ScalarValue::DurationMicrosecond(_)) => Some(offset.clone()),
        (ArrowType::Interval(_), ScalarValue::IntervalYearMonth(_)) => Some(offset.clone()),
        _ => None,
    }
}

impl Resolver<'_> {
    /// The DataFusion frame of `f` over a window ordered by `orders`
    /// (printed `order_names`), and how Spark prints the frame.
    pub(crate) fn window_frame(
        &mut self,
        f: &WindowFrame,
        orders: &[Sort],
        order_names: &[String],
        scope: &ResolvedRelation,
    ) -> ResolveResult<(DfFrame, String)> {
        let rows = f.frame_type == FrameType::Rows;
        let lower = self.frame_bound(&f.lower, true, scope)?;
        let upper = self.frame_bound(&f.upper, false, scope)?;
        let kind = if rows { "ROWS" } else { "RANGE" };
        let order_type = match orders.first() {
            Some(o) => Some(self.arrow_type(&o.expr, scope)?),
            None => None,
        };
        let range_order = if rows { None } else { order_type.as_ref() };
        let text = format!("{kind} BETWEEN {} AND {}", lower.sql(range_order), upper.sql(range_order));
        let mismatch = |class: &str, message: String, sql_expr: &str, params: &[(&str, String)]| {
            let mut all: Vec<(&str, String)> = params.to_vec();
            all.push(("sqlExpr", format!("\"{sql_expr}\"")));
            ResolveError::analysis(
                &format!("DATATYPE_MISMATCH.{class}"),
                "42K09",
                format!("Cannot resolve \"{sql_expr}\" due to data type mismatch: {message}"),
                &all,
            )
        };
        let spec = {
            let order = if order_names.is_empty() { String::new() } else { format!("ORDER BY {} ", order_names.join(", ")) };
            format!("({order}{text})")
        };

        for (bound, location) in [(&lower, "lower"), (&upper, "upper")] {
            let Bound::Offset { value, .. } = bound else { continue };
            let t = value.data_type();
            let accepted = if rows {
                t.is_integer()
            } else {
                t.is_numeric() || matches!(t, ArrowType::Duration(_) | ArrowType::Interval(_))
            };
            if !accepted {
                let expected = if rows {
                    "\"INT\"".to_string()
                } else {
                    "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\")".to_string()
                };
                return Err(mismatch(
                    "SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
                    format!("The data type of the {location} bound {} does not match the expected data type {expected}.", sql_type(&t)),
                    &text,
                    &[("location", location.into()), ("exprType", sql_type(&t)), ("expectedType", expected.clone())],
                ));
            }
        }
        if let (Some(l), Some(u)) = (lower.position(), upper.position()) {
            if l > u {
                return Err(mismatch(
                    "SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
                    "The lower bound of a window frame must be less than or equal to the upper bound.".into(),
                    &text,
                    &[("comparison", "less than or equal".into())],
                ));
            }
        }

        let has_offset = matches!(lower, Bound::Offset { .. }) || matches!(upper, Bound::Offset { .. });
        if !rows && has_offset {
            if orders.is_empty() {
                return Err(mismatch("RANGE_FRAME_WITHOUT_ORDER", "A range window frame cannot be used in an unordered window specification.".into(), &spec, &[]));
            }
            if orders.len() > 1 {
                let shown = order_names.join(",");
                return Err(mismatch(
                    "RANGE_FRAME_MULTI_ORDER",
                    format!("A range window frame with value boundaries cannot be used in a window specification with multiple order by expressions: {shown}."),
                    &spec,
                    &[("orderSpec", shown.clone())],
                ));
            }
        }

        // Spark casts the offsets to the ordering's type first: a type
        // that has no distances refuses them.
        if let (false, true, Some(order)) = (rows, has_offset, order_type.as_ref()) {
            let ordered_by_distance = order.is_numeric()
                || matches!(order, ArrowType::Date32 | ArrowType::Timestamp(..) | ArrowType::Duration(_) | ArrowType::Interval(_) | ArrowType::Null);
            if !ordered_by_distance {
                let expected = "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\")".to_string();
                let location = if matches!(lower, Bound::Offset { .. }) { "lower" } else { "upper" };
                return Err(mismatch(
                    "SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
                    format!("The data type of the {location} bound {} does not match the expected data type {expected}.", sql_type(order)),
                    &text,
                    &[("location", location.into()), ("exprType", sql_type(order)), ("expectedType", expected.clone())],
                ));
            }
        }
        let convert = |b: Bound| -> ResolveResult<DfBound> {
            Ok(match b {
                Bound::Unbounded { preceding: true } => DfBound::Preceding(unbounded()),
                Bound::Unbounded { preceding: false } => DfBound::Following(unbounded()),
                Bound::CurrentRow => DfBound::CurrentRow,
                Bound::Offset { value, negative, .. } => {
                    let value = if rows {
                        match value.cast_to(&ArrowType::Int64) {
                            Ok(ScalarValue::Int64(Some(n))) => ScalarValue::UInt64(Some(n.unsigned_abs())),
                            _ => return Err(ResolveError::invalid("a ROWS frame offset out of range")),
                        }
                    } else {
                        let order = order_type.clone().unwrap_or(ArrowType::Null);
                        let t = value.data_type();
                        range_offset(&value, &order).ok_or_else(|| {
                            mismatch(
                                "RANGE_FRAME_INVALID_TYPE",
                                format!(
                                    "The data type {} used in the order specification does not support the data type {} which is used in the range frame.",
                                    sql_type(&order),
                                    sql_type(&t)
                                ),
                                &spec,
                                &[("orderSpecType", sql_type(&order)), ("valueBoundaryType", sql_type(&t))],
                            )
                        })?
                    };
                    if negative { DfBound::Preceding(value) } else { DfBound::Following(value) }
                }
            })
        };
        let units = if rows { WindowFrameUnits::Rows } else { WindowFrameUnits::Range };
        Ok((DfFrame::new_bounds(units, convert(lower)?, convert(upper)?), text))
    }

    fn frame_bound(&mut self, b: &WindowFrameBound, lower: bool, scope: &ResolvedRelation) -> ResolveResult<Bound> {
        let e = match b {
            WindowFrameBound::CurrentRow => return Ok(Bound::CurrentRow),
            WindowFrameBound::UnboundedPreceding => return Ok(Bound::Unbounded { preceding: true }),
            WindowFrameBound::UnboundedFollowing => return Ok(Bound::Unbounded { preceding: false }),
            WindowFrameBound::Value(e) => e,
        };
        // `n PRECEDING` arrives negated; its text is the offset as written.
        let (magnitude_expr, negated) = match e.as_ref() {
            Expr::Function { name, args, .. } if name == "negative" && args.len() == 1 => (&args[0], true),
            other => (other, false),
        };
        let resolved = self.resolve_expr(e, scope)?;
        let Some(value) = crate::functions::constant_value(&resolved.expr) else {
            return Err(ResolveError::analysis(
                "INVALID_SQL_SYNTAX.INVALID_WINDOW_FRAME_BOUND",
                "42000",
                "Invalid SQL syntax: Frame bound value must be a literal.",
                &[],
            ));
        };
        let text = if negated { self.resolve_expr(magnitude_expr, scope)?.name } else { resolved.name.clone() };
        Ok(match sign(&value) {
            Some(std::cmp::Ordering::Equal) => Bound::CurrentRow,
            Some(o) => Bound::Offset { negative: o == std::cmp::Ordering::Less, value: absolute(value), text, preceding_syntax: negated },
            // Not a number or interval: kept for the type check to refuse.
            None => Bound::Offset { value, negative: lower, text, preceding_syntax: negated },
        })
    }
}
