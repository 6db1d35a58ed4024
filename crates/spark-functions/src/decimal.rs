//! Spark's decimal arithmetic (`DecimalPrecision` with
//! `spark.sql.decimalOperations.allowPrecisionLoss=true`): the result type
//! of `+ - * / %` on decimals, and the computation itself with HALF_UP
//! rounding to that type. A result too wide for its precision is NULL, or
//! under ANSI mode `NUMERIC_VALUE_OUT_OF_RANGE`; a zero divisor is NULL or
//! `DIVIDE_BY_ZERO` (`REMAINDER_BY_ZERO` for `%`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanBufferBuilder, Decimal128Array};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, i256};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError, divide_by_zero, remainder_by_zero};

pub const MAX_PRECISION: i32 = 38;
/// The least scale a result keeps when its precision must be cut to 38.
const MIN_ADJUSTED_SCALE: i32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecimalOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

impl DecimalOp {
    pub fn symbol(self) -> &'static str {
        match self {
            DecimalOp::Add => "+",
            DecimalOp::Subtract => "-",
            DecimalOp::Multiply => "*",
            DecimalOp::Divide => "/",
            DecimalOp::Remainder => "%",
        }
    }
}

/// Spark's `DecimalType.adjustPrecisionScale`.
pub fn adjust_precision_scale(p: i32, s: i32) -> (u8, i8) {
    if p <= MAX_PRECISION {
        return (p as u8, s as i8);
    }
    let int_digits = p - s;
    let min_scale = s.min(MIN_ADJUSTED_SCALE);
    let scale = (MAX_PRECISION - int_digits).max(min_scale);
    (MAX_PRECISION as u8, scale as i8)
}

/// The result type of a decimal operation.
pub fn result_type(op: DecimalOp, (p1, s1): (u8, i8), (p2, s2): (u8, i8)) -> (u8, i8) {
    let (p1, s1, p2, s2) = (p1 as i32, s1 as i32, p2 as i32, s2 as i32);
    match op {
        DecimalOp::Add | DecimalOp::Subtract => {
            let s = s1.max(s2);
            adjust_precision_scale(s + (p1 - s1).max(p2 - s2) + 1, s)
        }
        DecimalOp::Multiply => adjust_precision_scale(p1 + p2 + 1, s1 + s2),
        DecimalOp::Divide => {
            let scale = MIN_ADJUSTED_SCALE.max(s1 + p2 + 1);
            adjust_precision_scale(p1 - s1 + s2 + scale, scale)
        }
        DecimalOp::Remainder => {
            let s = s1.max(s2);
            adjust_precision_scale((p1 - s1).min(p2 - s2) + s, s)
        }
    }
}

/// The decimal type an integral type takes in decimal arithmetic.
pub fn integral_decimal(t: &DataType) -> Option<(u8, i8)> {
    Some(match t {
        DataType::Int8 => (3, 0),
        DataType::Int16 => (5, 0),
        DataType::Int32 => (10, 0),
        DataType::Int64 => (20, 0),
        DataType::Decimal128(p, s) => (*p, *s),
        _ => return None,
    })
}

/// An integer literal takes only the digits it needs (`DecimalType.fromLiteral`).
pub fn literal_decimal(v: i64) -> (u8, i8) {
    let digits = v.unsigned_abs().to_string().len() as u8;
    (digits.max(1), 0)
}

/// The type both sides of a decimal comparison are cast to
/// (`DecimalPrecision.widerDecimalType`).
pub fn wider_decimal((p1, s1): (u8, i8), (p2, s2): (u8, i8)) -> (u8, i8) {
    let s = (s1 as i32).max(s2 as i32);
    let range = (p1 as i32 - s1 as i32).max(p2 as i32 - s2 as i32);
    let p = (range + s).min(MAX_PRECISION);
    (p as u8, s.min(p) as i8)
}

/// 10^n for n in 0..=38, which i128 holds.
const POW10_I128: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// 10^n as u128 (n at most 38), from a table.
#[inline]
pub fn pow10_u128(n: u8) -> u128 {
    POW10_I128.get(n as usize).map_or(u128::MAX, |v| v.unsigned_abs())
}

