//! JSON with Spark's schema inference (`JsonInferSchema`): integers are
//! bigint, other numbers double, objects structs whose fields are sorted by
//! name, arrays take the widest element type, conflicting types become
//! string, and columns only ever NULL are strings. One record per line (a
//! line holding an array of objects is one record each; with the default
//! PERMISSIVE mode a malformed line is a row of NULLs with the line in
//! `_corrupt_record`), or with `multiLine` one document per file (an object
//! or an array of them).

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};
use datafusion::arrow::json::ReaderBuilder;
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

/// One line of a JSON Lines file, as Spark reads it: an object is a
/// record, an array of objects is several, anything else is malformed.
enum Line {
    Records(Vec<Value>),
    Corrupt(String),
}

fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|line| match serde_json::from_str::<Value>(line) {
        Ok(v @ Value::Object(_)) => Line::Records(vec![v]),
        Ok(Value::Array(items)) => Line::Records(items.into_iter().filter(Value::is_object).collect()),
        _ => Line::Corrupt(line.to_string()),
    })
}

/// Spark's handling of malformed records (`mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParseMode {
    /// Keep the row: fields NULL, the line in the corrupt-record column.
    Permissive,
    DropMalformed,
    FailFast,
}

fn parse_mode(options: &SourceOptions) -> SourceResult<ParseMode> {
    match options.get("mode").map(str::to_ascii_uppercase).as_deref() {
        None | Some("PERMISSIVE") => Ok(ParseMode::Permissive),
        Some("DROPMALFORMED") => Ok(ParseMode::DropMalformed),
        Some("FAILFAST") => Ok(ParseMode::FailFast),
        Some(other) => Err(SourceError::InvalidOption(format!("[PARSE_MODE_UNSUPPORTED] The function `json` doesn't support the {other} mode. Acceptable modes are PERMISSIVE and FAILFAST."))),
    }
}

fn corrupt_column(options: &SourceOptions) -> String {
    options.get("columnNameOfCorruptRecord").unwrap_or("_corrupt_record").to_string()
}

fn malformed(_path: &std::path::Path, line: &str) -> SourceError {
    SourceError::Malformed(line.to_string())
}

/// The records of a file for schema inference, and whether any line was malformed.
fn documents(text: &str, multi_line: bool, path: &std::path::Path, mode: ParseMode) -> SourceResult<(Vec<Value>, bool)> {
    if multi_line {
        let v: Value = serde_json::from_str(text).map_err(|e| SourceError::read(path, e))?;
        return Ok((
            match v {
                Value::Array(items) => items,
                other => vec![other],
            },
            false,
        ));
    }
    let mut out = Vec::new();
    let mut corrupt = false;
    for line in lines(text) {
        match line {
            Line::Records(records) => out.extend(records),
            Line::Corrupt(l) if mode == ParseMode::FailFast => return Err(malformed(path, &l)),
            Line::Corrupt(_) => corrupt = true,
        }
    }
    Ok((out, corrupt))
}

impl SourceFormat for Json {
    fn file_format(&self, options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        let multi_line = options.bool("multiLine", false)?;
        Ok(Arc::new(JsonFormat::default().with_newline_delimited(!multi_line)))
    }

    fn infer_schema(&self, files: &[std::path::PathBuf], options: &SourceOptions, _time_zone: &str) -> SourceResult<Schema> {
        let multi_line = options.bool("multiLine", false)?;
        let mode = parse_mode(options)?;
        let mut t = JType::Null;
        let mut any_corrupt = false;
        for f in files {
            let bytes = crate::compressed::read_file(f)?;
            let (docs, corrupt) = documents(&String::from_utf8_lossy(&bytes), multi_line, f, mode)?;
            any_corrupt |= corrupt;
            for doc in docs {
                if matches!(doc, Value::Object(_)) {
                    t = merge(&t, &infer(&doc));
                }
            }
        }
        // PERMISSIVE keeps malformed lines in a string column.
        if any_corrupt && mode == ParseMode::Permissive {
            t = merge(&t, &JType::Struct(BTreeMap::from([(corrupt_column(options), JType::Str)])));
        }
        match t {
            JType::Struct(fields) => Ok(Schema::new(fields.iter().map(|(k, v)| Field::new(k, to_arrow(v), true)).collect::<Vec<_>>())),
            _ => Err(SourceError::CannotInferSchema("JSON".into())),
        }
    }

    /// A JSON Lines file with array lines or malformed lines, which
    /// DataFusion's reader rejects, read here; clean files are scanned.
    fn read_in_memory(&self, file: &std::path::Path, schema: &SchemaRef, options: &SourceOptions) -> SourceResult<Option<RecordBatch>> {
        if options.bool("multiLine", false)? {
            return Ok(None);
        }
        let mode = parse_mode(options)?;
        let bytes = crate::compressed::read_file(file)?;
        let text = String::from_utf8_lossy(&bytes);
        // Validating without building values keeps the common, clean case cheap.
        let needs_us = crate::compressed::is_compressed(file)
            || text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .any(|l| !l.starts_with('{') || serde_json::from_str::<serde::de::IgnoredAny>(l).is_err());
        if !needs_us {
            return Ok(None);
        }
        let corrupt_name = corrupt_column(options);
        let keeps_corrupt = schema.field_with_name(&corrupt_name).is_ok();
        let mut rows: Vec<Value> = Vec::new();
        for line in lines(&text) {
            match line {
                Line::Records(records) => rows.extend(records),
                Line::Corrupt(l) => match mode {
                    ParseMode::FailFast => return Err(malformed(file, &l)),
                    ParseMode::DropMalformed => {}
                    ParseMode::Permissive if keeps_corrupt => rows.push(Value::Object(serde_json::Map::from_iter([(corrupt_name.clone(), Value::String(l))]))),
                    ParseMode::Permissive => rows.push(Value::Object(serde_json::Map::new())),
                },
            }
        }
        let mut decoder = ReaderBuilder::new(schema.clone()).build_decoder().map_err(|e| SourceError::read(file, e))?;
        decoder.serialize(&rows).map_err(|e| SourceError::read(file, e))?;
        let batch = decoder.flush().map_err(|e| SourceError::read(file, e))?;
        Ok(Some(batch.unwrap_or_else(|| RecordBatch::new_empty(schema.clone()))))
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

    #[test]
    fn json_lines_expand_arrays_and_flag_malformed_lines() {
        let text = "{\"a\": 1}\n[{\"a\": 2}, {\"a\": 3}]\n[]\n{\"a\": 4\n";
        let path = std::path::Path::new("t.json");
        let (docs, corrupt) = match documents(text, false, path, ParseMode::Permissive) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(docs.len(), 3);
        assert!(corrupt);
        assert!(matches!(documents(text, false, path, ParseMode::FailFast), Err(SourceError::Malformed(l)) if l == "{\"a\": 4"));
    }
}

/// The Spark type inferred for one JSON value (`schema_of_json`).
pub fn infer_type(v: &Value) -> DataType {
    to_arrow(&infer(v))
}
