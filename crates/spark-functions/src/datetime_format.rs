//! Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `EEE`, `MMM`, ...)
//! for formatting and parsing, translated to chrono's format items, and the
//! functions built on them: `date_format`, and the parsing behind
//! `to_timestamp`, `to_date`, `unix_timestamp` and their `try_` forms.

use std::sync::Arc;

use chrono::{Datelike, Timelike};
use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, Int64Array, StringBuilder, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Why Spark refuses a datetime pattern, in the order Spark checks: the
/// Spark 3 formatter's own refusals, then whether the pre-3.0 formatter
/// (Java's SimpleDateFormat) would have taken the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Week-based fields (`Y`, `W`, `w`, `u`, `e`, `c`), unsupported since Spark 3.0.
    WeekBased(char),
    /// Letters Spark refuses (`A`, `B`, `n`, `N`, `p`).
    Illegal(char),
    /// A letter or width the Spark 3 formatter does not know.
    Unrecognized,
    /// A pattern only the pre-3.0 formatter reads (`w`, `ddd`, `FF`).
    Legacy,
    /// A field this server cannot print.
    CannotPrint,
}

const WEEK_BASED: &str = "YWwuec";
const ILLEGAL: &str = "ABnNp";
/// The letters of Java's SimpleDateFormat, the formatter before Spark 3.0.
const LEGACY_LETTERS: &str = "GyYMLwWDdFEuaHkKhmsSzZX";

/// The pattern's letter runs outside quotes: (letter, count).
fn letter_runs(pattern: &str) -> Vec<(char, usize)> {
    let mut runs: Vec<(char, usize)> = vec![];
    let mut quoted = false;
    let mut prev: Option<char> = None;
    for c in pattern.chars() {
        if c == '\'' {
            quoted = !quoted;
            prev = None;
            continue;
        }
        if quoted || !c.is_ascii_alphabetic() {
            prev = None;
            continue;
        }
        match runs.last_mut() {
            Some((l, n)) if prev == Some(c) && *l == c => *n += 1,
            _ => runs.push((c, 1)),
        }
        prev = Some(c);
    }
    runs
}

/// Whether Java's SimpleDateFormat takes the pattern.
fn legacy_accepts(pattern: &str) -> bool {
    letter_runs(pattern).iter().all(|&(c, n)| LEGACY_LETTERS.contains(c) && !(c == 'X' && n > 3))
}

/// Spark's check before its formatter reads a pattern.
fn check_letters(pattern: &str) -> std::result::Result<(), PatternError> {
    let runs = letter_runs(pattern);
    if let Some(&(c, _)) = runs.iter().find(|(c, _)| WEEK_BASED.contains(*c)) {
        return Err(PatternError::WeekBased(c));
    }
    if let Some(&(c, _)) = runs.iter().find(|(c, _)| ILLEGAL.contains(*c)) {
        return Err(PatternError::Illegal(c));
    }
    Ok(())
}

/// A Spark pattern as a chrono `strftime` string, for parsing.
pub fn to_strftime(pattern: &str) -> std::result::Result<String, PatternError> {
    translate(pattern, false)
}

/// A Spark pattern as a chrono `strftime` string for printing: zone
/// fields become markers `format_zoned` fills.
pub fn to_print_format(pattern: &str) -> std::result::Result<String, PatternError> {
    translate(pattern, true)
}

fn translate(pattern: &str, printing: bool) -> std::result::Result<String, PatternError> {
    match check_letters(pattern).and_then(|()| translate_letters(pattern, printing)) {
        Ok(f) => Ok(f),
        Err(PatternError::CannotPrint) => Err(PatternError::CannotPrint),
        Err(_) if legacy_accepts(pattern) => Err(PatternError::Legacy),
        Err(e) => Err(e),
    }
}

