//! Spark's strength reduction of an integral value compared with a decimal
//! literal (its `DecimalPrecision` rule, applied while types are coerced):
//! `i > 1.5` is `i > 1` and `i >= 1.5` is `i >= 2`, with a BIGINT literal
//! rounded toward the side that keeps the answer; a literal beyond BIGINT's
//! range makes the whole comparison the constant `true` or `false` (also
//! for a NULL `i`). The column name shows the rewritten comparison, as
//! Spark's does. `=`, `<>` and `<=>` are left as written.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Expr as DfExpr, Operator, lit};

use super::{Built, Call, cast};

/// How the decimal is rounded to an integer.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rounding {
    Floor,
    Ceil,
}

/// The rewritten comparison, when `c` compares an integral value with a
/// decimal literal by `<`, `<=`, `>` or `>=`.
pub(super) fn reduce(c: &Call<'_>, op: Operator) -> Option<Built> {
    let symbol = match op {
        Operator::Lt => "<",
        Operator::LtEq => "<=",
        Operator::Gt => ">",
        Operator::GtEq => ">=",
        _ => return None,
    };
    let integral = |i: usize| matches!(c.types.get(i), Some(ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32 | ArrowType::Int64));
    let decimal = |i: usize| match c.args.get(i) {
        Some(DfExpr::Literal(ScalarValue::Decimal128(Some(v), _, s), _)) if *s >= 0 => Some((*v, *s)),
        _ => None,
    };
    // Written as `i op d`; a literal on the left is the mirrored operator.
    let (value, literal_left, (unscaled, scale)) = if integral(0) {
        (c.args.first()?.clone(), false, decimal(1)?)
    } else if integral(1) {
        (c.args.get(1)?.clone(), true, decimal(0)?)
    } else {
        return None;
    };
    let as_written_right = if literal_left { mirrored(op) } else { op };
    Some(match bounded(unscaled, scale, rounding(as_written_right)) {
        Bound::BelowLong => constant(matches!(as_written_right, Operator::Gt | Operator::GtEq)),
        Bound::AboveLong => constant(matches!(as_written_right, Operator::Lt | Operator::LtEq)),
        Bound::Long(n) => {
            let value = cast(value, ArrowType::Int64);
            let (l, r, name) = if literal_left {
                (lit(n), value, format!("({n} {symbol} {})", c.names[1]))
            } else {
                (value, lit(n), format!("({} {symbol} {n})", c.names[0]))
            };
            Built::new(DfExpr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)))).named(name)
        }
    })
}

/// `d op i` read as `i op' d`.
fn mirrored(op: Operator) -> Operator {
    match op {
        Operator::Lt => Operator::Gt,
        Operator::LtEq => Operator::GtEq,
        Operator::Gt => Operator::Lt,
        Operator::GtEq => Operator::LtEq,
        other => other,
    }
}

/// For `i op d`: `i > d` and `i <= d` keep their answer with `floor(d)`,
/// `i >= d` and `i < d` with `ceil(d)`.
fn rounding(op: Operator) -> Rounding {
    match op {
        Operator::Gt | Operator::LtEq => Rounding::Floor,
        _ => Rounding::Ceil,
    }
}

fn constant(value: bool) -> Built {
    Built::new(lit(value)).named(value.to_string()).nullable(false)
}

#[derive(Debug, PartialEq)]
enum Bound {
    BelowLong,
    AboveLong,
    Long(i64),
}

/// The decimal `unscaled / 10^scale` rounded, or which side of BIGINT's
/// range the decimal itself lies on (Spark compares the exact decimal with
/// the range, before rounding).
fn bounded(unscaled: i128, scale: i8, rounding: Rounding) -> Bound {
    let scale = u32::try_from(scale).unwrap_or(0); // callers pass scales >= 0
    let Some(factor) = 10i128.checked_pow(scale) else {
        return if unscaled < 0 { Bound::BelowLong } else { Bound::AboveLong };
    };
    let (whole, rest) = (unscaled.div_euclid(factor), unscaled.rem_euclid(factor));
    // `whole` is floor(d); d lies below i64::MIN when floor(d) < MIN, and
    // above i64::MAX when floor(d) > MAX or (floor(d) = MAX and a fraction is left).
    if whole < i128::from(i64::MIN) {
        return Bound::BelowLong;
    }
    if whole > i128::from(i64::MAX) || (whole == i128::from(i64::MAX) && rest != 0) {
        return Bound::AboveLong;
    }
    let rounded = if rounding == Rounding::Ceil && rest != 0 { whole + 1 } else { whole };
    i64::try_from(rounded).map_or(Bound::AboveLong, Bound::Long)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_toward_the_answer_and_bounds_by_bigint() {
        assert_eq!(bounded(15, 1, Rounding::Floor), Bound::Long(1));
        assert_eq!(bounded(15, 1, Rounding::Ceil), Bound::Long(2));
        assert_eq!(bounded(-15, 1, Rounding::Floor), Bound::Long(-2));
        assert_eq!(bounded(-15, 1, Rounding::Ceil), Bound::Long(-1));
        assert_eq!(bounded(10, 1, Rounding::Ceil), Bound::Long(1));
        // -9223372036854775808.0 is in range, -9223372036854775808.5 is not.
        assert_eq!(bounded(-92233720368547758080, 1, Rounding::Floor), Bound::Long(i64::MIN));
        assert_eq!(bounded(-92233720368547758085, 1, Rounding::Ceil), Bound::BelowLong);
        // 9223372036854775807.5 lies above the range whichever way it rounds.
        assert_eq!(bounded(92233720368547758075, 1, Rounding::Floor), Bound::AboveLong);
        assert_eq!(bounded(92233720368547758070, 1, Rounding::Ceil), Bound::Long(i64::MAX));
        assert_eq!(bounded(999_999_999_999_999_999_995, 1, Rounding::Floor), Bound::AboveLong);
    }

    #[test]
    fn a_literal_on_the_left_mirrors_the_operator() {
        assert_eq!(rounding(mirrored(Operator::Gt)), Rounding::Ceil);
        assert_eq!(rounding(mirrored(Operator::GtEq)), Rounding::Floor);
        assert_eq!(rounding(mirrored(Operator::Lt)), Rounding::Floor);
        assert_eq!(rounding(mirrored(Operator::LtEq)), Rounding::Ceil);
    }
}
