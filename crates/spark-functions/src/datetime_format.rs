//! Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `EEE`, `MMM`, ...)
//! for formatting and parsing, translated to chrono's format items, and the
//! functions built on them: `date_format`, and the parsing behind
//! `to_timestamp`, `to_date`, `unix_timestamp` and their `try_` forms.

use std::sync::Arc;

use chrono::Datelike;
use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, Int64Array, StringBuilder, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// A Spark pattern as a chrono `strftime` string.
pub fn to_strftime(pattern: &str) -> std::result::Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted literal text; '' is a single quote.
            let mut j = i + 1;
            if j < chars.len() && chars[j] == '\'' {
                out.push('\'');
                i += 2;
                continue;
            }
            while j < chars.len() && chars[j] != '\'' {
                push_literal(&mut out, chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            push_literal(&mut out, c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let item = match (c, n) {
            ('y' | 'u', 2) => "%y".to_string(),
            ('y' | 'u', 1) => "%Y".to_string(),
            ('y' | 'u', 4) => "%Y".to_string(),
            ('y' | 'u', _) => format!("%{n}Y"),
            ('M' | 'L', 1) => "%-m".into(),
            ('M' | 'L', 2) => "%m".into(),
            ('M' | 'L', 3) => "%b".into(),
            ('M' | 'L', 4) => "%B".into(),
            ('d', 1) => "%-d".into(),
            ('d', 2) => "%d".into(),
            ('D', 1) => "%-j".into(),
            ('D', _) => "%j".into(),
            ('H', 1) => "%-H".into(),
            ('H', 2) => "%H".into(),
            ('h', 1) => "%-I".into(),
            ('h', 2) => "%I".into(),
            ('k', _) => "%k".into(),
            ('K', _) => "%l".into(),
            ('m', 1) => "%-M".into(),
            ('m', 2) => "%M".into(),
            ('s', 1) => "%-S".into(),
            ('s', 2) => "%S".into(),
            ('S', 1..=3) => "%3f".into(),
            ('S', 4..=6) => "%6f".into(),
            ('S', 7..=9) => "%9f".into(),
            ('a', 1) => "%p".into(),
            ('E', 1..=3) => "%a".into(),
            ('E', 4) => "%A".into(),
            ('X', 1) | ('x', 1) => "%#z".into(),
            ('X', 2) | ('x', 2) | ('Z', 1..=3) => "%z".into(),
            ('X', 3) | ('x', 3) | ('Z', 5) => "%:z".into(),
            ('V', 2) | ('z', 1..=3) => "%Z".into(),
            ('G', 1..=3) => "AD".into(),
            // Quarters, which chrono cannot print: a marker `format_with` fills.
            ('Q' | 'q', 1..=4) => format!("\u{1}{n}\u{1}"),
            _ => return Err(format!("Illegal pattern character '{c}'")),
        };
        // chrono prints fractions of fewer than the given digits only with
        // 3, 6 or 9; Spark's S..S counts digits exactly, handled by trimming.
        out.push_str(&item);
        if c == 'S' && n != 3 && n != 6 && n != 9 {
            out.push_str(&format!("\u{0}{n}\u{0}"));
        }
        i += n;
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char) {
    if c == '%' {
        out.push_str("%%");
    } else {
        out.push(c);
    }
}

/// Formats a wall-clock time with a translated pattern (`None` when chrono
/// cannot print an item).
pub(crate) fn format_with(t: &NaiveDateTime, fmt: &str) -> Option<String> {
    use std::fmt::Write;
    let mut pieces = fmt.split('\u{0}');
    let mut out = String::new();
    let mut first = true;
    while let Some(part) = pieces.next() {
        if !first {
            // A digit count that trims the previous fraction.
            if let Ok(n) = part.parse::<usize>() {
                let len = out.len();
                let keep = n.min(9);
                let digits = if n <= 3 { 3 } else if n <= 6 { 6 } else { 9 };
                out.truncate(len - (digits - keep));
                first = true;
                continue;
            }
        }
        first = false;
        write!(out, "{}", t.format(part)).ok()?;
    }
    if out.contains('\u{1}') {
        let quarter = (t.month() - 1) / 3 + 1;
        let ordinal = ["1st", "2nd", "3rd", "4th"][(quarter - 1) as usize];
        out = out
            .replace("\u{1}1\u{1}", &quarter.to_string())
            .replace("\u{1}2\u{1}", &format!("{quarter:02}"))
            .replace("\u{1}3\u{1}", &format!("Q{quarter}"))
            .replace("\u{1}4\u{1}", &format!("{ordinal} quarter"));
    }
    Some(out)
}

pub(crate) fn invalid_pattern(pattern: &str, why: &str) -> datafusion::common::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::IllegalArgument,
        "INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER",
        "22007",
        format!("Cannot recognize datetime pattern: {pattern}: {why}."),
    )
    .into_df()
}

