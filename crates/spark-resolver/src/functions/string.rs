//! String functions: Spark's default arguments (which show in the generated
//! names), regular expressions, binary conversions.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr as DfExpr, Operator, binary_expr, lit};
use spark_functions::binary_fns::{BytesOp, SparkBytes};
use spark_functions::regex_fns::{RegexFn, SparkRegex};
use spark_functions::string_fns::{SparkString, StringFn};
use spark_functions::text_metrics::{SparkText, TextFn};

use super::{Arity, Nullable, Built, Call, In, Table, call_udf, cast, delegate_defaults, f, is_string, registry_udf, try_cast, with_defaults, datafusion, datafusion_spark};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn regex(c: &Call<'_>, kind: RegexFn, defaults: &[(DfExpr, &str)]) -> ResolveResult<Built> {
    if let (Some(p), false) = (c.str_literal(1), kind == RegexFn::Split) {
        spark_functions::regex_fns::check_pattern(p, c.name)?;
    }
    let (args, name) = with_defaults(c, defaults);
    Ok(Built::new(call_udf(SparkRegex::udf(kind), args)).named(name))
}

/// `elt(n, a1, a2, ...)`: the n-th of the values (1-based), binary when
/// all of them are, else strings; out of range NULL, or ANSI mode's
/// INVALID_ARRAY_INDEX.
fn elt(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::array_index::{IndexStyle, SparkArrayElement};
    let binary = c.types[1..].iter().all(|t| matches!(t, ArrowType::Binary));
    let values = c.args[1..].iter().map(|a| cast(a.clone(), if binary { ArrowType::Binary } else { ArrowType::Utf8 })).collect();
    let values = call_udf(registry_udf("make_array")?, values);
    Ok(Built::new(call_udf(SparkArrayElement::udf(IndexStyle::Elt, r.config.ansi), vec![values, c.arg(0)?])))
}

/// `format_string(fmt, args...)` / `printf`: Java's Formatter.
fn format_string(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    Ok(Built::new(call_udf(spark_functions::java_format::SparkFormatString::udf(), c.args.clone())))
}

/// `locate(substr, str[, pos])`: 1-based position of `substr` in `str` at or
/// after `pos`, 0 when absent.
fn locate(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (args, name) = with_defaults(c, &[(lit(1i32), "1")]);
    let [sub, s, pos] = args.as_slice() else {
        return Err(super::wrong_args(c.name, c.args.len(), "[2, 3]"));
    };
    let tail = df::substr(s.clone(), pos.clone());
    let found = df::strpos(tail, sub.clone());
    let shifted = binary_expr(found.clone(), Operator::Plus, binary_expr(pos.clone(), Operator::Minus, lit(1i32)));
    let e = DfExpr::Case(Case::new(
        None,
        vec![
            (Box::new(binary_expr(pos.clone(), Operator::Lt, lit(1i32))), Box::new(lit(0i32))),
            (Box::new(binary_expr(found, Operator::Eq, lit(0i32))), Box::new(lit(0i32))),
        ],
        Some(Box::new(shifted)),
    ));
    Ok(Built::new(cast(e, ArrowType::Int32)).named(name))
}

fn len(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    // datafusion-spark's `length` counts characters of strings and bytes of binaries.
    Ok(Built::new(cast(call_udf(registry_udf("length")?, vec![c.arg(0)?]), ArrowType::Int32)))
}

