//! `to_csv(struct[, options])`: one CSV line of a struct's fields, written
//! as Spark's CSV writer (Univocity) writes them: values as `CAST(v AS
//! STRING)` prints them, dates and timestamps with `dateFormat` /
//! `timestampFormat` (default `yyyy-MM-dd` and
//! `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`), surrounding whitespace trimmed, a value
//! holding the separator, a quote or a line break quoted (inner quotes
//! escaped with a backslash), an empty string as `""`, NULL as nothing.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::temporal_text::TemporalText;
use crate::value_text::{TextStyle, value_text};

pub use crate::temporal_text::{DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_FORMAT};

/// The writer options `to_csv` and the CSV writer honour.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CsvWriteOptions {
    pub sep: String,
    pub timestamp_format: String,
    pub date_format: String,
    /// `quote` (default `"`); `\0` turns quoting off.
    pub quote: char,
    /// `escape` (default `\`): put before a quote inside a quoted value.
    pub escape: char,
    /// `nullValue`: how NULL is written (default nothing).
    pub null_value: String,
    /// `emptyValue`: how an empty string is written (default `""`).
    pub empty_value: Option<String>,
    /// `quoteAll`: quote every value.
    pub quote_all: bool,
    /// `escapeQuotes` (default true): quote values holding a quote.
    pub escape_quotes: bool,
    pub ignore_leading_white_space: bool,
    pub ignore_trailing_white_space: bool,
}

impl Default for CsvWriteOptions {
    fn default() -> Self {
        Self {
            sep: ",".into(),
            timestamp_format: DEFAULT_TIMESTAMP_FORMAT.into(),
            date_format: DEFAULT_DATE_FORMAT.into(),
            quote: '"',
            escape: '\\',
            null_value: String::new(),
            empty_value: None,
            quote_all: false,
            escape_quotes: true,
            ignore_leading_white_space: true,
            ignore_trailing_white_space: true,
        }
    }
}

impl CsvWriteOptions {
    /// Sets the options Spark's CSV writer reads from a (lower-cased) option map.
    pub fn with_options(mut self, given: &std::collections::BTreeMap<String, String>) -> Self {
        let flag = |k: &str, default: bool| given.get(k).map(|v| v.trim().eq_ignore_ascii_case("true")).unwrap_or(default);
        let one_char = |k: &str, default: char| match given.get(k).map(String::as_str) {
            Some("") => '\0',
            Some("\\t") => '\t',
            Some(v) => v.chars().next().unwrap_or(default),
            None => default,
        };
        if let Some(sep) = given.get("sep").or(given.get("delimiter")) {
            self.sep = match sep.as_str() {
                "\\t" => "\t".into(),
                other => other.into(),
            };
        }
        if let Some(f) = given.get("timestampformat") {
            self.timestamp_format = f.clone();
        }
        if let Some(f) = given.get("dateformat") {
            self.date_format = f.clone();
        }
        self.quote = one_char("quote", '"');
        self.escape = one_char("escape", '\\');
        if let Some(v) = given.get("nullvalue") {
            self.null_value = v.clone();
        }
        self.empty_value = given.get("emptyvalue").cloned();
        self.quote_all = flag("quoteall", false);
        self.escape_quotes = flag("escapequotes", true);
        self.ignore_leading_white_space = flag("ignoreleadingwhitespace", true);
        self.ignore_trailing_white_space = flag("ignoretrailingwhitespace", true);
        self
    }

    /// NULL as the CSV writer puts it: `nullValue`, quoted under `quoteAll`.
    fn null_text(&self) -> String {
        if self.quote_all && self.quote != '\0' {
            format!("{0}{1}{0}", self.quote, self.null_value)
        } else {
            self.null_value.clone()
        }
    }

    /// One value as the CSV writer puts it in a line.
    fn field_text(&self, text: &str) -> String {
        let mut t = text;
        if self.ignore_leading_white_space {
            t = t.trim_start();
        }
        if self.ignore_trailing_white_space {
            t = t.trim_end();
        }
        let quoting = self.quote != '\0';
        if t.is_empty() {
            return match &self.empty_value {
                Some(v) => v.clone(),
                None if quoting => format!("{0}{0}", self.quote),
                None => String::new(),
            };
        }
        let special = t.contains(self.sep.as_str()) || t.contains('\n') || t.contains('\r') || (self.escape_quotes && t.contains(self.quote));
        if quoting && (self.quote_all || special) {
            let mut out = String::with_capacity(t.len() + 2);
            out.push(self.quote);
            for c in t.chars() {
                if c == self.quote || (c == self.escape && self.escape != self.quote) {
                    out.push(self.escape);
                }
                out.push(c);
            }
            out.push(self.quote);
            out
        } else {
            t.to_string()
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkToCsv {
    signature: Signature,
    options: CsvWriteOptions,
    time_zone: String,
}

impl SparkToCsv {
    pub fn udf(options: CsvWriteOptions, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), options, time_zone: time_zone.to_string() }))
    }
}

impl ScalarUDFImpl for SparkToCsv {
    fn name(&self) -> &str {
        "to_csv"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::Struct(_) = arrays[0].data_type() else {
            return exec_err!("to_csv takes a struct, not {}", arrays[0].data_type());
        };
        let temporal = TemporalText::new(&self.time_zone, &self.options.timestamp_format, &self.options.date_format)?;
        let rows = arrays[0].as_struct();
        let mut out = StringBuilder::new();
        for row in 0..rows.len() {
            if rows.is_null(row) {
                out.append_null();
                continue;
            }
            let mut fields = Vec::with_capacity(rows.num_columns());
            for column in rows.columns() {
                if column.is_null(row) {
                    fields.push(self.options.null_text());
                    continue;
                }
                let text = match temporal.text(column, row)? {
                    Some(t) => t,
                    None => value_text(column.as_ref(), row, &self.time_zone, TextStyle::Cast),
                };
                fields.push(self.options.field_text(&text));
            }
            out.append_value(fields.join(&self.options.sep));
        }
        crate::columnar(Arc::new(out.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let o = CsvWriteOptions::default();
        assert_eq!(o.field_text("x,y"), "\"x,y\"");
        assert_eq!(o.field_text("q\"t"), "\"q\\\"t\"");
        assert_eq!(o.field_text(" sp "), "sp");
        assert_eq!(o.field_text(""), "\"\"");
        assert_eq!(o.field_text("a;b"), "a;b");
        let given = [("quoteall".to_string(), "true".to_string()), ("quote".to_string(), "'".to_string())].into_iter().collect();
        let all = CsvWriteOptions::default().with_options(&given);
        assert_eq!(all.field_text("a"), "'a'");
        assert_eq!(all.field_text("it's"), "'it\\'s'");
    }
}