fn scalar_string(v: &ColumnarValue) -> Option<Option<String>> {
    match v {
        ColumnarValue::Scalar(ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s)) => Some(s.clone()),
        ColumnarValue::Scalar(s) if s.is_null() => Some(None),
        _ => None,
    }
}

/// `date_format(timestamp, pattern)`: the wall-clock time in the input's
/// zone (or as it is, for `TIMESTAMP_NTZ`) printed with Spark's pattern.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDateFormat {
    signature: Signature,
}

impl SparkDateFormat {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable) }))
    }
}

pub(crate) fn wall_clock(micros: i64, tz: Option<&Tz>) -> Option<NaiveDateTime> {
    let utc = DateTime::from_timestamp_micros(micros)?;
    Some(match tz {
        Some(tz) => utc.with_timezone(tz).naive_local(),
        None => utc.naive_utc(),
    })
}

fn parse_tz(tz: &str) -> Result<Tz> {
    tz.parse::<Tz>().or_else(|_| {
        // Offsets such as +08:00 are fixed zones; chrono-tz knows Etc/GMT-8.
        exec_err!("unknown time zone {tz}")
    })
}

impl ScalarUDFImpl for SparkDateFormat {
    fn name(&self) -> &str {
        "spark_date_format"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let Some(pattern) = scalar_string(&args.args[1]) else {
            return exec_err!("date_format needs a constant pattern");
        };
        let Some(pattern) = pattern else {
            return Ok(ColumnarValue::Scalar(ScalarValue::Utf8(None)));
        };
        let fmt = to_strftime(&pattern).map_err(|e| invalid_pattern(&pattern, &e))?;
        let values = args.args[0].to_array(n)?;
        let tz = match values.data_type() {
            DataType::Timestamp(TimeUnit::Microsecond, Some(tz)) => Some(parse_tz(tz)?),
            DataType::Timestamp(TimeUnit::Microsecond, None) => None,
            other => return exec_err!("date_format expects a timestamp, got {other}"),
        };
        let ts = values.as_primitive::<TimestampMicrosecondType>();
        let mut out = StringBuilder::with_capacity(n, n * pattern.len());
        for i in 0..n {
            match (ts.is_valid(i)).then(|| wall_clock(ts.value(i), tz.as_ref())).flatten() {
                Some(t) => match format_with(&t, &fmt) {
                    Some(s) => out.append_value(s),
                    None => return Err(invalid_pattern(&pattern, "cannot be printed")),
                },
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

/// What a parse produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseTarget {
    /// `TIMESTAMP` in the session zone.
    Timestamp,
    /// `TIMESTAMP_NTZ`.
    TimestampNtz,
    Date,
    /// Seconds since the epoch (`unix_timestamp`).
    UnixSeconds,
}

/// Parses strings with a Spark pattern: `to_timestamp(s, fmt)` and friends.
/// Unparseable text raises `CANNOT_PARSE_TIMESTAMP` when `fail` is set
/// (ANSI mode), else gives NULL.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkParseDatetime {
    signature: Signature,
    target: ParseTarget,
    time_zone: String,
    fail: bool,
}

impl SparkParseDatetime {
    pub fn udf(target: ParseTarget, time_zone: &str, fail: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::any(2, Volatility::Immutable),
            target,
            time_zone: time_zone.to_string(),
            fail,
        }))
    }
}

/// The translated pattern without the fraction-digit markers of `format_with`.
fn strip_markers(fmt: &str) -> String {
    fmt.split('\u{0}').enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, p)| p).collect()
}

/// The wall-clock time in `text` by the chrono items; fields the pattern
/// lacks take Spark's defaults (1970-01-01 00:00:00).
pub(crate) fn parse_wall(text: &str, fmt: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let mut parsed = Parsed::new();
    let plain = strip_markers(fmt);
    let items: Vec<Item<'_>> = StrftimeItems::new(&plain).collect();
    chrono::format::parse(&mut parsed, text, items.into_iter()).ok()?;
    let year = parsed.year().unwrap_or(1970);
    let month = parsed.month().unwrap_or(1);
    let day = parsed.day().unwrap_or(1);
    let date = match parsed.ordinal() {
        Some(doy) if parsed.month().is_none() => NaiveDate::from_yo_opt(year, doy)?,
        _ => NaiveDate::from_ymd_opt(year, month, day)?,
    };
    let hour = match (parsed.hour_div_12(), parsed.hour_mod_12()) {
        (Some(d), Some(m)) => d * 12 + m,
        (None, Some(m)) => m,
        _ => 0,
    };
    let time = NaiveTime::from_hms_nano_opt(hour, parsed.minute().unwrap_or(0), parsed.second().unwrap_or(0), parsed.nanosecond().unwrap_or(0))?;
    Some((NaiveDateTime::new(date, time), parsed.offset()))
}

