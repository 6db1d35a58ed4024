//! `round`, `bround`, `ceil`, `floor` and `rint` as Spark computes them:
//! decimals exactly, with Spark's result precision and scale; doubles by
//! their decimal representation (Spark's `BigDecimal(d).setScale`), so
//! `round(2.675, 2)` is 2.68 as in Spark.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Float64Array};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundMode {
    HalfUp,
    HalfEven,
    Ceil,
    Floor,
}

/// Spark's result type for rounding a `decimal(p, s)` to `scale` digits.
pub fn rounded_decimal_type(p: u8, s: i8, scale: i32) -> (u8, i8) {
    let integral = p as i32 - s as i32 + 1;
    if scale < 0 {
        (integral.max(1 - scale).clamp(1, 38) as u8, 0)
    } else {
        let new_scale = (s as i32).min(scale);
        ((integral + new_scale).clamp(1, 38) as u8, new_scale as i8)
    }
}

/// `v / 10^digits`, rounded by `mode`.
fn shift_round(v: i128, digits: u32, mode: RoundMode) -> Option<i128> {
    if digits == 0 {
        return Some(v);
    }
    let div = 10i128.checked_pow(digits)?;
    let q = v / div;
    let r = v % div;
    if r == 0 {
        return Some(q);
    }
    let up = if v > 0 { q + 1 } else { q - 1 };
    Some(match mode {
        RoundMode::Ceil => if v > 0 { q + 1 } else { q },
        RoundMode::Floor => if v < 0 { q - 1 } else { q },
        RoundMode::HalfUp => if r.unsigned_abs() * 2 >= div.unsigned_abs() { up } else { q },
        RoundMode::HalfEven => {
            let twice = r.unsigned_abs() * 2;
            let half = div.unsigned_abs();
            if twice > half || (twice == half && q % 2 != 0) { up } else { q }
        }
    })
}

/// Rounds an unscaled decimal of scale `s` to `scale` digits; the result has
/// scale `max(min(s, scale), 0)`.
pub fn round_unscaled(v: i128, s: i8, scale: i32, mode: RoundMode) -> Option<i128> {
    let s = s as i32;
    if scale >= s {
        return Some(v);
    }
    if scale >= 0 {
        return shift_round(v, (s - scale) as u32, mode);
    }
    let r = shift_round(v, (s - scale) as u32, mode)?;
    r.checked_mul(10i128.checked_pow((-scale) as u32)?)
}

/// A double rounded by its shortest decimal representation.
pub fn round_double(x: f64, scale: i32, mode: RoundMode) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let text = format!("{x:e}");
    let Some((mantissa, exp)) = text.split_once('e') else { return x };
    let Ok(exp) = exp.parse::<i32>() else { return x };
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    // value = 0.digits * 10^(exp + 1); as unscaled integer with scale s.
    let s = digits.len() as i32 - 1 - exp;
    if s <= scale {
        return x;
    }
    let Ok(mut v) = digits.parse::<i128>() else { return x };
    if negative {
        v = -v;
    }
    if s > 38 + scale.max(0) + 20 {
        // So small it rounds to zero (or one unit for ceil/floor).
        return match mode {
            RoundMode::Ceil if x > 0.0 => 10f64.powi(-scale),
            RoundMode::Floor if x < 0.0 => -(10f64.powi(-scale)),
            _ => 0.0 * x.signum(),
        };
    }
    let Some(r) = shift_round(v, (s - scale) as u32, mode) else { return x };
    let out: f64 = format!("{r}e{}", -scale).parse().unwrap_or(x);
    if out == 0.0 && negative { -0.0 } else { out }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkRound {
    signature: Signature,
    mode: RoundMode,
    scale: i32,
    out: DataType,
}

impl SparkRound {
    /// Rounds its one argument (a `decimal` or a `double`) to `scale` digits,
    /// giving `out` (the Spark result type).
    pub fn udf(mode: RoundMode, scale: i32, out: DataType) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), mode, scale, out }))
    }
}

impl ScalarUDFImpl for SparkRound {
    fn name(&self) -> &str {
        match self.mode {
            RoundMode::HalfUp => "spark_round",
            RoundMode::HalfEven => "spark_bround",
            RoundMode::Ceil => "spark_ceil",
            RoundMode::Floor => "spark_floor",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.out.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let input = args.args[0].to_array(n)?;
        let out: ArrayRef = match (input.data_type(), &self.out) {
            (DataType::Decimal128(_, s), DataType::Decimal128(p, os)) => {
                let s = *s;
                let values = input.as_primitive::<Decimal128Type>();
                let rounded: Decimal128Array = values
                    .iter()
                    .map(|v| v.and_then(|v| round_unscaled(v, s, self.scale, self.mode)))
                    .collect();
                Arc::new(rounded.with_precision_and_scale(*p, *os)?)
            }
            (DataType::Float64, _) => {
                let values = input.as_primitive::<Float64Type>();
                let rounded: Float64Array = values.iter().map(|v| v.map(|v| round_double(v, self.scale, self.mode))).collect();
                let rounded: ArrayRef = Arc::new(rounded);
                if &self.out == rounded.data_type() { rounded } else { datafusion::arrow::compute::cast(&rounded, &self.out)? }
            }
            (other, _) => return exec_err!("round expects a decimal or double, got {other}"),
        };
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_result_types() {
        assert_eq!(rounded_decimal_type(2, 1, 0), (2, 0));
        assert_eq!(rounded_decimal_type(5, 4, 3), (5, 3));
        assert_eq!(rounded_decimal_type(5, 4, -3), (4, 0));
    }

    #[test]
    fn rounds_like_spark() {
        assert_eq!(round_unscaled(25, 1, 0, RoundMode::HalfUp), Some(3));
        assert_eq!(round_unscaled(25, 1, 0, RoundMode::HalfEven), Some(2));
        assert_eq!(round_unscaled(31411, 4, 3, RoundMode::Ceil), Some(3142));
        assert_eq!(round_unscaled(31411, 4, -3, RoundMode::Ceil), Some(1000));
        assert_eq!(round_unscaled(-1, 1, 0, RoundMode::Floor), Some(-1));
        assert_eq!(round_unscaled(25, 0, -1, RoundMode::HalfEven), Some(20));
        assert_eq!(round_double(2.675, 2, RoundMode::HalfUp), 2.68);
        assert_eq!(round_double(2.5, 0, RoundMode::HalfEven), 2.0);
        assert_eq!(round_double(-2.5, 0, RoundMode::HalfUp), -3.0);
        assert_eq!(round_double(12.3456, 0, RoundMode::HalfEven), 12.0);
    }
}
