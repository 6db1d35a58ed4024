//! Interval literals: `INTERVAL '1' YEAR`, `INTERVAL '1-2' YEAR TO MONTH`,
//! `INTERVAL '5 03:07' DAY TO MINUTE`, `INTERVAL 2 HOURS 30 MINUTES`,
//! `INTERVAL '1 day'`. Spark 4 gives them ANSI year-month or day-time
//! interval types with a start and end field, and names them in the ANSI
//! style (`INTERVAL '5 03:07' DAY TO MINUTE`).

use datafusion::common::ScalarValue;
use datafusion::logical_expr::Expr as DfExpr;

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// The fields of Spark's interval types, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

impl Field {
    /// Spark's number of the field within its interval type.
    fn code(self) -> u8 {
        match self {
            Field::Year | Field::Day => 0,
            Field::Month | Field::Hour => 1,
            Field::Minute => 2,
            Field::Second => 3,
        }
    }

    fn parse(unit: &str) -> Option<(Field, i64)> {
        let l = unit.to_ascii_lowercase();
        let l = l.strip_suffix('s').unwrap_or(&l);
        Some(match l {
            "year" => (Field::Year, 12),
            "month" => (Field::Month, 1),
            "week" => (Field::Day, 7 * MICROS_PER_DAY),
            "day" => (Field::Day, MICROS_PER_DAY),
            "hour" => (Field::Hour, MICROS_PER_HOUR),
            "minute" => (Field::Minute, MICROS_PER_MINUTE),
            "second" => (Field::Second, MICROS_PER_SECOND),
            "millisecond" => (Field::Second, 1_000),
            "microsecond" => (Field::Second, 1),
            _ => return None,
        })
    }

    fn is_year_month(self) -> bool {
        matches!(self, Field::Year | Field::Month)
    }

    fn micros(self) -> i64 {
        match self {
            Field::Day => MICROS_PER_DAY,
            Field::Hour => MICROS_PER_HOUR,
            Field::Minute => MICROS_PER_MINUTE,
            _ => MICROS_PER_SECOND,
        }
    }
}

/// A parsed interval literal: months or microseconds, with its fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IntervalValue {
    YearMonth { months: i64, start: Field, end: Field },
    DayTime { micros: i64, start: Field, end: Field },
}

impl IntervalValue {
    /// Spark's ANSI-style rendering, as used in column names.
    pub(crate) fn sql(&self) -> String {
        use spark_functions::interval_text::{day_time_text, year_month_text};
        match self {
            IntervalValue::YearMonth { months, start, end } => year_month_text(*months, start.code(), end.code()),
            IntervalValue::DayTime { micros, start, end } => day_time_text(*micros, start.code(), end.code()),
        }
    }

    /// The interval's start and end fields as Spark numbers them, carried
    /// as Arrow field metadata so the result schema names the right type
    /// (`interval hour`, `interval year to month`).
    pub(crate) fn field_metadata(&self) -> datafusion::common::metadata::FieldMetadata {
        let (start, end) = match self {
            IntervalValue::YearMonth { start, end, .. } | IntervalValue::DayTime { start, end, .. } => (start.code(), end.code()),
        };
        let mut m = std::collections::BTreeMap::new();
        m.insert(crate::types::INTERVAL_FIELDS_KEY.to_string(), format!("{start},{end}"));
        datafusion::common::metadata::FieldMetadata::new(m)
    }

    pub(crate) fn scalar(&self) -> ResolveResult<ScalarValue> {
        Ok(match self {
            IntervalValue::YearMonth { months, .. } => {
                let m = i32::try_from(*months).map_err(|_| interval_overflow())?;
                ScalarValue::IntervalYearMonth(Some(m))
            }
            IntervalValue::DayTime { micros, .. } => ScalarValue::DurationMicrosecond(Some(*micros)),
        })
    }
}

fn interval_overflow() -> ResolveError {
    ResolveError::analysis("INTERVAL_ARITHMETIC_OVERFLOW", "22015", "Integer overflow while operating with intervals.", &[])
}

fn invalid(text: &str, why: &str) -> ResolveError {
    ResolveError::analysis(
        "INVALID_INTERVAL_FORMAT.INVALID_UNIT",
        "22006",
        format!("Error parsing '{text}' to interval. {why}"),
        &[("input", text.to_string())],
    )
}