impl ScalarUDFImpl for SparkParseDatetime {
    fn name(&self) -> &str {
        match self.target {
            ParseTarget::Timestamp => "spark_to_timestamp",
            ParseTarget::TimestampNtz => "spark_to_timestamp_ntz",
            ParseTarget::Date => "spark_to_date",
            ParseTarget::UnixSeconds => "spark_unix_timestamp",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.target {
            ParseTarget::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some(self.time_zone.clone().into())),
            ParseTarget::TimestampNtz => DataType::Timestamp(TimeUnit::Microsecond, None),
            ParseTarget::Date => DataType::Date32,
            ParseTarget::UnixSeconds => DataType::Int64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let Some(pattern) = scalar_string(&args.args[1]) else {
            return exec_err!("the datetime pattern must be a constant");
        };
        let values = args.args[0].to_array(n)?;
        let Some(pattern) = pattern else {
            return ScalarValue::try_from(&self.return_type(&[])?).map(ColumnarValue::Scalar);
        };
        let fmt = to_strftime(&pattern).map_err(|e| invalid_pattern(&pattern, &e))?;
        let tz = parse_tz(&self.time_zone)?;
        let strings = datafusion::arrow::compute::cast(&values, &DataType::Utf8)?;
        let strings = strings.as_string::<i32>();
        let mut micros: Vec<Option<i64>> = Vec::with_capacity(n);
        for i in 0..n {
            if strings.is_null(i) {
                micros.push(None);
                continue;
            }
            let text = strings.value(i);
            let value = parse_wall(text, &fmt).and_then(|(wall, offset)| {
                let utc = match (self.target, offset) {
                    (ParseTarget::TimestampNtz | ParseTarget::Date, _) => wall.and_utc(),
                    (_, Some(off)) => chrono::FixedOffset::east_opt(off)?.from_local_datetime(&wall).earliest()?.to_utc(),
                    (_, None) => tz.from_local_datetime(&wall).earliest()?.to_utc(),
                };
                Some(utc.timestamp_micros())
            });
            if value.is_none() && self.fail {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::DateTime,
                    "CANNOT_PARSE_TIMESTAMP",
                    "22007",
                    format!("Text '{text}' could not be parsed with the pattern '{pattern}'. Use `try_to_timestamp` to tolerate invalid input string and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."),
                )
                .into_df());
            }
            micros.push(value);
        }
        let out: ArrayRef = match self.target {
            ParseTarget::Timestamp => Arc::new(TimestampMicrosecondArray::from(micros).with_timezone(self.time_zone.clone())),
            ParseTarget::TimestampNtz => Arc::new(TimestampMicrosecondArray::from(micros)),
            ParseTarget::Date => Arc::new(Date32Array::from(
                micros.into_iter().map(|m| m.map(|m| m.div_euclid(86_400_000_000) as i32)).collect::<Vec<_>>(),
            )),
            ParseTarget::UnixSeconds => Arc::new(Int64Array::from(
                micros.into_iter().map(|m| m.map(|m| m.div_euclid(1_000_000))).collect::<Vec<_>>(),
            )),
        };
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_common_patterns() {
        assert_eq!(to_strftime("yyyy-MM-dd HH:mm:ss").as_deref(), Ok("%Y-%m-%d %H:%M:%S"));
        assert_eq!(to_strftime("EEE, d MMM yyyy 'at' h a").as_deref(), Ok("%a, %-d %b %Y at %-I %p"));
        assert!(to_strftime("yyyy-MM-dd bb").is_err());
    }

    #[test]
    fn formats_fractions_to_the_digits_asked() {
        let t = NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|d| d.and_hms_micro_opt(3, 4, 5, 123_456));
        let Some(t) = t else { return };
        let Ok(fmt) = to_strftime("ss.SS") else { return };
        assert_eq!(format_with(&t, &fmt).as_deref(), Some("05.12"));
        let Ok(fmt) = to_strftime("HH:mm:ss.SSS") else { return };
        assert_eq!(format_with(&t, &fmt).as_deref(), Some("03:04:05.123"));
    }

    #[test]
    fn parses_with_defaults() {
        let Ok(fmt) = to_strftime("yyyy-MM-dd") else { return };
        let parsed = parse_wall("2016-12-31", &fmt).map(|(t, _)| t.to_string());
        assert_eq!(parsed.as_deref(), Some("2016-12-31 00:00:00"));
        assert!(parse_wall("foo", &fmt).is_none());
    }
}
