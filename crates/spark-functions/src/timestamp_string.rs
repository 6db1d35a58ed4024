//! `CAST(timestamp AS STRING)` as Spark prints it: `yyyy-MM-dd HH:mm:ss`
//! with the fraction of a second only when there is one, its trailing zeros
//! dropped (`2024-01-01 10:00:00.5`), in the session time zone for
//! TIMESTAMP and as stored for TIMESTAMP_NTZ.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, TimestampMicrosecondType};
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
    let secs = wall.div_euclid(1_000_000);
    let micros = wall.rem_euclid(1_000_000) as u32;
    let t = chrono::DateTime::from_timestamp(secs, micros * 1000)?.naive_utc();
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    Some(if micros == 0 { base } else { format!("{base}.{}", format!("{micros:06}").trim_end_matches('0')) })
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
        let micros = datafusion::arrow::compute::cast(&arrays[0], &DataType::Timestamp(datafusion::arrow::datatypes::TimeUnit::Microsecond, None))?;
        let micros = micros.as_primitive::<TimestampMicrosecondType>();
        let zone: Option<ZoneKind> = match &self.zone {
            Some(z) => Some(parse_zone(z).ok_or_else(|| datafusion::error::DataFusionError::Execution(format!("unknown time zone {z}")))?),
            None => None,
        };
        let mut b = StringBuilder::with_capacity(micros.len(), micros.len() * 19);
        for i in 0..micros.len() {
            if micros.is_null(i) {
                b.append_null();
                continue;
            }
            let v = micros.value(i);
            let wall = match &zone {
                Some(z) => z.instant_to_wall(v),
                None => Some(v),
            };
            b.append_option(wall.and_then(format_wall_micros));
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
}
