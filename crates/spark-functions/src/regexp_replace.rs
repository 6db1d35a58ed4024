//! `regexp_replace(str, regex, rep[, position])` as Java's `Matcher`
//! replaces: an empty match right after a match counts (`'aaa'` with `a*`
//! gives `XX`), `$n` names a group and `\x` is a literal `x` in the
//! replacement, and the text before `position` (from 1) is kept as it is.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use regex::{Captures, Regex};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkRegexpReplace {
    signature: Signature,
}

impl SparkRegexpReplace {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(4, Volatility::Immutable) }))
    }
}

/// One piece of a Java replacement string.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Group(usize),
    Named(String),
}

/// Java's reading of a replacement: `$n` takes as many digits as still
/// name a group, `${name}` a named group, `\x` the character x.
fn pieces(rep: &str, groups: usize) -> Result<Vec<Piece>> {
    let chars: Vec<char> = rep.chars().collect();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let Some(c) = chars.get(i + 1) else { return exec_err!("character to be escaped is missing") };
                text.push(*c);
                i += 2;
            }
            '$' => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                if chars.get(i + 1) == Some(&'{') {
                    let Some(close) = chars[i + 2..].iter().position(|c| *c == '}') else { return exec_err!("named capturing group is missing trailing '}}'") };
                    out.push(Piece::Named(chars[i + 2..i + 2 + close].iter().collect()));
                    i += close + 3;
                    continue;
                }
                let Some(first) = chars.get(i + 1).and_then(|c| c.to_digit(10)) else {
                    return exec_err!("Illegal group reference");
                };
                let mut group = first as usize;
                i += 2;
                while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                    let next = group * 10 + d as usize;
                    if next >= groups {
                        break;
                    }
                    group = next;
                    i += 1;
                }
                if group >= groups {
                    return exec_err!("No group {group}");
                }
                out.push(Piece::Group(group));
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    Ok(out)
}

fn append(out: &mut String, caps: &Captures<'_>, pieces: &[Piece]) {
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Group(g) => out.push_str(caps.get(*g).map_or("", |m| m.as_str())),
            Piece::Named(n) => out.push_str(caps.name(n).map_or("", |m| m.as_str())),
        }
    }
}

/// Every match of `re` in `s` from byte `from` on replaced, as Java finds them.
fn java_replace_all(re: &Regex, s: &str, from: usize, pieces: &[Piece]) -> String {
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..from]);
    let mut last = from;
    for caps in crate::regex_fns::JavaMatches::new(re, s, from) {
        let Some(m) = caps.get(0) else { break };
        out.push_str(&s[last..m.start()]);
        append(&mut out, &caps, pieces);
        last = m.end();
    }
    out.push_str(&s[last..]);
    out
}

impl ScalarUDFImpl for SparkRegexpReplace {
    fn name(&self) -> &str {
        "regexp_replace"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let text = |a: &ArrayRef| datafusion::arrow::compute::cast(a, &DataType::Utf8);
        let (s, p, r) = (text(&arrays[0])?, text(&arrays[1])?, text(&arrays[2])?);
        let pos = datafusion::arrow::compute::cast(&arrays[3], &DataType::Int64)?;
        let (s, p, r, pos) = (s.as_string::<i32>(), p.as_string::<i32>(), r.as_string::<i32>(), pos.as_primitive::<Int64Type>());
        let mut cached: Option<(String, Regex)> = None;
        // The replacement read once while it stays the same (with the pattern's group count).
        let mut cached_pieces: Option<(String, usize, Vec<Piece>)> = None;
        let mut out = StringBuilder::with_capacity(s.len(), s.value_data().len());
        for i in 0..s.len() {
            if s.is_null(i) || p.is_null(i) || r.is_null(i) || pos.is_null(i) {
                out.append_null();
                continue;
            }
            let position = pos.value(i);
            if position <= 0 {
                return Err(crate::error::SparkRuntimeError::new(
                    crate::error::RuntimeKind::Runtime,
                    "INVALID_PARAMETER_VALUE.REGEX_POSITION",
                    "22023",
                    format!("The value of parameter(s) `position` in `regexp_replace` is invalid: Expects a positive value, but got {position}."),
                )
                .into_df());
            }
            let pattern = p.value(i);
            if cached.as_ref().is_none_or(|(c, _)| c != pattern) {
                cached = Some((pattern.to_string(), crate::regex_fns::compile_for(pattern, "regexp_replace")?));
            }
            let Some((_, re)) = &cached else { return exec_err!("regexp_replace lost its pattern") };
            let source = s.value(i);
            // The characters before `position` stay; past the end nothing is replaced.
            let Some(from) = source.char_indices().map(|(b, _)| b).chain([source.len()]).nth((position - 1) as usize) else {
                out.append_value(source);
                continue;
            };
            let groups = re.captures_len();
            if cached_pieces.as_ref().is_none_or(|(rep, g, _)| rep != r.value(i) || *g != groups) {
                let parsed = pieces(r.value(i), groups).map_err(|_| {
                crate::error::SparkRuntimeError::new(
                    crate::error::RuntimeKind::Runtime,
                    "INVALID_REGEXP_REPLACE",
                    "22023",
                    format!("Could not perform regexp_replace for source = \"{source}\", pattern = \"{pattern}\", replacement = \"{}\" and position = {position}.", r.value(i)),
                )
                .into_df()
                })?;
                cached_pieces = Some((r.value(i).to_string(), groups, parsed));
            }
            let Some((_, _, pieces)) = &cached_pieces else { return exec_err!("regexp_replace lost its replacement") };
            out.append_value(java_replace_all(re, source, from, pieces));
        }
        crate::columnar(Arc::new(out.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(s: &str, pattern: &str, rep: &str) -> String {
        let re = Regex::new(pattern).expect("a valid pattern");
        let pieces = pieces(rep, re.captures_len()).expect("a valid replacement");
        java_replace_all(&re, s, 0, &pieces)
    }

    #[test]
    fn as_java_replaces() {
        assert_eq!(replace("aaa", "a*", "X"), "XX");
        assert_eq!(replace("abc", "x*", "-"), "-a-b-c-");
        assert_eq!(replace("100-200", "(\\d+)", "<$1>"), "<100>-<200>");
        assert_eq!(replace("ab", "(a)", "$1a\\$"), "aa$b");
        assert_eq!(replace("a.b", "\\.", "\\\\"), "a\\b");
    }
}