fn translate_letters(pattern: &str, printing: bool) -> std::result::Result<String, PatternError> {
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
        let zone = |code: &str| if printing { Ok(format!("\u{2}{code}\u{2}")) } else { Err(PatternError::CannotPrint) };
        let item = match (c, n) {
            ('y', 2) => "%y".to_string(),
            ('y', 1) => "%Y".to_string(),
            ('y', 4) => "%Y".to_string(),
            // Years zero-padded to n digits, and Java's hours 1-24 (`k`)
            // and 0-11 (`K`), which chrono cannot print: markers.
            ('y', 5..=9) if printing => format!("\u{1}Y{n}\u{1}"),
            ('y', _) => format!("%{n}Y"),
            ('k', 1..=2) if printing => format!("\u{1}k{n}\u{1}"),
            ('K', 1..=2) if printing => format!("\u{1}K{n}\u{1}"),
            ('M' | 'L', 1) => "%-m".into(),
            ('M' | 'L', 2) => "%m".into(),
            ('M' | 'L', 3) => "%b".into(),
            ('M' | 'L', 4) => "%B".into(),
            ('d', 1) => "%-d".into(),
            ('d', 2) => "%d".into(),
            ('D', 1) => "%-j".into(),
            ('D', 2..=3) => "%j".into(),
            ('H', 1) => "%-H".into(),
            ('H', 2) => "%H".into(),
            ('h', 1) => "%-I".into(),
            ('h', 2) => "%I".into(),
            ('k', 1..=2) => "%k".into(),
            ('K', 1..=2) => "%l".into(),
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
            ('G', 1..=3) => "AD".into(),
            ('G', 4) => "Anno Domini".into(),
            // Quarters, which chrono cannot print: a marker `format_with` fills.
            ('Q' | 'q', 1..=4) => format!("\u{1}{n}\u{1}"),
            // Java's `F` (with JDK 17) is the day's place in its 7-day block of the month.
            ('F', 1) => "\u{1}F\u{1}".into(),
            // Zone fields: chrono's offsets when parsing, markers when printing.
            ('X' | 'x', 1) if !printing => "%#z".into(),
            ('X' | 'x', 2) | ('Z', 1..=3) if !printing => "%z".into(),
            ('X' | 'x', 3) | ('Z', 5) if !printing => "%:z".into(),
            ('V', 2) | ('z', 1..=3) if !printing => "%Z".into(),
            ('X' | 'x', 1..=5) | ('O', 1 | 4) | ('z', 1..=4) | ('V', 2) => zone(&format!("{c}{n}"))?,
            ('Z', 1..=3) => zone("x2")?,
            ('Z', 4) => zone("O4")?,
            ('Z', 5) => zone("X5")?,
            _ => return Err(PatternError::Unrecognized),
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

/// The zone a printed time is in, for the zone fields of a pattern.
#[derive(Debug, Clone, Copy)]
pub struct ZoneFields<'a> {
    /// Seconds east of UTC.
    pub offset: i32,
    pub id: &'a str,
    /// The short name (`PST`), when the zone has one.
    pub abbreviation: Option<&'a str>,
    /// The full name (`Pacific Standard Time`), when this server knows it.
    pub full_name: Option<&'a str>,
}

/// An offset as Java's `X`/`x` (widths 1 to 5) print it; `z_for_zero`: `X`.
fn iso_offset(secs: i32, width: usize, z_for_zero: bool) -> String {
    if secs == 0 && z_for_zero {
        return "Z".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    match width {
        1 if m == 0 => format!("{sign}{h:02}"),
        1 | 2 => format!("{sign}{h:02}{m:02}"),
        3 => format!("{sign}{h:02}:{m:02}"),
        4 if s != 0 => format!("{sign}{h:02}{m:02}{s:02}"),
        4 => format!("{sign}{h:02}{m:02}"),
        _ if s != 0 => format!("{sign}{h:02}:{m:02}:{s:02}"),
        _ => format!("{sign}{h:02}:{m:02}"),
    }
}

/// An offset as Java's `O` (short) and `OOOO` (full) print it.
fn gmt_offset(secs: i32, full: bool) -> String {
    if secs == 0 {
        return "GMT".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    let mut out = if full { format!("GMT{sign}{h:02}:{m:02}") } else { format!("GMT{sign}{h}") };
    if !full && (m != 0 || s != 0) {
        out.push_str(&format!(":{m:02}"));
    }
    if s != 0 {
        out.push_str(&format!(":{s:02}"));
    }
    out
}

/// A zone field's text (`code` is the letter and width of the marker).
fn zone_text(code: &str, zone: &ZoneFields<'_>) -> Option<String> {
    let mut chars = code.chars();
    let letter = chars.next()?;
    let width: usize = chars.as_str().parse().ok()?;
    Some(match letter {
        'X' => iso_offset(zone.offset, width, true),
        'x' => iso_offset(zone.offset, width, false),
        'O' => gmt_offset(zone.offset, width == 4),
        'V' => zone.id.to_string(),
        // Zones without a name (`Etc/GMT+8`, or abbreviations that are
        // offsets such as `-03`) print as Java prints them: `GMT-08:00`.
        'z' if width < 4 => match zone.abbreviation {
            Some(a) if a.starts_with(|c: char| c.is_ascii_alphabetic()) => a.to_string(),
            _ => gmt_offset(zone.offset, true),
        },
        'z' => match zone.full_name {
            Some(n) => n.to_string(),
            None if zone.id.starts_with("Etc/GMT") => gmt_offset(zone.offset, true),
            None => return None,
        },
        _ => return None,
    })
}

/// Formats a wall-clock time with a translated pattern (`None` when chrono
/// cannot print an item, or the pattern prints a zone and none is given).
pub(crate) fn format_with(t: &NaiveDateTime, fmt: &str) -> Option<String> {
    format_zoned(t, fmt, None)
}

/// `format_with`, with the zone the time is in for zone fields.
pub(crate) fn format_zoned(t: &NaiveDateTime, fmt: &str, zone: Option<&ZoneFields<'_>>) -> Option<String> {
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
            .replace("\u{1}4\u{1}", &format!("{ordinal} quarter"))
            .replace("\u{1}F\u{1}", &((t.day() - 1) % 7 + 1).to_string());
        let (hour_1_24, hour_0_11) = (if t.hour() == 0 { 24 } else { t.hour() }, t.hour() % 12);
        out = out
            .replace("\u{1}k1\u{1}", &hour_1_24.to_string())
            .replace("\u{1}k2\u{1}", &format!("{hour_1_24:02}"))
            .replace("\u{1}K1\u{1}", &hour_0_11.to_string())
            .replace("\u{1}K2\u{1}", &format!("{hour_0_11:02}"));
        for n in 5..=9 {
            out = out.replace(&format!("\u{1}Y{n}\u{1}"), &format!("{:0n$}", t.year()));
        }
    }
    if out.contains('\u{2}') {
        let zone = zone?;
        let mut filled = String::with_capacity(out.len());
        for (i, piece) in out.split('\u{2}').enumerate() {
            if i % 2 == 0 { filled.push_str(piece) } else { filled.push_str(&zone_text(piece, zone)?) }
        }
        out = filled;
    }
    Some(out)
}

const DOCROOT: &str = "https://spark.apache.org/docs/latest";

/// Spark's error for a pattern it refuses.
pub(crate) fn invalid_pattern(pattern: &str, why: &PatternError) -> datafusion::common::DataFusionError {
    let upgrade = "You may get a different result due to the upgrading to Spark >= 3.0:";
    match why {
        PatternError::WeekBased(c) => SparkRuntimeError::new(
            RuntimeKind::IllegalArgument,
            "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_WEEK_BASED_PATTERN",
            "42K0B",
            format!("{upgrade}\nAll week-based patterns are unsupported since Spark 3.0, detected week-based character: {c}.\nPlease use the SQL function EXTRACT instead."),
        )
        .param("c", c.to_string()),
        PatternError::Illegal(c) => SparkRuntimeError::new(
            RuntimeKind::IllegalArgument,
            "INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER",
            "22007",
            format!("Unrecognized datetime pattern: {pattern}. Illegal pattern character found in datetime pattern: {c}. Please provide legal character."),
        )
        .param("c", c.to_string())
        .param("pattern", pattern),
        PatternError::Legacy => SparkRuntimeError::new(
            RuntimeKind::Upgrade,
            "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION",
            "42K0B",
            format!(
                "{upgrade}\nFail to recognize '{pattern}' pattern in the DateTimeFormatter.\n1) You can set \"spark.sql.legacy.timeParserPolicy\" to \"LEGACY\" to restore the behavior before Spark 3.0.\n2) You can form a valid datetime pattern with the guide from '{DOCROOT}/sql-ref-datetime-pattern.html'."
            ),
        )
        .param("config", "\"spark.sql.legacy.timeParserPolicy\"")
        .param("pattern", format!("'{pattern}'"))
        .param("docroot", DOCROOT),
        PatternError::Unrecognized => SparkRuntimeError::new(
            RuntimeKind::Runtime,
            "INVALID_DATETIME_PATTERN.WITH_SUGGESTION",
            "22007",
            format!("Unrecognized datetime pattern: '{pattern}'. You can form a valid datetime pattern with the guide from '{DOCROOT}/sql-ref-datetime-pattern.html'."),
        )
        .param("pattern", format!("'{pattern}'"))
        .param("docroot", DOCROOT),
        PatternError::CannotPrint => SparkRuntimeError::new(
            RuntimeKind::UnsupportedOperation,
            "UNSUPPORTED_FEATURE.DATETIME_PATTERN",
            "0A000",
            format!("The feature is not supported: printing the datetime pattern '{pattern}' (this server knows the full names of the most used time zones only)."),
        ),
    }
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
/// zone (or as it is, for `TIMESTAMP_NTZ`) printed with Spark's pattern;
/// zone fields print the input's zone, or the session's for
/// `TIMESTAMP_NTZ` (which Spark reads as a time in the session zone).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDateFormat {
    signature: Signature,
    session_zone: String,
}

impl SparkDateFormat {
    pub fn udf(session_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), session_zone: session_zone.to_string() }))
    }
}