/// `v` from scale `from` to scale `to` in i128 (HALF_UP when dropping
/// digits); None when it does not fit, so the caller falls back to i256.
fn rescale_i128(v: i128, from: i32, to: i32) -> Option<i128> {
    if to >= from {
        return v.checked_mul(*POW10_I128.get((to - from) as usize)?);
    }
    let d = *POW10_I128.get((from - to) as usize)?;
    let q = v / d;
    let r = v % d;
    // |r| < d <= 10^38, so 2|r| fits.
    Some(if r.unsigned_abs() * 2 >= d.unsigned_abs() { q + v.signum() } else { q })
}

fn pow10(n: u32) -> i256 {
    let mut v = i256::ONE;
    let ten = i256::from_i128(10);
    for _ in 0..n {
        v = v.wrapping_mul(ten);
    }
    v
}

/// `v / 10^k` rounded HALF_UP (away from zero on ties).
fn rescale_down(v: i256, k: u32) -> i256 {
    if k == 0 {
        return v;
    }
    let d = pow10(k);
    let q = v.wrapping_div(d);
    let r = v.wrapping_rem(d);
    let twice = r.wrapping_abs().wrapping_mul(i256::from_i128(2));
    if twice >= d {
        if v.is_negative() { q.wrapping_sub(i256::ONE) } else { q.wrapping_add(i256::ONE) }
    } else {
        q
    }
}

fn rescale(v: i256, from: i32, to: i32) -> Option<i256> {
    if to >= from { v.checked_mul(pow10((to - from) as u32)) } else { Some(rescale_down(v, (from - to) as u32)) }
}

/// `a / b` rounded HALF_UP.
fn div_half_up(a: i256, b: i256) -> i256 {
    let q = a.wrapping_div(b);
    let r = a.wrapping_rem(b);
    if r.wrapping_abs().wrapping_mul(i256::from_i128(2)) >= b.wrapping_abs() {
        if a.is_negative() != b.is_negative() { q.wrapping_sub(i256::ONE) } else { q.wrapping_add(i256::ONE) }
    } else {
        q
    }
}

/// Spark's text for a decimal value (for error messages).
pub(crate) fn decimal_text(v: i256, scale: i32) -> String {
    let digits = v.wrapping_abs().to_string();
    let sign = if v.is_negative() { "-" } else { "" };
    if scale <= 0 {
        return format!("{sign}{digits}");
    }
    let s = scale as usize;
    let padded = if digits.len() <= s { format!("{}{}", "0".repeat(s + 1 - digits.len()), digits) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - s);
    format!("{sign}{int}.{frac}")
}

/// The i128 steps of one `+ - *` between two scales, worked out once per
/// batch: scale factors of the operands and the final rescale.
#[derive(Debug, Clone, Copy)]
struct FastPlan {
    op: DecimalOp,
    /// Multipliers bringing both operands to a common scale (`+ -`).
    left: i128,
    right: i128,
    /// The result's scale minus the exact result's.
    shift: i32,
}

impl FastPlan {
    fn new(op: DecimalOp, sa: i32, sb: i32, s: i32) -> Option<Self> {
        match op {
            DecimalOp::Add | DecimalOp::Subtract => {
                let common = sa.max(sb);
                Some(Self {
                    op,
                    left: *POW10_I128.get((common - sa) as usize)?,
                    right: *POW10_I128.get((common - sb) as usize)?,
                    shift: s - common,
                })
            }
            DecimalOp::Multiply => Some(Self { op, left: 1, right: 1, shift: s - (sa + sb) }),
            DecimalOp::Divide | DecimalOp::Remainder => None,
        }
    }

