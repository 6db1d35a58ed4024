//! Literals and typed literals (`DATE '...'`, `TIMESTAMP '...'`).



use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use datafusion::arrow::datatypes::IntervalMonthDayNano;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_plan::literal::format_decimal;
use spark_plan::{DataType, Literal};

use super::ResolvedExpr;
use spark_plan::format::{java_double, java_float};
use crate::resolver::Resolver;
use crate::types::to_arrow;
use crate::{ResolveError, ResolveResult};

const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

impl Resolver<'_> {
    pub(crate) fn resolve_literal(&self, l: &Literal) -> ResolveResult<ResolvedExpr> {
        let value = self.scalar_value(l)?;
        Ok(ResolvedExpr::new(DfExpr::Literal(value, None), self.literal_name(l)))
    }

    /// The Arrow scalar for a Spark literal.
    pub(crate) fn scalar_value(&self, l: &Literal) -> ResolveResult<ScalarValue> {
        let tz = &self.config.time_zone;
        Ok(match l {
            Literal::Null(DataType::Null) => ScalarValue::Null,
            Literal::Null(t) => ScalarValue::try_from(&to_arrow(t, tz)?)?,
            Literal::Boolean(v) => ScalarValue::Boolean(Some(*v)),
            Literal::Byte(v) => ScalarValue::Int8(Some(*v)),
            Literal::Short(v) => ScalarValue::Int16(Some(*v)),
            Literal::Integer(v) => ScalarValue::Int32(Some(*v)),
            Literal::Long(v) => ScalarValue::Int64(Some(*v)),
            Literal::Float(v) => ScalarValue::Float32(Some(*v)),
            Literal::Double(v) => ScalarValue::Float64(Some(*v)),
            Literal::Decimal { value, precision, scale } => {
                ScalarValue::Decimal128(Some(*value), *precision, *scale)
            }
            Literal::String(s) => ScalarValue::Utf8(Some(s.clone())),
            Literal::Binary(b) => ScalarValue::Binary(Some(b.clone())),
            Literal::Date(d) => ScalarValue::Date32(Some(*d)),
            Literal::Timestamp(us) => ScalarValue::TimestampMicrosecond(Some(*us), Some(tz.as_str().into())),
            Literal::TimestampNtz(us) => ScalarValue::TimestampMicrosecond(Some(*us), None),
            Literal::CalendarInterval { months, days, microseconds } => ScalarValue::IntervalMonthDayNano(Some(
                IntervalMonthDayNano::new(*months, *days, microseconds.saturating_mul(1000)),
            )),
            Literal::YearMonthInterval(m) => ScalarValue::IntervalYearMonth(Some(*m)),
            Literal::DayTimeInterval(us) => ScalarValue::DurationMicrosecond(Some(*us)),
            Literal::Array { element_type, values } => {
                let et = to_arrow(element_type, tz)?;
                let values = values.iter().map(|v| self.scalar_value(v)).collect::<ResolveResult<Vec<_>>>()?;
                ScalarValue::List(ScalarValue::new_list_nullable(&values, &et))
            }
            Literal::Map { .. } | Literal::Struct { .. } => {
                return Err(ResolveError::unsupported("map and struct literals"));
            }
        })
    }

    /// The name Spark gives a literal column (`1`, `abc`, `NULL`, `DATE '2024-01-01'`).
    pub(crate) fn literal_name(&self, l: &Literal) -> String {
        match l {
            Literal::Null(_) => "NULL".into(),
            Literal::Boolean(v) => v.to_string(),
            Literal::Byte(v) => v.to_string(),
            Literal::Short(v) => v.to_string(),
            Literal::Integer(v) => v.to_string(),
            Literal::Long(v) => v.to_string(),
            Literal::Float(v) => java_float(*v),
            Literal::Double(v) => java_double(*v),
            Literal::Decimal { value, scale, .. } => format_decimal(*value, *scale),
            Literal::String(s) => s.clone(),
            Literal::Binary(b) => {
                format!("X'{}'", b.iter().map(|x| format!("{x:02X}")).collect::<String>())
            }
            Literal::Date(d) => format!("DATE '{}'", format_date(*d)),
            Literal::Timestamp(us) => format!("TIMESTAMP '{}'", self.format_timestamp(*us, true)),
            Literal::TimestampNtz(us) => format!("TIMESTAMP_NTZ '{}'", self.format_timestamp(*us, false)),
            Literal::Array { values, .. } => {
                let inner: Vec<String> = values.iter().map(|v| self.literal_sql(v)).collect();
                format!("ARRAY({})", inner.join(", "))
            }
            other => self.literal_sql(other),
        }
    }

    /// `Literal.sql`: strings quoted, used inside composite literal names.
    fn literal_sql(&self, l: &Literal) -> String {
        match l {
            Literal::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Literal::Long(v) => format!("{v}L"),
            Literal::Byte(v) => format!("{v}Y"),
            Literal::Short(v) => format!("{v}S"),
            Literal::Double(v) => format!("{}D", java_double(*v)),
            Literal::Decimal { value, scale, .. } => format!("{}BD", format_decimal(*value, *scale)),
            // ANSI intervals print with their type's default fields.
            Literal::YearMonthInterval(m) => {
                use super::interval_literal::{Field, IntervalValue};
                IntervalValue::YearMonth { months: *m as i64, start: Field::Year, end: Field::Month }.sql()
            }
            Literal::DayTimeInterval(us) => {
                use super::interval_literal::{Field, IntervalValue};
                IntervalValue::DayTime { micros: *us, start: Field::Day, end: Field::Second }.sql()
            }
            Literal::CalendarInterval { .. } => "INTERVAL".into(),
            other => self.literal_name(other),
        }
    }

    fn format_timestamp(&self, us: i64, with_tz: bool) -> String {
        let secs = us.div_euclid(1_000_000);
        let micros = us.rem_euclid(1_000_000) as u32;
        let Some(utc) = chrono::DateTime::from_timestamp(secs, micros * 1000) else {
            return us.to_string();
        };
        let naive = if with_tz {
            match self.config.time_zone.parse::<chrono_tz::Tz>() {
                Ok(tz) => utc.with_timezone(&tz).naive_local(),
                Err(_) => match self.config.time_zone.parse::<chrono::FixedOffset>() {
                    Ok(offset) => utc.with_timezone(&offset).naive_local(),
                    Err(_) => utc.naive_utc(),
                },
            }
        } else {
            utc.naive_utc()
        };
        format_naive_timestamp(&naive)
    }

    pub(crate) fn resolve_typed_literal(&self, t: &DataType, text: &str) -> ResolveResult<ResolvedExpr> {
        let invalid = |type_name: &str| {
            ResolveError::analysis(
                "INVALID_TYPED_LITERAL",
                "42604",
                format!("The value of the typed literal {type_name} is invalid: '{text}'."),
                &[("valueType", format!("\"{type_name}\"")), ("value", format!("'{text}'"))],
            )
        };
        let lit = match t {
            DataType::Date => Literal::Date(parse_date(text).ok_or_else(|| invalid("DATE"))?),
            DataType::Timestamp => {
                let naive = parse_timestamp(text).ok_or_else(|| invalid("TIMESTAMP"))?;
                Literal::Timestamp(self.local_to_utc_micros(&naive).ok_or_else(|| invalid("TIMESTAMP"))?)
            }
            DataType::TimestampNtz => {
                let naive = parse_timestamp(text).ok_or_else(|| invalid("TIMESTAMP_NTZ"))?;
                Literal::TimestampNtz(naive.and_utc().timestamp_micros())
            }
            DataType::CalendarInterval => return self.resolve_interval_literal(text),
            DataType::Time(_) => return resolve_time_literal(text).ok_or_else(|| invalid("TIME")),
            other => return Err(ResolveError::unsupported(format!("typed literal of type {}", other.sql()))),
        };
        let resolved = self.resolve_literal(&lit)?;
        // With nanosecond timestamps on, digits past the microsecond make
        // the literal a TIMESTAMP_LTZ(9) or TIMESTAMP_NTZ(9).
        if self.config.timestamp_nanos && matches!(t, DataType::Timestamp | DataType::TimestampNtz) {
            if let Some(naive) = parse_timestamp(text).filter(|n| n.and_utc().timestamp_subsec_nanos() % 1000 != 0) {
                let below_micros = i64::from(naive.and_utc().timestamp_subsec_nanos() % 1000);
                let (kind, micros, zone) = match lit {
                    Literal::Timestamp(m) => ("TIMESTAMP_LTZ", m, Some(self.config.time_zone.as_str().into())),
                    Literal::TimestampNtz(m) => ("TIMESTAMP_NTZ", m, None),
                    _ => return Ok(resolved),
                };
                let nanos = micros.checked_mul(1000).and_then(|n| n.checked_add(below_micros)).ok_or_else(|| invalid(kind))?;
                let shown = naive.format("%Y-%m-%d %H:%M:%S%.9f").to_string();
                let name = format!("{kind} '{}'", shown.trim_end_matches('0'));
                return Ok(ResolvedExpr::new(datafusion::logical_expr::lit(ScalarValue::TimestampNanosecond(Some(nanos), zone)), name));
            }
        }
        Ok(resolved)
    }

    /// The instant a wall-clock time names in the session time zone (a
    /// region such as `Europe/Paris` or a fixed offset such as `+02:00`).
    fn local_to_utc_micros(&self, naive: &NaiveDateTime) -> Option<i64> {
        let zone = &self.config.time_zone;
        if let Ok(tz) = zone.parse::<chrono_tz::Tz>() {
            return Some(spark_functions::time_zone::resolve_local(&tz, naive)?.timestamp_micros());
        }
        let offset: chrono::FixedOffset = zone.parse().ok()?;
        Some(offset.from_local_datetime(naive).single()?.timestamp_micros())
    }
}

