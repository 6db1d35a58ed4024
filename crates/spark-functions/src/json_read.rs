//! `from_json(text, schema[, options])`: JSON text read into a struct, an
//! array or a map as Spark's Jackson parser reads it. Values convert only
//! from their own JSON kinds (a string is no number, a float no integer,
//! numbers out of range fail), any value reads as a STRING (non-strings as
//! their JSON text), dates and timestamps by `dateFormat` /
//! `timestampFormat`. A field that fails is NULL while the other fields
//! keep their values; an array or map with a failing element is NULL; text
//! that is not JSON gives a struct of NULLs (NULL for arrays and maps).
//! With `mode` FAILFAST any failure is Spark's MALFORMED_RECORD_IN_PARSING.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Int64Array, ListArray,
    MapArray, StringArray, StructArray, TimestampMicrosecondArray, new_null_array,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use serde_json::Value;

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::temporal_parse::TemporalParser;

/// The options `from_json` honours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonReadOptions {
    /// FAILFAST (else PERMISSIVE).
    pub fail_fast: bool,
    pub timestamp_format: Option<String>,
    pub timestamp_ntz_format: Option<String>,
    pub date_format: Option<String>,
    /// A STRING field of this name (`columnNameOfCorruptRecord`) holds the
    /// text of a record that failed, in PERMISSIVE mode.
    pub corrupt_record_column: String,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkFromJson {
    signature: Signature,
    out: DataType,
    options: JsonReadOptions,
    time_zone: String,
}

impl SparkFromJson {
    pub fn udf(out: DataType, options: JsonReadOptions, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), out, options, time_zone: time_zone.to_string() }))
    }
}

/// The date and timestamp parsers of one call (TIMESTAMP and TIMESTAMP_NTZ).
struct Reader {
    zoned: TemporalParser,
    ntz: TemporalParser,
}

/// A converted column and, per row, whether its value failed to convert.
type Converted = (ArrayRef, Vec<bool>);

fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" | "+Infinity" | "INF" | "+INF" => Some(f64::INFINITY),
            "-Infinity" | "-INF" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