    #[inline]
    fn apply(self, a: i128, b: i128) -> Option<i128> {
        let exact = match self.op {
            DecimalOp::Add => a.checked_mul(self.left)?.checked_add(b.checked_mul(self.right)?)?,
            DecimalOp::Subtract => a.checked_mul(self.left)?.checked_sub(b.checked_mul(self.right)?)?,
            // Two 64-bit factors never overflow 128 bits.
            _ => match (i64::try_from(a), i64::try_from(b)) {
                (Ok(x), Ok(y)) => i128::from(x) * i128::from(y),
                _ => a.checked_mul(b)?,
            },
        };
        if self.shift == 0 { Some(exact) } else { rescale_i128(exact, 0, self.shift) }
    }

    /// Whether no pair of values of the operands' precisions can overflow
    /// i128 or the result's precision, so `apply_unchecked` is exact.
    fn never_overflows(self, inputs: Inputs, precision: u8) -> bool {
        let ((pa, sa), (pb, sb)) = (inputs.left, inputs.right);
        let (pa, pb, precision) = (pa as i32, pb as i32, precision as i32);
        // Digits of the exact result before the final rescale.
        let digits = match self.op {
            DecimalOp::Add | DecimalOp::Subtract => (pa - sa).max(pb - sb) + sa.max(sb) + 1,
            DecimalOp::Multiply => pa + pb,
            DecimalOp::Divide | DecimalOp::Remainder => return false,
        };
        // Rounding up can reach the next power of ten, hence the strict
        // bound when digits are dropped.
        let fits = if self.shift >= 0 { digits + self.shift <= precision } else { digits + self.shift < precision };
        self.shift.abs() <= 38 && digits <= 38 && digits + self.shift.max(0) <= 38 && fits
    }

    /// `apply` for operands `never_overflows` has cleared.
    #[inline]
    fn apply_unchecked(self, a: i128, b: i128) -> i128 {
        let exact = match self.op {
            DecimalOp::Add => a.wrapping_mul(self.left).wrapping_add(b.wrapping_mul(self.right)),
            DecimalOp::Subtract => a.wrapping_mul(self.left).wrapping_sub(b.wrapping_mul(self.right)),
            _ => a.wrapping_mul(b),
        };
        match self.shift {
            0 => exact,
            s if s > 0 => exact.wrapping_mul(POW10_I128[s as usize]),
            s => {
                let d = POW10_I128[(-s) as usize];
                let (q, r) = (exact / d, exact % d);
                if r.unsigned_abs() * 2 >= d.unsigned_abs() { q + exact.signum() } else { q }
            }
        }
    }
}

/// Decimal arithmetic with Spark's result type and rounding.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDecimalArith {
    op: DecimalOp,
    ansi: bool,
    precision: u8,
    scale: i8,
    signature: Signature,
}

