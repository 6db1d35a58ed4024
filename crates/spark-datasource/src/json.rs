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

use crate::parse_mode::{ParseMode, corrupt_column, parse_mode};
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

/// Whether `v` needs no reshaping for type `t`: the scan's decoder takes
/// no number, boolean, array or object where a string is expected.
fn fits(v: &Value, t: &DataType) -> bool {
    match (v, t) {
        (Value::Null | Value::String(_), _) => true,
        (_, DataType::Utf8) => false,
        (Value::Array(items), DataType::List(f)) => items.iter().all(|i| fits(i, f.data_type())),
        (Value::Object(map), DataType::Struct(fields)) => map.iter().all(|(k, v)| fields.find(k).is_none_or(|(_, f)| fits(v, f.data_type()))),
        _ => true,
    }
}

/// Whether Spark's JSON reader reads `v` as a value of type `t` (any value
/// is text for a string; numbers are not read from strings).
fn readable(v: &Value, t: &DataType) -> bool {
    match (v, t) {
        (Value::Null, _) | (_, DataType::Utf8) => true,
        (Value::Number(n), DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64) => {
            let bits = match t {
                DataType::Int8 => 8,
                DataType::Int16 => 16,
                DataType::Int32 => 32,
                _ => 64,
            };
            n.as_i64().is_some_and(|x| bits == 64 || (x >= -(1i64 << (bits - 1)) && x < (1i64 << (bits - 1))))
        }
        (_, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64) => false,
        (Value::Number(_), DataType::Float32 | DataType::Float64 | DataType::Decimal128(..)) => true,
        (Value::String(s), DataType::Float32 | DataType::Float64) => matches!(s.as_str(), "NaN" | "Infinity" | "+Infinity" | "-Infinity" | "+INF" | "-INF" | "INF"),
        (_, DataType::Float32 | DataType::Float64 | DataType::Decimal128(..)) => false,
        (v, DataType::Boolean) => v.is_boolean(),
        (Value::Array(items), DataType::List(f)) => items.iter().all(|i| readable(i, f.data_type())),
        (_, DataType::List(_)) => false,
        (Value::Object(map), DataType::Struct(fields)) => map.iter().all(|(k, v)| fields.find(k).is_none_or(|(_, f)| readable(v, f.data_type()))),
        (_, DataType::Struct(_)) => false,
        _ => true,
    }
}

/// The JSON text `text` as a value of type `t`, as Spark reads it: a
/// number, boolean, array or object where a string is expected is its text
/// exactly as written.
fn conform(text: &str, t: &DataType) -> Value {
    let text = text.trim();
    match t {
        DataType::Utf8 if !text.starts_with('"') && text != "null" => Value::String(text.to_string()),
        DataType::Struct(fields) if text.starts_with('{') => match raw::members(text) {
            Some(members) => Value::Object(
                members
                    .into_iter()
                    .filter_map(|(k, v)| fields.find(&k).map(|(_, f)| (k, conform(v, f.data_type()))))
                    .collect(),
            ),
            None => Value::Null,
        },
        DataType::List(f) if text.starts_with('[') => match raw::items(text) {
            Some(items) => Value::Array(items.into_iter().map(|i| conform(i, f.data_type())).collect()),
            None => Value::Null,
        },
        _ => serde_json::from_str(text).unwrap_or(Value::Null),
    }
}

/// The members and items of JSON text as the text of each value, for
/// values Spark keeps as written.
mod raw {
    /// The end (exclusive) of the value starting at `at`, skipping strings
    /// and nested brackets.
    fn value_end(b: &[u8], mut at: usize) -> Option<usize> {
        let mut depth = 0usize;
        while at < b.len() {
            match b[at] {
                b'"' => {
                    at += 1;
                    while at < b.len() && b[at] != b'"' {
                        at += if b[at] == b'\\' { 2 } else { 1 };
                    }
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return Some(at),
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => return Some(at),
                _ => {}
            }
            at += 1;
        }
        (depth == 0).then_some(at)
    }

    /// The end (exclusive) of the string starting at `at`.
    fn string_end(b: &[u8], mut at: usize) -> Option<usize> {
        if b.get(at) != Some(&b'"') {
            return None;
        }
        at += 1;
        while at < b.len() {
            match b[at] {
                b'\\' => at += 2,
                b'"' => return Some(at + 1),
                _ => at += 1,
            }
        }
        None
    }

    fn skip_space(b: &[u8], mut at: usize) -> usize {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        at
    }

    /// `{"k": v, ...}` as (key, text of v).
    pub(super) fn members(text: &str) -> Option<Vec<(String, &str)>> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut at = skip_space(b, 1);
        while at < b.len() && b[at] != b'}' {
            let key_end = string_end(b, at)?;
            let key: String = serde_json::from_str(&text[at..key_end]).ok()?;
            let colon = skip_space(b, key_end);
            if b.get(colon) != Some(&b':') {
                return None;
            }
            let end = value_end(b, colon + 1)?;
            out.push((key, text[colon + 1..end].trim()));
            at = skip_space(b, end + usize::from(b.get(end) == Some(&b',')));
        }
        Some(out)
    }

