//! Moving between wall-clock time (`TIMESTAMP_NTZ`) and instants
//! (`TIMESTAMP`) in a time zone, as Spark's casts between the two and
//! `convert_timezone`, `from_utc_timestamp` and `make_timestamp` do. Arrow's
//! casts keep the stored value, which is not Spark's meaning.

use std::sync::Arc;

use chrono::DateTime;
use chrono_tz::Tz;
use datafusion::arrow::array::{AsArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Wall-clock time in the zone → the instant (`TIMESTAMP` in `out_zone`).
    WallToInstant,
    /// Instant → its wall-clock time in the zone (`TIMESTAMP_NTZ`).
    InstantToWall,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkZoneShift {
    signature: Signature,
    direction: Direction,
    zone: String,
    /// The zone label of the result type for `WallToInstant`.
    out_zone: String,
}

impl SparkZoneShift {
    pub fn udf(direction: Direction, zone: &str, out_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::any(1, Volatility::Immutable),
            direction,
            zone: zone.to_string(),
            out_zone: out_zone.to_string(),
        }))
    }
}

/// Java's `ZoneId.SHORT_IDS`, which Spark accepts as zone names (`PST`).
const SHORT_IDS: [(&str, &str); 28] = [
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
    ("EST", "-05:00"),
    ("MST", "-07:00"),
    ("HST", "-10:00"),
];

/// Parses a Spark time zone: a region id, `UTC`/`Z`, an offset `+08:00`,
/// or one of Java's short ids.
pub fn parse_zone(zone: &str) -> Option<ZoneKind> {
    if let Some((_, id)) = SHORT_IDS.iter().find(|(short, _)| *short == zone) {
        return parse_zone(id);
    }
    if let Ok(tz) = zone.parse::<Tz>() {
        // Zones that never change their offset convert by arithmetic.
        if matches!(tz, Tz::UTC | Tz::Etc__UTC | Tz::Etc__GMT | Tz::GMT | Tz::Etc__Universal | Tz::Etc__Zulu | Tz::UCT | Tz::Universal | Tz::Zulu) {
            return Some(ZoneKind::Fixed(0));
        }
        return Some(ZoneKind::Region(tz));
    }
    let z = zone.trim();
    let body = z.strip_prefix("UTC").or_else(|| z.strip_prefix("GMT")).unwrap_or(z);
    if body.is_empty() || body == "Z" {
        return Some(ZoneKind::Fixed(0));
    }
    let (sign, rest) = match body.as_bytes().first() {
        Some(b'+') => (1, &body[1..]),
        Some(b'-') => (-1, &body[1..]),
        _ => return None,
    };
    let mut parts = rest.split(':');
    let h: i32 = parts.next()?.parse().ok()?;
    let m: i32 = parts.next().map(|m| m.parse().ok()).unwrap_or(Some(0))?;
    Some(ZoneKind::Fixed(sign * (h * 3600 + m * 60)))
}

/// The instant a wall-clock time names in `tz`, as Java's `ZonedDateTime`
/// resolves it: in an overlap the earlier instant, and a time a DST gap
/// skips moved forward by the gap (read with the offset before it).
pub fn resolve_local<T: chrono::TimeZone>(tz: &T, wall: &chrono::NaiveDateTime) -> Option<DateTime<T>> {
    use chrono::Offset;
    match tz.from_local_datetime(wall) {
        chrono::LocalResult::Single(t) => Some(t),
        chrono::LocalResult::Ambiguous(earlier, _) => Some(earlier),
        chrono::LocalResult::None => {
            let before = tz.offset_from_local_datetime(&(*wall - chrono::Duration::hours(3))).earliest()?;
            let utc = *wall - chrono::Duration::seconds(i64::from(before.fix().local_minus_utc()));
            Some(tz.from_utc_datetime(&utc))
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum ZoneKind {
    Region(Tz),
    /// Seconds east of UTC.
    Fixed(i32),
}

impl ZoneKind {
    pub fn wall_to_instant(&self, wall_micros: i64) -> Option<i64> {
        let wall = DateTime::from_timestamp_micros(wall_micros)?.naive_utc();
        match self {
            // A wall time skipped by a DST gap moves forward, as in Java.
            ZoneKind::Region(tz) => resolve_local(tz, &wall).map(|t| t.timestamp_micros()),
            ZoneKind::Fixed(secs) => Some(wall_micros - *secs as i64 * 1_000_000),
        }
    }

    pub fn instant_to_wall(&self, micros: i64) -> Option<i64> {
        let utc = DateTime::from_timestamp_micros(micros)?;
        match self {
            ZoneKind::Region(tz) => Some(utc.with_timezone(tz).naive_local().and_utc().timestamp_micros()),
            ZoneKind::Fixed(secs) => Some(micros + *secs as i64 * 1_000_000),
        }
    }
}

impl ScalarUDFImpl for SparkZoneShift {
    fn name(&self) -> &str {
        match self.direction {
            Direction::WallToInstant => "spark_wall_to_instant",
            Direction::InstantToWall => "spark_instant_to_wall",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.direction {
            Direction::WallToInstant => DataType::Timestamp(TimeUnit::Microsecond, Some(self.out_zone.clone().into())),
            Direction::InstantToWall => DataType::Timestamp(TimeUnit::Microsecond, None),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let Some(zone) = parse_zone(&self.zone) else {
            return exec_err!("unknown time zone {}", self.zone);
        };
        let input = args.args[0].to_array(n)?;
        let input = datafusion::arrow::compute::cast(&input, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
        let values = input.as_primitive::<TimestampMicrosecondType>();
        let shifted: TimestampMicrosecondArray = values
            .iter()
            .map(|v| {
                v.and_then(|v| match self.direction {
                    Direction::WallToInstant => zone.wall_to_instant(v),
                    Direction::InstantToWall => zone.instant_to_wall(v),
                })
            })
            .collect();
        let out = match self.direction {
            Direction::WallToInstant => shifted.with_timezone(self.out_zone.clone()),
            Direction::InstantToWall => shifted,
        };
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_between_wall_time_and_instants() {
        let Some(brussels) = parse_zone("Europe/Brussels") else { return };
        // 2021-12-06 00:00 in Brussels (UTC+1) is 2021-12-05 23:00 UTC.
        let wall = 1_638_748_800_000_000;
        assert_eq!(brussels.wall_to_instant(wall), Some(wall - 3_600_000_000));
        assert_eq!(brussels.instant_to_wall(wall - 3_600_000_000), Some(wall));
        assert!(matches!(parse_zone("+08:00"), Some(ZoneKind::Fixed(28_800))));
    }
}