impl SparkDecimalArith {
    pub fn udf(op: DecimalOp, ansi: bool, result: (u8, i8)) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            op,
            ansi,
            precision: result.0,
            scale: result.1,
            signature: Signature::any(2, Volatility::Immutable),
        }))
    }

    fn compute(&self, a: i256, sa: i32, b: i256, sb: i32) -> Result<Option<i256>> {
        let s = self.scale as i32;
        let value = match self.op {
            DecimalOp::Add | DecimalOp::Subtract => {
                let common = sa.max(sb);
                let (Some(x), Some(y)) = (rescale(a, sa, common), rescale(b, sb, common)) else { return self.overflow(None) };
                let r = if self.op == DecimalOp::Add { x.checked_add(y) } else { x.checked_sub(y) };
                match r.and_then(|r| rescale(r, common, s)) {
                    Some(v) => v,
                    None => return self.overflow(None),
                }
            }
            DecimalOp::Multiply => match a.checked_mul(b).and_then(|p| rescale(p, sa + sb, s)) {
                Some(v) => v,
                None => return self.overflow(None),
            },
            DecimalOp::Divide => {
                if b == i256::ZERO {
                    return if self.ansi { Err(divide_by_zero()) } else { Ok(None) };
                }
                // a / b at scale s: (a * 10^(s - sa + sb)) / b.
                let shift = s - sa + sb;
                let (num, den) = if shift >= 0 {
                    match a.checked_mul(pow10(shift as u32)) {
                        Some(n) => (n, b),
                        None => return self.overflow(None),
                    }
                } else {
                    match b.checked_mul(pow10((-shift) as u32)) {
                        Some(d) => (a, d),
                        None => return self.overflow(None),
                    }
                };
                div_half_up(num, den)
            }
            DecimalOp::Remainder => {
                if b == i256::ZERO {
                    return if self.ansi { Err(remainder_by_zero()) } else { Ok(None) };
                }
                let common = sa.max(sb);
                let (Some(x), Some(y)) = (rescale(a, sa, common), rescale(b, sb, common)) else { return self.overflow(None) };
                match rescale(x.wrapping_rem(y), common, s) {
                    Some(v) => v,
                    None => return self.overflow(None),
                }
            }
        };
        if value.wrapping_abs() >= i256::from_i128(POW10_I128[self.precision.min(38) as usize]) {
            return self.overflow(Some(value));
        }
        Ok(Some(value))
    }

    /// The exact result in i128 for `+ - *` when every step fits (else
    /// None, and the i256 path decides, overflow included).
    #[cfg(test)]
    fn compute_i128(&self, a: i128, sa: i32, b: i128, sb: i32) -> Option<i128> {
        FastPlan::new(self.op, sa, sb, self.scale as i32)?.apply(a, b)
    }

    fn overflow(&self, value: Option<i256>) -> Result<Option<i256>> {
        if !self.ansi {
            return Ok(None);
        }
        Err(match value {
            Some(v) => out_of_range(v, self.precision, self.scale),
            None => out_of_range_error("The value".into(), self.precision, self.scale),
        })
    }
}

/// Spark's `NUMERIC_VALUE_OUT_OF_RANGE` for `value` (at `scale`) that does
/// not fit DECIMAL(precision, scale).
pub(crate) fn out_of_range(value: i256, precision: u8, scale: i8) -> datafusion::error::DataFusionError {
    out_of_range_error(decimal_text(value, scale as i32), precision, scale)
}

pub(crate) fn out_of_range_error(shown: String, precision: u8, scale: i8) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
        "22003",
        format!(
            " {shown} cannot be represented as Decimal({precision}, {scale}). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return NULL instead."
        ),
    )
    .param("value", shown)
    .param("precision", precision.to_string())
    .param("scale", scale.to_string())
    .param("config", "\"spark.sql.ansi.enabled\"")
    .into_df()
}

impl ScalarUDFImpl for SparkDecimalArith {
    fn name(&self) -> &str {
        match self.op {
            DecimalOp::Add => "spark_decimal_add",
            DecimalOp::Subtract => "spark_decimal_subtract",
            DecimalOp::Multiply => "spark_decimal_multiply",
            DecimalOp::Divide => "spark_decimal_divide",
            DecimalOp::Remainder => "spark_decimal_remainder",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(self.precision, self.scale))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let [l, r] = args.args.as_slice() else { return exec_err!("decimal arithmetic takes two arguments") };
        let (DataType::Decimal128(pa, sa), DataType::Decimal128(pb, sb)) = (l.data_type(), r.data_type()) else {
            return exec_err!("decimal arithmetic needs decimal arguments, got {} and {}", l.data_type(), r.data_type());
        };
        let inputs = Inputs { left: (pa, sa as i32), right: (pb, sb as i32) };
        if let (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)) = (l, r) {
            let (la, ra) = (l.to_array(1)?, r.to_array(1)?);
            let arr: ArrayRef = Arc::new(self.evaluate(Operand::of_array(&la)?, Operand::of_array(&ra)?, inputs, 1)?);
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&arr, 0)?));
        }
        let (la, ra) = (Operand::new(l)?, Operand::new(r)?);
        Ok(ColumnarValue::Array(Arc::new(self.evaluate(la, ra, inputs, n)?)))
    }
}

/// The precision and scale of both operands.
#[derive(Debug, Clone, Copy)]
struct Inputs {
    left: (u8, i32),
    right: (u8, i32),
}