    /// `[v, ...]` as the text of each v.
    pub(super) fn items(text: &str) -> Option<Vec<&str>> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut at = skip_space(b, 1);
        while at < b.len() && b[at] != b']' {
            let end = value_end(b, at)?;
            out.push(text[at..end].trim());
            at = skip_space(b, end + usize::from(b.get(end) == Some(&b',')));
        }
        Some(out)
    }
}

impl SourceFormat for Json {
    fn file_format(&self, options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        let multi_line = options.bool("multiLine", false)?;
        Ok(Arc::new(JsonFormat::default().with_newline_delimited(!multi_line)))
    }

    fn infer_schema(&self, files: &[std::path::PathBuf], options: &SourceOptions, _time_zone: &str) -> SourceResult<Schema> {
        let multi_line = options.bool("multiLine", false)?;
        let mode = parse_mode(options, "json")?;
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
        let mode = parse_mode(options, "json")?;
        let bytes = crate::compressed::read_file(file)?;
        let text = String::from_utf8_lossy(&bytes);
        // DataFusion's scan reads clean files whose values have the
        // schema's types; anything else is read here.
        let record_type = DataType::Struct(schema.fields().clone());
        let needs_us = crate::compressed::is_compressed(file)
            || text.lines().map(str::trim).filter(|l| !l.is_empty()).any(|l| {
                !l.starts_with('{') || serde_json::from_str::<Value>(l).map_or(true, |v| !fits(&v, &record_type) || !readable(&v, &record_type))
            });
        if !needs_us {
            return Ok(None);
        }
        let corrupt_name = corrupt_column(options);
        let keeps_corrupt = schema.field_with_name(&corrupt_name).is_ok();
        let mut rows: Vec<Value> = Vec::new();
        let raw_lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        for (line, raw) in lines(&text).zip(raw_lines) {
            // A record holding a value its column's type cannot read is malformed.
            let line = match line {
                Line::Records(records) if records.iter().any(|r| !readable(r, &record_type)) => Line::Corrupt(raw.to_string()),
                other => other,
            };
            match line {
                // Each record from its own text, so values kept as strings keep their spelling.
                Line::Records(records) if raw.starts_with('[') => {
                    let texts = raw::items(raw).unwrap_or_default();
                    rows.extend(texts.into_iter().filter(|t| t.starts_with('{')).map(|t| conform(t, &record_type)).take(records.len()));
                }
                Line::Records(_) => rows.push(conform(raw, &record_type)),
                Line::Corrupt(l) => match mode {
                    ParseMode::FailFast => return Err(SourceError::FailedRead(file.display().to_string())),
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
    fn values_kept_as_strings_keep_their_text() {
        let t = DataType::Struct(Fields::from(vec![Field::new("a", DataType::Int64, true), Field::new("b", DataType::Utf8, true)]));
        let v = conform(r#"{"a": 1, "b": {"c": [1, "x,]"]}, "z": 2}"#, &t);
        assert_eq!(v, serde_json::json!({"a": 1, "b": r#"{"c": [1, "x,]"]}"#}));
        assert_eq!(conform(r#"{"b": 1.50}"#, &t), serde_json::json!({"b": "1.50"}));
        assert_eq!(conform(r#"{"b": "s\"q", "a": null}"#, &t), serde_json::json!({"b": "s\"q", "a": null}));
        assert!(readable(&serde_json::json!({"a": 1}), &t));
        assert!(!readable(&serde_json::json!({"a": "x"}), &t));
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
