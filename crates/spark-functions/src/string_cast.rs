//! Casts of text to numbers, truth values, dates and timestamps. Spark
//! ignores the whitespace around the value; under ANSI, text that does not
//! read as the type fails with Spark's CAST_INVALID_INPUT, its message
//! naming the value and the type, in the exception family Spark raises
//! (NumberFormatException for numbers, DateTimeException for dates and
//! timestamps, SparkRuntimeException for booleans), and otherwise is NULL.
//! The reading itself is Arrow's.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, Decimal128Array, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::time_zone::parse_zone;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkStringCast {
    signature: Signature,
    target: DataType,
    /// The target's Spark name (`INT`, `DECIMAL(5,2)`), for the message.
    to_sql: String,
    /// Whether unreadable text fails (ANSI) or is NULL.
    ansi: bool,
    /// Spark's non-ANSI reading of integers: `'1.9'` is 1 (not for
    /// `try_cast`, which reads as ANSI mode does).
    legacy_integers: bool,
}

impl SparkStringCast {
    pub fn udf(target: DataType, to_sql: &str, ansi: bool) -> Arc<ScalarUDF> {
        Self::with_rules(target, to_sql, ansi, false)
    }

    /// A cast without ANSI mode (`spark.sql.ansi.enabled=false`), which
    /// reads integers with their fraction dropped.
    pub fn legacy(target: DataType, to_sql: &str) -> Arc<ScalarUDF> {
        Self::with_rules(target, to_sql, false, true)
    }

    fn with_rules(target: DataType, to_sql: &str, ansi: bool, legacy_integers: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), target, to_sql: to_sql.to_string(), ansi, legacy_integers }))
    }

    /// Whether this cast reports unreadable text itself (the types Spark
    /// reads text as with CAST_INVALID_INPUT).
    pub fn handles(target: &DataType) -> bool {
        target.is_numeric() || matches!(target, DataType::Boolean | DataType::Date32 | DataType::Timestamp(..))
    }

    fn kind(&self) -> RuntimeKind {
        match self.target {
            DataType::Boolean => RuntimeKind::Runtime,
            DataType::Date32 | DataType::Timestamp(..) => RuntimeKind::DateTime,
            _ => RuntimeKind::NumberFormat,
        }
    }
}

impl SparkStringCast {
    /// Dates and timestamps as Spark's casts read them (NULL where not).
    fn read_datetimes(&self, text: &StringArray) -> Result<ArrayRef> {
        use crate::datetime_text::{read_timestamp, text_to_date};
        if self.target == DataType::Date32 {
            return Ok(Arc::new(text.iter().map(|v| v.and_then(text_to_date)).collect::<Date32Array>()));
        }
        let DataType::Timestamp(_, zone) = &self.target else { return Ok(datafusion::arrow::array::new_null_array(&self.target, text.len())) };
        let session = zone.as_deref().and_then(parse_zone);
        let today = {
            let now = chrono::Utc::now().timestamp_micros();
            let wall = match &session {
                Some(z) => z.instant_to_wall(now).unwrap_or(now),
                None => now,
            };
            i32::try_from(wall.div_euclid(86_400_000_000)).unwrap_or(0)
        };
        let micros = text.iter().map(|v| {
            let t = read_timestamp(v?, today)?;
            match (zone, t.zone.as_ref().or(session.as_ref())) {
                (None, _) | (Some(_), None) => Some(t.wall_micros),
                (Some(_), Some(z)) => z.wall_to_instant(t.wall_micros),
            }
        });
        let array = micros.collect::<TimestampMicrosecondArray>().with_timezone_opt(zone.clone());
        Ok(Arc::new(array))
    }
}

/// `12.75` as `12`: digits, a point and digits keep only the integer part.
fn drop_fraction(s: &str) -> &str {
    match s.split_once('.') {
        Some((int, frac)) if frac.chars().all(|c| c.is_ascii_digit()) && int.trim_start_matches(['+', '-']).chars().all(|c| c.is_ascii_digit()) && !int.trim_start_matches(['+', '-']).is_empty() => int,
        _ => s,
    }
}

impl ScalarUDFImpl for SparkStringCast {
    fn name(&self) -> &str {
        "spark_string_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let text = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let padded = |s: &str| s.starts_with(|c: char| c <= ' ') || s.ends_with(|c: char| c <= ' ');
        let input: ArrayRef = if text.as_string::<i32>().iter().flatten().any(padded) {
            Arc::new(text.as_string::<i32>().iter().map(|v| v.map(|s| s.trim_matches(|c: char| c <= ' '))).collect::<StringArray>())
        } else {
            text.clone()
        };
        // Without ANSI mode an integer reads with its fraction dropped ('1.9' is 1).
        let input: ArrayRef = if self.legacy_integers && self.target.is_integer() {
            Arc::new(input.as_string::<i32>().iter().map(|v| v.map(drop_fraction)).collect::<StringArray>())
        } else {
            input
        };
        let out: ArrayRef = match &self.target {
            DataType::Date32 | DataType::Timestamp(TimeUnit::Microsecond, _) => self.read_datetimes(input.as_string::<i32>())?,
            // Decimals read as Java's BigDecimal does (exponents too), rounded half up.
            DataType::Decimal128(precision, scale) => {
                let (precision, scale) = (*precision, *scale);
                let texts = input.as_string::<i32>();
                let values: Decimal128Array = texts.iter().map(|t| t.and_then(|t| crate::decimal::parse_text(t.trim(), precision, scale))).collect();
                Arc::new(values.with_precision_and_scale(precision, scale)?)
            }
            _ => cast_with_options(&input, &self.target, &CastOptions { safe: true, ..Default::default() })?,
        };
        if self.ansi && out.null_count() > input.null_count() {
            let original = text.as_string::<i32>();
            for row in 0..input.len() {
                if input.is_null(row) || !out.is_null(row) {
                    continue;
                }
                let value = original.value(row).to_string();
                // Text that reads as a number but does not fit the decimal
                // is Spark's overflow.
                if let DataType::Decimal128(precision, scale) = self.target
                    && value.trim().parse::<f64>().is_ok_and(f64::is_finite)
                {
                    return Err(crate::decimal::out_of_range_error(value.trim().to_string(), precision, scale));
                }
                return Err(SparkRuntimeError::new(
                    self.kind(),
                    "CAST_INVALID_INPUT",
                    "22018",
                    format!(
                        "The value '{value}' of the type \"STRING\" cannot be cast to \"{}\" because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead.",
                        self.to_sql
                    ),
                )
                .param("expression", format!("'{value}'"))
                .param("sourceType", "\"STRING\"")
                .param("targetType", format!("\"{}\"", self.to_sql))
                .into_df());
            }
        }
        crate::columnar(out, scalar)
    }
}