/// `TIME '6:30:45.887'`: nanoseconds since midnight, named `TIME '06:30:45.887'`.
fn resolve_time_literal(text: &str) -> Option<ResolvedExpr> {
    let t = text.trim();
    let (hms, frac) = t.split_once('.').unwrap_or((t, ""));
    let nums: Vec<u32> = hms.split(':').map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    let (h, m, s) = match nums.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let frac6: String = frac.chars().take(6).collect();
    let micros: u32 = if frac6.is_empty() { 0 } else { format!("{frac6:0<6}").parse().ok()? };
    let time = NaiveTime::from_hms_micro_opt(h, m, s, micros)?;
    let nanos = (time.num_seconds_from_midnight() as i64) * 1_000_000_000 + micros as i64 * 1000;
    let shown = {
        let base = time.format("%H:%M:%S").to_string();
        if micros == 0 { base } else { format!("{base}.{}", format!("{micros:06}").trim_end_matches('0')) }
    };
    Some(ResolvedExpr::new(lit(ScalarValue::Time64Nanosecond(Some(nanos))), format!("TIME '{shown}'")))
}

pub(crate) fn format_date(days: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| days.to_string())
}

/// `yyyy-MM-dd HH:mm:ss[.ffffff]`, fraction without trailing zeros, as Spark prints.
pub(crate) fn format_naive_timestamp(t: &NaiveDateTime) -> String {
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let micros = t.and_utc().timestamp_subsec_micros();
    if micros == 0 {
        base
    } else {
        let frac = format!("{micros:06}");
        format!("{base}.{}", frac.trim_end_matches('0'))
    }
}

