//! Spark's regular-expression string functions over Java-style patterns:
//! `split`, `regexp_extract`, `regexp_extract_all`, `regexp_substr`,
//! `regexp_instr`. Patterns are compiled once per batch when constant.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use regex::Regex;

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegexFn {
    /// `split(str, regex, limit)`.
    Split,
    /// `regexp_extract(str, regex, group)`.
    Extract,
    /// `regexp_extract_all(str, regex, group)`.
    ExtractAll,
    /// `regexp_substr(str, regex)`.
    Substr,
    /// `regexp_instr(str, regex)`.
    Instr,
    /// `regexp_count(str, regex)`.
    Count,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkRegex {
    signature: Signature,
    kind: RegexFn,
}

impl SparkRegex {
    pub fn udf(kind: RegexFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), kind }))
    }
}

fn compile(pattern: &str) -> Result<Regex> {
    compile_for(pattern, "regexp")
}

/// `pattern` compiled, or Spark's `INVALID_PARAMETER_VALUE.PATTERN` naming
/// `function`.
pub(crate) fn compile_for(pattern: &str, function: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|_| {
        SparkRuntimeError::new(
            RuntimeKind::Runtime,
            "INVALID_PARAMETER_VALUE.PATTERN",
            "22023",
            format!("The value of parameter(s) `regexp` in `{function}` is invalid: '{pattern}'."),
        )
        .param("parameter", "`regexp`")
        .param("functionName", format!("`{function}`"))
        .param("value", format!("'{pattern}'"))
        .into_df()
    })
}

/// Checks a constant `pattern` of `function` (`rlike`, `regexp_replace`,
/// ...) before the query runs.
pub fn check_pattern(pattern: &str, function: &str) -> Result<()> {
    compile_for(pattern, function).map(|_| ())
}

fn string_list() -> DataType {
    DataType::List(Arc::new(Field::new("element", DataType::Utf8, true)))
}

fn group_error(function: &str, group: i64, count: usize) -> datafusion::common::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX",
        "22023",
        format!("The value of parameter(s) `idx` in `{function}` is invalid: Expects group index between 0 and {}, but got {group}.", count - 1),
    )
    .into_df()
}

/// The matches of `re` in `s` from byte `from` on, as Java's
/// `Matcher.find()` loop meets them: each search starts where the last match
/// ended, one character further after an empty match, so an empty match may
/// follow a non-empty one (`a*` finds `aaa` and then `` in `aaa`, where the
/// `regex` crate's iterators find only `aaa`).
pub(crate) struct JavaMatches<'r, 's> {
    re: &'r Regex,
    text: &'s str,
    pos: Option<usize>,
}

impl<'r, 's> JavaMatches<'r, 's> {
    pub(crate) fn new(re: &'r Regex, text: &'s str, from: usize) -> Self {
        Self { re, text, pos: Some(from) }
    }
}

impl<'s> Iterator for JavaMatches<'_, 's> {
    type Item = regex::Captures<'s>;

    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.pos?;
        let caps = self.re.captures_at(self.text, pos)?;
        let m = caps.get(0)?;
        self.pos = if m.is_empty() { self.text[m.end()..].chars().next().map(|c| m.end() + c.len_utf8()) } else { Some(m.end()) };
        Some(caps)
    }
}

