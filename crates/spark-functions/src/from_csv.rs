//! `from_csv(text, schema[, options])`: one CSV line parsed into a struct
//! as Spark's CSV reader parses it in its default PERMISSIVE mode: fields
//! by position (missing ones NULL, extra ones ignored), an empty value or
//! `nullValue` is NULL, and a value that does not parse as its field's type
//! is NULL while the other fields keep their values.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray, StructArray, TimestampMicrosecondArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Fields, TimeUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::temporal_parse::TemporalParser;

/// The reader options `from_csv` honours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CsvReadOptions {
    pub sep: char,
    pub quote: char,
    pub escape: char,
    pub null_value: String,
    pub timestamp_format: Option<String>,
    pub date_format: Option<String>,
}

impl Default for CsvReadOptions {
    fn default() -> Self {
        Self { sep: ',', quote: '"', escape: '\\', null_value: String::new(), timestamp_format: None, date_format: None }
    }
}

/// Whether `from_csv` can read a field of type `t`.
pub fn readable(t: &DataType) -> bool {
    t.is_integer() || t.is_floating() || matches!(t, DataType::Utf8 | DataType::Boolean | DataType::Decimal128(..) | DataType::Date32 | DataType::Timestamp(TimeUnit::Microsecond, _))
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkFromCsv {
    signature: Signature,
    fields: Fields,
    options: CsvReadOptions,
    time_zone: String,
}

impl SparkFromCsv {
    pub fn udf(fields: Fields, options: CsvReadOptions, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), fields, options, time_zone: time_zone.to_string() }))
    }
}

/// The values of one CSV line, quotes removed.
fn split(line: &str, o: &CsvReadOptions) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_start = true;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == o.escape && chars.peek().is_some_and(|n| *n == o.quote || *n == o.escape) {
                field.extend(chars.next());
            } else if c == o.quote {
                if chars.peek() == Some(&o.quote) {
                    field.push(c);
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == o.quote && at_start {
            quoted = true;
            at_start = false;
        } else if c == o.sep {
            out.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            field.push(c);
            at_start = false;
        }
    }
    out.push(field);
    out
}

impl SparkFromCsv {
    fn timestamps(&self, texts: &[Option<String>], zone: &Option<Arc<str>>) -> Result<ArrayRef> {
        let parser = TemporalParser::new(self.options.timestamp_format.as_deref(), None, &self.time_zone)?;
        let values: Vec<Option<i64>> = texts.iter().map(|t| parser.timestamp_micros(t.as_deref()?, zone.is_some())).collect();
        Ok(Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(zone.clone())))
    }

    fn column(&self, texts: &[Option<String>], t: &DataType) -> Result<ArrayRef> {
        let safe = CastOptions { safe: true, ..Default::default() };
        Ok(match t {
            DataType::Utf8 => Arc::new(StringArray::from(texts.to_vec())),
            DataType::Boolean => Arc::new(
                texts
                    .iter()
                    .map(|v| match v.as_deref().map(str::trim) {
                        Some(s) if s.eq_ignore_ascii_case("true") => Some(true),
                        Some(s) if s.eq_ignore_ascii_case("false") => Some(false),
                        _ => None,
                    })
                    .collect::<BooleanArray>(),
            ),
            DataType::Float32 | DataType::Float64 => {
                let cleaned: StringArray = texts
                    .iter()
                    .map(|v| {
                        v.as_deref().map(str::trim).map(|s| match s {
                            "Inf" | "+Inf" | "Infinity" | "+Infinity" => "inf".to_string(),
                            "-Inf" | "-Infinity" => "-inf".to_string(),
                            other => other.to_string(),
                        })
                    })
                    .collect();
                cast_with_options(&cleaned, t, &safe)?
            }
            DataType::Date32 => match &self.options.date_format {
                Some(p) => {
                    let parser = TemporalParser::new(None, Some(p), &self.time_zone)?;
                    let days: Vec<Option<i32>> = texts.iter().map(|v| parser.date_days(v.as_deref()?)).collect();
                    Arc::new(datafusion::arrow::array::Date32Array::from(days))
                }
                None => cast_with_options(&StringArray::from(texts.iter().map(|v| v.as_deref().map(str::trim)).collect::<Vec<_>>()), t, &safe)?,
            },
            DataType::Timestamp(TimeUnit::Microsecond, zone) => self.timestamps(texts, zone)?,
            // Java's integer parsing takes no surrounding whitespace.
            _ if t.is_integer() => {
                let strict: StringArray = texts.iter().map(|v| v.as_deref().filter(|s| s.trim() == *s)).collect();
                cast_with_options(&strict, t, &safe)?
            }
            _ if readable(t) => cast_with_options(&StringArray::from(texts.to_vec()), t, &safe)?,
            other => return exec_err!("from_csv cannot read {other}"),
        })
    }
}

impl ScalarUDFImpl for SparkFromCsv {
    fn name(&self) -> &str {
        "from_csv"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(self.fields.clone()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(lines) = arrays[0].as_string_opt::<i32>() else {
            return exec_err!("from_csv takes a string, not {}", arrays[0].data_type());
        };
        let mut columns: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(lines.len()); self.fields.len()];
        for row in 0..lines.len() {
            let values = if lines.is_null(row) { vec![] } else { split(lines.value(row), &self.options) };
            for (i, column) in columns.iter_mut().enumerate() {
                let v = values.get(i).filter(|v| !v.is_empty() && **v != self.options.null_value).cloned();
                column.push(v);
            }
        }
        let arrays = self.fields.iter().zip(&columns).map(|(f, texts)| self.column(texts, f.data_type())).collect::<Result<Vec<_>>>()?;
        let nulls = NullBuffer::from((0..lines.len()).map(|row| lines.is_valid(row)).collect::<Vec<_>>());
        let out = StructArray::try_new(self.fields.clone(), arrays, Some(nulls))?;
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_quoted_values() {
        let o = CsvReadOptions::default();
        assert_eq!(split("1, 0.8", &o), vec!["1", " 0.8"]);
        assert_eq!(split("\"q,1\",2", &o), vec!["q,1", "2"]);
        assert_eq!(split("\"a\\\"b\",", &o), vec!["a\"b", ""]);
        assert_eq!(split("", &o), vec![""]);
    }
}
