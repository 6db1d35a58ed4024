//! Spark's text for values: `df.show()` cells (`ToPrettyString`) and
//! `CAST(x AS STRING)` of arrays, maps and structs, which differ only in
//! how they print NULL (`NULL` / `null`) and binary values (hex / text).

use std::sync::Arc;

use chrono::DateTime;
use datafusion::arrow::array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, DurationMicrosecondArray, Float32Array, IntervalYearMonthArray,
    Float64Array, GenericListArray, Int8Array, Int16Array, Int32Array, Int64Array, LargeBinaryArray, MapArray, StringArray,
    StringBuilder, StructArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType as ArrowType, IntervalUnit, TimeUnit};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use spark_plan::format::{java_double, java_float};

/// Where the text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextStyle {
    /// `df.show()`.
    Show,
    /// `CAST(x AS STRING)`.
    Cast,
}

/// The text of row `row` of `a`; `tz` is the session time zone.
pub fn value_text(a: &dyn Array, row: usize, tz: &str, style: TextStyle) -> String {
    let null = || match style {
        TextStyle::Show => "NULL".to_string(),
        TextStyle::Cast => "null".to_string(),
    };
    if a.is_null(row) {
        return null();
    }
    let bytes = |b: &[u8]| match style {
        TextStyle::Show => hex_bytes(b),
        TextStyle::Cast => String::from_utf8_lossy(b).into_owned(),
    };
    match a.data_type() {
        ArrowType::Boolean => a.as_any().downcast_ref::<BooleanArray>().map(|x| x.value(row).to_string()),
        ArrowType::Int8 => a.as_any().downcast_ref::<Int8Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int16 => a.as_any().downcast_ref::<Int16Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int32 => a.as_any().downcast_ref::<Int32Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int64 => a.as_any().downcast_ref::<Int64Array>().map(|x| x.value(row).to_string()),
        ArrowType::Float32 => a.as_any().downcast_ref::<Float32Array>().map(|x| java_float(x.value(row))),
        ArrowType::Float64 => a.as_any().downcast_ref::<Float64Array>().map(|x| java_double(x.value(row))),
        ArrowType::Decimal128(_, _) => a.as_any().downcast_ref::<Decimal128Array>().map(|x| x.value_as_string(row)),
        ArrowType::Utf8 => a.as_any().downcast_ref::<StringArray>().map(|x| x.value(row).to_string()),
        ArrowType::Binary => a.as_any().downcast_ref::<BinaryArray>().map(|x| bytes(x.value(row))),
        ArrowType::LargeBinary => a.as_any().downcast_ref::<LargeBinaryArray>().map(|x| bytes(x.value(row))),
        ArrowType::Date32 => a.as_any().downcast_ref::<Date32Array>().map(|x| format_date(x.value(row))),
        ArrowType::Timestamp(TimeUnit::Microsecond, zone) => a
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .map(|x| format_timestamp(x.value(row), zone.as_ref().map(|_| tz))),
        ArrowType::Duration(TimeUnit::Microsecond) => a
            .as_any()
            .downcast_ref::<DurationMicrosecondArray>()
            .map(|x| crate::interval_text::day_time_text(x.value(row), 0, 3)),
        ArrowType::Interval(IntervalUnit::YearMonth) => a
            .as_any()
            .downcast_ref::<IntervalYearMonthArray>()
            .map(|x| crate::interval_text::year_month_text(i64::from(x.value(row)), 0, 1)),
        ArrowType::List(_) => a.as_any().downcast_ref::<GenericListArray<i32>>().map(|x| {
            let v = x.value(row);
            let items: Vec<String> = (0..v.len()).map(|i| value_text(v.as_ref(), i, tz, style)).collect();
            format!("[{}]", items.join(", "))
        }),
        ArrowType::Map(_, _) => a.as_any().downcast_ref::<MapArray>().map(|m| {
            let entries = m.value(row);
            let keys = entries.column(0);
            let values = entries.column(1);
            let items: Vec<String> = (0..entries.len())
                .map(|i| format!("{} -> {}", value_text(keys.as_ref(), i, tz, style), value_text(values.as_ref(), i, tz, style)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }),
        t if crate::variant::is_variant_type(t) => crate::variant::VariantColumn::new(a)
            .ok()
            .and_then(|c| c.get(row))
            .and_then(|v| crate::variant::json::to_json(v, crate::variant::json::JsonZone::new(tz)).ok()),
        ArrowType::Struct(_) => a.as_any().downcast_ref::<StructArray>().map(|s| {
            let items: Vec<String> = s.columns().iter().map(|c| value_text(c.as_ref(), row, tz, style)).collect();
            format!("{{{}}}", items.join(", "))
        }),
        ArrowType::Null => Some(null()),
        _ => None,
    }
    .unwrap_or_else(|| datafusion::arrow::util::display::array_value_to_string(&a.slice(row, 1), 0).unwrap_or_default())
}

fn hex_bytes(b: &[u8]) -> String {
    format!("[{}]", b.iter().map(|x| format!("{x:02X}")).collect::<Vec<_>>().join(" "))
}

pub(crate) fn format_date(days: i32) -> String {
    crate::epoch_days::date_of(i64::from(days))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| days.to_string())
}

pub(crate) fn format_timestamp(us: i64, tz: Option<&str>) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000) as u32;
    let Some(utc) = DateTime::from_timestamp(secs, micros * 1000) else { return us.to_string() };
    let naive = match tz.and_then(|t| t.parse::<chrono_tz::Tz>().ok()) {
        Some(z) => utc.with_timezone(&z).naive_local(),
        None => utc.naive_utc(),
    };
    let base = naive.format("%Y-%m-%d %H:%M:%S").to_string();
    if micros == 0 { base } else { format!("{base}.{}", format!("{micros:06}").trim_end_matches('0')) }
}

/// `CAST(x AS STRING)` of an array, map or struct.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CastToString {
    signature: Signature,
    time_zone: String,
}

impl CastToString {
    pub fn udf(time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), time_zone: time_zone.to_string() }))
    }
}

impl ScalarUDFImpl for CastToString {
    fn name(&self) -> &str {
        "spark_cast_to_string"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[ArrowType]) -> Result<ArrowType> {
        Ok(ArrowType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(a) = arrays.first() else { return datafusion::common::exec_err!("spark_cast_to_string expects one argument") };
        let mut b = StringBuilder::new();
        for i in 0..a.len() {
            if a.is_null(i) {
                b.append_null();
            } else {
                b.append_value(value_text(a.as_ref(), i, &self.time_zone, TextStyle::Cast));
            }
        }
        crate::columnar(Arc::new(b.finish()) as ArrayRef, scalar)
    }
}
