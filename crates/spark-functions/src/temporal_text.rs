//! Dates and timestamps as Spark's CSV and JSON writers print them, with
//! the `dateFormat` / `timestampFormat` options (defaults `yyyy-MM-dd` and
//! `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`): a trailing `XXX` prints the session
//! zone's offset (`Z` when zero); TIMESTAMP_NTZ prints no zone.

use chrono::TimeZone;
use chrono_tz::Tz;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, Date32Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::Result;

use crate::datetime_format::{format_with, invalid_pattern, to_strftime, wall_clock};

pub const DEFAULT_TIMESTAMP_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
pub const DEFAULT_DATE_FORMAT: &str = "yyyy-MM-dd";

/// Compiled date and timestamp patterns for one session time zone.
pub struct TemporalText {
    zone: Option<Tz>,
    timestamp_pattern: String,
    date_pattern: String,
    timestamp_fmt: String,
    date_fmt: String,
}

impl TemporalText {
    pub fn new(time_zone: &str, timestamp_pattern: &str, date_pattern: &str) -> Result<Self> {
        // A trailing `XXX` (the zone offset) is written separately.
        let without_offset = timestamp_pattern.strip_suffix("XXX").unwrap_or(timestamp_pattern);
        Ok(Self {
            zone: time_zone.parse().ok(),
            timestamp_pattern: timestamp_pattern.to_string(),
            date_pattern: date_pattern.to_string(),
            timestamp_fmt: to_strftime(without_offset).map_err(|e| invalid_pattern(timestamp_pattern, &e))?,
            date_fmt: to_strftime(date_pattern).map_err(|e| invalid_pattern(date_pattern, &e))?,
        })
    }

    /// The text of a date or timestamp value; `None` for other types and NULL.
    pub fn text(&self, column: &dyn Array, row: usize) -> Result<Option<String>> {
        if column.is_null(row) {
            return Ok(None);
        }
        let (micros, zone, fmt, pattern) = match column.data_type() {
            DataType::Date32 => {
                let days = column.as_primitive::<Date32Type>().value(row);
                (i64::from(days) * 86_400_000_000, None, &self.date_fmt, &self.date_pattern)
            }
            DataType::Timestamp(TimeUnit::Microsecond, z) => {
                let us = column.as_primitive::<TimestampMicrosecondType>().value(row);
                (us, z.as_ref().and(self.zone.as_ref()), &self.timestamp_fmt, &self.timestamp_pattern)
            }
            _ => return Ok(None),
        };
        let Some(t) = wall_clock(micros, zone) else { return Ok(None) };
        let text = format_with(&t, fmt).ok_or_else(|| invalid_pattern(pattern, &crate::datetime_format::PatternError::CannotPrint))?;
        // TIMESTAMP_NTZ has no zone to print (Spark's `timestampNTZFormat`).
        let ntz = matches!(column.data_type(), DataType::Timestamp(_, None));
        if !pattern.ends_with("XXX") || ntz {
            return Ok(Some(text));
        }
        // `XXX`: the zone offset, `Z` when it is zero (Java's ISO offset).
        let offset = match (zone, chrono::DateTime::from_timestamp_micros(micros)) {
            (Some(z), Some(utc)) => {
                use chrono::Offset;
                z.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc()
            }
            _ => 0,
        };
        let suffix = if offset == 0 {
            "Z".to_string()
        } else {
            let (sign, a) = if offset < 0 { ('-', -offset) } else { ('+', offset) };
            format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
        };
        Ok(Some(format!("{text}{suffix}")))
    }
}
