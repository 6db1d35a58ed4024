//! JSON functions: `get_json_object`, `json_array_length`,
//! `json_object_keys`, `to_json` and `from_json`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use serde_json::Value;

use crate::temporal_text::TemporalText;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonFn {
    GetJsonObject,
    ArrayLength,
    ObjectKeys,
    ToJson,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkJson {
    signature: Signature,
    kind: JsonFn,
    write: JsonWriteOptions,
}

/// The options `to_json` and the JSON writer honour.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JsonWriteOptions {
    /// `ignoreNullFields` (default true): leave NULL struct fields out.
    pub ignore_null_fields: bool,
    /// `sortKeys` (default false): object keys of structs and maps in byte order.
    pub sort_keys: bool,
    pub date_format: String,
    pub timestamp_format: String,
    pub time_zone: String,
}

impl Default for JsonWriteOptions {
    fn default() -> Self {
        Self {
            ignore_null_fields: true,
            sort_keys: false,
            date_format: crate::temporal_text::DEFAULT_DATE_FORMAT.into(),
            timestamp_format: crate::temporal_text::DEFAULT_TIMESTAMP_FORMAT.into(),
            time_zone: "UTC".into(),
        }
    }
}

impl JsonWriteOptions {
    /// Reads the options from a (lower-cased) option map.
    pub fn with_options(mut self, given: &std::collections::BTreeMap<String, String>, time_zone: &str) -> Self {
        if let Some(v) = given.get("ignorenullfields") {
            self.ignore_null_fields = v.trim().eq_ignore_ascii_case("true");
        }
        if let Some(v) = given.get("sortkeys") {
            self.sort_keys = v.trim().eq_ignore_ascii_case("true");
        }
        if let Some(f) = given.get("dateformat") {
            self.date_format = f.clone();
        }
        if let Some(f) = given.get("timestampformat") {
            self.timestamp_format = f.clone();
        }
        self.time_zone = time_zone.to_string();
        self
    }
}

impl SparkJson {
    pub fn udf(kind: JsonFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), kind, write: JsonWriteOptions::default() }))
    }

    /// `to_json` with writer options.
    pub fn to_json(write: JsonWriteOptions) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), kind: JsonFn::ToJson, write }))
    }
}

/// One step of a JSON path: `.name`, `['name']`, `[n]`, `[*]`.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Wildcard,
}

fn parse_path(path: &str) -> Option<Vec<Step>> {
    let rest = path.strip_prefix('$')?;
    let chars: Vec<char> = rest.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != '.' && chars[j] != '[' {
                    j += 1;
                }
                let key: String = chars[start..j].iter().collect();
                if key.is_empty() {
                    return None;
                }
                steps.push(if key == "*" { Step::Wildcard } else { Step::Key(key) });
                i = j;
            }
            '[' => {
                let close = chars[i..].iter().position(|c| *c == ']')? + i;
                let inner: String = chars[i + 1..close].iter().collect();
                let inner = inner.trim();
                if inner == "*" {
                    steps.push(Step::Wildcard);
                } else if let Some(q) = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                    steps.push(Step::Key(q.to_string()));
                } else {
                    steps.push(Step::Index(inner.parse().ok()?));
                }
                i = close + 1;
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// The values a path selects; a wildcard collects into an array.
fn select(v: &Value, steps: &[Step]) -> Option<Value> {
    let Some((first, rest)) = steps.split_first() else { return Some(v.clone()) };
    match first {
        Step::Key(k) => select(v.as_object()?.get(k)?, rest),
        Step::Index(n) => select(v.as_array()?.get(*n)?, rest),
        Step::Wildcard => {
            let items: Vec<Value> = match v {
                Value::Array(a) => a.iter().filter_map(|x| select(x, rest)).collect(),
                _ => return None,
            };
            match items.len() {
                0 => None,
                1 => items.into_iter().next(),
                _ => Some(Value::Array(items)),
            }
        }
    }
}

fn render(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(json_text(other)),
    }
}

/// Spark writes JSON doubles as Java prints them (`1.0E10`, `1.5E-7`).
struct JavaNumbers;

impl serde_json::ser::Formatter for JavaNumbers {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f64) -> std::io::Result<()> {
        writer.write_all(spark_plan::format::java_double(value).as_bytes())
    }
}

/// The JSON text of `v`, numbers written as Spark writes them.
fn json_text(v: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, JavaNumbers);
    match v.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The compiled writer options of one `to_json` call.
struct Writer {
    ignore_null_fields: bool,
    sort_keys: bool,
    temporal: TemporalText,
    zone: String,
}

/// A JSON object, its keys in byte order with `sortKeys`.
fn object(mut m: serde_json::Map<String, Value>, w: &Writer) -> Value {
    if w.sort_keys {
        m.sort_keys();
    }
    Value::Object(m)
}