/// Splits `'5 03:07' DAY TO MINUTE` into `'5 03:07'`, `DAY`, `TO`, `MINUTE`,
/// keeping quoted parts whole (and their leading sign).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '\'' => {
                cur.push(ch);
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `-'100'` → (-1, "100"); `'1-2'` → (1, "1-2"); `3` → (1, "3").
fn unquote(tok: &str) -> (i64, String) {
    let (sign, rest) = match tok.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, tok.strip_prefix('+').unwrap_or(tok)),
    };
    (sign, rest.trim_matches('\'').trim().to_string())
}

/// A number with an optional fraction, scaled by `unit` (months or µs).
fn scaled(text: &str, unit: i64, whole: &str) -> ResolveResult<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let bad = || invalid(whole, &format!("Cannot parse '{text}'."));
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
    let mut v = i.checked_mul(unit).ok_or_else(interval_overflow)?;
    if !frac.is_empty() {
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let digits: String = frac.chars().take(9).collect();
        let f: i64 = format!("{digits:0<9}").parse().map_err(|_| bad())?;
        v += ((f as i128 * unit as i128) / 1_000_000_000) as i64;
    }
    Ok(if neg { -v } else { v })
}

/// `value unit value unit ...` (numbers, maybe quoted): Spark's multi-unit
/// interval, typed by its smallest and largest unit.
fn multi_unit(parts: &[String], whole: &str) -> ResolveResult<IntervalValue> {
    if parts.is_empty() || parts.len() % 2 != 0 {
        return Err(invalid(whole, "Expected value and unit pairs."));
    }
    let (mut months, mut micros) = (0i64, 0i64);
    let (mut lo, mut hi): (Option<Field>, Option<Field>) = (None, None);
    let mut kinds = (false, false);
    for pair in parts.chunks(2) {
        let (sign, value) = unquote(&pair[0]);
        let (field, unit) = Field::parse(&pair[1]).ok_or_else(|| invalid(whole, &format!("Invalid unit '{}'.", pair[1])))?;
        let v = sign * scaled(&value, unit, whole)?;
        if field.is_year_month() {
            kinds.0 = true;
            months = months.checked_add(v).ok_or_else(interval_overflow)?;
        } else {
            kinds.1 = true;
            micros = micros.checked_add(v).ok_or_else(interval_overflow)?;
        }
        lo = Some(lo.map_or(field, |l| l.min(field)));
        hi = Some(hi.map_or(field, |h| h.max(field)));
    }
    if kinds.0 && kinds.1 {
        return Err(crate::ResolveError::analysis(
            "_LEGACY_ERROR_TEMP_0029",
            "42000",
            format!("Cannot mix year-month and day-time fields: interval {whole}."),
            &[],
        ));
    }
    let (start, end) = (lo.unwrap_or(Field::Second), hi.unwrap_or(Field::Second));
    Ok(if kinds.0 { IntervalValue::YearMonth { months, start, end } } else { IntervalValue::DayTime { micros, start, end } })
}

/// `'<text>' START [TO END]`: the ANSI form, its text split by the fields.
fn ansi(sign: i64, text: &str, start: Field, end: Field, whole: &str) -> ResolveResult<IntervalValue> {
    if start > end || start.is_year_month() != end.is_year_month() {
        return Err(invalid(whole, "Invalid interval field range."));
    }
    let (sign, body) = match text.strip_prefix('-') {
        Some(r) => (-sign, r.trim()),
        None => (sign, text.strip_prefix('+').unwrap_or(text).trim()),
    };
    if start.is_year_month() {
        let months = if start == end {
            let unit = if start == Field::Year { 12 } else { 1 };
            scaled(body, unit, whole)?
        } else {
            let (y, m) = body.split_once('-').ok_or_else(|| invalid(whole, "Expected 'y-m'."))?;
            let y: i64 = y.trim().parse().map_err(|_| invalid(whole, "Bad year."))?;
            let m: i64 = m.trim().parse().map_err(|_| invalid(whole, "Bad month."))?;
            if m > 11 {
                return Err(invalid(whole, "Month must be at most 11."));
            }
            y * 12 + m
        };
        return Ok(IntervalValue::YearMonth { months: sign * months, start, end });
    }
    // Day-time: components separated by ' ' (after the day) and ':'.
    let all = [Field::Day, Field::Hour, Field::Minute, Field::Second];
    let fields: Vec<Field> = all.into_iter().filter(|f| *f >= start && *f <= end).collect();
    let comps: Vec<&str> = body.split([' ', ':']).filter(|s| !s.is_empty()).collect();
    if comps.len() != fields.len() {
        return Err(invalid(whole, "The interval does not match its fields."));
    }
    let mut micros = 0i64;
    for (f, c) in fields.iter().zip(comps) {
        if *f != Field::Second && c.contains('.') {
            return Err(invalid(whole, "Only seconds may have a fraction."));
        }
        micros = micros.checked_add(scaled(c, f.micros(), whole)?).ok_or_else(interval_overflow)?;
    }
    Ok(IntervalValue::DayTime { micros: sign * micros, start, end })
}

