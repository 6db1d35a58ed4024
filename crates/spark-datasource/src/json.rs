//! JSON with Spark's schema inference (`JsonInferSchema`): integers are
//! bigint, other numbers double, objects structs whose fields are sorted by
//! name, arrays take the widest element type, conflicting types become
//! string, and columns only ever NULL are strings. One record per line, or
//! with `multiLine` one document per file (an object or an array of them).

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema};
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::json::JsonFormat;
use serde_json::Value;

use crate::{SourceError, SourceFormat, SourceOptions, SourceResult};

pub struct Json;

/// An inferred JSON type before NULL-only parts are settled.
#[derive(Debug, Clone, PartialEq)]
enum JType {
    Null,
    Bool,
    Long,
    Double,
    Str,
    Array(Box<JType>),
    Struct(BTreeMap<String, JType>),
}

fn infer(v: &Value) -> JType {
    match v {
        Value::Null => JType::Null,
        Value::Bool(_) => JType::Bool,
        Value::Number(n) if n.is_i64() => JType::Long,
        Value::Number(n) if n.is_u64() => JType::Double,
        Value::Number(_) => JType::Double,
        Value::String(_) => JType::Str,
        Value::Array(items) => JType::Array(Box::new(items.iter().map(infer).fold(JType::Null, |a, b| merge(&a, &b)))),
        Value::Object(map) => JType::Struct(map.iter().map(|(k, v)| (k.clone(), infer(v))).collect()),
    }
}

fn merge(a: &JType, b: &JType) -> JType {
    use JType::*;
    match (a, b) {
        (Null, t) | (t, Null) => t.clone(),
        (x, y) if x == y => x.clone(),
        (Long, Double) | (Double, Long) => Double,
        (Array(x), Array(y)) => Array(Box::new(merge(x, y))),
        (Struct(x), Struct(y)) => {
            let mut out = x.clone();
            for (k, t) in y {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, t),
                    None => t.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Struct(out)
        }
        _ => Str,
    }
}

fn to_arrow(t: &JType) -> DataType {
    match t {
        JType::Null | JType::Str => DataType::Utf8,
        JType::Bool => DataType::Boolean,
        JType::Long => DataType::Int64,
        JType::Double => DataType::Float64,
        JType::Array(e) => DataType::List(Arc::new(Field::new("item", to_arrow(e), true))),
        JType::Struct(fields) => DataType::Struct(Fields::from(
            fields.iter().map(|(k, v)| Field::new(k, to_arrow(v), true)).collect::<Vec<_>>(),
        )),
    }
}

fn documents(text: &str, multi_line: bool, path: &std::path::Path) -> SourceResult<Vec<Value>> {
    if multi_line {
        let v: Value = serde_json::from_str(text).map_err(|e| SourceError::read(path, e))?;
        return Ok(match v {
            Value::Array(items) => items,
            other => vec![other],
        });
    }
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // Malformed lines are skipped for inference (Spark records them in
        // `_corrupt_record`, which this reader does not produce).
        if let Ok(v) = serde_json::from_str::<Value>(line) {
            out.push(v);
        }
    }
    Ok(out)
}

impl SourceFormat for Json {
    fn file_format(&self, options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        let multi_line = options.bool("multiLine", false)?;
        Ok(Arc::new(JsonFormat::default().with_newline_delimited(!multi_line)))
    }

    fn infer_schema(&self, files: &[std::path::PathBuf], options: &SourceOptions, _time_zone: &str) -> SourceResult<Schema> {
        let multi_line = options.bool("multiLine", false)?;
        let mut t = JType::Null;
        for f in files {
            let bytes = std::fs::read(f).map_err(|e| SourceError::read(f, e))?;
            for doc in documents(&String::from_utf8_lossy(&bytes), multi_line, f)? {
                if matches!(doc, Value::Object(_)) {
                    t = merge(&t, &infer(&doc));
                }
            }
        }
        match t {
            JType::Struct(fields) => Ok(Schema::new(fields.iter().map(|(k, v)| Field::new(k, to_arrow(v), true)).collect::<Vec<_>>())),
            _ => Err(SourceError::CannotInferSchema("JSON".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_like_spark() {
        let docs = [r#"{"b": 1, "a": [1, 2.5]}"#, r#"{"b": null, "c": {"y": true, "x": "s"}, "a": []}"#, r#"{"b": "x"}"#];
        let t = docs.iter().map(|d| infer(&serde_json::from_str::<Value>(d).unwrap_or(Value::Null))).fold(JType::Null, |a, b| merge(&a, &b));
        let fields = match t {
            JType::Struct(fields) => fields,
            other => {
                assert_eq!(format!("{other:?}"), "Struct", "objects infer as a struct");
                return;
            }
        };
        let names: Vec<&String> = fields.keys().collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(fields["a"], JType::Array(Box::new(JType::Double)));
        assert_eq!(fields["b"], JType::Str);
        assert_eq!(to_arrow(&fields["c"]).to_string().contains("x"), true);
    }
}

/// The Spark type inferred for one JSON value (`schema_of_json`).
pub fn infer_type(v: &Value) -> DataType {
    to_arrow(&infer(v))
}