/// An Arrow value as JSON, as Spark's `to_json` writes it (NULL struct
/// fields left out, maps as objects with their keys as text).
fn to_value(a: &dyn Array, i: usize, w: &Writer) -> Result<Value> {
    if a.data_type() == &DataType::Null || a.is_null(i) {
        return Ok(Value::Null);
    }
    if let Some(text) = w.temporal.text(a, i)? {
        return Ok(Value::String(text));
    }
    let scalar = ScalarValue::try_from_array(a, i)?;
    Ok(match a.data_type() {
        t if crate::variant::is_variant_type(t) => {
            let column = crate::variant::VariantColumn::new(a)?;
            match column.get(i) {
                Some(v) => {
                    let text = crate::variant::json::to_json(v, crate::variant::json::JsonZone::new(&w.zone)).map_err(crate::error::SparkRuntimeError::into_df)?;
                    serde_json::from_str(&text).unwrap_or(Value::Null)
                }
                None => Value::Null,
            }
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let mut m = serde_json::Map::new();
            for (f, c) in fields.iter().zip(s.columns()) {
                let v = to_value(c.as_ref(), i, w)?;
                if !v.is_null() || !w.ignore_null_fields {
                    m.insert(f.name().clone(), v);
                }
            }
            object(m, w)
        }
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            let items = l.value(i);
            Value::Array((0..items.len()).map(|j| to_value(items.as_ref(), j, w)).collect::<Result<_>>()?)
        }
        DataType::Map(..) => {
            let m = a.as_map();
            let entries = m.value(i);
            let mut out = serde_json::Map::new();
            for j in 0..entries.len() {
                let k = to_value(entries.column(0).as_ref(), j, w)?;
                let key = match k {
                    Value::String(s) => s,
                    Value::Object(o) => format!("[{}]", o.values().map(|v| render(v).unwrap_or_else(|| "null".into())).collect::<Vec<_>>().join(", ")),
                    other => other.to_string(),
                };
                out.insert(key, to_value(entries.column(1).as_ref(), j, w)?);
            }
            object(out, w)
        }
        DataType::Boolean => Value::Bool(matches!(scalar, ScalarValue::Boolean(Some(true)))),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => match scalar.cast_to(&DataType::Int64)? {
            ScalarValue::Int64(Some(v)) => Value::from(v),
            _ => Value::Null,
        },
        DataType::Float32 | DataType::Float64 => match scalar.cast_to(&DataType::Float64)? {
            // Non-finite values are strings, as Java prints them.
            ScalarValue::Float64(Some(v)) => serde_json::Number::from_f64(v).map(Value::Number).unwrap_or_else(|| Value::String(spark_plan::format::java_double(v))),
            _ => Value::Null,
        },
        DataType::Decimal128(..) => serde_json::from_str::<Value>(&scalar.to_string()).unwrap_or(Value::String(scalar.to_string())),
        _ => Value::String(scalar.cast_to(&DataType::Utf8).map(|s| s.to_string()).unwrap_or_default()),
    })
}

impl ScalarUDFImpl for SparkJson {
    fn name(&self) -> &str {
        match self.kind {
            JsonFn::GetJsonObject => "spark_get_json_object",
            JsonFn::ArrayLength => "spark_json_array_length",
            JsonFn::ObjectKeys => "spark_json_object_keys",
            JsonFn::ToJson => "spark_to_json",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            JsonFn::GetJsonObject | JsonFn::ToJson => DataType::Utf8,
            JsonFn::ArrayLength => DataType::Int32,
            JsonFn::ObjectKeys => DataType::List(Arc::new(Field::new("element", DataType::Utf8, true))),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(n)).collect::<Result<Vec<_>>>()?;
        let out: ArrayRef = match self.kind {
            JsonFn::ToJson => {
                let writer = Writer {
                    ignore_null_fields: self.write.ignore_null_fields,
                    sort_keys: self.write.sort_keys,
                    temporal: TemporalText::new(&self.write.time_zone, &self.write.timestamp_format, &self.write.date_format)?,
                    zone: self.write.time_zone.clone(),
                };
                let mut b = StringBuilder::new();
                for i in 0..n {
                    match to_value(arrays[0].as_ref(), i, &writer)? {
                        Value::Null => b.append_null(),
                        v => b.append_value(json_text(&v)),
                    }
                }
                Arc::new(b.finish())
            }
            _ => {
                let texts = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
                let texts = texts.as_string::<i32>();
                let paths = match arrays.get(1) {
                    Some(p) => Some(datafusion::arrow::compute::cast(p, &DataType::Utf8)?),
                    None => None,
                };
                let mut strings = StringBuilder::new();
                let mut ints: Vec<Option<i32>> = Vec::with_capacity(n);
                let mut lists = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new("element", DataType::Utf8, true)));
                for i in 0..n {
                    let doc = (!texts.is_null(i)).then(|| serde_json::from_str::<Value>(texts.value(i)).ok()).flatten();
                    match self.kind {
                        JsonFn::GetJsonObject => {
                            let path = paths.as_ref().map(|p| p.as_string::<i32>()).filter(|p| !p.is_null(i)).map(|p| p.value(i));
                            let found = doc.zip(path.and_then(parse_path)).and_then(|(d, steps)| select(&d, &steps)).and_then(|v| render(&v));
                            match found {
                                Some(s) => strings.append_value(s),
                                None => strings.append_null(),
                            }
                        }
                        JsonFn::ArrayLength => ints.push(doc.and_then(|d| d.as_array().map(|a| a.len() as i32))),
                        _ => match doc.as_ref().and_then(|d| d.as_object()) {
                            Some(o) => {
                                for k in o.keys() {
                                    lists.values().append_value(k);
                                }
                                lists.append(true);
                            }
                            None => lists.append_null(),
                        },
                    }
                }
                match self.kind {
                    JsonFn::GetJsonObject => Arc::new(strings.finish()),
                    JsonFn::ArrayLength => Arc::new(Int32Array::from(ints)),
                    _ => Arc::new(lists.finish()),
                }
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// `from_json(text, schema)`: each document decoded into the struct type;
/// text that does not parse gives NULL.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_select_like_spark() {
        let Ok(doc) = serde_json::from_str::<Value>(r#"[{"a":"b"},{"a":"c"}]"#) else { return };
        let Some(steps) = parse_path("$[0].a") else { return };
        assert_eq!(select(&doc, &steps).and_then(|v| render(&v)).as_deref(), Some("b"));
        let Some(steps) = parse_path("$[*].a") else { return };
        assert_eq!(select(&doc, &steps).and_then(|v| render(&v)).as_deref(), Some(r#"["b","c"]"#));
        assert!(parse_path("a.b").is_none());
    }
}
