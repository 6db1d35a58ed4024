//! `format_string(fmt, args...)` / `printf`: Java's `java.util.Formatter`
//! (`Locale.US`) over the values as Spark hands them to it — strings as
//! `UTF8String`, decimals as Spark's `Decimal`, dates as their day number,
//! timestamps as microseconds. So `%d` takes integers only, `%f` doubles and
//! floats only, `%s` anything, and a NULL argument prints `null` (`false`
//! for `%b`). A mismatch fails as Java does (`d != java.lang.Double`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkFormatString {
    signature: Signature,
}

impl SparkFormatString {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
    }
}

/// One argument as the JVM sees it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Boolean(bool),
    Text(String),
    /// Spark's `Decimal`, by its `toString`.
    Decimal(String),
}

impl Value {
    fn java_class(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Byte(_) => "java.lang.Byte",
            Value::Short(_) => "java.lang.Short",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::Float(_) => "java.lang.Float",
            Value::Double(_) => "java.lang.Double",
            Value::Boolean(_) => "java.lang.Boolean",
            Value::Text(_) => "org.apache.spark.unsafe.types.UTF8String",
            Value::Decimal(_) => "org.apache.spark.sql.types.Decimal",
        }
    }

    /// Java's `toString`.
    fn text(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Byte(v) => v.to_string(),
            Value::Short(v) => v.to_string(),
            Value::Int(v) => v.to_string(),
            Value::Long(v) => v.to_string(),
            Value::Float(v) => spark_plan::format::java_float(*v),
            Value::Double(v) => spark_plan::format::java_double(*v),
            Value::Boolean(v) => v.to_string(),
            Value::Text(s) | Value::Decimal(s) => s.clone(),
        }
    }

    /// The integer and its width in bits, for `%d %o %x`.
    fn integer(&self) -> Option<(i64, u32)> {
        match self {
            Value::Byte(v) => Some((i64::from(*v), 8)),
            Value::Short(v) => Some((i64::from(*v), 16)),
            Value::Int(v) => Some((i64::from(*v), 32)),
            Value::Long(v) => Some((*v, 64)),
            _ => None,
        }
    }

    /// Java's `hashCode`, for `%h`.
    fn hash_code(&self) -> Option<i32> {
        Some(match self {
            Value::Null => return None,
            Value::Byte(v) => i32::from(*v),
            Value::Short(v) => i32::from(*v),
            Value::Int(v) => *v,
            Value::Long(v) => (*v ^ ((*v as u64) >> 32) as i64) as i32,
            Value::Float(v) => v.to_bits() as i32,
            Value::Double(v) => {
                let b = v.to_bits();
                (b ^ (b >> 32)) as i32
            }
            Value::Boolean(v) => if *v { 1231 } else { 1237 },
            // UTF8String hashes its bytes with Murmur3 (seed 42).
            Value::Text(s) => crate::murmur_hash::hash_bytes(s.as_bytes(), 42) as i32,
            Value::Decimal(_) => return None,
        })
    }
}