/// Spark's `split(str, regex, limit)`: Java's `String.split` (a limit of 0
/// or less keeps every piece, trailing empty ones too), except that an empty
/// pattern splits a non-empty string into its characters.
pub(crate) fn java_split<'a>(re: &Regex, s: &'a str, limit: i64) -> Vec<&'a str> {
    let limit = if limit > 0 { limit as usize } else { usize::MAX };
    if re.as_str().is_empty() && !s.is_empty() {
        let mut out: Vec<&str> = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next().filter(|_| out.len() + 1 < limit) {
            out.push(&rest[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
        }
        if !rest.is_empty() {
            out.push(rest);
        }
        return out;
    }
    let mut out = Vec::new();
    let mut last = 0;
    for caps in JavaMatches::new(re, s, 0) {
        let Some(m) = caps.get(0) else { break };
        if out.len() + 1 >= limit {
            break;
        }
        if m.end() == 0 {
            // A zero-width match at the start yields no leading empty string.
            continue;
        }
        out.push(&s[last..m.start()]);
        last = m.end();
    }
    out.push(&s[last..]);
    out
}

impl ScalarUDFImpl for SparkRegex {
    fn name(&self) -> &str {
        match self.kind {
            RegexFn::Split => "spark_split",
            RegexFn::Extract => "spark_regexp_extract",
            RegexFn::ExtractAll => "spark_regexp_extract_all",
            RegexFn::Substr => "spark_regexp_substr",
            RegexFn::Instr => "spark_regexp_instr",
            RegexFn::Count => "spark_regexp_count",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            RegexFn::Split | RegexFn::ExtractAll => string_list(),
            RegexFn::Extract | RegexFn::Substr => DataType::Utf8,
            RegexFn::Instr | RegexFn::Count => DataType::Int32,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(n)).collect::<Result<Vec<_>>>()?;
        let strings = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let strings = strings.as_string::<i32>();
        let Some(patterns) = arrays.get(1) else {
            return exec_err!("{} needs a pattern", self.name());
        };
        let patterns = datafusion::arrow::compute::cast(patterns, &DataType::Utf8)?;
        let patterns = patterns.as_string::<i32>();
        let third: Option<ArrayRef> = match arrays.get(2) {
            Some(a) => Some(datafusion::arrow::compute::cast(a, &DataType::Int64)?),
            None => None,
        };
        let third = third.as_ref().map(|a| a.as_primitive::<datafusion::arrow::datatypes::Int64Type>());
        let mut cached: Option<(String, Regex)> = None;
        let mut list = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new("element", DataType::Utf8, true)));
        let mut text = StringBuilder::new();
        let mut ints: Vec<Option<i32>> = Vec::new();
        for i in 0..n {
            let null = strings.is_null(i) || patterns.is_null(i) || third.is_some_and(|t| t.is_null(i));
            if null {
                match self.kind {
                    RegexFn::Split | RegexFn::ExtractAll => list.append_null(),
                    RegexFn::Extract | RegexFn::Substr => text.append_null(),
                    RegexFn::Instr | RegexFn::Count => ints.push(None),
                }
                continue;
            }
            let p = patterns.value(i);
            if cached.as_ref().is_none_or(|(cp, _)| cp != p) {
                cached = Some((p.to_string(), compile(p)?));
            }
            let Some((_, re)) = cached.as_ref() else { continue };
            let s = strings.value(i);
            let arg = third.map(|t| t.value(i));
            match self.kind {
                RegexFn::Split => {
                    for piece in java_split(re, s, arg.unwrap_or(-1)) {
                        list.values().append_value(piece);
                    }
                    list.append(true);
                }
                RegexFn::Extract | RegexFn::ExtractAll => {
                    let group = arg.unwrap_or(1);
                    let count = re.captures_len();
                    if group < 0 || group as usize >= count {
                        let function = if self.kind == RegexFn::Extract { "regexp_extract" } else { "regexp_extract_all" };
                        return Err(group_error(function, group, count));
                    }
                    if self.kind == RegexFn::Extract {
                        match re.captures(s) {
                            Some(c) => text.append_value(c.get(group as usize).map(|m| m.as_str()).unwrap_or("")),
                            None => text.append_value(""),
                        }
                    } else {
                        for c in JavaMatches::new(re, s, 0) {
                            list.values().append_value(c.get(group as usize).map(|m| m.as_str()).unwrap_or(""));
                        }
                        list.append(true);
                    }
                }
                // `nullif(regexp_extract(s, r, 0), '')`, as Spark rewrites it.
                RegexFn::Substr => match re.find(s).filter(|m| !m.is_empty()) {
                    Some(m) => text.append_value(m.as_str()),
                    None => text.append_null(),
                },
                RegexFn::Count => ints.push(Some(i32::try_from(JavaMatches::new(re, s, 0).count()).unwrap_or(i32::MAX))),
                RegexFn::Instr => {
                    let pos = re.find(s).map(|m| s[..m.start()].chars().count() as i32 + 1).unwrap_or(0);
                    ints.push(Some(pos));
                }
            }
        }
        let out: ArrayRef = match self.kind {
            RegexFn::Split | RegexFn::ExtractAll => Arc::new(list.finish()),
            RegexFn::Extract | RegexFn::Substr => Arc::new(text.finish()),
            RegexFn::Instr | RegexFn::Count => Arc::new(Int32Array::from(ints)),
        };
        crate::columnar(out, args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_java() -> Result<()> {
        let re = compile("[ABC]")?;
        assert_eq!(java_split(&re, "oneAtwoBthreeC", -1), vec!["one", "two", "three", ""]);
        assert_eq!(java_split(&re, "oneAtwoBthreeC", 2), vec!["one", "twoBthreeC"]);
        // Unlike Java, Spark keeps trailing empty strings for a limit of 0.
        assert_eq!(java_split(&re, "oneAtwoBthreeC", 0), vec!["one", "two", "three", ""]);
        let empty = compile("")?;
        assert_eq!(java_split(&empty, "abc", -1), vec!["a", "b", "c"]);
        assert_eq!(java_split(&empty, "abc", 2), vec!["a", "bc"]);
        assert_eq!(java_split(&empty, "", -1), vec![""]);
        // Empty matches next to non-empty ones, as Java finds them.
        assert_eq!(java_split(&compile("X*")?, "aXbX", -1), vec!["a", "", "b", "", ""]);
        assert_eq!(java_split(&compile("x*")?, "abc", -1), vec!["a", "b", "c", ""]);
        Ok(())
    }

    #[test]
    fn finds_like_java() -> Result<()> {
        let count = |p: &str, s: &str| -> Result<usize> { Ok(JavaMatches::new(&compile(p)?, s, 0).count()) };
        assert_eq!(count("a*", "aaa")?, 2);
        assert_eq!(count("X*", "aXbX")?, 5);
        assert_eq!(count("", "")?, 1);
        assert_eq!(count("", "é")?, 2);
        Ok(())
    }
}