/// `to_binary(str, fmt)`: hex, utf-8 or base64 by a constant format
/// (NULL for a NULL one); malformed text fails, or is NULL for
/// `try_to_binary`.
fn to_binary(_: &Resolver<'_>, c: &Call<'_>, try_: bool) -> ResolveResult<Built> {
    use spark_functions::binary_decode::{SparkToBinary, TextEncoding};
    let fmt = match c.args.get(1).map(|f| (f, crate::expression::constant_value(f))) {
        None => "hex".to_string(),
        Some((_, Some(ScalarValue::Utf8(Some(f))))) => f.to_ascii_lowercase(),
        Some((_, Some(v))) if v.is_null() => return Ok(Built::new(lit(ScalarValue::Binary(None))).nullable(true)),
        Some(_) => return Err(ResolveError::unsupported("to_binary with a format that is not a constant")),
    };
    let s = c.arg(0)?;
    let e = match fmt.as_str() {
        "hex" => call_udf(SparkToBinary::udf(TextEncoding::Hex, !try_), vec![s]),
        // Malformed base64 fails (or is NULL): only a NULL input is NULL.
        "base64" => return Ok(Built::new(call_udf(SparkToBinary::udf(TextEncoding::Base64, !try_), vec![s])).nullable(try_ || c.nullable[0])),
        "utf-8" | "utf8" => cast(s, ArrowType::Binary),
        _ if try_ => lit(ScalarValue::Binary(None)),
        other => {
            let shown = c.default_name();
            let valid = "'hex', 'utf-8', 'utf8', or 'base64'";
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.INVALID_ARG_VALUE",
                "42K09",
                format!("Cannot resolve \"{shown}\" due to data type mismatch: The fmt value must to be a case-insensitive \"STRING\" literal of {valid}, but got '{other}'."),
                &[("sqlExpr", format!("\"{shown}\"")), ("inputName", "fmt".into()), ("requireType", "case-insensitive \"STRING\"".into()), ("validValues", valid.into()), ("inputValue", format!("'{other}'"))],
            ));
        }
    };
    Ok(Built::new(e).nullable(true))
}

fn validate_utf8(_: &Resolver<'_>, c: &Call<'_>, try_: bool) -> ResolveResult<Built> {
    let x = c.arg(0)?;
    let e = if super::is_string(&c.types[0]) {
        x
    } else if try_ {
        try_cast(x, ArrowType::Utf8)
    } else {
        cast(x, ArrowType::Utf8)
    };
    Ok(Built::new(e))
}

/// `trim(s)`, and `trim(chars, s)`: Spark's two-argument form takes the
/// characters first and prints as `TRIM(BOTH chars FROM s)` (the SQL
/// syntax `TRIM(BOTH chars FROM s)` parses into it). Likewise `ltrim`
/// (LEADING) and `rtrim` (TRAILING).
fn trim(c: &Call<'_>, kernel: &str, side: &str) -> ResolveResult<Built> {
    if c.args.len() == 1 {
        return Ok(Built::new(call_udf(registry_udf(kernel)?, c.args.clone())));
    }
    let e = call_udf(registry_udf(kernel)?, vec![c.arg(1)?, c.arg(0)?]);
    Ok(Built::new(e).named(format!("TRIM({side} {} FROM {})", c.names[0], c.names[1])))
}

/// A number format Spark refuses, as its `INVALID_FORMAT` error.
fn invalid_number_format(e: spark_functions::number_format::FormatError) -> ResolveError {
    ResolveError::analysis(&e.error_class(), "42601", e.message.clone(), &e.params)
}

/// `to_number(text, format)` / `try_to_number`.
fn to_number(c: &Call<'_>, fail: bool) -> ResolveResult<Built> {
    let format = match c.args.get(1) {
        Some(DfExpr::Literal(ScalarValue::Utf8(Some(f)), _)) => f.clone(),
        _ => return Err(ResolveError::unsupported(format!("{} with a format that is not a constant", c.name))),
    };
    let f = spark_functions::number_format::SparkNumberFormat::udf(&format, false, fail).map_err(invalid_number_format)?;
    Ok(Built::new(call_udf(f, vec![c.arg(0)?])).nullable(!fail || c.nullable.first().copied().unwrap_or(true)))
}

