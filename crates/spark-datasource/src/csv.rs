//! CSV with Spark's reader options (`header`, `sep`, `quote`, `escape`,
//! `comment`, `nullValue`, `multiLine`, `inferSchema`) and Spark's schema
//! inference (`CSVInferSchema`): every value of a column is tried as int,
//! bigint, double, date, timestamp and boolean in that order, types widen
//! across rows, and anything else is a string. Without `inferSchema` every
//! column is a string; without `header` columns are `_c0`, `_c1`, ...

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::csv::CsvFormat;

use crate::parse_mode::{ParseMode, corrupt_column, parse_mode};
use crate::{SourceError, SourceFormat, SourceOptions, SourceResult};

pub struct Csv;

struct Dialect {
    sep: u8,
    quote: u8,
    escape: Option<u8>,
    comment: Option<u8>,
    header: bool,
    multi_line: bool,
    null_value: String,
}

fn dialect(options: &SourceOptions) -> SourceResult<Dialect> {
    let sep = options.char("sep")?.or(options.char("delimiter")?).unwrap_or(b',');
    Ok(Dialect {
        sep,
        quote: options.char("quote")?.unwrap_or(b'"'),
        escape: Some(options.char("escape")?.unwrap_or(b'\\')),
        comment: options.char("comment")?.filter(|c| *c != 0),
        header: options.bool("header", false)?,
        multi_line: options.bool("multiLine", false)?,
        null_value: options.get("nullValue").unwrap_or("").to_string(),
    })
}

/// Splits CSV text into records of fields, honouring quotes and the escape
/// character (quoted fields may span lines).
fn records(text: &str, d: &Dialect) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = Vec::<u8>::new();
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut line_start = true;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && !in_quotes && d.comment == Some(b) {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            i += 1;
            continue;
        }
        line_start = false;
        if in_quotes {
            if Some(b) == d.escape && i + 1 < bytes.len() && (bytes[i + 1] == d.quote || Some(bytes[i + 1]) == d.escape) {
                field.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if b == d.quote {
                if i + 1 < bytes.len() && bytes[i + 1] == d.quote {
                    field.push(b);
                    i += 2;
                    continue;
                }
                in_quotes = false;
            } else {
                field.push(b);
            }
            i += 1;
            continue;
        }
        match b {
            _ if b == d.quote && at_field_start => {
                in_quotes = true;
                at_field_start = false;
            }
            _ if b == d.sep => {
                record.push(String::from_utf8_lossy(&std::mem::take(&mut field)).into_owned());
                at_field_start = true;
            }
            b'\r' => {}
            b'\n' => {
                record.push(String::from_utf8_lossy(&std::mem::take(&mut field)).into_owned());
                if !(record.len() == 1 && record[0].is_empty()) {
                    out.push(std::mem::take(&mut record));
                } else {
                    record.clear();
                }
                at_field_start = true;
                line_start = true;
            }
            _ => {
                field.push(b);
                at_field_start = false;
            }
        }
        i += 1;
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(String::from_utf8_lossy(&field).into_owned());
        out.push(record);
    }
    out
}

/// The types Spark infers for the values of one CSV line
/// (`schema_of_csv`): an empty line is one STRING column.
pub fn infer_line(line: &str, options: &SourceOptions) -> SourceResult<Vec<DataType>> {
    let d = dialect(options)?;
    let values = records(line, &d).into_iter().next().unwrap_or_else(|| vec![String::new()]);
    Ok(values
        .iter()
        .map(|v| match infer_value(v, &DataType::Null, &d.null_value) {
            DataType::Null => DataType::Utf8,
            t => t,
        })
        .collect())
}

/// The type one value suggests, given the type inferred so far
/// (`CSVInferSchema.inferField`).
fn infer_value(v: &str, so_far: &DataType, null_value: &str) -> DataType {
    if v.is_empty() || v == null_value {
        return so_far.clone();
    }
    let t = value_type(v);
    widen(so_far, &t)
}

fn value_type(v: &str) -> DataType {
    if v.parse::<i32>().is_ok() {
        DataType::Int32
    } else if v.parse::<i64>().is_ok() {
        DataType::Int64
    } else if is_double(v) {
        DataType::Float64
    } else if is_date(v) {
        DataType::Date32
    } else if is_timestamp(v) {
        DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        DataType::Boolean
    } else {
        DataType::Utf8
    }
}

/// Java's `Double.parseDouble` as Spark's inference uses it (`NaN`,
/// `Infinity`, a trailing `d`/`f`).
fn is_double(v: &str) -> bool {
    let t = v.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    if matches!(t, "NaN" | "Infinity" | "+Infinity" | "-Infinity") {
        return true;
    }
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')) && t.parse::<f64>().is_ok()
}

/// `yyyy-MM-dd`, a date that exists (`2024-02-30` is text).
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && v.char_indices().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && date_exists(&v[..4], &v[5..7], &v[8..])
}

