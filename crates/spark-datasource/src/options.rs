//! Reader options: case-insensitive keys, as Spark's `CaseInsensitiveMap`.

use std::collections::BTreeMap;

use crate::{SourceError, SourceResult};

#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    values: BTreeMap<String, String>,
}

impl SourceOptions {
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        Self { values: pairs.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect() }
    }

    /// These options with one of them set to another value.
    pub fn with(&self, key: &str, value: &str) -> Self {
        let mut values = self.values.clone();
        values.insert(key.to_ascii_lowercase(), value.to_string());
        Self { values }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(&key.to_ascii_lowercase()).map(String::as_str)
    }

    pub fn bool(&self, key: &str, default: bool) -> SourceResult<bool> {
        match self.get(key).map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if v == "true" => Ok(true),
            Some(v) if v == "false" => Ok(false),
            Some(v) => Err(SourceError::InvalidOption(format!("{key} flag can be true or false, but got {v}"))),
        }
    }

    /// A one-character option (`sep`, `quote`, `escape`), with Spark's
    /// escapes such as `\t`.
    pub fn char(&self, key: &str) -> SourceResult<Option<u8>> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let c = match v {
            "\\t" => "\t",
            "\\n" => "\n",
            "\\r" => "\r",
            "\\0" => "\0",
            "\\\\" => "\\",
            "\\\"" => "\"",
            "\\'" => "'",
            other => other,
        };
        match c.as_bytes() {
            [b] => Ok(Some(*b)),
            [] => Ok(Some(0)),
            _ => Err(SourceError::InvalidOption(format!(
                "[INVALID_DELIMITER_VALUE.DELIMITER_LONGER_THAN_EXPECTED] Invalid value for delimiter. Delimiter cannot be more than one character: {v}. SQLSTATE: 42602"
            ))),
        }
    }
}
