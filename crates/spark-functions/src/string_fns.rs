//! String functions written for Spark's exact behaviour: `format_number`,
//! `mask`, `instr` with a position and an occurrence.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringFn {
    /// `format_number(x DOUBLE, d INT)`: `#,###.dd` with HALF_EVEN rounding.
    FormatNumber,
    /// `mask(s, upper, lower, digit, other)`.
    Mask,
    /// `instr(s, sub, pos, occurrence)`.
    Instr,
    /// `initcap(s)`: lower case, each word's first letter in title case;
    /// words are separated by spaces only.
    InitCap,
    /// `split_part(s, delimiter, n)`: the n-th piece (negative from the
    /// end) of `s` split at the literal delimiter, `''` past the end; n = 0
    /// fails with INVALID_INDEX_OF_ZERO.
    SplitPart,
    /// `url_decode(s)`: Java's `URLDecoder` (`+` is a space); a malformed
    /// escape fails with CANNOT_DECODE_URL.
    UrlDecode,
    /// `try_url_decode(s)`: NULL where `url_decode` fails.
    TryUrlDecode,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkString {
    signature: Signature,
    kind: StringFn,
}

impl SparkString {
    pub fn udf(kind: StringFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), kind }))
    }
}

/// Java's `URLDecoder.decode(s, UTF-8)`: `+` is a space, `%xy` a byte;
/// `None` for a malformed escape.
fn url_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let text = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(text, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn split_part<'a>(s: &'a str, delimiter: &str, n: i32) -> Result<&'a str> {
    if n == 0 {
        return Err(crate::array_index::index_of_zero().into_df());
    }
    let pieces: Vec<&str> = if delimiter.is_empty() { vec![s] } else { s.split(delimiter).collect() };
    let at = if n > 0 { i64::from(n) - 1 } else { pieces.len() as i64 + i64::from(n) };
    Ok(usize::try_from(at).ok().and_then(|i| pieces.get(i)).copied().unwrap_or(""))
}

/// `12332.123456` with 4 digits → `12,332.1235`.
pub fn format_number(x: f64, d: i32) -> Option<String> {
    if d < 0 || !x.is_finite() {
        return None;
    }
    let rounded = crate::rounding::round_double(x, d, crate::rounding::RoundMode::HalfEven);
    let text = format!("{:.*}", d as usize, rounded.abs());
    let (int_part, frac) = match text.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    // Java's DecimalFormat keeps the sign of a negative number that rounds to zero (`-0.00`).
    let sign = if x.is_sign_negative() { "-" } else { "" };
    Some(match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    })
}

fn mask_char(c: char, upper: Option<char>, lower: Option<char>, digit: Option<char>, other: Option<char>) -> char {
    let replace = if c.is_ascii_uppercase() {
        upper
    } else if c.is_ascii_lowercase() {
        lower
    } else if c.is_ascii_digit() {
        digit
    } else {
        other
    };
    replace.unwrap_or(c)
}

/// The 1-based position of the `occurrence`-th `sub` in `s` searching from
/// `pos` (negative: from the end, backwards); 0 when absent.
pub fn instr(s: &str, sub: &str, pos: i64, occurrence: i64) -> i32 {
    let chars: Vec<char> = s.chars().collect();
    let needle: Vec<char> = sub.chars().collect();
    if pos == 0 || occurrence < 1 || needle.len() > chars.len() {
        return 0;
    }
    let fits = |i: usize| chars[i..].starts_with(&needle);
    let mut seen = 0;
    if pos > 0 {
        let mut i = (pos - 1) as usize;
        while i + needle.len() <= chars.len() {
            if fits(i) {
                seen += 1;
                if seen == occurrence {
                    return i as i32 + 1;
                }
            }
            i += 1;
        }
    } else {
        let start = chars.len() as i64 + pos;
        let mut i = start.min((chars.len() - needle.len()) as i64);
        while i >= 0 {
            if fits(i as usize) {
                seen += 1;
                if seen == occurrence {
                    return i as i32 + 1;
                }
            }
            i -= 1;
        }
    }
    0
}