fn date_exists(year: &str, month: &str, day: &str) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (year.parse::<u32>(), month.parse::<u32>(), day.parse::<u32>()) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// `yyyy-MM-dd[ |T]HH:mm[:ss[.fraction]][zone]`.
fn is_timestamp(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 16 || !is_date(&v[..10]) || !(b[10] == b' ' || b[10] == b'T') {
        return false;
    }
    let rest = &v[11..];
    let digits = |s: &str| s.len() == 2 && s.chars().all(|c| c.is_ascii_digit());
    let (clock, _zone) = match rest.find(['Z', '+']).or_else(|| rest[5..].find('-').map(|p| p + 5)) {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, ""),
    };
    let mut parts = clock.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else { return false };
    if !digits(h) || !digits(m) || h > "23" || m > "59" {
        return false;
    }
    match parts.next() {
        None => true,
        Some(s) => {
            let (sec, frac) = s.split_once('.').unwrap_or((s, ""));
            digits(sec) && frac.chars().all(|c| c.is_ascii_digit()) && parts.next().is_none()
        }
    }
}

/// Whether Spark's CSV reader reads `v` as a value of type `t` (an empty
/// field or the `nullValue` is NULL, which any type holds).
fn readable(v: &str, t: &DataType, null_value: &str) -> bool {
    if v.is_empty() || v == null_value {
        return true;
    }
    let v = v.trim();
    match t {
        DataType::Int8 => v.parse::<i8>().is_ok(),
        DataType::Int16 => v.parse::<i16>().is_ok(),
        DataType::Int32 => v.parse::<i32>().is_ok(),
        DataType::Int64 => v.parse::<i64>().is_ok(),
        DataType::Float32 | DataType::Float64 => is_double(v),
        DataType::Boolean => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
        DataType::Date32 => is_date(v),
        DataType::Timestamp(..) => is_timestamp(v) || is_date(v),
        DataType::Decimal128(..) => v.parse::<f64>().is_ok() && v.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')),
        _ => true,
    }
}

/// Spark's `compatibleType` for CSV columns.
fn widen(a: &DataType, b: &DataType) -> DataType {
    use DataType::*;
    match (a, b) {
        (Null, t) | (t, Null) => t.clone(),
        (x, y) if x == y => x.clone(),
        (Int32, Int64) | (Int64, Int32) => Int64,
        (Int32 | Int64 | Float64, Int32 | Int64 | Float64) => Float64,
        (Date32, Timestamp(..)) | (Timestamp(..), Date32) => Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        _ => Utf8,
    }
}

impl SourceFormat for Csv {
    fn file_format(&self, options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        let d = dialect(options)?;
        let null_regex = if d.null_value.is_empty() { "^$".to_string() } else { format!("^({}|)$", regex_escape(&d.null_value)) };
        Ok(Arc::new(
            CsvFormat::default()
                .with_has_header(d.header)
                .with_delimiter(d.sep)
                .with_quote(d.quote)
                .with_escape(d.escape)
                .with_comment(d.comment)
                .with_newlines_in_values(d.multi_line)
                .with_null_regex(Some(null_regex)),
        ))
    }