/// Parses the interval literal text the SQL parser collected.
pub(crate) fn parse_interval(text: &str) -> ResolveResult<IntervalValue> {
    let toks = tokens(text);
    // `'...' UNIT [TO UNIT]` with a quoted value is the ANSI form unless the
    // quoted text itself carries units (`INTERVAL '1 day 2 hours'`).
    if let Some(first) = toks.first().filter(|t| t.contains('\'')) {
        let (sign, inner) = unquote(first);
        let rest = &toks[1..];
        if rest.is_empty() {
            let inner_toks = tokens(&inner);
            let v = multi_unit(&inner_toks, text)?;
            return Ok(if sign < 0 { negate(v) } else { v });
        }
        let unit_at = |i: usize| rest.get(i).and_then(|u| Field::parse(u)).map(|(f, _)| f);
        if let Some(start) = unit_at(0) {
            if rest.len() == 1 {
                return ansi(sign, &inner, start, start, text);
            }
            if rest.len() == 3 && rest[1].eq_ignore_ascii_case("to") {
                let end = unit_at(2).ok_or_else(|| invalid(text, "Invalid end field."))?;
                return ansi(sign, &inner, start, end, text);
            }
        }
    }
    multi_unit(&toks, text)
}

fn negate(v: IntervalValue) -> IntervalValue {
    match v {
        IntervalValue::YearMonth { months, start, end } => IntervalValue::YearMonth { months: -months, start, end },
        IntervalValue::DayTime { micros, start, end } => IntervalValue::DayTime { micros: -micros, start, end },
    }
}

impl Resolver<'_> {
    /// An interval literal as a DataFusion literal with Spark's name.
    pub(crate) fn resolve_interval_literal(&self, text: &str) -> ResolveResult<ResolvedExpr> {
        let v = parse_interval(text)?;
        Ok(ResolvedExpr::new(DfExpr::Literal(v.scalar()?, Some(v.field_metadata())), v.sql()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> String {
        parse_interval(text).map(|v| v.sql()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn names_follow_spark() {
        assert_eq!(name("1 YEAR"), "INTERVAL '1' YEAR");
        assert_eq!(name("5 DAYS 3 HOURS 7 MINUTES"), "INTERVAL '5 03:07' DAY TO MINUTE");
        assert_eq!(name("2 HOURS 30 SECONDS"), "INTERVAL '02:00:30' HOUR TO SECOND");
        assert_eq!(name("1.5 SECONDS"), "INTERVAL '01.5' SECOND");
        assert_eq!(name("'1 2:03:04.5' DAY TO SECOND"), "INTERVAL '1 02:03:04.5' DAY TO SECOND");
        assert_eq!(name("-'100' YEAR"), "INTERVAL '-100' YEAR");
        assert_eq!(name("'-1' MONTH"), "INTERVAL '-1' MONTH");
        assert_eq!(name("3 WEEKS"), "INTERVAL '21' DAY");
        assert_eq!(name("1 MILLISECOND"), "INTERVAL '00.001' SECOND");
        assert_eq!(name("'1-1' YEAR TO MONTH"), "INTERVAL '1-1' YEAR TO MONTH");
        assert_eq!(name("-'1-1' YEAR TO MONTH"), "INTERVAL '-1-1' YEAR TO MONTH");
        assert_eq!(name("'1 day 2 hours'"), "INTERVAL '1 02' DAY TO HOUR");
        assert_eq!(name("'10' MONTH"), "INTERVAL '10' MONTH");
    }

    #[test]
    fn values_and_errors() {
        assert_eq!(
            parse_interval("'5 03:07' DAY TO MINUTE").ok(),
            Some(IntervalValue::DayTime { micros: 5 * MICROS_PER_DAY + 3 * MICROS_PER_HOUR + 7 * MICROS_PER_MINUTE, start: Field::Day, end: Field::Minute })
        );
        assert!(parse_interval("1 YEAR 2 DAYS").is_err());
        assert!(parse_interval("'1-13' YEAR TO MONTH").is_err());
        assert!(parse_interval("1 FORTNIGHT").is_err());
    }
}