/// One operand of a batch: a column, or one value for every row.
enum Operand<'a> {
    Column(&'a Decimal128Array),
    Value(Option<i128>),
}

impl<'a> Operand<'a> {
    fn new(v: &'a ColumnarValue) -> Result<Self> {
        match v {
            ColumnarValue::Array(a) => Self::of_array(a),
            ColumnarValue::Scalar(ScalarValue::Decimal128(v, _, _)) => Ok(Operand::Value(*v)),
            ColumnarValue::Scalar(s) => exec_err!("decimal arithmetic needs decimal arguments, got {}", s.data_type()),
        }
    }

    fn of_array(a: &'a ArrayRef) -> Result<Self> {
        match a.as_any().downcast_ref::<Decimal128Array>() {
            Some(a) => Ok(Operand::Column(a)),
            None => exec_err!("decimal arithmetic needs decimal arguments, got {}", a.data_type()),
        }
    }
}

impl SparkDecimalArith {
    /// The operation over a batch of `n` rows.
    fn evaluate(&self, a: Operand, b: Operand, inputs: Inputs, n: usize) -> Result<Decimal128Array> {
        let nulls = match (&a, &b) {
            (Operand::Value(None), _) | (_, Operand::Value(None)) => return Ok(Decimal128Array::new_null(n).with_precision_and_scale(self.precision, self.scale)?),
            (Operand::Column(x), Operand::Column(y)) => NullBuffer::union(x.nulls(), y.nulls()),
            (Operand::Column(x), _) | (_, Operand::Column(x)) => x.nulls().cloned(),
            _ => None,
        };
        let (values, nulls) = match (a, b) {
            (Operand::Column(x), Operand::Column(y)) => {
                let (x, y) = (x.values(), y.values());
                self.kernel(n, |i| x[i], |i| y[i], nulls, inputs)?
            }
            (Operand::Value(Some(x)), Operand::Column(y)) => {
                let y = y.values();
                self.kernel(n, |_| x, |i| y[i], nulls, inputs)?
            }
            (Operand::Column(x), Operand::Value(Some(y))) => {
                let x = x.values();
                self.kernel(n, |i| x[i], |_| y, nulls, inputs)?
            }
            (Operand::Value(Some(x)), Operand::Value(Some(y))) => self.kernel(n, |_| x, |_| y, nulls, inputs)?,
            _ => return exec_err!("decimal arithmetic: unreachable operand combination"),
        };
        Ok(Decimal128Array::new(values.into(), nulls).with_precision_and_scale(self.precision, self.scale)?)
    }

    /// The values of a batch, row `i` being `a(i) op b(i)`, and its nulls
    /// (the operands' and, outside ANSI mode, rows that overflow).
    fn kernel(
        &self,
        n: usize,
        a: impl Fn(usize) -> i128,
        b: impl Fn(usize) -> i128,
        nulls: Option<NullBuffer>,
        inputs: Inputs,
    ) -> Result<(Vec<i128>, Option<NullBuffer>)> {
        let (sa, sb) = (inputs.left.1, inputs.right.1);
        let plan = FastPlan::new(self.op, sa, sb, self.scale as i32);
        // When the operands' precisions rule out overflow, every row is a
        // plain loop the compiler can vectorise (null rows compute garbage
        // that the null mask hides, with wrapping arithmetic).
        if let Some(plan) = plan.filter(|p| p.never_overflows(inputs, self.precision)) {
            return Ok(((0..n).map(|i| plan.apply_unchecked(a(i), b(i))).collect(), nulls));
        }
        let bound = pow10_u128(self.precision);
        let mut values = Vec::with_capacity(n);
        let mut overflowed: Option<BooleanBufferBuilder> = None;
        for i in 0..n {
            if nulls.as_ref().is_some_and(|m| m.is_null(i)) {
                values.push(0);
                continue;
            }
            let (x, y) = (a(i), b(i));
            let v = match plan.and_then(|p| p.apply(x, y)).filter(|v| v.unsigned_abs() < bound) {
                Some(v) => Some(v),
                None => self.compute(i256::from_i128(x), sa, i256::from_i128(y), sb)?.and_then(|v| v.to_i128()),
            };
            match v {
                Some(v) => values.push(v),
                None => {
                    values.push(0);
                    let mask = overflowed.get_or_insert_with(|| {
                        let mut m = BooleanBufferBuilder::new(n);
                        m.append_n(n, true);
                        m
                    });
                    mask.set_bit(i, false);
                }
            }
        }
        let nulls = match overflowed {
            Some(mut m) => NullBuffer::union(nulls.as_ref(), Some(&NullBuffer::new(m.finish()))),
            None => nulls,
        };
        Ok((values, nulls))
    }
}