impl Reader {
    /// Converts each row's value (None or JSON null: NULL) to type `t`.
    fn column<'v>(&self, values: &[Option<&'v Value>], t: &DataType) -> Result<Converted> {
        let mut bad = vec![false; values.len()];
        fn present<'v>(v: &Option<&'v Value>) -> Option<&'v Value> {
            v.filter(|v| !v.is_null())
        }
        macro_rules! primitive {
            ($array:ty, $convert:expr) => {{
                let convert = $convert;
                let out: $array = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let v = present(v)?;
                        let got = convert(v);
                        if got.is_none() {
                            bad[i] = true;
                        }
                        got
                    })
                    .collect();
                Arc::new(out) as ArrayRef
            }};
        }
        let integer = |v: &Value| v.as_i64();
        let array: ArrayRef = match t {
            DataType::Boolean => primitive!(BooleanArray, |v: &Value| v.as_bool()),
            DataType::Int8 => primitive!(Int8Array, |v: &Value| integer(v).and_then(|i| i8::try_from(i).ok())),
            DataType::Int16 => primitive!(Int16Array, |v: &Value| integer(v).and_then(|i| i16::try_from(i).ok())),
            DataType::Int32 => primitive!(Int32Array, |v: &Value| integer(v).and_then(|i| i32::try_from(i).ok())),
            DataType::Int64 => primitive!(Int64Array, integer),
            DataType::Float32 => primitive!(Float32Array, |v: &Value| float_of(v).map(|f| f as f32)),
            DataType::Float64 => primitive!(Float64Array, float_of),
            DataType::Decimal128(p, s) => {
                let (p, s) = (*p, *s);
                let out = primitive!(Decimal128Array, |v: &Value| number_text(v).and_then(|text| crate::decimal::parse_text(&text, p, s)));
                Arc::new(out.as_any().downcast_ref::<Decimal128Array>().cloned().unwrap_or_else(|| Decimal128Array::from(vec![None::<i128>; values.len()])).with_precision_and_scale(p, s)?)
            }
            DataType::Utf8 => primitive!(StringArray, |v: &Value| Some(match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })),
            DataType::Date32 => primitive!(Date32Array, |v: &Value| v.as_str().and_then(|s| self.zoned.date_days(s))),
            DataType::Timestamp(TimeUnit::Microsecond, zone) => {
                let parser = if zone.is_some() { &self.zoned } else { &self.ntz };
                let out = primitive!(TimestampMicrosecondArray, |v: &Value| v.as_str().and_then(|s| parser.timestamp_micros(s, zone.is_some())));
                Arc::new(TimestampMicrosecondArray::from(out.to_data()).with_timezone_opt(zone.clone()))
            }
            DataType::Struct(fields) => {
                let mut valid = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    match present(v) {
                        Some(Value::Object(_)) => valid.push(true),
                        Some(_) => {
                            bad[i] = true;
                            valid.push(false);
                        }
                        None => valid.push(false),
                    }
                }
                let mut children = Vec::with_capacity(fields.len());
                for f in fields {
                    let child: Vec<Option<&Value>> = values
                        .iter()
                        .map(|v| match present(v) {
                            Some(Value::Object(o)) => o.get(f.name()),
                            _ => None,
                        })
                        .collect();
                    let (array, child_bad) = self.column(&child, f.data_type())?;
                    for (b, c) in bad.iter_mut().zip(child_bad) {
                        *b |= c;
                    }
                    children.push(array);
                }
                Arc::new(StructArray::try_new(fields.clone(), children, Some(NullBuffer::from(valid)))?)
            }
            DataType::List(item) => {
                let wraps_objects = matches!(item.data_type(), DataType::Struct(_));
                let mut elements: Vec<Option<&Value>> = Vec::new();
                let mut lengths = Vec::with_capacity(values.len());
                let mut owners = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    let before = elements.len();
                    match present(v) {
                        Some(Value::Array(items)) => elements.extend(items.iter().map(Some)),
                        Some(object @ Value::Object(_)) if wraps_objects => elements.push(Some(object)),
                        Some(_) => bad[i] = true,
                        None => {}
                    }
                    owners.extend(std::iter::repeat_n(i, elements.len() - before));
                    lengths.push(elements.len() - before);
                }
                let (items, item_bad) = self.column(&elements, item.data_type())?;
                for (owner, b) in owners.iter().zip(item_bad) {
                    bad[*owner] |= b;
                }
                let valid: Vec<bool> = values.iter().enumerate().map(|(i, v)| present(v).is_some() && !bad[i]).collect();
                Arc::new(ListArray::try_new(item.clone(), OffsetBuffer::from_lengths(lengths), items, Some(NullBuffer::from(valid)))?)
            }
            DataType::Map(entries, sorted) => {
                let DataType::Struct(kv) = entries.data_type() else { return exec_err!("malformed map type") };
                let mut keys: Vec<Value> = Vec::new();
                let mut vals: Vec<Option<&Value>> = Vec::new();
                let mut lengths = Vec::with_capacity(values.len());
                let mut owners = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    match present(v) {
                        Some(Value::Object(o)) => {
                            keys.extend(o.keys().map(|k| Value::String(k.clone())));
                            vals.extend(o.values().map(Some));
                            owners.extend(std::iter::repeat_n(i, o.len()));
                            lengths.push(o.len());
                        }
                        Some(_) => {
                            bad[i] = true;
                            lengths.push(0);
                        }
                        None => lengths.push(0),
                    }
                }
                let key_refs: Vec<Option<&Value>> = keys.iter().map(Some).collect();
                let (key_array, key_bad) = self.column(&key_refs, kv[0].data_type())?;
                let (value_array, value_bad) = self.column(&vals, kv[1].data_type())?;
                for ((owner, kb), vb) in owners.iter().zip(key_bad).zip(value_bad) {
                    bad[*owner] |= kb || vb;
                }
                let valid: Vec<bool> = values.iter().enumerate().map(|(i, v)| present(v).is_some() && !bad[i]).collect();
                let kv_array = StructArray::try_new(kv.clone(), vec![key_array, value_array], None)?;
                Arc::new(MapArray::try_new(entries.clone(), OffsetBuffer::from_lengths(lengths), kv_array, Some(NullBuffer::from(valid)), *sorted)?)
            }
            other => return exec_err!("from_json cannot read {other}"),
        };
        Ok((array, bad))
    }
}

