//! `CAST(timestamp AS STRING)` as Spark prints it: `yyyy-MM-dd HH:mm:ss`
//! with the fraction of a second only when there is one, its trailing zeros
//! dropped (`2024-01-01 10:00:00.5`), in the session time zone for
//! TIMESTAMP and as stored for TIMESTAMP_NTZ.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType, TimestampNanosecondType};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::time_zone::{ZoneKind, parse_zone};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTimestampString {
    signature: Signature,
    /// The session time zone, for TIMESTAMP inputs (`None`: TIMESTAMP_NTZ).
    zone: Option<String>,
}

impl SparkTimestampString {
    pub fn udf(zone: Option<&str>) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), zone: zone.map(str::to_string) }))
    }
}

/// Spark's text of a wall-clock time given in microseconds since the epoch.
pub fn format_wall_micros(wall: i64) -> Option<String> {
    format_wall(wall, 0)
}

/// The text of a wall-clock time in microseconds since the epoch plus
/// `below_micros` nanoseconds (nanosecond timestamps).
fn format_wall(wall: i64, below_micros: u32) -> Option<String> {
    let secs = wall.div_euclid(1_000_000);
    let nanos = wall.rem_euclid(1_000_000) as u32 * 1000 + below_micros;
    let t = chrono::DateTime::from_timestamp(secs, nanos)?.naive_utc();
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    Some(match nanos {
        0 => base,
        n if n % 1000 == 0 => format!("{base}.{}", format!("{:06}", n / 1000).trim_end_matches('0')),
        n => format!("{base}.{}", format!("{n:09}").trim_end_matches('0')),
    })
}

impl ScalarUDFImpl for SparkTimestampString {
    fn name(&self) -> &str {
        "spark_timestamp_string"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        // Each value as whole microseconds and the nanoseconds below them.
        let values: Vec<Option<(i64, u32)>> = match arrays[0].data_type() {
            DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                let nanos = arrays[0].as_primitive::<TimestampNanosecondType>();
                nanos.iter().map(|n| n.map(|n| (n.div_euclid(1000), n.rem_euclid(1000) as u32))).collect()
            }
            _ => {
                let micros = datafusion::arrow::compute::cast(&arrays[0], &DataType::Timestamp(TimeUnit::Microsecond, None))?;
                micros.as_primitive::<TimestampMicrosecondType>().iter().map(|m| m.map(|m| (m, 0))).collect()
            }
        };
        let zone: Option<ZoneKind> = match &self.zone {
            Some(z) => Some(parse_zone(z).ok_or_else(|| datafusion::error::DataFusionError::Execution(format!("unknown time zone {z}")))?),
            None => None,
        };
        let mut b = StringBuilder::with_capacity(values.len(), values.len() * 19);
        for value in values {
            let Some((v, below_micros)) = value else {
                b.append_null();
                continue;
            };
            let wall = match &zone {
                Some(z) => z.instant_to_wall(v),
                None => Some(v),
            };
            b.append_option(wall.and_then(|w| format_wall(w, below_micros)));
        }
        crate::columnar(Arc::new(b.finish()), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_trailing_fraction_zeros() {
        assert_eq!(format_wall_micros(0).as_deref(), Some("1970-01-01 00:00:00"));
        assert_eq!(format_wall_micros(500_000).as_deref(), Some("1970-01-01 00:00:00.5"));
        assert_eq!(format_wall_micros(-1).as_deref(), Some("1969-12-31 23:59:59.999999"));
    }

    #[test]
    fn prints_nanoseconds_below_the_microsecond() {
        assert_eq!(format_wall(123_456, 789).as_deref(), Some("1970-01-01 00:00:00.123456789"));
        assert_eq!(format_wall(123_400, 500).as_deref(), Some("1970-01-01 00:00:00.1234005"));
        // -1 ns: the microsecond before the epoch, plus 999 ns.
        assert_eq!(format_wall(-1, 999).as_deref(), Some("1969-12-31 23:59:59.999999999"));
    }
}
