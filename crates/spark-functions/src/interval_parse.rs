//! Text to Spark's CalendarInterval (`CAST(s AS INTERVAL)`, a session
//! window's gap): `[interval] [+|-]value unit ...`, NULL for anything else.
//!
//! The grammar is Spark's `IntervalUtils.stringToInterval`: case-insensitive,
//! whitespace between a value and its unit, units `year`, `month`, `week`,
//! `day`, `hour`, `minute`, `second`, `millisecond`, `microsecond` (plural or
//! not), a fraction only on seconds (digits past microseconds dropped),
//! months and days within 32 bits and microseconds within 64.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, IntervalMonthDayNanoBuilder};
use datafusion::arrow::datatypes::{DataType, IntervalMonthDayNano, IntervalUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// A CalendarInterval: months, days and microseconds, each kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarInterval {
    pub months: i32,
    pub days: i32,
    pub micros: i64,
}

#[derive(Clone, Copy)]
enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

impl Unit {
    fn parse(word: &str) -> Option<Unit> {
        let singular = word.strip_suffix('s').unwrap_or(word);
        Some(match singular {
            "year" => Unit::Year,
            "month" => Unit::Month,
            "week" => Unit::Week,
            "day" => Unit::Day,
            "hour" => Unit::Hour,
            "minute" => Unit::Minute,
            "second" => Unit::Second,
            "millisecond" => Unit::Millisecond,
            "microsecond" => Unit::Microsecond,
            _ => return None,
        })
    }
}

/// One `value` word: sign, whole part, and the fraction in nanoseconds.
struct Value {
    negative: bool,
    whole: i64,
    fraction_nanos: i64,
    has_fraction: bool,
}

fn parse_value(sign: Option<bool>, word: &str) -> Option<Value> {
    let (negative, digits) = match sign {
        Some(negative) => (negative, word),
        None => match word.as_bytes().first()? {
            b'-' => (true, &word[1..]),
            b'+' => (false, &word[1..]),
            _ => (false, word),
        },
    };
    let (whole_text, fraction_text) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    if whole_text.is_empty() && fraction_text.is_none_or(str::is_empty) {
        return None;
    }
    let mut whole = 0i64;
    for b in whole_text.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        whole = whole.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    let mut fraction_nanos = 0i64;
    let mut scale = 100_000_000i64;
    for b in fraction_text.unwrap_or("").bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        fraction_nanos += i64::from(b - b'0') * scale;
        scale /= 10;
    }
    Some(Value { negative, whole, fraction_nanos, has_fraction: fraction_text.is_some_and(|f| !f.is_empty()) })
}

/// Spark's reading of `text` as a CalendarInterval, `None` where Spark's
/// cast gives NULL.
pub fn parse_calendar_interval(text: &str) -> Option<CalendarInterval> {
    let lower = text.trim().to_ascii_lowercase();
    let mut words: Vec<&str> = lower.split_ascii_whitespace().collect();
    if words.first() == Some(&"interval") {
        words.remove(0);
    }
    if words.is_empty() {
        return None;
    }
    let (mut months, mut days, mut micros) = (0i32, 0i32, 0i64);
    let mut i = 0;
    while i < words.len() {
        // A lone sign may stand apart from its value (`- 1 hour`).
        let sign = match words[i] {
            "-" => Some(true),
            "+" => Some(false),
            _ => None,
        };
        if sign.is_some() {
            i += 1;
        }
        let value = parse_value(sign, words.get(i)?)?;
        let unit = Unit::parse(words.get(i + 1)?)?;
        i += 2;
        if value.has_fraction && !matches!(unit, Unit::Second) {
            return None;
        }
        let n = if value.negative { -value.whole } else { value.whole };
        let int = |v: i64| i32::try_from(v).ok();
        match unit {
            Unit::Year => months = months.checked_add(int(n.checked_mul(12)?)?)?,
            Unit::Month => months = months.checked_add(int(n)?)?,
            Unit::Week => days = days.checked_add(int(n.checked_mul(7)?)?)?,
            Unit::Day => days = days.checked_add(int(n)?)?,
            Unit::Hour => micros = micros.checked_add(n.checked_mul(3_600_000_000)?)?,
            Unit::Minute => micros = micros.checked_add(n.checked_mul(60_000_000)?)?,
            Unit::Second => {
                let fraction = value.fraction_nanos / 1000;
                let fraction = if value.negative { -fraction } else { fraction };
                micros = micros.checked_add(n.checked_mul(1_000_000)?)?.checked_add(fraction)?;
            }
            Unit::Millisecond => micros = micros.checked_add(n.checked_mul(1000)?)?,
            Unit::Microsecond => micros = micros.checked_add(n)?,
        }
    }
    Some(CalendarInterval { months, days, micros })
}

/// `CAST(s AS INTERVAL)`: strings read by [`parse_calendar_interval`] into
/// Arrow's month-day-nanosecond intervals (NULL where Spark gives NULL, and
/// where the microseconds do not fit in 64-bit nanoseconds).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct StringToInterval {
    signature: Signature,
}

impl StringToInterval {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for StringToInterval {
    fn name(&self) -> &str {
        "spark_string_to_interval"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::MonthDayNano))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let a = arrays[0].clone();
        let a = datafusion::arrow::compute::cast(&a, &DataType::Utf8)?;
        let Some(strings) = a.as_string_opt::<i32>() else {
            return exec_err!("spark_string_to_interval takes text, not {}", a.data_type());
        };
        let mut b = IntervalMonthDayNanoBuilder::with_capacity(strings.len());
        for v in strings.iter() {
            let parsed = v.and_then(parse_calendar_interval).and_then(|c| {
                Some(IntervalMonthDayNano { months: c.months, days: c.days, nanoseconds: c.micros.checked_mul(1000)? })
            });
            b.append_option(parsed);
        }
        crate::columnar(Arc::new(b.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<(i32, i32, i64)> {
        parse_calendar_interval(s).map(|c| (c.months, c.days, c.micros))
    }

    #[test]
    fn reads_as_spark_does() {
        assert_eq!(read("1 minute"), Some((0, 0, 60_000_000)));
        assert_eq!(read("interval 2 days 3 hours"), Some((0, 2, 3 * 3_600_000_000)));
        assert_eq!(read("INTERVAL 1 YEAR 2 MONTHS"), Some((14, 0, 0)));
        assert_eq!(read("1 month -1 day"), Some((1, -1, 0)));
        assert_eq!(read("1.5 seconds"), Some((0, 0, 1_500_000)));
        assert_eq!(read("  1   hour  "), Some((0, 0, 3_600_000_000)));
        assert_eq!(read("+3 weeks"), Some((0, 21, 0)));
        assert_eq!(read("- 1 hour"), Some((0, 0, -3_600_000_000)));
        assert_eq!(read("1 millisecond 2 microseconds"), Some((0, 0, 1002)));
        assert_eq!(read("1.0000001 second"), Some((0, 0, 1_000_000)));
        assert_eq!(read(".5 second"), Some((0, 0, 500_000)));
        assert_eq!(read("5. second"), Some((0, 0, 5_000_000)));
        assert_eq!(read("-1.5 seconds"), Some((0, 0, -1_500_000)));
        assert_eq!(read("9223372036854775807 microseconds"), Some((0, 0, i64::MAX)));
    }

    #[test]
    fn null_where_spark_is_null() {
        for s in ["abc", "1.5 days", "1day", "interval", "", "1", "1 hour 1", "1 hr", "1 hour,", "100000000000 days", "2147483648 months", "1.5 hours", "."] {
            assert_eq!(read(s), None, "{s}");
        }
    }
}