fn value_at(a: &ArrayRef, row: usize) -> Result<Value> {
    if a.is_null(row) {
        return Ok(Value::Null);
    }
    Ok(match a.data_type() {
        DataType::Null => Value::Null,
        DataType::Int8 => Value::Byte(a.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => Value::Short(a.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => Value::Int(a.as_primitive::<Int32Type>().value(row)),
        DataType::Date32 => Value::Int(a.as_primitive::<datafusion::arrow::datatypes::Date32Type>().value(row)),
        DataType::Int64 => Value::Long(a.as_primitive::<Int64Type>().value(row)),
        DataType::Timestamp(..) => Value::Long(datafusion::arrow::compute::cast(&a.slice(row, 1), &DataType::Int64)?.as_primitive::<Int64Type>().value(0)),
        DataType::Float32 => Value::Float(a.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => Value::Double(a.as_primitive::<Float64Type>().value(row)),
        DataType::Boolean => Value::Boolean(a.as_boolean().value(row)),
        DataType::Decimal128(..) => Value::Decimal(crate::value_text::value_text(a.as_ref(), row, "UTC", crate::value_text::TextStyle::Cast)),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            Value::Text(datafusion::arrow::compute::cast(&a.slice(row, 1), &DataType::Utf8)?.as_string::<i32>().value(0).to_string())
        }
        other => return Err(DataFusionError::NotImplemented(format!("format_string of a {other} argument"))),
    })
}

fn illegal(message: String) -> DataFusionError {
    SparkRuntimeError::plain(RuntimeKind::IllegalArgument, message).into_df()
}

#[derive(Debug, Default, Clone, Copy)]
struct Flags {
    left: bool,
    alternate: bool,
    plus: bool,
    space: bool,
    zero: bool,
    group: bool,
    parens: bool,
}

#[derive(Debug)]
enum Index {
    Next,
    Explicit(usize),
    Previous,
}

#[derive(Debug)]
struct Spec {
    index: Index,
    flags: Flags,
    width: Option<usize>,
    precision: Option<usize>,
    conversion: char,
    /// The specifier as written, for Java's messages.
    text: String,
}

enum Piece {
    Text(String),
    Spec(Spec),
}

fn digits(chars: &[char], i: &mut usize) -> Option<usize> {
    let start = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    (start < *i).then(|| chars[start..*i].iter().collect::<String>().parse().unwrap_or(usize::MAX))
}

fn parse(format: &str) -> Result<Vec<Piece>> {
    let chars: Vec<char> = format.chars().collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut index = Index::Next;
        // `n$` (an explicit argument) or `<` (the previous one).
        let save = i;
        if let Some(n) = digits(&chars, &mut i) {
            if chars.get(i) == Some(&'$') {
                index = Index::Explicit(n);
                i += 1;
            } else {
                i = save;
            }
        }
        if chars.get(i) == Some(&'<') {
            index = Index::Previous;
            i += 1;
        }
        let mut flags = Flags::default();
        while let Some(c) = chars.get(i) {
            let seen = match c {
                '-' => std::mem::replace(&mut flags.left, true),
                '#' => std::mem::replace(&mut flags.alternate, true),
                '+' => std::mem::replace(&mut flags.plus, true),
                ' ' => std::mem::replace(&mut flags.space, true),
                '0' => std::mem::replace(&mut flags.zero, true),
                ',' => std::mem::replace(&mut flags.group, true),
                '(' => std::mem::replace(&mut flags.parens, true),
                _ => break,
            };
            if seen {
                return Err(illegal(format!("Flags = '{c}'")));
            }
            i += 1;
        }
        let width = digits(&chars, &mut i);
        let precision = if chars.get(i) == Some(&'.') {
            i += 1;
            match digits(&chars, &mut i) {
                Some(p) => Some(p),
                None => return Err(illegal(format!("Conversion = '{}'", chars.get(i).map_or(String::from("%"), |c| c.to_string())))),
            }
        } else {
            None
        };
        let Some(&conversion) = chars.get(i) else {
            return Err(illegal("Format specifier '%'".to_string()));
        };
        i += 1;
        let spec_text: String = chars[start..i].iter().collect();
        if !"bBhHsScCdoxXeEfgGaA%n".contains(conversion) {
            return Err(illegal(format!("Conversion = '{conversion}'")));
        }
        if flags.left && width.is_none() {
            return Err(illegal(spec_text.trim_start_matches('%').to_string()));
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Spec(Spec { index, flags, width, precision, conversion, text: spec_text }));
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn pad(s: String, spec: &Spec) -> String {
    let Some(width) = spec.width else { return s };
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = " ".repeat(width - len);
    if spec.flags.left { s + &fill } else { fill + &s }
}

/// Groups of three digits with `,`.
fn grouped(int_digits: &str) -> String {
    let mut out = String::with_capacity(int_digits.len() + int_digits.len() / 3);
    for (n, c) in int_digits.chars().enumerate() {
        if n > 0 && (int_digits.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number's digits (`magnitude`, no sign) with the sign flags, grouping
/// and zero padding Java applies.
fn signed_number(negative: bool, magnitude: &str, spec: &Spec) -> String {
    let f = spec.flags;
    let magnitude = if f.group {
        let (int, frac) = magnitude.split_once('.').map_or((magnitude, None), |(a, b)| (a, Some(b)));
        match frac {
            Some(frac) => format!("{}.{frac}", grouped(int)),
            None => grouped(int),
        }
    } else {
        magnitude.to_string()
    };
    let (prefix, suffix) = match (negative, f.parens, f.plus, f.space) {
        (true, true, _, _) => ("(", ")"),
        (true, false, _, _) => ("-", ""),
        (false, _, true, _) => ("+", ""),
        (false, _, _, true) => (" ", ""),
        _ => ("", ""),
    };
    let mut body = magnitude;
    if f.zero
        && let Some(width) = spec.width
    {
        let len = prefix.len() + body.chars().count() + suffix.len();
        if len < width {
            body = "0".repeat(width - len) + &body;
        }
    }
    pad(format!("{prefix}{body}{suffix}"), spec)
}

/// The shortest decimal digits of `v` (> 0) and the exponent of the first:
/// `v = 0.d1d2... * 10^(exp + 1)`.
fn shortest_digits(v: f64, float: bool) -> (Vec<u8>, i32) {
    let text = if float { format!("{:e}", v as f32) } else { format!("{v:e}") };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    (digits, exp.parse().unwrap_or(0))
}

/// `digits` (first at 10^exp) rounded half up to keep `keep` digits;
/// returns the digits and the new exponent (a carry may add one).
fn round_half_up(mut digits: Vec<u8>, mut exp: i32, keep: i64) -> (Vec<u8>, i32) {
    if keep < 0 {
        return (vec![0], exp);
    }
    let keep = keep as usize;
    if digits.len() > keep {
        let up = digits[keep] >= 5;
        digits.truncate(keep);
        if up {
            let mut i = keep;
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    exp += 1;
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
    }
    (digits, exp)
}

/// `%f`: fixed, `precision` decimals, half-up on the shortest digits.
fn fixed(v: f64, float: bool, precision: usize) -> String {
    if v == 0.0 {
        return if precision == 0 { "0".into() } else { format!("0.{}", "0".repeat(precision)) };
    }
    let (digits, exp) = shortest_digits(v, float);
    let keep = i64::from(exp) + 1 + precision as i64;
    let (digits, exp) = if keep <= 0 {
        // Rounds to zero, or up to the first decimal place kept.
        let up = keep == 0 && digits[0] >= 5;
        (if up { vec![1] } else { vec![0] }, if up { -(precision as i32) } else { 0 })
    } else {
        round_half_up(digits, exp, keep)
    };
    // Place the digits: digits[0] is at 10^exp.
    let mut int = String::new();
    let mut frac = String::new();
    let lowest = -(precision as i32);
    let highest = exp.max(0);
    for power in (lowest..=highest).rev() {
        let at = exp - power;
        let d = if at >= 0 { digits.get(at as usize).copied().unwrap_or(0) } else { 0 };
        if power >= 0 { int.push((b'0' + d) as char) } else { frac.push((b'0' + d) as char) }
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if precision == 0 { int.to_string() } else { format!("{int}.{frac}") }
}

/// `%e`: `d.ddde+xx`.
fn scientific(v: f64, float: bool, precision: usize, upper: bool) -> String {
    let (digits, exp) = if v == 0.0 { (vec![0], 0) } else { {
        let (digits, exp) = shortest_digits(v, float);
        round_half_up(digits, exp, precision as i64 + 1)
    } };
    let mut mantissa = String::new();
    mantissa.push((b'0' + digits[0]) as char);
    if precision > 0 {
        mantissa.push('.');
        for i in 1..=precision {
            mantissa.push((b'0' + digits.get(i).copied().unwrap_or(0)) as char);
        }
    }
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{e}{sign}{:02}", exp.abs())
}

fn floating(value: &Value, spec: &Spec, out: &mut String) -> Result<()> {
    let (v, float) = match value {
        Value::Float(v) => (f64::from(*v), true),
        Value::Double(v) => (*v, false),
        Value::Null => {
            out.push_str(&pad("null".into(), spec));
            return Ok(());
        }
        other => return Err(illegal(format!("{} != {}", spec.conversion, other.java_class()))),
    };
    let upper = spec.conversion.is_ascii_uppercase();
    if v.is_nan() || v.is_infinite() {
        let text = if v.is_nan() {
            "NaN".to_string()
        } else if v < 0.0 {
            if spec.flags.parens { "(Infinity)".into() } else { "-Infinity".into() }
        } else if spec.flags.plus {
            "+Infinity".into()
        } else {
            "Infinity".into()
        };
        out.push_str(&pad(if upper { text.to_uppercase() } else { text }, spec));
        return Ok(());
    }
    let negative = v.is_sign_negative() && v != 0.0 || (v == 0.0 && v.is_sign_negative());
    let a = v.abs();
    let precision = spec.precision.unwrap_or(6);
    let magnitude = match spec.conversion.to_ascii_lowercase() {
        'f' => fixed(a, float, precision),
        'e' => scientific(a, float, precision, upper),
        'g' => {
            let precision = precision.max(1);
            // The value rounded to `precision` significant digits decides.
            let rounded_exp = if a == 0.0 { 0 } else { {
                let (digits, exp) = shortest_digits(a, float);
                round_half_up(digits, exp, precision as i64).1
            } };
            if a != 0.0 && (rounded_exp < -4 || rounded_exp >= precision as i32) {
                scientific(a, float, precision - 1, upper)
            } else {
                fixed(a, float, (precision as i32 - 1 - rounded_exp).max(0) as usize)
            }
        }
        _ => return Err(illegal(format!("Conversion = '{}'", spec.conversion))),
    };
    out.push_str(&signed_number(negative, &magnitude, spec));
    Ok(())
}

fn integral(value: &Value, spec: &Spec, out: &mut String) -> Result<()> {
    if spec.precision.is_some() {
        return Err(illegal(spec.precision.map(|p| p.to_string()).unwrap_or_default()));
    }
    if *value == Value::Null {
        out.push_str(&pad("null".into(), spec));
        return Ok(());
    }
    let Some((v, bits)) = value.integer() else {
        return Err(illegal(format!("{} != {}", spec.conversion, value.java_class())));
    };
    let text = match spec.conversion {
        'd' => {
            out.push_str(&signed_number(v < 0, &v.unsigned_abs().to_string(), spec));
            return Ok(());
        }
        // Negative values as the unsigned number of their width.
        c => {
            let unsigned = if bits == 64 { v as u64 } else { (v as u64) & ((1u64 << bits) - 1) };
            let body = match c {
                'o' => format!("{unsigned:o}"),
                'x' => format!("{unsigned:x}"),
                _ => format!("{unsigned:X}"),
            };
            let prefix = match (spec.flags.alternate, c) {
                (false, _) => "",
                (true, 'o') => "0",
                (true, 'x') => "0x",
                (true, _) => "0X",
            };
            let mut body = body;
            if spec.flags.zero
                && let Some(width) = spec.width
                && prefix.len() + body.len() < width
            {
                body = "0".repeat(width - prefix.len() - body.len()) + &body;
            }
            format!("{prefix}{body}")
        }
    };
    out.push_str(&pad(text, spec));
    Ok(())
}

fn general(value: &Value, spec: &Spec, out: &mut String) -> Result<()> {
    let text = match spec.conversion.to_ascii_lowercase() {
        's' => value.text(),
        'b' => match value {
            Value::Null => "false".into(),
            Value::Boolean(b) => b.to_string(),
            _ => "true".into(),
        },
        'h' => match value.hash_code() {
            Some(h) => format!("{:x}", h as u32),
            None if *value == Value::Null => "null".into(),
            None => return Err(DataFusionError::NotImplemented("format_string %h of a decimal".into())),
        },
        'c' => match value {
            Value::Null => "null".into(),
            Value::Byte(_) | Value::Short(_) | Value::Int(_) => {
                let code = value.integer().map_or(0, |(v, _)| v);
                match u32::try_from(code).ok().and_then(char::from_u32) {
                    Some(c) => c.to_string(),
                    None => return Err(illegal(format!("Code point = 0x{:x}", code as u32))),
                }
            }
            other => return Err(illegal(format!("c != {}", other.java_class()))),
        },
        _ => return Err(illegal(format!("Conversion = '{}'", spec.conversion))),
    };
    let text = if let Some(p) = spec.precision { text.chars().take(p).collect() } else { text };
    let text = if spec.conversion.is_ascii_uppercase() { text.to_uppercase() } else { text };
    out.push_str(&pad(text, spec));
    Ok(())
}

/// `format` applied to one row's arguments.
fn format_row(pieces: &[Piece], args: &[Value]) -> Result<String> {
    let mut out = String::new();
    let (mut ordinary, mut last): (usize, Option<usize>) = (0, None);
    for piece in pieces {
        let spec = match piece {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Spec(spec) => spec,
        };
        match spec.conversion {
            '%' => {
                out.push_str(&pad("%".into(), spec));
                continue;
            }
            'n' => {
                out.push('\n');
                continue;
            }
            _ => {}
        }
        let at = match spec.index {
            Index::Next => {
                ordinary += 1;
                ordinary - 1
            }
            Index::Explicit(n) => n.saturating_sub(1),
            Index::Previous => match last {
                Some(i) => i,
                None => return Err(illegal(format!("Format specifier '{}'", spec.text))),
            },
        };
        let Some(value) = args.get(at) else {
            return Err(illegal(format!("Format specifier '{}'", spec.text)));
        };
        last = Some(at);
        match spec.conversion {
            'd' | 'o' | 'x' | 'X' => integral(value, spec, &mut out)?,
            'e' | 'E' | 'f' | 'g' | 'G' => floating(value, spec, &mut out)?,
            'a' | 'A' => return Err(DataFusionError::NotImplemented("format_string %a (hexadecimal floating point)".into())),
            _ => general(value, spec, &mut out)?,
        }
    }
    Ok(out)
}

impl ScalarUDFImpl for SparkFormatString {
    fn name(&self) -> &str {
        "format_string"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let formats = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let formats = formats.as_string::<i32>();
        let mut parsed: Option<(String, Vec<Piece>)> = None;
        let mut out = StringBuilder::new();
        for row in 0..formats.len() {
            if formats.is_null(row) {
                out.append_null();
                continue;
            }
            let format = formats.value(row);
            if parsed.as_ref().is_none_or(|(f, _)| f != format) {
                parsed = Some((format.to_string(), parse(format)?));
            }
            let Some((_, pieces)) = parsed.as_ref() else { continue };
            let values = arrays[1..].iter().map(|a| value_at(a, row)).collect::<Result<Vec<_>>>()?;
            out.append_value(format_row(pieces, &values)?);
        }
        crate::columnar(Arc::new(out.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(format: &str, args: &[Value]) -> String {
        parse(format).and_then(|p| format_row(&p, args)).unwrap_or_else(|e| format!("ERR {}", SparkRuntimeError::find(&e).map_or(e.to_string(), |s| s.message.clone())))
    }

    #[test]
    fn formats_like_java() {
        use Value::*;
        assert_eq!(fmt("%d %s %5.2f %x %o %e %b %c", &[Int(10), Text("a".into()), Double(3.14159), Int(255), Int(8), Double(12345.678), Boolean(true), Int(65)]), "10 a  3.14 ff 10 1.234568e+04 true A");
        assert_eq!(fmt("%08.3f|%,d|%+d|%(d|% d", &[Double(-3.5), Int(1234567), Int(5), Int(-7), Int(3)]), "-003.500|1,234,567|+5|(7)| 3");
        assert_eq!(fmt("%.2f %.2f %.0f %.1f", &[Double(0.125), Double(2.675), Double(0.5), Double(0.05)]), "0.13 2.68 1 0.1");
        assert_eq!(fmt("%x %x %X", &[Int(-1), Long(-1), Byte(-1)]), "ffffffff ffffffffffffffff FF");
        assert_eq!(fmt("%g %g %g %.3g", &[Double(123456.0), Double(1234567.0), Double(0.0001), Double(0.00001234)]), "123456 1.23457e+06 0.000100000 1.23e-05");
        assert_eq!(fmt("%s %d %b %S", &[Null, Null, Null, Text("ef".into())]), "null null false EF");
        assert_eq!(fmt("%5s|%-5s|%.1s", &[Text("ab".into()), Text("cd".into()), Text("xyz".into())]), "   ab|cd   |x");
        assert_eq!(fmt("%2$s %1$s %<s", &[Text("a".into()), Text("b".into())]), "b a a");
        assert_eq!(fmt("100%% %s", &[Double(1e10)]), "100% 1.0E10");
        assert_eq!(fmt("%d", &[Double(1.5)]), "ERR d != java.lang.Double");
        assert_eq!(fmt("%f", &[Int(1)]), "ERR f != java.lang.Integer");
        assert_eq!(fmt("%d %d", &[Int(1)]), "ERR Format specifier '%d'");
        assert_eq!(fmt("%q", &[]), "ERR Conversion = 'q'");
        assert_eq!(fmt("%.2e %E", &[Double(1234.5), Double(0.0)]), "1.23e+03 0.000000E+00");
    }
}
