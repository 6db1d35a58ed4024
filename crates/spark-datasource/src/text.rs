//! Text: one row per line, in a single string column `value`
//! (`wholetext` makes one row per file). DataFusion has no line format, so
//! the lines are read when the source is opened.

use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::TableProvider;
use datafusion::datasource::MemTable;

use crate::{SourceError, SourceOptions, SourceResult};

pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("value", DataType::Utf8, true)]))
}

/// Splits like Spark's default line reader: `\n`, `\r\n` and `\r` end lines;
/// a final line ending adds no empty row.
fn lines(text: &str, sep: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    match sep {
        Some(sep) if !sep.is_empty() => {
            out.extend(text.split(sep).map(str::to_string));
            if text.ends_with(sep) {
                out.pop();
            }
        }
        _ => {
            let mut current = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\n' => out.push(std::mem::take(&mut current)),
                    '\r' => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        out.push(std::mem::take(&mut current));
                    }
                    c => current.push(c),
                }
            }
            if !current.is_empty() {
                out.push(current);
            }
        }
    }
    out
}

pub fn table(files: &[std::path::PathBuf], options: &SourceOptions) -> SourceResult<Arc<dyn TableProvider>> {
    let whole = options.bool("wholetext", false)?;
    let sep = options.get("lineSep");
    let mut values: Vec<String> = Vec::new();
    for f in files {
        let bytes = crate::compressed::read_file(f)?;
        let text = String::from_utf8_lossy(&bytes);
        if whole {
            values.push(text.into_owned());
        } else {
            values.extend(lines(&text, sep));
        }
    }
    let schema = schema();
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(values))])
        .map_err(|e| SourceError::InvalidOption(e.to_string()))?;
    Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn line_endings() {
        assert_eq!(lines("a\nb\r\nc\rd\n", None), vec!["a", "b", "c", "d"]);
        assert_eq!(lines("a\n\nb", None), vec!["a", "", "b"]);
        assert_eq!(lines("a;b;", Some(";")), vec!["a", "b"]);
    }
}