/// A letter in title case, as Java's full mappings give it: the digraphs'
/// title forms (`ǅ`), `ß` as `Ss`, otherwise the upper case with any
/// further letters in lower case (`ﬁ` as `Fi`).
fn title_case(c: char) -> String {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => "ǅ".into(),
        'Ǉ' | 'ǈ' | 'ǉ' => "ǈ".into(),
        'Ǌ' | 'ǋ' | 'ǌ' => "ǋ".into(),
        'Ǳ' | 'ǲ' | 'ǳ' => "ǲ".into(),
        'ß' => "Ss".into(),
        c => {
            let mut upper = c.to_uppercase();
            let first: String = upper.next().into_iter().collect();
            first + &upper.collect::<String>().to_lowercase()
        }
    }
}

/// Spark's `initcap`.
pub fn init_cap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word_start = true;
    for c in s.to_lowercase().chars() {
        if word_start && c != ' ' {
            out.push_str(&title_case(c));
        } else {
            out.push(c);
        }
        word_start = c == ' ';
    }
    out
}

fn char_at(a: Option<&ArrayRef>, i: usize, default: Option<char>) -> Option<char> {
    match a {
        None => default,
        Some(a) if a.is_null(i) => None,
        Some(a) => a.as_string::<i32>().value(i).chars().next(),
    }
}