/// The zone fields of the instant `micros` in `tz`, or of the wall-clock
/// time `wall` read in `tz`.
fn zone_at<'a>(tz: &'a Tz, micros: Option<i64>, wall: &NaiveDateTime, abbreviation: &'a mut String) -> Option<ZoneFields<'a>> {
    use chrono::Offset;
    use chrono_tz::OffsetName;
    let offset = match micros {
        Some(m) => tz.offset_from_utc_datetime(&DateTime::from_timestamp_micros(m)?.naive_utc()),
        None => *crate::time_zone::resolve_local(tz, wall)?.offset(),
    };
    let seconds = offset.fix().local_minus_utc();
    // Daylight time: the larger of the zone's offsets in January and July.
    let at = |month: u32| {
        NaiveDate::from_ymd_opt(wall.year(), month, 15)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| tz.offset_from_utc_datetime(&t).fix().local_minus_utc())
    };
    let daylight = matches!((at(1), at(7)), (Some(a), Some(b)) if a != b && seconds == a.max(b));
    let names = crate::zone_names::zone_names(tz.name(), daylight);
    *abbreviation = offset.abbreviation().unwrap_or_default().to_string();
    let short = match names {
        Some((short, _)) => Some(short),
        None => (!abbreviation.is_empty()).then_some(abbreviation.as_str()),
    };
    Some(ZoneFields { offset: seconds, id: tz.name(), abbreviation: short, full_name: names.map(|(_, full)| full) })
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
        let fmt = to_print_format(&pattern).map_err(|e| invalid_pattern(&pattern, &e))?;
        let values = args.args[0].to_array(n)?;
        let tz = match values.data_type() {
            DataType::Timestamp(TimeUnit::Microsecond, Some(tz)) => Some(parse_tz(tz)?),
            DataType::Timestamp(TimeUnit::Microsecond, None) => None,
            other => return exec_err!("date_format expects a timestamp, got {other}"),
        };
        // Zone fields need the zone; most patterns have none.
        let zoned = fmt.contains('\u{2}');
        let zone_tz = match (&tz, zoned) {
            (Some(tz), true) => Some(*tz),
            (None, true) => Some(parse_tz(&self.session_zone)?),
            _ => None,
        };
        let ts = values.as_primitive::<TimestampMicrosecondType>();
        let mut out = StringBuilder::with_capacity(n, n * pattern.len());
        let mut abbreviation = String::new();
        for i in 0..n {
            match (ts.is_valid(i)).then(|| wall_clock(ts.value(i), tz.as_ref())).flatten() {
                Some(t) => {
                    let instant = tz.is_some().then(|| ts.value(i));
                    let zone = zone_tz.as_ref().and_then(|z| zone_at(z, instant, &t, &mut abbreviation));
                    match format_zoned(&t, &fmt, zone.as_ref()) {
                        Some(s) => out.append_value(s),
                        None => return Err(invalid_pattern(&pattern, &PatternError::CannotPrint)),
                    }
                }
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
                    (_, None) => crate::time_zone::resolve_local(&tz, &wall)?.to_utc(),
                };
                Some(utc.timestamp_micros())
            });
            let tolerant = if self.target == ParseTarget::Date { "try_to_date" } else { "try_to_timestamp" };
            if value.is_none() && self.fail {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::DateTime,
                    "CANNOT_PARSE_TIMESTAMP",
                    "22007",
                    format!("Text '{text}' could not be parsed with the pattern '{pattern}'. Use `{tolerant}` to tolerate invalid input string and return NULL instead."),
                )
                .param("func", format!("`{tolerant}`"))
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
        assert_eq!(to_strftime("yyyy-MM-dd bb"), Err(PatternError::Unrecognized));
        assert_eq!(to_strftime("yyyy w"), Err(PatternError::Legacy));
        assert_eq!(to_strftime("A w"), Err(PatternError::WeekBased('w')));
        assert_eq!(to_strftime("e"), Err(PatternError::WeekBased('e')));
        assert_eq!(to_strftime("A"), Err(PatternError::Illegal('A')));
        assert_eq!(to_strftime("ddd"), Err(PatternError::Legacy));
        assert_eq!(to_strftime("XXXXXX"), Err(PatternError::Unrecognized));
        assert_eq!(to_strftime("'w' yyyy").as_deref(), Ok("w %Y"));
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
    fn prints_zones_as_java_does() {
        let Some(t) = NaiveDate::from_ymd_opt(2024, 3, 5).and_then(|d| d.and_hms_opt(10, 0, 0)) else { return };
        let kolkata = ZoneFields { offset: 19_800, id: "Asia/Kolkata", abbreviation: Some("IST"), full_name: Some("India Standard Time") };
        let utc = ZoneFields { offset: 0, id: "UTC", abbreviation: Some("UTC"), full_name: Some("Coordinated Universal Time") };
        let la = ZoneFields { offset: -28_800, id: "America/Los_Angeles", abbreviation: Some("PST"), full_name: None };
        let fixed = ZoneFields { offset: -28_800, id: "Etc/GMT+8", abbreviation: Some("-08"), full_name: None };
        let print = |p: &str, z: &ZoneFields<'_>| to_print_format(p).ok().and_then(|f| format_zoned(&t, &f, Some(z)));
        assert_eq!(print("X|XX|XXX|x|xxx|Z|ZZZZ|ZZZZZ|O|OOOO|VV|z", &kolkata).as_deref(), Some("+0530|+0530|+05:30|+0530|+05:30|+0530|GMT+05:30|+05:30|GMT+5:30|GMT+05:30|Asia/Kolkata|IST"));
        assert_eq!(print("X|XX|XXX|x|xx|xxx|Z|ZZZZ|ZZZZZ|O|zzzz", &utc).as_deref(), Some("Z|Z|Z|+00|+0000|+00:00|+0000|GMT|Z|GMT|Coordinated Universal Time"));
        assert_eq!(print("X|O|z", &la).as_deref(), Some("-08|GMT-8|PST"));
        assert_eq!(print("zzzz", &la), None);
        assert_eq!(print("z|zzzz", &fixed).as_deref(), Some("GMT-08:00|GMT-08:00"));
        assert_eq!(print("F", &utc).as_deref(), Some("5"));
    }

    #[test]
    fn parses_with_defaults() {
        let Ok(fmt) = to_strftime("yyyy-MM-dd") else { return };
        let parsed = parse_wall("2016-12-31", &fmt).map(|(t, _)| t.to_string());
        assert_eq!(parsed.as_deref(), Some("2016-12-31 00:00:00"));
        assert!(parse_wall("foo", &fmt).is_none());
    }
}