/// `to_char(x, format)`: numbers by a number format, dates and timestamps
/// by a datetime pattern, binaries as base64, hex or UTF-8 text.
fn to_char(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let format = match c.args.get(1) {
        Some(DfExpr::Literal(ScalarValue::Utf8(Some(f)), _)) => f.clone(),
        _ => return Err(ResolveError::unsupported(format!("{} with a format that is not a constant", c.name))),
    };
    let x = c.arg(0)?;
    let t = &c.types[0];
    let varchar = c.name == "to_varchar";
    match t {
        ArrowType::Date32 | ArrowType::Timestamp(..) => {
            let ts = if matches!(t, ArrowType::Date32) { r.spark_cast(x, t, &r.session_timestamp()) } else { x };
            let e = call_udf(spark_functions::datetime_format::SparkDateFormat::udf(&r.config.time_zone), vec![ts, lit(format)]);
            Ok(Built::new(e).named(format!("date_format({}, {})", c.names[0], c.names[1])))
        }
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => {
            let (e, shown) = match format.to_ascii_lowercase().as_str() {
                "base64" => (call_udf(registry_udf("base64")?, vec![x]), format!("base64({})", c.names[0])),
                "hex" => (call_udf(registry_udf("hex")?, vec![x]), format!("hex({})", c.names[0])),
                "utf-8" | "utf8" => (cast(x, ArrowType::Utf8), format!("decode({}, {})", c.names[0], c.names[1])),
                other => return Err(ResolveError::analysis("INVALID_PARAMETER_VALUE.BINARY_FORMAT", "22023", format!("The value of parameter(s) `format` in `{}` is invalid: expects one of binary formats 'base64', 'hex', 'utf-8', but got '{other}'.", c.name), &[])),
            };
            let name = if varchar {
                if format.eq_ignore_ascii_case("utf-8") { c.default_name() } else { format!("to_varchar({})", c.names[0]) }
            } else {
                shown
            };
            // Decoding may meet malformed text: Spark's result is nullable.
            let decoded = matches!(format.to_ascii_lowercase().as_str(), "utf-8" | "utf8");
            Ok(Built::new(e).named(name).nullable(decoded || c.nullable.first().copied().unwrap_or(true)))
        }
        _ => {
            let f = spark_functions::number_format::SparkNumberFormat::udf(&format, true, true).map_err(invalid_number_format)?;
            Ok(Built::new(call_udf(f, vec![x])).named(format!("to_char({}, {})", c.names[0], c.names[1])))
        }
    }
}

/// `decode(bin, charset)`, or Spark's CASE-like `decode(expr, search, result, ..., default)`.
fn decode(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.args.len() == 2 {
        use spark_functions::charset::{Direction, SparkCharsetCodec};
        let bytes = cast(c.arg(0)?, ArrowType::Binary);
        let charset = cast(c.arg(1)?, ArrowType::Utf8);
        return Ok(Built::new(call_udf(SparkCharsetCodec::udf(Direction::Decode), vec![bytes, charset])));
    }
    let subject = c.arg(0)?;
    let mut whens = Vec::new();
    let mut i = 1;
    while i + 1 < c.args.len() {
        let (l, rt) = r.coerce_pair(subject.clone(), c.arg(i)?, c.scope)?;
        let cond = binary_expr(l, Operator::IsNotDistinctFrom, rt);
        whens.push((Box::new(cond), Box::new(c.arg(i + 1)?)));
        i += 2;
    }
    let default = if i < c.args.len() { Some(Box::new(c.arg(i)?)) } else { None };
    Ok(Built::new(DfExpr::Case(Case::new(None, whens, default))).nullable(true))
}

fn levenshtein(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let d = cast(call_udf(registry_udf("levenshtein")?, vec![c.arg(0)?, c.arg(1)?]), ArrowType::Int32);
    let e = match c.args.get(2) {
        None => d,
        Some(t) => DfExpr::Case(Case::new(None, vec![(Box::new(binary_expr(d.clone(), Operator::Gt, t.clone())), Box::new(lit(-1i32)))], Some(Box::new(d)))),
    };
    Ok(Built::new(e))
}

