//! ANSI intervals as Spark writes them (`IntervalUtils.toYearMonthIntervalString`
//! and `toDayTimeIntervalString` in ANSI style): `INTERVAL '1-2' YEAR TO
//! MONTH`, `INTERVAL '02' SECOND`, `INTERVAL '1 01:01:01.5' DAY TO SECOND`.
//! Column names of interval literals, `CAST(i AS STRING)` and `show()` all
//! use it. Fields are Spark's codes: YEAR 0, MONTH 1; DAY 0, HOUR 1,
//! MINUTE 2, SECOND 3.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, DurationMicrosecondType, IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, TimeUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

const MICROS_PER_SECOND: u128 = 1_000_000;
const MICROS_PER_MINUTE: u128 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: u128 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: u128 = 24 * MICROS_PER_HOUR;

const YEAR_MONTH_FIELDS: [&str; 2] = ["YEAR", "MONTH"];
const DAY_TIME_FIELDS: [&str; 4] = ["DAY", "HOUR", "MINUTE", "SECOND"];

fn fields_sql(names: &[&str], start: u8, end: u8) -> String {
    let name = |f: u8| names.get(usize::from(f)).copied().unwrap_or("?");
    if start == end { name(start).to_string() } else { format!("{} TO {}", name(start), name(end)) }
}

/// A year-month interval of `months` with fields `start` to `end`.
pub fn year_month_text(months: i64, start: u8, end: u8) -> String {
    let sign = if months < 0 { "-" } else { "" };
    let abs = months.unsigned_abs();
    let body = match (start, end) {
        (0, 0) => format!("{sign}{}", abs / 12),
        (1, 1) => months.to_string(),
        _ => format!("{sign}{}-{}", abs / 12, abs % 12),
    };
    format!("INTERVAL '{body}' {}", fields_sql(&YEAR_MONTH_FIELDS, start, end))
}

/// Seconds with up to six fraction digits, at least two integer digits.
fn seconds_text(micros: u128) -> String {
    let whole = micros / MICROS_PER_SECOND;
    let frac = micros % MICROS_PER_SECOND;
    let mut s = format!("{whole:02}");
    if frac != 0 {
        s.push('.');
        s.push_str(format!("{frac:06}").trim_end_matches('0'));
    }
    s
}

/// A day-time interval of `micros` with fields `start` to `end`: the first
/// field holds everything above it, the others two digits each.
pub fn day_time_text(micros: i64, start: u8, end: u8) -> String {
    let unit = |f: u8| match f {
        0 => MICROS_PER_DAY,
        1 => MICROS_PER_HOUR,
        2 => MICROS_PER_MINUTE,
        _ => MICROS_PER_SECOND,
    };
    let mut rest = u128::from(micros.unsigned_abs());
    let mut body = if micros < 0 { "-".to_string() } else { String::new() };
    match start {
        3 => body.push_str(&seconds_text(rest)),
        0 => {
            body.push_str(&(rest / MICROS_PER_DAY).to_string());
            rest %= MICROS_PER_DAY;
        }
        f => {
            body.push_str(&format!("{:02}", rest / unit(f)));
            rest %= unit(f);
        }
    }
    if start < 1 && 1 <= end {
        body.push_str(&format!(" {:02}", rest / MICROS_PER_HOUR));
        rest %= MICROS_PER_HOUR;
    }
    if start < 2 && 2 <= end {
        body.push_str(&format!(":{:02}", rest / MICROS_PER_MINUTE));
        rest %= MICROS_PER_MINUTE;
    }
    if start < 3 && 3 <= end {
        body.push(':');
        body.push_str(&seconds_text(rest));
    }
    format!("INTERVAL '{body}' {}", fields_sql(&DAY_TIME_FIELDS, start, end))
}

