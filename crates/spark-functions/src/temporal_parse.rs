//! Dates and timestamps read from text as Spark's CSV and JSON parsers read
//! them: with the `timestampFormat` / `dateFormat` patterns when given,
//! else ISO-8601 forms (a zone offset wins; otherwise the wall time is in
//! the session time zone, or is the value itself for TIMESTAMP_NTZ).

use chrono::{NaiveDate, NaiveDateTime};
use datafusion::common::Result;

use crate::datetime_format::{invalid_pattern, parse_wall, to_strftime};

pub struct TemporalParser {
    timestamp_pattern: Option<String>,
    date_pattern: Option<String>,
    zone: Option<chrono_tz::Tz>,
}

impl TemporalParser {
    pub fn new(timestamp_format: Option<&str>, date_format: Option<&str>, time_zone: &str) -> Result<Self> {
        let translate = |p: &str| to_strftime(p).map_err(|e| invalid_pattern(p, &e));
        Ok(Self {
            timestamp_pattern: timestamp_format.map(translate).transpose()?,
            date_pattern: date_format.map(translate).transpose()?,
            zone: time_zone.parse().ok(),
        })
    }

    /// Microseconds since the epoch: an instant (`zoned`) or a wall time.
    pub fn timestamp_micros(&self, text: &str, zoned: bool) -> Option<i64> {
        let text = text.trim();
        let (wall, offset) = match &self.timestamp_pattern {
            Some(fmt) => parse_wall(text, fmt)?,
            None => match chrono::DateTime::parse_from_rfc3339(&text.replace(' ', "T")) {
                Ok(t) if zoned => return Some(t.timestamp_micros()),
                Ok(t) => (t.naive_local(), None),
                Err(_) => {
                    let wall = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
                        .iter()
                        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
                        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))?;
                    (wall, None)
                }
            },
        };
        match (offset, &self.zone, zoned) {
            (_, _, false) => Some(wall.and_utc().timestamp_micros()),
            (Some(seconds), _, true) => Some(wall.and_utc().timestamp_micros() - i64::from(seconds) * 1_000_000),
            (None, Some(z), true) => Some(crate::time_zone::resolve_local(z, &wall)?.timestamp_micros()),
            (None, None, true) => Some(wall.and_utc().timestamp_micros()),
        }
    }

    /// Days since the epoch, by `dateFormat` or as `yyyy-MM-dd`.
    pub fn date_days(&self, text: &str) -> Option<i32> {
        let text = text.trim();
        let date = match &self.date_pattern {
            Some(fmt) => parse_wall(text, fmt)?.0.date(),
            None => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?,
        };
        i32::try_from(crate::epoch_days::days_of(date)).ok()
    }

    /// Whether a `dateFormat` was given.
    pub fn has_date_pattern(&self) -> bool {
        self.date_pattern.is_some()
    }
}