/// The BINARY form when the first argument is binary (`contains(x'..', x'..')`),
/// else the string function `string_fn` over string-cast arguments.
fn bytes_or_string(c: &Call<'_>, op: BytesOp, string_fn: &str) -> ResolveResult<Built> {
    if matches!(c.types[0], ArrowType::Binary | ArrowType::LargeBinary) {
        return Ok(Built::new(call_udf(SparkBytes::udf(op), c.args.clone())));
    }
    // `left(s, n)` keeps its length argument; every other argument is text.
    let text_args = if op == BytesOp::Left { 1 } else { c.args.len() };
    let mut args: Vec<DfExpr> = c
        .args
        .iter()
        .zip(&c.types)
        .enumerate()
        .map(|(i, (a, t))| if i < text_args && !is_string(t) { cast(a.clone(), ArrowType::Utf8) } else { a.clone() })
        .collect();
    // A negative length keeps nothing (DataFusion's `left` would drop that many from the end).
    if op == BytesOp::Left {
        if let Some(n) = args.get(1).cloned() {
            let negative = datafusion::logical_expr::binary_expr(n.clone(), datafusion::logical_expr::Operator::Lt, lit(0i32));
            args[1] = datafusion::logical_expr::when(negative, lit(0i32)).otherwise(n)?;
        }
    }
    Ok(Built::new(call_udf(registry_udf(string_fn)?, args)))
}

/// `char(n)` / `chr(n)`: the character of code point `n % 256`, '' for a
/// negative `n`; a NULL constant is NULL (the kernel reads only values).
fn char_of(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if matches!(super::constant_value(&c.arg(0)?), Some(v) if v.is_null()) {
        return Ok(Built::new(lit(ScalarValue::Utf8(None))));
    }
    Ok(Built::new(call_udf(super::kernel_udf(super::Source::DataFusionSpark, "char")?, c.args.clone())))
}

