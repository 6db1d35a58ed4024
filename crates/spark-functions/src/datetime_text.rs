//! Text read as a DATE or a TIMESTAMP the way Spark's casts read it
//! (`DateTimeUtils.stringToDate` / `stringToTimestamp`): whitespace around
//! ignored, a year of four to seven digits with an optional sign, then
//! optional `-[m]m`, `-[d]d`; for timestamps a ` ` or `T` and
//! `[h]h:[m]m[:[s]s[.fraction]]` with an optional zone (`Z`, `+hh[:mm]`,
//! `UTC+1`, `Europe/Paris`). A date ignores whatever follows the day after
//! a ` ` or `T`.

use chrono::NaiveDate;

use crate::time_zone::{ZoneKind, parse_zone};

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// `[+-]yyyy[-[m]m[-[d]d]]` and where it ends.
fn read_date(s: &str) -> Option<(i32, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut fields = [0i64, 1, 1];
    for (n, field) in fields.iter_mut().enumerate() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        let ok = if n == 0 { (4..=7).contains(&digits) } else { (1..=2).contains(&digits) };
        if !ok {
            return None;
        }
        *field = s[start..i].parse().ok()?;
        if n < 2 && i < b.len() && b[i] == b'-' {
            i += 1;
            continue;
        }
        break;
    }
    let year = if negative { -fields[0] } else { fields[0] };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, u32::try_from(fields[1]).ok()?, u32::try_from(fields[2]).ok()?)?;
    let days = i32::try_from(crate::epoch_days::days_of(date)).ok()?;
    Some((days, i))
}

/// Days since the epoch of `text` as a DATE.
pub fn text_to_date(text: &str) -> Option<i32> {
    let s = text.trim();
    let (days, end) = read_date(s)?;
    match s.as_bytes().get(end) {
        None | Some(b' ' | b'T') => Some(days),
        _ => None,
    }
}

/// `[h]h:[m]m[:[s]s[.fraction]]` as microseconds of the day, and the rest.
fn read_time(s: &str, hour_alone: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut parts = [0i64; 3];
    let mut count = 0;
    while count < 3 {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if !(1..=2).contains(&(i - start)) {
            return None;
        }
        parts[count] = s[start..i].parse().ok()?;
        count += 1;
        if count < 3 && i < b.len() && b[i] == b':' {
            i += 1;
        } else {
            break;
        }
    }
    if count < if hour_alone { 1 } else { 2 } || parts[0] > 23 || parts[1] > 59 || parts[2] > 59 {
        return None;
    }
    let mut micros = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1_000_000;
    if count == 3 && i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits: String = s[start..i].chars().take(6).collect();
        if i - start > 9 {
            return None;
        }
        if !digits.is_empty() {
            micros += format!("{digits:0<6}").parse::<i64>().ok()?;
        }
    }
    Some((micros, &s[i..]))
}

/// What a timestamp's text says: the wall time and, when given, its zone.
pub struct TimestampText {
    pub wall_micros: i64,
    pub zone: Option<ZoneKind>,
}

/// `text` read as a timestamp (a time alone is on `today`, days since the epoch).
pub fn read_timestamp(text: &str, today: i32) -> Option<TimestampText> {
    let s = text.trim();
    let (days, rest, dated) = match read_date(s) {
        Some((days, end)) => (days, &s[end..], true),
        None => (today, s.strip_prefix('T').unwrap_or(s), false),
    };
    let (time, rest) = if !dated {
        read_time(rest, false)?
    } else if rest.is_empty() {
        (0, rest)
    } else {
        let after = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('T'))?;
        if after.trim().is_empty() { (0, "") } else { read_time(after, true)? }
    };
    let zone_text = rest.trim_start();
    let zone = if zone_text.is_empty() { None } else { Some(parse_zone(zone_text)?) };
    Some(TimestampText { wall_micros: i64::from(days) * MICROS_PER_DAY + time, zone })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_spark_reads_them() {
        assert_eq!(text_to_date("2024-01-01"), Some(19723));
        for s in ["2024", "2024-01", "2024-1-1", " 2024-01-01 ", "2024-01-01 10:00:00", "2024-01-01T10:00", "2024-01-01 anything"] {
            assert_eq!(text_to_date(s).map(|d| d >= 19723 - 31 && d <= 19723), Some(true), "{s}");
        }
        for s in ["2024-02-30", "24-01-01", "2024/01/01", "2024-01-01x", "", "2024-001-01"] {
            assert_eq!(text_to_date(s), None, "{s}");
        }
    }

    #[test]
    fn timestamps_as_spark_reads_them() {
        let wall = |s: &str| read_timestamp(s, 0).map(|t| t.wall_micros);
        let day = 19723 * MICROS_PER_DAY;
        assert_eq!(wall("2024-01-01"), Some(day));
        assert_eq!(wall("2024-01-01 10:00"), Some(day + 36_000_000_000));
        assert_eq!(wall("2024-01-01T10:00:00.123456789"), Some(day + 36_000_123_456));
        assert_eq!(wall("10:00:00"), Some(36_000_000_000));
        assert!(read_timestamp("2024-01-01T10:00:00Z", 0).is_some_and(|t| t.zone.is_some()));
        assert!(read_timestamp("2024-01-01 10:00:00+02:00", 0).is_some_and(|t| t.zone.is_some()));
        assert_eq!(wall("2024-01-01 10"), Some(day + 36_000_000_000));
        for s in ["2024-01-01 25:00:00", "10", "x", "2024-01-01 10:00:00 nowhere"] {
            assert!(read_timestamp(s, 0).is_none(), "{s}");
        }
    }
}