/// Spark's date literal forms: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, optionally followed by `T...` or a space.
pub(crate) fn parse_date(text: &str) -> Option<i32> {
    let t = text.trim();
    let t = t.split(['T', ' ']).next()?;
    let parts: Vec<&str> = t.split('-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y] => (y.parse().ok()?, 1, 1),
        [y, m] => (y.parse().ok()?, m.parse().ok()?, 1),
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE)
}

/// Spark's timestamp literal forms: a date, optionally with `[T ]HH:mm[:ss[.f]]`.
pub(crate) fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (date_part, time_part) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim())),
        None => (t, None),
    };
    let days = parse_date(date_part)?;
    let date = NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(tp) => {
            let tp = tp.trim_end_matches('Z');
            let (hms, frac) = match tp.split_once('.') {
                Some((a, b)) => (a, b),
                None => (tp, ""),
            };
            let nums: Vec<u32> = hms.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
            let (h, m, s) = match nums.as_slice() {
                [h] => (*h, 0, 0),
                [h, m] => (*h, *m, 0),
                [h, m, s] => (*h, *m, *s),
                _ => return None,
            };
            let frac_digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).take(9).collect();
            let nanos = if frac_digits.is_empty() {
                0
            } else {
                format!("{frac_digits:0<9}").parse::<u32>().ok()?
            };
            NaiveTime::from_hms_nano_opt(h, m, s, nanos)?
        }
    };
    Some(NaiveDateTime::new(date, time))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(format_date(0), "1970-01-01");
        let t = parse_timestamp("2024-01-02 03:04:05.5").map(|t| format_naive_timestamp(&t));
        assert_eq!(t.as_deref(), Some("2024-01-02 03:04:05.5"));
    }
}
