//! `LIKE` patterns with Spark's escape rules, turned into the form
//! DataFusion's `LIKE` reads (backslash escapes).
//!
//! In Spark the escape character (`\` unless `ESCAPE 'c'` says otherwise)
//! may only precede `_`, `%` or itself; anything else, or an escape at the
//! end, is `INVALID_FORMAT`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Why a pattern is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    EscapeAtTheEnd,
    EscapeBefore(char),
}

impl PatternError {
    pub fn error_class(&self) -> &'static str {
        match self {
            PatternError::EscapeAtTheEnd => "INVALID_FORMAT.ESC_AT_THE_END",
            PatternError::EscapeBefore(_) => "INVALID_FORMAT.ESC_IN_THE_MIDDLE",
        }
    }

    /// Spark's message for `pattern`, and its parameters.
    pub fn message(&self, pattern: &str) -> (String, Vec<(&'static str, String)>) {
        // Spark shows the pattern as a Java string literal's body.
        let format = format!("'{}'", pattern.replace('\\', "\\\\"));
        match self {
            PatternError::EscapeAtTheEnd => (
                format!("The format is invalid: {format}. The escape character is not allowed to end with."),
                vec![("format", format)],
            ),
            PatternError::EscapeBefore(c) => (
                format!("The format is invalid: {format}. The escape character is not allowed to precede '{c}'."),
                vec![("format", format), ("char", format!("'{c}'"))],
            ),
        }
    }
}

/// `pattern`, whose escape character is `escape`, with `\` as its escape.
pub fn to_backslash_escapes(pattern: &str, escape: char) -> Result<String, PatternError> {
    let mut out = String::with_capacity(pattern.len() + 2);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == escape {
            match chars.next() {
                None => return Err(PatternError::EscapeAtTheEnd),
                Some(n) if n == '_' || n == '%' => {
                    out.push('\\');
                    out.push(n);
                }
                Some(n) if n == escape => push_literal(&mut out, n),
                Some(n) => return Err(PatternError::EscapeBefore(n)),
            }
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// `c` matching itself only (also when it is `%` or `_`).
fn push_literal(out: &mut String, c: char) {
    if matches!(c, '\\' | '%' | '_') {
        out.push('\\');
    }
    out.push(c);
}

/// `spark_like_pattern(pattern)`: a pattern column with escape character
/// `escape`, rewritten row by row for DataFusion's `LIKE`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct LikePattern {
    signature: Signature,
    escape: char,
}

impl LikePattern {
    pub fn udf(escape: char) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Utf8], Volatility::Immutable), escape }))
    }
}

impl ScalarUDFImpl for LikePattern {
    fn name(&self) -> &str {
        "spark_like_pattern"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(patterns) = arrays.first().and_then(|a| a.as_string_opt::<i32>()) else {
            return datafusion::common::exec_err!("spark_like_pattern expects a string");
        };
        let mut out = Vec::with_capacity(patterns.len());
        for i in 0..patterns.len() {
            if patterns.is_null(i) {
                out.push(None);
                continue;
            }
            let p = patterns.value(i);
            match to_backslash_escapes(p, self.escape) {
                Ok(t) => out.push(Some(t)),
                Err(e) => {
                    let (message, params) = e.message(p);
                    let mut err = SparkRuntimeError::new(RuntimeKind::Runtime, e.error_class(), "42601", message);
                    for (k, v) in params {
                        err = err.param(k, v);
                    }
                    return Err(err.into_df());
                }
            }
        }
        crate::columnar(Arc::new(StringArray::from(out)) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_spark() {
        assert_eq!(to_backslash_escapes("a!_b", '!'), Ok("a\\_b".into()));
        assert_eq!(to_backslash_escapes("a%%", '%'), Ok("a\\%".into()));
        assert_eq!(to_backslash_escapes("a!!b", '!'), Ok("a!b".into()));
        assert_eq!(to_backslash_escapes("a\\b", '!'), Ok("a\\\\b".into()));
        assert_eq!(to_backslash_escapes("a\\\\b", '\\'), Ok("a\\\\b".into()));
        assert_eq!(to_backslash_escapes("a!", '!'), Err(PatternError::EscapeAtTheEnd));
        assert_eq!(to_backslash_escapes("a\\x", '\\'), Err(PatternError::EscapeBefore('x')));
    }
}