impl ScalarUDFImpl for SparkString {
    fn name(&self) -> &str {
        match self.kind {
            StringFn::FormatNumber => "spark_format_number",
            StringFn::Mask => "spark_mask",
            StringFn::Instr => "spark_instr",
            StringFn::InitCap => "initcap",
            StringFn::SplitPart => "split_part",
            StringFn::UrlDecode => "url_decode",
            StringFn::TryUrlDecode => "try_url_decode",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.kind == StringFn::Instr { DataType::Int32 } else { DataType::Utf8 })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = args.args.iter().map(|a| a.to_array(n)).collect::<Result<Vec<_>>>()?;
        let out: ArrayRef = match self.kind {
            StringFn::FormatNumber if matches!(arrays[1].data_type(), DataType::Utf8) => {
                // A DecimalFormat pattern: `#,##0.00`, `####.###`.
                let x = datafusion::arrow::compute::cast(&arrays[0], &DataType::Float64)?;
                let x = x.as_primitive::<Float64Type>();
                let p = arrays[1].as_string::<i32>();
                let mut b = StringBuilder::new();
                for i in 0..n {
                    if x.is_null(i) || p.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    let pattern = p.value(i);
                    let frac = pattern.split_once('.').map(|(_, f)| f).unwrap_or("");
                    let digits = frac.chars().filter(|c| *c == '#' || *c == '0').count() as i32;
                    let required = frac.chars().filter(|c| *c == '0').count();
                    let mut text = format_number(x.value(i), digits).unwrap_or_default();
                    if !pattern.contains(',') {
                        text = text.replace(',', "");
                    }
                    if let Some(dot) = text.find('.') {
                        let keep = dot + 1 + required;
                        while text.len() > keep && text.ends_with('0') {
                            text.pop();
                        }
                        if text.ends_with('.') {
                            text.pop();
                        }
                    }
                    b.append_value(text);
                }
                Arc::new(b.finish())
            }
            StringFn::FormatNumber => {
                let x = datafusion::arrow::compute::cast(&arrays[0], &DataType::Float64)?;
                let d = datafusion::arrow::compute::cast(&arrays[1], &DataType::Int64)?;
                let (x, d) = (x.as_primitive::<Float64Type>(), d.as_primitive::<Int64Type>());
                let mut b = StringBuilder::new();
                for i in 0..n {
                    match (x.is_valid(i) && d.is_valid(i)).then(|| format_number(x.value(i), d.value(i) as i32)).flatten() {
                        Some(s) => b.append_value(s),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            StringFn::UrlDecode | StringFn::TryUrlDecode => {
                let text = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
                let mut b = StringBuilder::new();
                for v in text.as_string::<i32>().iter() {
                    match v.map(|t| (t, url_decode(t))) {
                        None => b.append_null(),
                        Some((_, Some(decoded))) => b.append_value(decoded),
                        Some((_, None)) if self.kind == StringFn::TryUrlDecode => b.append_null(),
                        Some((t, None)) => {
                            return Err(crate::error::SparkRuntimeError::new(
                                crate::error::RuntimeKind::IllegalArgument,
                                "CANNOT_DECODE_URL",
                                "22546",
                                format!("The provided URL cannot be decoded: {t}. Please ensure that the URL is properly formatted and try again."),
                            )
                            .param("url", t)
                            .into_df());
                        }
                    }
                }
                Arc::new(b.finish())
            }
            StringFn::SplitPart => {
                let strs: Vec<ArrayRef> = arrays[..2].iter().map(|a| datafusion::arrow::compute::cast(a, &DataType::Utf8)).collect::<std::result::Result<_, _>>()?;
                let (s, d) = (strs[0].as_string::<i32>(), strs[1].as_string::<i32>());
                let p = datafusion::arrow::compute::cast(&arrays[2], &DataType::Int32)?;
                let p = p.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
                let mut b = StringBuilder::new();
                for i in 0..n {
                    if s.is_null(i) || d.is_null(i) || p.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    b.append_value(split_part(s.value(i), d.value(i), p.value(i))?);
                }
                Arc::new(b.finish())
            }
            StringFn::InitCap => {
                let s = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
                let mut b = StringBuilder::new();
                for v in s.as_string::<i32>().iter() {
                    b.append_option(v.map(init_cap));
                }
                Arc::new(b.finish())
            }
            StringFn::Mask => {
                let strs: Vec<ArrayRef> = arrays.iter().map(|a| datafusion::arrow::compute::cast(a, &DataType::Utf8)).collect::<std::result::Result<_, _>>()?;
                let s = strs[0].as_string::<i32>();
                let mut b = StringBuilder::new();
                for i in 0..n {
                    if s.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    let (u, l, d, o) = (char_at(strs.get(1), i, Some('X')), char_at(strs.get(2), i, Some('x')), char_at(strs.get(3), i, Some('n')), char_at(strs.get(4), i, None));
                    b.append_value(s.value(i).chars().map(|c| mask_char(c, u, l, d, o)).collect::<String>());
                }
                Arc::new(b.finish())
            }
            StringFn::Instr => {
                let s = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
                let sub = datafusion::arrow::compute::cast(&arrays[1], &DataType::Utf8)?;
                let pos = datafusion::arrow::compute::cast(&arrays[2], &DataType::Int64)?;
                let occ = datafusion::arrow::compute::cast(&arrays[3], &DataType::Int64)?;
                let (s, sub) = (s.as_string::<i32>(), sub.as_string::<i32>());
                let (pos, occ) = (pos.as_primitive::<Int64Type>(), occ.as_primitive::<Int64Type>());
                let v: Int32Array = (0..n)
                    .map(|i| (s.is_valid(i) && sub.is_valid(i) && pos.is_valid(i) && occ.is_valid(i)).then(|| instr(s.value(i), sub.value(i), pos.value(i), occ.value(i))))
                    .collect();
                Arc::new(v)
            }
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_cap_as_spark() {
        assert_eq!(init_cap("hello-world foo_bar"), "Hello-world Foo_bar");
        assert_eq!(init_cap("  a  b"), "  A  B");
        assert_eq!(init_cap("ABC dEF"), "Abc Def");
        assert_eq!(init_cap("a\tb"), "A\tb");
        assert_eq!(init_cap("ǆemal ßtraße"), "ǅemal Sstraße");
    }

    #[test]
    fn formats_and_finds_like_spark() {
        assert_eq!(format_number(12332.123456, 4).as_deref(), Some("12,332.1235"));
        assert_eq!(format_number(-1234.5, 0).as_deref(), Some("-1,234"));
        assert_eq!(instr("abcabc", "b", 1, 2), 5);
        assert_eq!(instr("abcabc", "b", -1, 1), 5);
        assert_eq!(instr("SparkSQL", "SQL", 1, 1), 6);
    }
}