/// A CalendarInterval as Spark's `CalendarInterval.toString` writes it:
/// `1 years 2 months 3 days 4 hours 5 minutes 6.5 seconds`, zero units left
/// out, `0 seconds` for nothing.
pub fn calendar_interval_text(months: i32, days: i32, micros: i64) -> String {
    if months == 0 && days == 0 && micros == 0 {
        return "0 seconds".into();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut unit = |value: i64, name: &str| {
        if value != 0 {
            parts.push(format!("{value} {name}"));
        }
    };
    unit(i64::from(months / 12), "years");
    unit(i64::from(months % 12), "months");
    unit(i64::from(days), "days");
    let (hour, minute) = (MICROS_PER_HOUR as i64, MICROS_PER_MINUTE as i64);
    unit(micros / hour, "hours");
    unit(micros % hour / minute, "minutes");
    let rest = micros % minute;
    if rest != 0 {
        let sign = if rest < 0 { "-" } else { "" };
        let abs = rest.unsigned_abs();
        let whole = abs / 1_000_000;
        let frac = abs % 1_000_000;
        let text = if frac == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{}", format!("{frac:06}").trim_end_matches('0')) };
        parts.push(format!("{text} seconds"));
    }
    parts.join(" ")
}

/// `CAST(i AS STRING)` of an ANSI interval with fields `start` to `end`, or
/// of a CalendarInterval (fields unused).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IntervalToString {
    signature: Signature,
    start: u8,
    end: u8,
}

impl IntervalToString {
    pub fn udf(start: u8, end: u8) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), start, end }))
    }
}

impl ScalarUDFImpl for IntervalToString {
    fn name(&self) -> &str {
        "spark_interval_to_string"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let a = &arrays[0];
        let mut b = StringBuilder::new();
        match a.data_type() {
            DataType::Interval(IntervalUnit::YearMonth) => {
                for v in a.as_primitive::<IntervalYearMonthType>().iter() {
                    b.append_option(v.map(|m| year_month_text(i64::from(m), self.start, self.end)));
                }
            }
            DataType::Duration(TimeUnit::Microsecond) => {
                for v in a.as_primitive::<DurationMicrosecondType>().iter() {
                    b.append_option(v.map(|us| day_time_text(us, self.start, self.end)));
                }
            }
            DataType::Interval(IntervalUnit::MonthDayNano) => {
                for v in a.as_primitive::<IntervalMonthDayNanoType>().iter() {
                    b.append_option(v.map(|i| calendar_interval_text(i.months, i.days, i.nanoseconds / 1000)));
                }
            }
            other => return exec_err!("spark_interval_to_string takes an interval, not {other}"),
        }
        crate::columnar(Arc::new(b.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_intervals() {
        assert_eq!(calendar_interval_text(0, 0, 0), "0 seconds");
        assert_eq!(calendar_interval_text(14, 0, 0), "1 years 2 months");
        assert_eq!(calendar_interval_text(1, -1, 0), "1 months -1 days");
        assert_eq!(calendar_interval_text(0, 0, 1002), "0.001002 seconds");
        assert_eq!(calendar_interval_text(0, 0, -5_400_000_000), "-1 hours -30 minutes");
        assert_eq!(calendar_interval_text(0, 0, i64::MAX), "2562047788 hours 54.775807 seconds");
        assert_eq!(calendar_interval_text(0, 0, -1_500_000), "-1.5 seconds");
    }

    #[test]
    fn year_month() {
        assert_eq!(year_month_text(14, 0, 1), "INTERVAL '1-2' YEAR TO MONTH");
        assert_eq!(year_month_text(-14, 0, 1), "INTERVAL '-1-2' YEAR TO MONTH");
        assert_eq!(year_month_text(-1200, 0, 0), "INTERVAL '-100' YEAR");
        assert_eq!(year_month_text(2, 1, 1), "INTERVAL '2' MONTH");
    }

    #[test]
    fn day_time() {
        assert_eq!(day_time_text(90_061_000_000, 0, 3), "INTERVAL '1 01:01:01' DAY TO SECOND");
        assert_eq!(day_time_text(2_000_000, 3, 3), "INTERVAL '02' SECOND");
        assert_eq!(day_time_text(-1_500_000, 3, 3), "INTERVAL '-01.5' SECOND");
        assert_eq!(day_time_text(90_000_000_000, 1, 1), "INTERVAL '25' HOUR");
        assert_eq!(day_time_text(5 * 86_400_000_000 + 3 * 3_600_000_000 + 7 * 60_000_000, 0, 2), "INTERVAL '5 03:07' DAY TO MINUTE");
    }
}