/// `lpad`/`rpad`: bytes padded with X'00' by default, strings with ' '.
fn pad(c: &Call<'_>, op: BytesOp) -> ResolveResult<Built> {
    let binary = matches!(c.types[0], ArrowType::Binary | ArrowType::LargeBinary);
    let default = if binary { (lit(ScalarValue::Binary(Some(vec![0]))), "X'00'") } else { (lit(" "), " ") };
    let (mut args, name) = with_defaults(c, &[default]);
    if binary {
        return Ok(Built::new(call_udf(SparkBytes::udf(op), args)).named(name));
    }
    for i in [0, 2] {
        let t = c.types.get(i).cloned().unwrap_or(ArrowType::Utf8);
        if !is_string(&t) {
            args[i] = cast(args[i].clone(), ArrowType::Utf8);
        }
    }
    let target = if op == BytesOp::PadLeft { "lpad" } else { "rpad" };
    Ok(Built::new(call_udf(registry_udf(target)?, args)).named(name))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("to_number", f(Exactly(2), &[String, String], |_, c| to_number(c, true))),
        ("try_to_number", f(Exactly(2), &[String, String], |_, c| to_number(c, false))),
        ("to_char", f(Exactly(2), &[Any, String], to_char)),
        ("to_varchar", f(Exactly(2), &[Any, String], to_char)),
        ("trim", f(Range(1, 2), &[String, String], |_, c| trim(c, "btrim", "BOTH"))),
        ("ltrim", f(Range(1, 2), &[String, String], |_, c| trim(c, "ltrim", "LEADING"))),
        ("rtrim", f(Range(1, 2), &[String, String], |_, c| trim(c, "rtrim", "TRAILING"))),
        ("overlay", f(Range(3, 4), &[Any, Any, Int, Int], |_, c| {
            let (_, name) = with_defaults(c, &[(lit(-1i32), "-1")]);
            // A length of -1 (the default) replaces as many characters as the replacement has.
            let mut args = vec![cast(c.arg(0)?, ArrowType::Utf8), cast(c.arg(1)?, ArrowType::Utf8), cast(c.arg(2)?, ArrowType::Int64)];
            if let Some(len) = c.args.get(3) {
                if !matches!(len, DfExpr::Literal(v, _) if v.clone().cast_to(&ArrowType::Int64).ok() == Some(ScalarValue::Int64(Some(-1)))) {
                    args.push(cast(len.clone(), ArrowType::Int64));
                }
            }
            let e = call_udf(registry_udf("overlay")?, args);
            let e = if matches!(c.types[0], ArrowType::Binary) { cast(e, ArrowType::Binary) } else { e };
            Ok(Built::new(e).named(name))
        })),
        ("format_number", f(Exactly(2), &[Any, Any], |_, c| {
            let d = if super::is_string(&c.types[1]) { c.arg(1)? } else { cast(c.arg(1)?, ArrowType::Int32) };
            Ok(Built::new(call_udf(SparkString::udf(StringFn::FormatNumber), vec![c.arg(0)?, d])).nullable(true))
        })),
        ("mask", f(Range(1, 5), &[String, String, String, String, String], |_, c| {
            let (args, _) = with_defaults(c, &[(lit("X"), "X"), (lit("x"), "x"), (lit("n"), "n"), (lit(ScalarValue::Utf8(None)), "NULL")]);
            let shown: Vec<std::string::String> = c.names.iter().cloned().chain(["X", "x", "n", "NULL"].iter().skip(c.names.len() - 1).map(|s| s.to_string())).collect();
            Ok(Built::new(call_udf(SparkString::udf(StringFn::Mask), args)).named(format!("mask({})", shown.join(", "))))
        })),
        ("instr", f(Range(2, 4), &[String, String, Int, Int], |_, c| {
            if c.args.len() == 2 {
                return Ok(Built::new(cast(call_udf(registry_udf("strpos")?, c.args.clone()), ArrowType::Int32)));
            }
            let (args, name) = with_defaults(c, &[(lit(1i32), "1"), (lit(1i32), "1")]);
            Ok(Built::new(call_udf(SparkString::udf(StringFn::Instr), args)).named(name))
        })),
        ("encode", f(Exactly(2), &[String, String], |_, c| {
            use spark_functions::charset::{Direction, SparkCharsetCodec};
            Ok(Built::new(call_udf(SparkCharsetCodec::udf(Direction::Encode), vec![c.arg(0)?, c.arg(1)?])))
        })
        .nullable(Nullable::Always)),
        ("decode", f(AtLeast(2), &[Any], decode).nullable(Nullable::Always)),
        ("levenshtein", f(Range(2, 3), &[String, String, Int], levenshtein)),
        ("regexp_count", f(Exactly(2), &[String, String], |_, c| {
            // Spark counts with regexp_extract_all, and names it in errors.
            if let Some(p) = c.str_literal(1) {
                spark_functions::regex_fns::check_pattern(p, "regexp_extract_all")?;
            }
            Ok(Built::new(call_udf(SparkRegex::udf(RegexFn::Count), c.args.clone())))
        })),
        ("str_to_map", f(Range(1, 3), &[String, String, String], |r, c| {
            let (args, name) = with_defaults(c, &[(lit(","), ","), (lit(":"), ":")]);
            Ok(Built::new(call_udf(spark_functions::map_build::SparkStrToMap::udf(r.config.map_key_last_wins), args)).named(name))
        })),
        ("bit_length", f(Exactly(1), &[Any], |_, c| {
            let bytes = cast(call_udf(registry_udf("octet_length")?, vec![cast(c.arg(0)?, ArrowType::Utf8)]), ArrowType::Int32);
            Ok(Built::new(binary_expr(bytes, Operator::Multiply, lit(8i32))))
        })),
        ("octet_length", f(Exactly(1), &[Any], |_, c| {
            let x = c.arg(0)?;
            let e = if matches!(c.types[0], ArrowType::Binary) { call_udf(registry_udf("length")?, vec![x]) } else { call_udf(registry_udf("octet_length")?, vec![x]) };
            Ok(Built::new(cast(e, ArrowType::Int32)))
        })),
        ("substr", f(Range(2, 3), &[Any, Int, Int], |_, c| delegate_defaults(c, "substring", &[(lit(i32::MAX), "2147483647")]))),
        ("substring", f(Range(2, 3), &[Any, Int, Int], |_, c| delegate_defaults(c, "substring", &[(lit(i32::MAX), "2147483647")]))),
        ("lpad", f(Range(2, 3), &[Any, Int, Any], |_, c| pad(c, BytesOp::PadLeft))),
        ("rpad", f(Range(2, 3), &[Any, Int, Any], |_, c| pad(c, BytesOp::PadRight))),
        ("contains", f(Exactly(2), &[Any, Any], |_, c| bytes_or_string(c, BytesOp::Contains, "contains"))),
        ("startswith", f(Exactly(2), &[Any, Any], |_, c| bytes_or_string(c, BytesOp::StartsWith, "starts_with"))),
        ("endswith", f(Exactly(2), &[Any, Any], |_, c| bytes_or_string(c, BytesOp::EndsWith, "ends_with"))),
        ("left", f(Exactly(2), &[Any, Int], |_, c| bytes_or_string(c, BytesOp::Left, "left"))),
        ("btrim", f(Range(1, 2), &[String, String], |_, c| Ok(Built::new(call_udf(registry_udf("btrim")?, c.args.clone()))))),
        ("to_base32", f(Exactly(1), &[Any], |_, c| {
            let x = if c.types[0] == ArrowType::Binary { c.arg(0)? } else { cast(c.arg(0)?, ArrowType::Utf8) };
            Ok(Built::new(call_udf(SparkBytes::udf(BytesOp::ToBase32), vec![x])))
        })),
        ("from_base32", f(Exactly(1), &[String], |_, c| Ok(Built::new(call_udf(SparkBytes::udf(BytesOp::FromBase32), c.args.clone())).nullable(true)))),
        ("conv", f(Exactly(3), &[String, Int, Int], |r, c| Ok(Built::new(call_udf(SparkText::udf(TextFn::Conv { ansi: r.config.ansi }), c.args.clone())).nullable(true)))),
        ("jaro_winkler_similarity", f(Exactly(2), &[String, String], |_, c| Ok(Built::new(call_udf(SparkText::udf(TextFn::JaroWinkler), c.args.clone()))))),
        ("hmac", f(Range(2, 3), &[Any, Any, String], |_, c| {
            let (mut args, name) = with_defaults(c, &[(lit("SHA-256"), "SHA-256")]);
            for (i, t) in c.types.iter().enumerate().take(2) {
                if !matches!(t, ArrowType::Binary) {
                    args[i] = cast(args[i].clone(), ArrowType::Utf8);
                }
            }
            Ok(Built::new(call_udf(SparkText::udf(TextFn::Hmac), args)).named(name).nullable(true))
        })),
        ("collation", f(Exactly(1), &[String], |_, _| Ok(Built::new(lit("SYSTEM.BUILTIN.UTF8_BINARY")).nullable(false)))),
        // Strings compare by their UTF-8 bytes here: that collation only.
        ("collate", f(Exactly(2), &[String, Any], |_, c| match c.constant(1) {
            Some(datafusion::common::ScalarValue::Utf8(Some(name))) if name.eq_ignore_ascii_case("UTF8_BINARY") => Ok(Built::new(c.arg(0)?)),
            Some(datafusion::common::ScalarValue::Utf8(Some(name))) => Err(crate::ResolveError::unsupported(format!(
                "the collation {name} (strings compare by their UTF-8 bytes, the collation UTF8_BINARY, on this server)"
            ))),
            _ => Err(crate::ResolveError::unsupported("collate() with a collation that is not a string literal")),
        })),
        ("locate", f(Range(2, 3), &[String, String, Int], locate)),
        ("position", f(Range(2, 3), &[String, String, Int], locate)),
        ("split", f(Range(2, 3), &[String, String, Int], |_, c| regex(c, RegexFn::Split, &[(lit(-1i32), "-1")]))),
        ("regexp_extract", f(Range(2, 3), &[String, String, Int], |_, c| regex(c, RegexFn::Extract, &[(lit(1i32), "1")]))),
        ("regexp_extract_all", f(Range(2, 3), &[String, String, Int], |_, c| regex(c, RegexFn::ExtractAll, &[(lit(1i32), "1")]))),
        ("regexp_substr", f(Exactly(2), &[String, String], |_, c| regex(c, RegexFn::Substr, &[]).map(|b| b.nullable(true)))),
        ("regexp_instr", f(Range(2, 3), &[String, String, Int], |_, c| {
            let (args, name) = with_defaults(c, &[(lit(0i32), "0")]);
            Ok(Built::new(call_udf(SparkRegex::udf(RegexFn::Instr), args[..2].to_vec())).named(name))
        })),
        ("regexp_replace", f(Range(3, 4), &[String, String, String, Int], |_, c| {
            let (args, name) = with_defaults(c, &[(lit(1i32), "1")]);
            if let Some(p) = c.str_literal(1) {
                spark_functions::regex_fns::check_pattern(p, c.name)?;
            }
            if let Some(datafusion::common::ScalarValue::Int32(Some(position))) = c.constant(3).filter(|_| c.args.len() > 3)
                && position <= 0
            {
                return Err(crate::ResolveError::analysis(
                    "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
                    "42K09",
                    format!("Cannot resolve \"{name}\" due to data type mismatch: The position must be between (0, 2147483647] (current value = {position})."),
                    &[],
                ));
            }
            Ok(Built::new(call_udf(spark_functions::regexp_replace::SparkRegexpReplace::udf(), args)).named(name))
        })),
        ("sentences", f(Range(1, 3), &[String, String, String], |_, c| {
            let (args, name) = with_defaults(c, &[(lit(""), ""), (lit(""), "")]);
            Ok(Built::new(call_udf(spark_functions::sentences::SparkSentences::udf(), args)).named(name).nullable(true))
        })),
        ("len", f(Exactly(1), &[Any], len)),
        ("length", f(Exactly(1), &[Any], len)),
        ("char_length", f(Exactly(1), &[Any], len)),
        ("character_length", f(Exactly(1), &[Any], len)),
        ("printf", f(AtLeast(1), &[String, Any], format_string).nullable(Nullable::Rule(|a| a.first().copied().unwrap_or(true)))),
        ("format_string", f(AtLeast(1), &[String, Any], format_string).nullable(Nullable::Rule(|a| a.first().copied().unwrap_or(true)))),
        ("to_binary", f(Range(1, 2), &[String, String], |r, c| to_binary(r, c, false))),
        ("try_to_binary", f(Range(1, 2), &[String, String], |r, c| to_binary(r, c, true))),
        ("validate_utf8", f(Exactly(1), &[Any], |r, c| validate_utf8(r, c, false))),
        ("try_validate_utf8", f(Exactly(1), &[Any], |r, c| validate_utf8(r, c, true).map(|b| b.nullable(true)))),
        // Kernels called as they are.
        ("ascii", datafusion_spark(Exactly(1), &[], "ascii")),
        ("base64", datafusion_spark(Exactly(1), &[], "base64")),
        ("unbase64", datafusion_spark(Exactly(1), &[String], "unbase64")),
        ("char", f(Exactly(1), &[Long], char_of)),
        ("chr", f(Exactly(1), &[Long], char_of)),
        // NULL only for a NULL separator: NULL strings are skipped.
        ("concat_ws", datafusion_spark(AtLeast(1), &[], "concat_ws").nullable(Nullable::Rule(|a| a.first().copied().unwrap_or(true)))),
        ("crc32", datafusion_spark(Exactly(1), &[], "crc32")),
        ("elt", f(AtLeast(2), &[Int, Any], elt).nullable(Nullable::Always)),
        ("find_in_set", datafusion(Exactly(2), &[String, String], "find_in_set")),
        ("initcap", f(Exactly(1), &[String], |_, c| Ok(Built::new(call_udf(spark_functions::string_fns::SparkString::udf(spark_functions::string_fns::StringFn::InitCap), c.args.clone()))))),
        ("is_valid_utf8", datafusion_spark(Exactly(1), &[], "is_valid_utf8")),
        ("make_valid_utf8", datafusion_spark(Exactly(1), &[], "make_valid_utf8")),
        ("lcase", datafusion(Exactly(1), &[String], "lower")),
        ("lower", datafusion(Exactly(1), &[String], "lower")),
        ("ucase", datafusion(Exactly(1), &[String], "upper")),
        ("upper", datafusion(Exactly(1), &[String], "upper")),
        ("luhn_check", datafusion_spark(Exactly(1), &[String], "luhn_check")),
        ("md5", datafusion(Exactly(1), &[], "md5")),
        // Malformed URLs are INVALID_URL under ANSI mode, NULL otherwise.
        ("parse_url", f(Range(2, 3), &[String, String, String], |r, c| {
            Ok(Built::new(call_udf(spark_functions::parse_url::SparkParseUrl::udf(r.config.ansi), c.args.clone())).nullable(true))
        })),
        ("try_parse_url", f(Range(2, 3), &[String, String, String], |_, c| {
            Ok(Built::new(call_udf(spark_functions::parse_url::SparkParseUrl::udf(false), c.args.clone())).nullable(true))
        })),
        ("quote", datafusion_spark(Exactly(1), &[String], "quote")),
        ("repeat", datafusion(Exactly(2), &[String, Int], "repeat")),
        ("replace", f(Range(2, 3), &[String, String, String], |_, c| delegate_defaults(c, "replace", &[(lit(""), "")]))),
        ("right", f(Exactly(2), &[String, Int], |_, c| {
            // A negative length keeps nothing (DataFusion's `right` would drop that many from the start).
            let n = c.arg(1)?;
            let negative = datafusion::logical_expr::binary_expr(n.clone(), datafusion::logical_expr::Operator::Lt, lit(0i32));
            let n = datafusion::logical_expr::when(negative, lit(0i32)).otherwise(n)?;
            Ok(Built::new(call_udf(registry_udf("right")?, vec![c.arg(0)?, n])))
        })
        .nullable(Nullable::Always)),
        ("sha", datafusion_spark(Exactly(1), &[], "sha1")),
        ("sha1", datafusion_spark(Exactly(1), &[], "sha1")),
        ("sha2", datafusion_spark(Exactly(2), &[], "sha2").nullable(Nullable::Always)),
        ("soundex", datafusion_spark(Exactly(1), &[String], "soundex")),
        ("space", datafusion_spark(Exactly(1), &[Int], "space")),
        ("split_part", f(Exactly(3), &[String, String, Int], |_, c| Ok(Built::new(call_udf(SparkString::udf(StringFn::SplitPart), c.args.clone())))).nullable(Nullable::Always)),
        ("substring_index", datafusion(Exactly(3), &[String, String, Int], "substring_index")),
        ("translate", datafusion(Exactly(3), &[String, String, String], "translate")),
        ("url_decode", f(Exactly(1), &[String], |_, c| Ok(Built::new(call_udf(SparkString::udf(StringFn::UrlDecode), c.args.clone())))).nullable(Nullable::Always)),
        ("try_url_decode", f(Exactly(1), &[String], |_, c| Ok(Built::new(call_udf(SparkString::udf(StringFn::TryUrlDecode), c.args.clone())))).nullable(Nullable::Always)),
        ("url_encode", datafusion_spark(Exactly(1), &[String], "url_encode").nullable(Nullable::Always)),
        ("xxhash64", f(AtLeast(1), &[], |_, c| super::misc::spark_hash(c, super::kernel_udf(super::Source::DataFusionSpark, "xxhash64")?))),
        ("uuid", datafusion(Exactly(0), &[], "uuid")),
    ]
}