    /// Files DataFusion's scan cannot read as Spark does, read here: a
    /// compressed file (`.csv.gz`), a file with malformed records (a value
    /// its column's type cannot read, too few or too many fields), which
    /// the `mode` option keeps, drops or fails on, and any file when the
    /// schema has the corrupt-record column.
    fn read_in_memory(
        &self,
        file: &std::path::Path,
        schema: &datafusion::arrow::datatypes::SchemaRef,
        options: &SourceOptions,
    ) -> SourceResult<Option<datafusion::arrow::array::RecordBatch>> {
        let d = dialect(options)?;
        let mode = parse_mode(options, "csv")?;
        let corrupt_name = corrupt_column(options);
        let corrupt_at = schema.index_of(&corrupt_name).ok().filter(|i| schema.field(*i).data_type() == &DataType::Utf8);
        let data_fields: Vec<Field> = schema.fields().iter().enumerate().filter(|(i, _)| Some(*i) != corrupt_at).map(|(_, f)| f.as_ref().clone()).collect();
        let bytes = crate::compressed::read_file(file)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut recs = records(&text, &d);
        if d.header && !recs.is_empty() {
            recs.remove(0);
        }
        let malformed = |r: &[String]| r.len() != data_fields.len() || r.iter().zip(&data_fields).any(|(v, f)| !readable(v, f.data_type(), &d.null_value));
        // A `nullValue` is read here (DataFusion's scan does not take it for NULL).
        let typed_null = |r: &[String]| !d.null_value.is_empty() && r.iter().any(|v| v == &d.null_value);
        if corrupt_at.is_none() && !crate::compressed::is_compressed(file) && !recs.iter().any(|r| malformed(r) || typed_null(r)) {
            return Ok(None);
        }
        // The records rewritten as clean CSV (what cannot be read left
        // empty), read by Arrow's reader with the data columns' types.
        let mut clean = String::new();
        let mut corrupt: Vec<Option<String>> = Vec::new();
        for r in &recs {
            let bad = malformed(r);
            if bad {
                match mode {
                    ParseMode::FailFast => return Err(SourceError::FailedRead(file.display().to_string())),
                    ParseMode::DropMalformed => continue,
                    ParseMode::Permissive => {}
                }
            }
            let fields: Vec<String> = data_fields
                .iter()
                .enumerate()
                .map(|(i, f)| match r.get(i) {
                    Some(v) if readable(v, f.data_type(), &d.null_value) && !v.is_empty() && v != &d.null_value => format!("\"{}\"", v.replace('"', "\"\"")),
                    _ => String::new(),
                })
                .collect();
            clean.push_str(&fields.join(","));
            clean.push('\n');
            corrupt.push(bad.then(|| r.join(&char::from(d.sep).to_string())));
        }
        let data_schema = Arc::new(Schema::new(data_fields));
        let format = datafusion::arrow::csv::reader::Format::default().with_header(false).with_delimiter(b',').with_quote(b'"');
        let reader = datafusion::arrow::csv::ReaderBuilder::new(data_schema.clone())
            .with_format(format)
            .build(std::io::Cursor::new(clean.into_bytes()))
            .map_err(|e| SourceError::read(file, e))?;
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| SourceError::read(file, e))?;
        let data = datafusion::arrow::compute::concat_batches(&data_schema, &batches).map_err(|e| SourceError::read(file, e))?;
        let mut columns = data.columns().to_vec();
        if let Some(at) = corrupt_at {
            columns.insert(at, Arc::new(datafusion::arrow::array::StringArray::from(corrupt)));
        }
        let batch = datafusion::arrow::array::RecordBatch::try_new_with_options(
            schema.clone(),
            columns,
            &datafusion::arrow::array::RecordBatchOptions::new().with_row_count(Some(data.num_rows())),
        )
        .map_err(|e| SourceError::read(file, e))?;
        Ok(Some(batch))
    }

    fn infer_schema(&self, files: &[std::path::PathBuf], options: &SourceOptions, time_zone: &str) -> SourceResult<Schema> {
        let d = dialect(options)?;
        let infer = options.bool("inferSchema", false)?;
        let mut names: Vec<String> = Vec::new();
        let mut types: Vec<DataType> = Vec::new();
        for (n, f) in files.iter().enumerate() {
            let bytes = crate::compressed::read_file(f)?;
            let text = String::from_utf8_lossy(&bytes);
            let mut recs = records(&text, &d).into_iter();
            if d.header {
                if let Some(h) = recs.next() {
                    if n == 0 {
                        names = h.iter().enumerate().map(|(i, c)| if c.is_empty() { format!("_c{i}") } else { c.clone() }).collect();
                    }
                }
            }
            for r in recs {
                if names.len() < r.len() && !d.header {
                    names = (0..r.len()).map(|i| format!("_c{i}")).collect();
                }
                if types.len() < names.len() {
                    types.resize(names.len(), DataType::Null);
                }
                if infer {
                    for (i, v) in r.iter().enumerate().take(types.len()) {
                        types[i] = infer_value(v, &types[i], &d.null_value);
                    }
                }
            }
        }
        if names.is_empty() {
            return Err(SourceError::CannotInferSchema("CSV".into()));
        }
        types.resize(names.len(), DataType::Null);
        let fields = names
            .into_iter()
            .zip(types)
            .map(|(n, t)| {
                let t = match t {
                    DataType::Null => DataType::Utf8,
                    DataType::Timestamp(u, Some(_)) => DataType::Timestamp(u, Some(time_zone.into())),
                    t => t,
                };
                Field::new(n, t, true)
            })
            .collect::<Vec<_>>();
        Ok(Schema::new(fields))
    }
}

fn regex_escape(s: &str) -> String {
    s.chars().map(|c| if "\\^$.|?*+()[]{}".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> Dialect {
        Dialect { sep: b',', quote: b'"', escape: Some(b'\\'), comment: None, header: false, multi_line: false, null_value: String::new() }
    }

    #[test]
    fn splits_records() {
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2024-02-30") && !is_date("2024-13-01"));
        assert_eq!(records("a,\"b,c\",\nx,y,z\n", &d()), vec![vec!["a", "b,c", ""], vec!["x", "y", "z"]]);
        assert_eq!(records("\"a\\\"b\"\n", &d()), vec![vec!["a\"b"]]);
        assert_eq!(records("\"multi\nline\",2", &d()), vec![vec!["multi\nline", "2"]]);
    }

    #[test]
    fn infers_like_spark() {
        let t = |vals: &[&str]| vals.iter().fold(DataType::Null, |acc, v| infer_value(v, &acc, ""));
        assert_eq!(t(&["1", "2"]), DataType::Int32);
        assert_eq!(t(&["1", "9999999999"]), DataType::Int64);
        assert_eq!(t(&["1", "2.5"]), DataType::Float64);
        assert_eq!(t(&["1.5", "x"]), DataType::Utf8);
        assert_eq!(t(&["2024-01-01"]), DataType::Date32);
        assert!(matches!(t(&["2024-01-01 10:00:00", "2024-01-01T10:00:00.5"]), DataType::Timestamp(..)));
        assert_eq!(t(&["true", "FALSE"]), DataType::Boolean);
        assert_eq!(t(&["", ""]), DataType::Null);
    }
}
