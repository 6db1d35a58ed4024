//! Spark's handling of malformed records in text formats (the `mode`
//! option of CSV and JSON) and the column that keeps them.

use crate::{SourceError, SourceOptions, SourceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseMode {
    /// Keep the row: what cannot be read is NULL, and the record's text goes
    /// to the corrupt-record column when the schema has one.
    Permissive,
    /// Leave the record out.
    DropMalformed,
    /// Fail the read.
    FailFast,
}

pub(crate) fn parse_mode(options: &SourceOptions, format: &str) -> SourceResult<ParseMode> {
    match options.get("mode").map(str::to_ascii_uppercase).as_deref() {
        None | Some("PERMISSIVE") => Ok(ParseMode::Permissive),
        Some("DROPMALFORMED") => Ok(ParseMode::DropMalformed),
        Some("FAILFAST") => Ok(ParseMode::FailFast),
        Some(other) => Err(SourceError::InvalidOption(format!(
            "[PARSE_MODE_UNSUPPORTED] The function `{format}` doesn't support the {other} mode. Acceptable modes are PERMISSIVE and FAILFAST."
        ))),
    }
}

/// `columnNameOfCorruptRecord` (default `_corrupt_record`).
pub(crate) fn corrupt_column(options: &SourceOptions) -> String {
    options.get("columnNameOfCorruptRecord").unwrap_or("_corrupt_record").to_string()
}