/// The first JSON document of the text (Spark reads one and ignores the rest).
fn first_document(text: &str) -> Option<Value> {
    serde_json::Deserializer::from_str(text).into_iter::<Value>().next()?.ok()
}

fn malformed() -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Spark,
        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
        "22023",
        "Malformed records are detected in record parsing: [null].\nParse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
    )
    .param("badRecord", "[null]")
    .param("failFastMode", "FAILFAST")
}

impl ScalarUDFImpl for SparkFromJson {
    fn name(&self) -> &str {
        "spark_from_json"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.out.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let texts = datafusion::arrow::compute::cast(&args.args[0].to_array(n)?, &DataType::Utf8)?;
        let texts = texts.as_any().downcast_ref::<StringArray>().cloned().unwrap_or_else(|| StringArray::from(vec![None::<&str>; n]));
        let reader = Reader {
            zoned: TemporalParser::new(self.options.timestamp_format.as_deref(), self.options.date_format.as_deref(), &self.time_zone)?,
            ntz: TemporalParser::new(self.options.timestamp_ntz_format.as_deref(), self.options.date_format.as_deref(), &self.time_zone)?,
        };
        // Text that is not JSON (or not an object, for a struct) reads as an
        // empty object: a struct of NULLs, and a failure.
        let is_struct = matches!(self.out, DataType::Struct(_));
        let empty = Value::Object(serde_json::Map::new());
        let mut documents: Vec<Option<Value>> = Vec::with_capacity(n);
        let mut unparsed = vec![false; n];
        for (i, text) in texts.iter().enumerate() {
            documents.push(match text.map(str::trim) {
                None | Some("") => None,
                Some(t) => match first_document(t) {
                    Some(Value::Object(o)) => Some(Value::Object(o)),
                    Some(other) if !is_struct => Some(other),
                    _ => {
                        unparsed[i] = true;
                        if is_struct { Some(empty.clone()) } else { None }
                    }
                },
            });
        }
        let values: Vec<Option<&Value>> = documents.iter().map(Option::as_ref).collect();
        let (array, bad) = reader.column(&values, &self.out)?;
        if self.options.fail_fast && bad.iter().zip(&unparsed).any(|(b, u)| *b || *u) {
            return Err(malformed().into_df());
        }
        if array.len() != n {
            return Ok(ColumnarValue::Array(new_null_array(&self.out, n)));
        }
        let failed: Vec<bool> = bad.iter().zip(&unparsed).map(|(b, u)| *b || *u).collect();
        Ok(ColumnarValue::Array(self.with_corrupt_records(array, &texts, &failed)?))
    }
}

impl SparkFromJson {
    /// The struct with its corrupt-record field (if it has one) set to the
    /// text of each failed record.
    fn with_corrupt_records(&self, array: ArrayRef, texts: &StringArray, failed: &[bool]) -> Result<ArrayRef> {
        let DataType::Struct(fields) = &self.out else { return Ok(array) };
        let Some(at) = fields.iter().position(|f| f.name() == &self.options.corrupt_record_column && f.data_type() == &DataType::Utf8) else {
            return Ok(array);
        };
        let Some(s) = array.as_any().downcast_ref::<StructArray>() else { return Ok(array) };
        let mut columns = s.columns().to_vec();
        let corrupt: StringArray = (0..texts.len()).map(|i| (failed[i] && texts.is_valid(i)).then(|| texts.value(i))).collect();
        columns[at] = Arc::new(corrupt);
        Ok(Arc::new(StructArray::try_new(fields.clone(), columns, s.nulls().cloned())?))
    }
}