/// A decimal's unscaled value: the text rounded half-up to `scale`, NULL
/// when it needs more than `precision` digits.
pub fn parse_text(text: &str, precision: u8, scale: i8) -> Option<i128> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (lower.as_str(), 0),
    };
    let negative = mantissa.starts_with('-');
    let digits_part = mantissa.trim_start_matches(['-', '+']);
    let (int_part, frac_part) = digits_part.split_once('.').unwrap_or((digits_part, ""));
    let digits: String = format!("{int_part}{frac_part}");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // value = digits * 10^(exponent - frac_len); want value * 10^scale.
    let shift = exponent - frac_part.len() as i32 + i32::from(scale);
    let mut unscaled: i128 = 0;
    let kept = if shift >= 0 { digits.len() } else { digits.len().saturating_sub((-shift) as usize) };
    for c in digits[..kept].chars() {
        unscaled = unscaled.checked_mul(10)?.checked_add(i128::from(c.to_digit(10)?))?;
    }
    if shift > 0 {
        unscaled = unscaled.checked_mul(10i128.checked_pow(shift as u32)?)?;
    } else if shift < 0 && kept < digits.len() && digits.as_bytes()[kept] >= b'5' {
        unscaled += 1;
    }
    if unscaled >= 10i128.pow(u32::from(precision)) {
        return None;
    }
    Some(if negative { -unscaled } else { unscaled })
}


#[cfg(test)]
mod tests {
    #[test]
    fn decimals_round_half_up_and_check_precision() {
        assert_eq!(parse_text("123.456", 5, 2), Some(12346));
        assert_eq!(parse_text("12", 3, 1), Some(120));
        assert_eq!(parse_text("-0.005", 3, 2), Some(-1));
        assert_eq!(parse_text("1e2", 5, 0), Some(100));
        assert_eq!(parse_text("1000", 3, 0), None);
        assert_eq!(parse_text("abc", 3, 0), None);
    }

    use super::*;

    #[test]
    fn result_types_follow_spark() {
        // TPC-H: l_extendedprice * (1 - l_discount) with decimal(15,2) columns.
        let one_minus = result_type(DecimalOp::Subtract, literal_decimal(1), (15, 2));
        assert_eq!(one_minus, (16, 2));
        assert_eq!(result_type(DecimalOp::Multiply, (15, 2), one_minus), (32, 4));
        assert_eq!(result_type(DecimalOp::Multiply, (32, 4), (16, 2)), (38, 6));
        assert_eq!(result_type(DecimalOp::Divide, (10, 2), (10, 2)), (23, 13));
        assert_eq!(result_type(DecimalOp::Divide, (38, 18), (38, 18)), (38, 6));
        assert_eq!(result_type(DecimalOp::Multiply, (38, 18), (38, 18)), (38, 6));
        assert_eq!(result_type(DecimalOp::Remainder, (2, 0), (2, 1)), (2, 1));
        assert_eq!(wider_decimal((10, 2), (5, 4)), (12, 4));
    }

    #[test]
    fn computes_with_half_up_rounding() {
        let f = SparkDecimalArith { op: DecimalOp::Divide, ansi: true, precision: 38, scale: 6, signature: Signature::any(2, Volatility::Immutable) };
        // 1.00 / 3.00 = 0.333333
        assert_eq!(f.compute(i256::from_i128(100), 2, i256::from_i128(300), 2).ok().flatten(), Some(i256::from_i128(333_333)));
        // 2 / 3 = 0.666667
        assert_eq!(f.compute(i256::from_i128(2), 0, i256::from_i128(3), 0).ok().flatten(), Some(i256::from_i128(666_667)));
        // -2 / 3 = -0.666667
        assert_eq!(f.compute(i256::from_i128(-2), 0, i256::from_i128(3), 0).ok().flatten(), Some(i256::from_i128(-666_667)));
        assert!(f.compute(i256::ONE, 0, i256::ZERO, 0).is_err());
        assert_eq!(decimal_text(i256::from_i128(-5), 2), "-0.05");
        assert_eq!(rescale_down(i256::from_i128(125), 1), i256::from_i128(13));
        assert_eq!(rescale_down(i256::from_i128(-125), 1), i256::from_i128(-13));
    }

    #[test]
    fn the_i128_path_agrees_with_the_i256_path() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for op in [DecimalOp::Add, DecimalOp::Subtract, DecimalOp::Multiply] {
            for (precision, scale) in [(38, 6), (32, 4), (16, 2), (38, 0), (10, 10)] {
                let f = SparkDecimalArith { op, ansi: true, precision, scale, signature: Signature::any(2, Volatility::Immutable) };
                for _ in 0..2000 {
                    let width = (next() % 30) as u32;
                    let a = (next() as i128 % 10i128.pow(width.min(18))) * if next() % 2 == 0 { 1 } else { -1 };
                    let b = (next() as i128 % 10i128.pow((next() % 19) as u32)) * if next() % 2 == 0 { 1 } else { -1 };
                    let (sa, sb) = ((next() % 7) as i32, (next() % 7) as i32);
                    if let Some(fast) = f.compute_i128(a, sa, b, sb).filter(|v| v.unsigned_abs() < POW10_I128[precision as usize].unsigned_abs()) {
                        let slow = f.compute(i256::from_i128(a), sa, i256::from_i128(b), sb).ok().flatten();
                        assert_eq!(slow, Some(i256::from_i128(fast)), "{op:?} {a}e-{sa} {b}e-{sb} -> ({precision},{scale})");
                    }
                }
            }
        }
    }

    #[test]
    fn the_unchecked_path_is_exact_where_it_is_taken() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut taken = 0;
        for _ in 0..4000 {
            let op = [DecimalOp::Add, DecimalOp::Subtract, DecimalOp::Multiply][(next() % 3) as usize];
            let pa = (next() % 38 + 1) as u8;
            let pb = (next() % 38 + 1) as u8;
            let sa = (next() % (pa as u64 + 1)) as i8;
            let sb = (next() % (pb as u64 + 1)) as i8;
            let (precision, scale) = result_type(op, (pa, sa), (pb, sb));
            let f = SparkDecimalArith { op, ansi: true, precision, scale, signature: Signature::any(2, Volatility::Immutable) };
            let inputs = Inputs { left: (pa, sa as i32), right: (pb, sb as i32) };
            let Some(plan) = FastPlan::new(op, sa as i32, sb as i32, scale as i32).filter(|p| p.never_overflows(inputs, precision)) else { continue };
            taken += 1;
            // Values at the edges of the operands' precisions, and random ones.
            let edge = |p: u8, r: u64| -> i128 {
                let max = POW10_I128[p as usize] - 1;
                let v = match r % 3 { 0 => max, 1 => (r as i128) % (max + 1), _ => max / 2 + 1 };
                if r % 2 == 0 { v } else { -v }
            };
            for _ in 0..20 {
                let (a, b) = (edge(pa, next()), edge(pb, next()));
                let exact = f.compute(i256::from_i128(a), sa as i32, i256::from_i128(b), sb as i32).ok().flatten();
                assert_eq!(exact, Some(i256::from_i128(plan.apply_unchecked(a, b))), "{op:?} {a}e-{sa} ({pa}) {b}e-{sb} ({pb}) -> ({precision},{scale})");
            }
        }
        assert!(taken > 100, "the unchecked path was taken {taken} times");
    }
}
